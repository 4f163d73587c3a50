namespace OneMap.Lakehouse.Detection;

/// <summary>
/// A station's readings on a regular time grid: one column per indicator, one entry per interval from
/// <see cref="Start"/>, NaN where a reading is missing. The batch detectors, the learning step and backfills take
/// this; streams take readings one at a time instead.
/// </summary>
public sealed class StationSeries
{
    /// <summary>Most indicators a station may have (explanations keep indicator sets as 32-bit masks).</summary>
    public const int MaxIndicators = 32;

    private readonly double[][] _columns;

    /// <param name="station">Station identifier.</param>
    /// <param name="indicators">Indicator names, unique, in column order.</param>
    /// <param name="start">Time of the first reading.</param>
    /// <param name="interval">Time between readings.</param>
    /// <param name="columns">One array of readings per indicator, all of equal length; NaN = missing. Not copied.</param>
    /// <exception cref="InvalidSeriesException">The names, lengths or interval do not fit together.</exception>
    public StationSeries(string station, IReadOnlyList<string> indicators, DateTimeOffset start, TimeSpan interval, IReadOnlyList<double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(station);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(columns);
        if (string.IsNullOrWhiteSpace(station))
        {
            throw new InvalidSeriesException("station identifier is empty");
        }
        if (interval <= TimeSpan.Zero)
        {
            throw new InvalidSeriesException($"station {station}: interval {interval} is not positive");
        }
        if (indicators.Count == 0 || indicators.Count > MaxIndicators)
        {
            throw new InvalidSeriesException($"station {station}: {indicators.Count} indicators, expected 1 to {MaxIndicators}");
        }
        if (columns.Count != indicators.Count)
        {
            throw new InvalidSeriesException($"station {station}: {indicators.Count} indicator names but {columns.Count} columns");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in indicators)
        {
            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
            {
                throw new InvalidSeriesException($"station {station}: indicator name '{name}' is empty or repeated");
            }
        }
        var length = columns[0]?.Length ?? throw new InvalidSeriesException($"station {station}: column 0 is null");
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] is null || columns[i].Length != length)
            {
                throw new InvalidSeriesException($"station {station}: column {indicators[i]} has {columns[i]?.Length ?? 0} readings, expected {length}");
            }
        }
        Station = station;
        Indicators = [.. indicators];
        Start = start;
        Interval = interval;
        _columns = [.. columns];
        Length = length;
    }

    public string Station { get; }

    public IReadOnlyList<string> Indicators { get; }

    public DateTimeOffset Start { get; }

    public TimeSpan Interval { get; }

    /// <summary>Readings per indicator (time slots).</summary>
    public int Length { get; }

    /// <summary>The readings of indicator <paramref name="indicator"/> (by position), not copied.</summary>
    public double[] Column(int indicator) => _columns[indicator];

    /// <summary>The time of slot <paramref name="slot"/>.</summary>
    public DateTimeOffset TimeAt(int slot) => Start + Interval * slot;

    /// <summary>Slots [<paramref name="from"/>, <paramref name="from"/> + <paramref name="length"/>) as a new series (copied).</summary>
    public StationSeries Slice(int from, int length)
    {
        if (from < 0 || length < 0 || from + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, $"slice [{from}, {from + length}) outside [0, {Length})");
        }
        return new StationSeries(Station, Indicators, TimeAt(from), Interval, [.. _columns.Select(c => c.AsSpan(from, length).ToArray())]);
    }

    /// <summary>
    /// Puts readings that arrive as (time, indicator, value) onto the grid: slot k holds the readings in
    /// [start + k·interval, start + (k+1)·interval), averaged when several fall in one slot. Readings of unknown
    /// indicators or non-finite values are returned in <paramref name="rejected"/> with the reason, not dropped silently.
    /// </summary>
    public static StationSeries FromReadings(string station, IReadOnlyList<string> indicators, DateTimeOffset start, TimeSpan interval,
        int length, IEnumerable<(DateTimeOffset Time, string Indicator, double Value)> readings, out IReadOnlyList<RejectedReading> rejected)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var index = indicators.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var sums = indicators.Select(_ => new double[length]).ToArray();
        var counts = indicators.Select(_ => new int[length]).ToArray();
        var bad = new List<RejectedReading>();
        foreach (var (time, indicator, value) in readings)
        {
            if (!index.TryGetValue(indicator, out var i))
            {
                bad.Add(new RejectedReading(station, indicator, time, value, $"unknown indicator '{indicator}'"));
                continue;
            }
            if (!double.IsFinite(value))
            {
                bad.Add(new RejectedReading(station, indicator, time, value, "value is not a finite number"));
                continue;
            }
            var slot = (long)Math.Floor((time - start) / interval);
            if (slot < 0 || slot >= length)
            {
                bad.Add(new RejectedReading(station, indicator, time, value, $"time outside [{start:O}, {start + interval * length:O})"));
                continue;
            }
            sums[i][slot] += value;
            counts[i][slot]++;
        }
        var columns = new double[indicators.Count][];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new double[length];
            for (var k = 0; k < length; k++)
            {
                columns[i][k] = counts[i][k] > 0 ? sums[i][k] / counts[i][k] : double.NaN;
            }
        }
        rejected = bad;
        return new StationSeries(station, indicators, start, interval, columns);
    }
}

/// <summary>A reading a detector refused, with why; the caller quarantines it.</summary>
/// <param name="Station">Station the reading was for.</param>
/// <param name="Indicator">Indicator name as given.</param>
/// <param name="Time">Time of the reading.</param>
/// <param name="Value">Value as given.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record RejectedReading(string Station, string Indicator, DateTimeOffset Time, double Value, string Reason);
