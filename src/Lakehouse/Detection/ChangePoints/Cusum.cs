namespace OneMap.Lakehouse.Detection.ChangePoints;

/// <summary>
/// Two-sided tabular CUSUM (Page 1954) over standardised deviations: S⁺ = max(0, S⁺ + z − k) and
/// S⁻ = max(0, S⁻ − z − k). A shift of δ σ makes one side grow by about δ − k per reading, so a level shift or a
/// calibration jump too small for a single-reading test is flagged once the side reaches h. The reading after the
/// side last stood at zero estimates when the shift began.
/// </summary>
public sealed class Cusum
{
    /// <param name="drift">k, the allowance in σ (half the smallest shift worth finding); default 0.5.</param>
    /// <param name="threshold">h, the decision interval in σ; default 5.</param>
    /// <param name="clip">Deviations are clipped to ±clip before accumulating (a Huber-type CUSUM): one gross outlier
    /// then cannot charge the statistic for hours; spikes are the z-score's job. Default: no clipping.</param>
    /// <param name="cap">Largest value a side may reach, so it recovers within cap / k readings once the shift ends.
    /// Default: no cap.</param>
    public Cusum(double drift = 0.5, double threshold = 5, double clip = double.PositiveInfinity, double cap = double.PositiveInfinity)
    {
        if (!(clip > drift))
        {
            throw new ArgumentOutOfRangeException(nameof(clip), clip, "must exceed the drift");
        }
        if (!(cap >= threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(cap), cap, "must be at least the threshold");
        }
        _clip = clip;
        _cap = cap;
        if (!(drift >= 0) || !double.IsFinite(drift))
        {
            throw new ArgumentOutOfRangeException(nameof(drift), drift, "must be non-negative and finite");
        }
        if (!(threshold > 0) || !double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be positive and finite");
        }
        Drift = drift;
        Threshold = threshold;
    }

    public double Drift { get; }

    public double Threshold { get; }

    /// <summary>S⁺, evidence of an upward shift.</summary>
    public double Upper { get; private set; }

    /// <summary>S⁻, evidence of a downward shift.</summary>
    public double Lower { get; private set; }

    /// <summary>max(S⁺, S⁻).</summary>
    public double Statistic => Math.Max(Upper, Lower);

    /// <summary>Readings since the larger side last stood at zero (how long ago the shift it sees began).</summary>
    public int Run => Upper >= Lower ? _upperRun : _lowerRun;

    /// <summary>Whether the statistic has reached the threshold.</summary>
    public bool Signals => Statistic >= Threshold;

    private readonly double _clip;
    private readonly double _cap;
    private int _upperRun;
    private int _lowerRun;

    /// <summary>Adds a standardised deviation and returns max(S⁺, S⁻); NaN (a missing reading) changes nothing.</summary>
    public double Push(double z)
    {
        if (double.IsFinite(z))
        {
            z = Math.Clamp(z, -_clip, _clip);
            Upper = Math.Min(_cap, Math.Max(0, Upper + z - Drift));
            Lower = Math.Min(_cap, Math.Max(0, Lower - z - Drift));
            _upperRun = Upper > 0 ? _upperRun + 1 : 0;
            _lowerRun = Lower > 0 ? _lowerRun + 1 : 0;
        }
        return Statistic;
    }

    public void Reset()
    {
        Upper = 0;
        Lower = 0;
        _upperRun = 0;
        _lowerRun = 0;
    }
}

/// <summary>A level shift found in a series.</summary>
/// <param name="Onset">Index of the first reading at the new level (estimated).</param>
/// <param name="DetectedAt">Index of the reading at which the detector signalled.</param>
/// <param name="Shift">Mean after the change minus mean before, in the series' units.</param>
public readonly record struct ChangePoint(int Onset, int DetectedAt, double Shift);

/// <summary>Offline use of <see cref="Cusum"/>: level shifts in a whole series, re-centring after each one.</summary>
public static class CusumChangePoints
{
    /// <summary>
    /// Finds level shifts: the reference mean and σ are learnt (median, MAD) from the first <paramref name="learn"/>
    /// readings; after each signal the reference moves to the readings since the onset, so the next shift is measured
    /// from the new level.
    /// </summary>
    public static IReadOnlyList<ChangePoint> Detect(ReadOnlySpan<double> series, int learn, double drift = 0.5, double threshold = 5)
    {
        if (learn < 3 || learn > series.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(learn), learn, $"must be within [3, {series.Length}]");
        }
        var head = series[..learn];
        var mean = Numerics.RobustStatistics.Median(head);
        var sigma = Numerics.RobustStatistics.MadSigma(head, mean);
        if (!(sigma > 0))
        {
            sigma = Math.Max(Math.Abs(mean) * 1e-6, 1e-12);
        }
        var cusum = new Cusum(drift, threshold);
        var changes = new List<ChangePoint>();
        for (var i = learn; i < series.Length; i++)
        {
            cusum.Push((series[i] - mean) / sigma);
            if (!cusum.Signals)
            {
                continue;
            }
            var onset = i - cusum.Run + 1;
            double sum = 0;
            var n = 0;
            for (var j = onset; j <= i; j++)
            {
                if (double.IsFinite(series[j]))
                {
                    sum += series[j];
                    n++;
                }
            }
            var newMean = n > 0 ? sum / n : mean;
            changes.Add(new ChangePoint(onset, i, newMean - mean));
            mean = newMean;
            cusum.Reset();
        }
        return changes;
    }
}
