using OneMap.Lakehouse.Detection.Numerics;

namespace OneMap.Lakehouse.Detection.Baselines;

/// <summary>
/// A diurnal profile learnt from history: how far, by time of day, an indicator sits from its daily level (dissolved
/// oxygen peaks in the afternoon with photosynthesis, temperature follows the sun, flows follow demand). Subtracting
/// it leaves the deviations a detector should look at. Offsets are medians over the history's days, per bin of the
/// day, smoothed over neighbouring bins and interpolated between bin centres; they average to zero over a day.
/// </summary>
public sealed class SeasonalProfile
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private readonly double[] _offsets;

    private SeasonalProfile(double[] offsets)
    {
        _offsets = offsets;
    }

    /// <summary>A flat profile (no diurnal cycle): every offset is zero.</summary>
    public static SeasonalProfile None { get; } = new([0.0]);

    /// <summary>Bins per day (1 for <see cref="None"/>).</summary>
    public int Bins => _offsets.Length;

    /// <summary>The offset of each bin, bin 0 starting at midnight.</summary>
    public IReadOnlyList<double> Offsets => _offsets;

    /// <summary>Peak-to-trough amplitude of the profile.</summary>
    public double Amplitude => _offsets.Max() - _offsets.Min();

    /// <summary>A profile with the given bin offsets (bin 0 starts at midnight); they are used as given.</summary>
    public static SeasonalProfile FromOffsets(IReadOnlyList<double> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0 || offsets.Any(o => !double.IsFinite(o)))
        {
            throw new ArgumentException("a profile needs at least one finite offset", nameof(offsets));
        }
        return new SeasonalProfile([.. offsets]);
    }

    /// <summary>
    /// Learns the profile of readings taken every <paramref name="interval"/> from <paramref name="start"/>
    /// (NaN = missing). Needs <paramref name="minimumDays"/> days of history, else returns <see cref="None"/>.
    /// </summary>
    /// <param name="values">Readings, one per interval (NaN = missing).</param>
    /// <param name="start">Time of the first reading (its offset is the station's local clock).</param>
    /// <param name="interval">Time between readings.</param>
    /// <param name="binWidth">Width of a bin of the day; default one hour (or the interval, if longer).</param>
    /// <param name="minimumDays">Days of history needed; with less the profile is flat.</param>
    /// <param name="excluded">Readings to leave out (known incidents, faults); empty for none.</param>
    public static SeasonalProfile Learn(ReadOnlySpan<double> values, DateTimeOffset start, TimeSpan interval,
        TimeSpan? binWidth = null, double minimumDays = 2, ReadOnlySpan<bool> excluded = default)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be positive");
        }
        if (!excluded.IsEmpty && excluded.Length != values.Length)
        {
            throw new ArgumentException($"excluded has {excluded.Length} entries for {values.Length} values", nameof(excluded));
        }
        var width = binWidth ?? TimeSpan.FromHours(1);
        if (width < interval)
        {
            width = interval;
        }
        var bins = (int)Math.Max(1, Math.Round(Day / width));
        var slotsPerDay = (int)Math.Round(Day / interval);
        if (values.Length < minimumDays * slotsPerDay || bins < 2 || slotsPerDay < 2)
        {
            return None;
        }

        // Daily level: centred rolling median over one day (learning is offline, so it may look ahead).
        var level = new double[values.Length];
        var window = new SortedWindow(slotsPerDay);
        var half = slotsPerDay / 2;
        var pushed = 0;
        for (var i = 0; i < values.Length; i++)
        {
            while (pushed < values.Length && pushed <= i + half)
            {
                window.Push(values[pushed]);
                pushed++;
            }
            level[i] = window.Count >= slotsPerDay / 4 ? window.Median() : double.NaN;
        }

        var perBin = new List<double>[bins];
        for (var b = 0; b < bins; b++)
        {
            perBin[b] = [];
        }
        for (var i = 0; i < values.Length; i++)
        {
            if (!excluded.IsEmpty && excluded[i])
            {
                continue;
            }
            var deviation = values[i] - level[i];
            if (double.IsFinite(deviation))
            {
                var timeOfDay = (start + interval * i).TimeOfDay;
                perBin[(int)(timeOfDay / width) % bins].Add(deviation);
            }
        }
        var raw = new double[bins];
        for (var b = 0; b < bins; b++)
        {
            if (perBin[b].Count < minimumDays)
            {
                return None;
            }
            raw[b] = RobustStatistics.Median(perBin[b].ToArray());
        }
        // Smooth over neighbouring bins (the day wraps around), then centre on zero.
        var offsets = new double[bins];
        for (var b = 0; b < bins; b++)
        {
            offsets[b] = (raw[(b + bins - 1) % bins] + 2 * raw[b] + raw[(b + 1) % bins]) / 4;
        }
        var mean = offsets.Average();
        for (var b = 0; b < bins; b++)
        {
            offsets[b] -= mean;
        }
        return new SeasonalProfile(offsets);
    }

    /// <summary>The offset at a time of day, interpolated linearly between bin centres.</summary>
    public double OffsetAt(TimeSpan timeOfDay)
    {
        var bins = _offsets.Length;
        if (bins == 1)
        {
            return _offsets[0];
        }
        var position = timeOfDay / Day * bins - 0.5;
        var low = (int)Math.Floor(position);
        var fraction = position - low;
        var a = _offsets[(low % bins + bins) % bins];
        var b = _offsets[((low + 1) % bins + bins) % bins];
        return a + (b - a) * fraction;
    }

    /// <summary>The offset at a moment (its time of day in its own offset, i.e. the station's local clock).</summary>
    public double OffsetAt(DateTimeOffset time) => OffsetAt(time.TimeOfDay);
}
