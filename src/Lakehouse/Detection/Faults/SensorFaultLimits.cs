using OneMap.Lakehouse.Detection.Numerics;

namespace OneMap.Lakehouse.Detection.Faults;

/// <summary>
/// When an indicator's readings count as a sensor fault. Learnt per station and indicator from history (a
/// conductivity probe that legitimately reads 211 µS/cm for three hours must not be called stuck after one), with
/// floors so a short or very noisy history cannot make the limits silly.
/// </summary>
/// <param name="StuckReadings">Identical consecutive readings that make the sensor stuck; <see cref="int.MaxValue"/> disables.</param>
/// <param name="FlatlineReadings">Consecutive readings within <paramref name="FlatlineTolerance"/> of each other that make a flatline.</param>
/// <param name="FlatlineTolerance">Largest spread (max − min) of a flatline run, in the indicator's units; 0 disables.</param>
/// <param name="DropoutReadings">Consecutive missing readings that make a dropout.</param>
/// <param name="Minimum">Lowest physically possible value (e.g. 0 for a concentration); null: no lower bound.</param>
/// <param name="Maximum">Highest physically possible value (e.g. 14 for pH); null: no upper bound.</param>
public sealed record SensorFaultLimits(
    int StuckReadings,
    int FlatlineReadings,
    double FlatlineTolerance,
    int DropoutReadings,
    double? Minimum = null,
    double? Maximum = null)
{
    /// <summary>Limits that flag only missing readings (after three) and nothing else.</summary>
    public static SensorFaultLimits DropoutsOnly { get; } = new(int.MaxValue, int.MaxValue, 0, 3);

    /// <summary>
    /// Learns the limits from <paramref name="history"/>: a run of identical readings (or of readings within
    /// <paramref name="flatlineTolerance"/>) is a fault once it is <paramref name="margin"/> times longer than the
    /// 99.9th percentile of such runs in the history, and never shorter than the floor. An indicator that barely
    /// ever changed in its history gets no stuck or flatline test: constant is its normal. Dropouts are not learnt.
    /// </summary>
    /// <param name="history">Past readings, one per interval (NaN = missing).</param>
    /// <param name="excluded">Readings to leave out (known incidents); runs touching them are not counted. Empty for none.</param>
    /// <param name="flatlineTolerance">Spread within which readings count as flat (e.g. a quarter of the robust σ).</param>
    /// <param name="minimumStuck">Floor of the stuck limit, in readings.</param>
    /// <param name="minimumDropout">Consecutive missing readings that make a dropout.</param>
    /// <param name="margin">How much longer than the usual longest run a fault run must be.</param>
    /// <param name="minimum">Physical lower bound, if any.</param>
    /// <param name="maximum">Physical upper bound, if any.</param>
    public static SensorFaultLimits Learn(ReadOnlySpan<double> history, ReadOnlySpan<bool> excluded, double flatlineTolerance, int minimumStuck = 6,
        int minimumDropout = 3, double margin = 1.5, double? minimum = null, double? maximum = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumStuck, 2);
        if (!excluded.IsEmpty && excluded.Length != history.Length)
        {
            throw new ArgumentException($"excluded has {excluded.Length} entries for {history.Length} readings", nameof(excluded));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumDropout, 1);
        if (!(margin >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "must be at least 1");
        }
        var finite = 0;
        foreach (var v in history)
        {
            if (double.IsFinite(v))
            {
                finite++;
            }
        }
        var stuck = RunLimit(RunLengths(history, excluded, 0), finite, margin, minimumStuck);
        var flat = flatlineTolerance > 0 ? RunLimit(RunLengths(history, excluded, flatlineTolerance), finite, margin, minimumStuck) : int.MaxValue;
        // Missing readings are a fault however often the history had them: a long outage in the learning period
        // must not teach the detector to accept the next one.
        var dropout = minimumDropout;
        return new SensorFaultLimits(stuck, flat, flatlineTolerance > 0 ? flatlineTolerance : 0, dropout, minimum, maximum);
    }

    private static int RunLimit(List<int> runs, int finite, double margin, int floor)
    {
        if (runs.Count == 0 || runs.Max() * 2 >= finite)
        {
            return int.MaxValue;
        }
        return Math.Max(floor, (int)Math.Ceiling(margin * Quantile(runs, 0.999)));
    }

    private static double Quantile(List<int> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Select(v => (double)v).Order().ToArray();
        return RobustStatistics.QuantileOfSorted(sorted, p);
    }

    /// <summary>
    /// Lengths of runs of finite readings whose spread stays within <paramref name="tolerance"/> (gaps do not break a
    /// run; excluded readings do, and runs touching them are dropped).
    /// </summary>
    internal static List<int> RunLengths(ReadOnlySpan<double> values, ReadOnlySpan<bool> excluded, double tolerance)
    {
        var runs = new List<int>();
        var length = 0;
        var tainted = false;
        double low = 0, high = 0;
        for (var t = 0; t < values.Length; t++)
        {
            if (!excluded.IsEmpty && excluded[t])
            {
                length = 0;
                tainted = true;
                continue;
            }
            var v = values[t];
            if (!double.IsFinite(v))
            {
                continue;
            }
            if (length > 0 && Math.Max(high, v) - Math.Min(low, v) <= tolerance)
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
                length++;
            }
            else
            {
                if (length > 0 && !tainted)
                {
                    runs.Add(length);
                }
                tainted = length == 0 && tainted;
                low = high = v;
                length = 1;
            }
        }
        if (length > 0 && !tainted)
        {
            runs.Add(length);
        }
        return runs;
    }

}
