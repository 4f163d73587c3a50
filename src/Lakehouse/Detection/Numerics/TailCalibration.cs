namespace OneMap.Lakehouse.Detection.Numerics;

/// <summary>
/// Turns a detector's raw score into a surprise, −log10 of the probability of a score at least this high on the
/// station's learning period. Below the 98th percentile the empirical quantiles are interpolated; above it a
/// generalised Pareto tail (peaks over threshold, fitted by probability-weighted moments) extrapolates, so a threshold of
/// "one reading in 100,000" is meaningful even when the history holds fewer readings than that.
/// Surprises are comparable across detectors and stations, which is what lets the ensemble take their maximum.
/// </summary>
public sealed class TailCalibration
{
    /// <summary>Largest surprise reported (p = 1e-12); beyond it the tail fit says nothing useful.</summary>
    public const double MaxSurprise = 12;

    private const double TailFraction = 0.02;
    private static readonly double TailSurprise = -Math.Log10(TailFraction);
    private static readonly double[] KnotSurprises = [0, -Math.Log10(0.5), 1, -Math.Log10(TailFraction)];

    private readonly double[] _knots;

    private TailCalibration(double[] knots, double shape, double scale, int count)
    {
        _knots = knots;
        Shape = shape;
        Scale = scale;
        Count = count;
    }

    /// <summary>Raw score at the 98th percentile of the learning period, where the fitted tail starts.</summary>
    public double TailStart => _knots[3];

    /// <summary>Shape ξ of the generalised Pareto tail (0: exponential; &gt; 0: heavy), kept within [0, 0.9].</summary>
    public double Shape { get; }

    /// <summary>Scale σ of the generalised Pareto tail, in raw-score units.</summary>
    public double Scale { get; }

    /// <summary>How many learning scores the calibration was fitted on.</summary>
    public int Count { get; }

    /// <summary>Fits the calibration to the finite raw scores of a learning period (NaN entries are skipped).</summary>
    /// <exception cref="InsufficientHistoryException">Fewer than 20 finite scores.</exception>
    public static TailCalibration Fit(ReadOnlySpan<double> rawScores)
    {
        var sorted = RobustStatistics.SortedFinite(rawScores);
        if (sorted.Length < 20)
        {
            throw new InsufficientHistoryException($"a tail calibration needs at least 20 learning scores, got {sorted.Length}");
        }
        var knots = new[]
        {
            sorted[0],
            RobustStatistics.QuantileOfSorted(sorted, 0.5),
            RobustStatistics.QuantileOfSorted(sorted, 0.9),
            RobustStatistics.QuantileOfSorted(sorted, 1 - TailFraction),
        };
        var u = knots[3];
        var first = Array.FindIndex(sorted, v => v > u);
        var exceedances = first < 0 ? 0 : sorted.Length - first;
        // A floor on the scale keeps a degenerate history (all scores equal) from making every later wiggle infinitely
        // surprising; the surprise cap does the rest.
        var spread = Math.Max(knots[3] - knots[2], Math.Abs(u) * 1e-6);
        var floor = Math.Max(spread / Math.Log(5) * 0.05, 1e-12);
        double shape = 0, scale;
        if (exceedances >= 10)
        {
            // Probability-weighted moments (Hosking and Wallis, 1987): a0 = mean, a1 = mean of (1 − p)·y with
            // plotting positions p = (j − 0.35) / n. Unlike the ordinary moments they do not square the exceedances,
            // so a handful of extreme scores from an unlabelled incident in the history cannot blow the tail up.
            double a0 = 0, a1 = 0;
            for (var j = 0; j < exceedances; j++)
            {
                var y = sorted[first + j] - u;
                a0 += y;
                a1 += (1 - (j + 1 - 0.35) / exceedances) * y;
            }
            a0 /= exceedances;
            a1 /= exceedances;
            if (a0 > 0 && a0 - 2 * a1 > 0)
            {
                // Hosking's k is −ξ. Never a bounded tail: a value past the fitted end point would be "impossible"
                // and saturate the surprise, which rounded readings (few distinct exceedances) provoke all the time.
                shape = Math.Clamp(2 - a0 / (a0 - 2 * a1), 0, 0.9);
            }
            // GPD mean is σ / (1 − ξ).
            scale = Math.Max(a0 * (1 - shape), floor);
        }
        else
        {
            // Too few exceedances to fit a shape: an exponential tail through the 90th and 98th percentiles.
            scale = Math.Max(spread / Math.Log(5), floor);
        }
        return new TailCalibration(knots, shape, scale, sorted.Length);
    }

    /// <summary>−log10 P(score ≥ <paramref name="raw"/>) on the learning period; 0 for NaN, capped at <see cref="MaxSurprise"/>.</summary>
    public double Surprise(double raw)
    {
        var k = _knots;
        if (!(raw > k[0]))
        {
            return 0;
        }
        if (raw > k[3])
        {
            var y = raw - k[3];
            double s;
            if (Math.Abs(Shape) < 1e-9)
            {
                s = TailSurprise + y / (Scale * Math.Log(10));
            }
            else
            {
                var t = 1 + Shape * y / Scale;
                if (t <= 0)
                {
                    return MaxSurprise;
                }
                s = TailSurprise + Math.Log10(t) / Shape;
            }
            return Math.Min(s, MaxSurprise);
        }
        // Piecewise linear through (min, 0), (q50, 0.30), (q90, 1), (q98, 1.70). With ties (a score that is zero most
        // of the time), the last knot below the value is the start of its segment.
        var segment = raw > k[2] ? 2 : raw > k[1] ? 1 : 0;
        var x0 = k[segment];
        var x1 = k[segment + 1];
        var s0 = KnotSurprises[segment];
        var s1 = KnotSurprises[segment + 1];
        return x1 > x0 ? s0 + (s1 - s0) * (raw - x0) / (x1 - x0) : s1;
    }

    /// <summary>The raw score whose surprise is <paramref name="surprise"/> (the inverse of <see cref="Surprise"/>).</summary>
    public double RawAt(double surprise)
    {
        var k = _knots;
        if (surprise <= 0)
        {
            return k[0];
        }
        if (surprise > TailSurprise)
        {
            var excess = surprise - TailSurprise;
            return Math.Abs(Shape) < 1e-9
                ? k[3] + Scale * Math.Log(10) * excess
                : k[3] + Scale / Shape * (Math.Pow(10, Shape * excess) - 1);
        }
        var segment = surprise > KnotSurprises[2] ? 2 : surprise > KnotSurprises[1] ? 1 : 0;
        var fraction = (surprise - KnotSurprises[segment]) / (KnotSurprises[segment + 1] - KnotSurprises[segment]);
        return k[segment] + fraction * (k[segment + 1] - k[segment]);
    }
}
