using OneMap.Lakehouse.Detection.Numerics;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>
/// Removes what the whole city's stations show at once (rain runoff: turbidity, TP and COD_Mn up, conductivity and
/// temperature down at every station) before a station's readings reach its detectors: weather is not pollution, and
/// a sewage overflow during the rain still stands out, because its ammonia rises at one station only.
/// Each station's reading is compared with its own trailing day (median, robust σ); the city's common mode of an
/// indicator is the median of those deviations over the stations that reported the previous slot (so a station is
/// never judged against readings of its own slot, and a stream and a backfill agree). Only a common mode of at least
/// <see cref="Threshold"/> σ is removed: in dry weather readings pass unchanged, so a stuck sensor still repeats its
/// value exactly. Not thread-safe: one instance per producer, fed slot by slot.
/// </summary>
public sealed class RegionalWeather
{
    private readonly IReadOnlyList<string> indicators;
    private readonly int window;
    private readonly Dictionary<string, StationState> stations = new(StringComparer.Ordinal);
    // Per slot (ticks of its time), per indicator, the deviations the stations reported.
    private readonly SortedDictionary<long, List<double>[]> deviations = [];

    /// <param name="indicators">Indicators in the order readings are given.</param>
    /// <param name="interval">Slot width.</param>
    /// <param name="trailingWindow">How far back a station's own reference reaches; default one day.</param>
    public RegionalWeather(IReadOnlyList<string> indicators, TimeSpan interval, TimeSpan? trailingWindow = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        this.indicators = indicators;
        Interval = interval;
        window = Math.Max(12, (int)((trailingWindow ?? TimeSpan.FromDays(1)) / interval));
    }

    public TimeSpan Interval { get; }

    /// <summary>Fewest stations whose deviations make a common mode; default 5 (below that nothing is removed).</summary>
    public int MinimumStations { get; init; } = 5;

    /// <summary>Smallest common mode removed, in robust σ; default 2.</summary>
    public double Threshold { get; init; } = 2;

    /// <summary>Sets a station's scale per indicator (robust σ of its deviations from its trailing median, learnt on history).</summary>
    public void SetScale(string station, IReadOnlyList<double> sigmas)
    {
        ArgumentNullException.ThrowIfNull(sigmas);
        if (sigmas.Count != indicators.Count)
        {
            throw new ArgumentException($"station {station}: {sigmas.Count} scales for {indicators.Count} indicators", nameof(sigmas));
        }
        State(station).Sigma = [.. sigmas];
    }

    /// <summary>Whether the station has a scale (learnt).</summary>
    public bool Knows(string station) => stations.TryGetValue(station, out var s) && s.Sigma is not null;

    /// <summary>
    /// Takes one slot of a station's readings (NaN = missing), records its deviations for the city's common mode, and
    /// returns the readings with the previous slot's common mode removed (the same array when nothing is removed).
    /// </summary>
    public double[] Adjust(string station, DateTimeOffset time, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var state = State(station);
        var slot = time.UtcTicks;
        var result = values;
        if (state.Sigma is { } sigma && deviations.TryGetValue(slot - Interval.Ticks, out var previous))
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]) || !(sigma[i] > 0) || previous[i].Count < MinimumStations)
                {
                    continue;
                }
                var common = Median(previous[i]);
                if (Math.Abs(common) >= Threshold)
                {
                    if (ReferenceEquals(result, values))
                    {
                        result = (double[])values.Clone();
                    }
                    result[i] = values[i] - common * sigma[i];
                }
            }
        }
        Record(state, slot, values);
        return result;
    }

    private void Record(StationState state, long slot, double[] values)
    {
        if (!deviations.TryGetValue(slot, out var lists))
        {
            lists = new List<double>[indicators.Count];
            for (var i = 0; i < lists.Length; i++)
            {
                lists[i] = [];
            }
            deviations[slot] = lists;
            // Keep a few slots: streams run a little apart, a backfill runs stations slot by slot.
            while (deviations.Count > 12)
            {
                deviations.Remove(deviations.Keys.First());
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value))
            {
                continue;
            }
            var trailing = state.Trailing[i];
            if (state.Sigma is { } sigma && sigma[i] > 0 && trailing.Count >= window / 4)
            {
                lists[i].Add((value - trailing.Median()) / sigma[i]);
            }
            trailing.Push(value);
        }
    }

    private StationState State(string station)
    {
        if (!stations.TryGetValue(station, out var state))
        {
            state = new StationState([.. indicators.Select(_ => new SortedWindow(window))]);
            stations[station] = state;
        }
        return state;
    }

    /// <summary>
    /// The robust σ of each indicator's deviation from its trailing median over <paramref name="columns"/> (a station's
    /// history on the grid; NaN = missing), floored by the smallest non-zero step between readings (the resolution).
    /// </summary>
    public static double[] LearnScale(IReadOnlyList<double[]> columns, TimeSpan interval, TimeSpan? trailingWindow = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var n = Math.Max(12, (int)((trailingWindow ?? TimeSpan.FromDays(1)) / interval));
        var result = new double[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var trailing = new SortedWindow(n);
            var deviationsOfColumn = new List<double>();
            var step = double.PositiveInfinity;
            var last = double.NaN;
            foreach (var value in columns[i])
            {
                if (!double.IsFinite(value))
                {
                    continue;
                }
                if (trailing.Count >= n / 4)
                {
                    deviationsOfColumn.Add(value - trailing.Median());
                }
                if (double.IsFinite(last) && value != last)
                {
                    step = Math.Min(step, Math.Abs(value - last));
                }
                last = value;
                trailing.Push(value);
            }
            if (deviationsOfColumn.Count < 12)
            {
                continue;
            }
            var sigma = RobustStatistics.MadSigma(deviationsOfColumn.ToArray(), RobustStatistics.Median(deviationsOfColumn.ToArray()));
            result[i] = Math.Max(sigma, double.IsFinite(step) ? step : 0);
        }
        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private sealed class StationState(SortedWindow[] trailing)
    {
        public SortedWindow[] Trailing { get; } = trailing;

        public double[]? Sigma { get; set; }
    }
}
