using OneMap.Lakehouse.Detection.Numerics;

namespace OneMap.Lakehouse.Detection.Baselines;

/// <summary>
/// Robust z-score against a seasonal baseline, one reading at a time. The baseline of a reading is the diurnal
/// profile's offset at its time of day plus the current level: the median of the deseasonalised readings in the
/// trailing window (the reading itself excluded). Its distance from the baseline is measured in robust σ, the
/// MAD-based spread of these deviations learnt from history (floored by the instrument's resolution).
/// </summary>
public sealed class RobustBaseline
{
    private readonly SortedWindow _level;
    private readonly int _minimumCount;

    /// <param name="profile">Diurnal profile learnt from history (<see cref="SeasonalProfile.None"/> for none).</param>
    /// <param name="sigma">Robust σ of the deviations, learnt from history.</param>
    /// <param name="levelWindow">How many trailing readings the level is the median of.</param>
    public RobustBaseline(SeasonalProfile profile, double sigma, int levelWindow)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be positive and finite");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(levelWindow, 3);
        Profile = profile;
        Sigma = sigma;
        _level = new SortedWindow(levelWindow);
        _minimumCount = Math.Max(3, levelWindow / 4);
    }

    public SeasonalProfile Profile { get; }

    public double Sigma { get; }

    /// <summary>The level (deseasonalised median of the trailing window); NaN until enough readings arrived.</summary>
    public double Level => _level.Count >= _minimumCount ? _level.Median() : double.NaN;

    /// <summary>The baseline a reading at <paramref name="offset"/> (the profile's offset at its time) is compared with.</summary>
    public double BaselineAt(double offset) => Level + offset;

    /// <summary>
    /// Signed robust z-score of <paramref name="value"/> against the baseline, then adds the reading to the level
    /// window. NaN when the value is missing or the window is still filling (a missing value leaves the window alone).
    /// </summary>
    public double Push(double value, double offset)
    {
        var z = Deviation(value, offset);
        Learn(value, offset);
        return z;
    }

    /// <summary>Signed robust z-score without learning the reading (for readings a fault detector rejected).</summary>
    public double Deviation(double value, double offset) => (value - offset - Level) / Sigma;

    /// <summary>Adds a reading to the level window (NaN: the window moves on without it).</summary>
    public void Learn(double value, double offset) => _level.Push(value - offset);

    public void Reset() => _level.Clear();
}
