namespace OneMap.Lakehouse.Detection.Baselines;

/// <summary>
/// EWMA control chart over standardised deviations: e_t = λ·z_t + (1 − λ)·e_{t−1}, scored as |e_t| over its
/// asymptotic standard deviation √(λ / (2 − λ)). Sensitive to small shifts that persist (a slow drift of several
/// readings at 1–2 σ that no single reading reveals).
/// </summary>
public sealed class EwmaChart
{
    private readonly double _lambda;
    private readonly double _scale;
    private double _value;

    /// <param name="lambda">Smoothing weight of the newest deviation, in (0, 1]; 0.1–0.3 is usual.</param>
    public EwmaChart(double lambda)
    {
        if (!(lambda > 0 && lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be within (0, 1]");
        }
        _lambda = lambda;
        _scale = 1 / Math.Sqrt(lambda / (2 - lambda));
    }

    /// <summary>The current EWMA of the deviations (signed, in σ of a single deviation).</summary>
    public double Value => _value;

    /// <summary>
    /// Adds a standardised deviation and returns the chart's statistic |e| / σ_e (in σ of the EWMA itself).
    /// NaN deviations (missing readings) leave the chart unchanged.
    /// </summary>
    public double Push(double z)
    {
        if (double.IsFinite(z))
        {
            _value = _lambda * z + (1 - _lambda) * _value;
        }
        return Math.Abs(_value) * _scale;
    }

    public void Reset() => _value = 0;
}
