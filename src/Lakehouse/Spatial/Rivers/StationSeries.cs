namespace OneMap.Lakehouse.Spatial.Rivers;

/// <summary>One water-quality value of a station.</summary>
public readonly record struct WaterReading(string StationId, string Indicator, DateTimeOffset At, double Value);

/// <summary>Where the source ranking gets station readings from (the lake's water_quality_readings, or memory in tests).</summary>
public interface IWaterReadings
{
    /// <summary>Normal-flagged readings of the given stations and indicators with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>.</summary>
    IEnumerable<WaterReading> Read(IReadOnlyCollection<string> stations, IReadOnlyCollection<string> indicators, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>Readings held in memory.</summary>
public sealed class InMemoryWaterReadings(IEnumerable<WaterReading> readings) : IWaterReadings
{
    private readonly ILookup<string, WaterReading> _byStation = readings.ToLookup(r => r.StationId, StringComparer.Ordinal);

    public IEnumerable<WaterReading> Read(IReadOnlyCollection<string> stations, IReadOnlyCollection<string> indicators, DateTimeOffset from, DateTimeOffset to) =>
        stations.SelectMany(s => _byStation[s]).Where(r => r.At >= from && r.At < to && indicators.Contains(r.Indicator));
}

/// <summary>
/// A station's readings on a regular 5-minute grid, and their deviations from normal: the baseline at a time is the
/// median of the same time of day over the three previous days (rivers breathe daily: oxygen, temperature, tide),
/// the scale the robust spread (1.4826 × MAD) of those deviations over a quiet stretch before the event.
/// </summary>
internal sealed class StationSeries
{
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private static readonly int Day = (int)(TimeSpan.FromDays(1) / Step);

    private readonly Dictionary<string, double[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _z = new(StringComparer.Ordinal);

    public StationSeries(DateTimeOffset start, int length)
    {
        Start = start;
        Length = length;
    }

    public DateTimeOffset Start { get; }

    public int Length { get; }

    public int Index(DateTimeOffset at) => (int)Math.Floor((at - Start) / Step);

    public DateTimeOffset Time(int index) => Start + (Step * index);

    public IEnumerable<string> Indicators => _values.Keys;

    public bool Has(string indicator) => _z.ContainsKey(indicator);

    public void Add(WaterReading reading)
    {
        var i = Index(reading.At);
        if (i < 0 || i >= Length || !double.IsFinite(reading.Value))
        {
            return;
        }
        if (!_values.TryGetValue(reading.Indicator, out var series))
        {
            series = new double[Length];
            Array.Fill(series, double.NaN);
            _values[reading.Indicator] = series;
        }
        // Several readings in one 5-minute cell: keep the mean (older instruments report per indicator, newer per batch).
        series[i] = double.IsNaN(series[i]) ? reading.Value : (series[i] + reading.Value) / 2;
    }

    /// <summary>Computes deviations in scale units; the scale is measured over [<paramref name="quietFrom"/>, <paramref name="quietTo"/>).</summary>
    public void Standardize(DateTimeOffset quietFrom, DateTimeOffset quietTo)
    {
        foreach (var (indicator, values) in _values)
        {
            var residual = new double[Length];
            for (var i = 0; i < Length; i++)
            {
                var history = new List<double>(3);
                for (var k = 1; k <= 3; k++)
                {
                    if (i - (k * Day) >= 0 && !double.IsNaN(values[i - (k * Day)]))
                    {
                        history.Add(values[i - (k * Day)]);
                    }
                }
                residual[i] = history.Count == 0 || double.IsNaN(values[i]) ? double.NaN : values[i] - Median(history);
            }
            var quiet = new List<double>();
            for (var i = Math.Max(0, Index(quietFrom)); i < Math.Min(Length, Index(quietTo)); i++)
            {
                if (!double.IsNaN(residual[i]))
                {
                    quiet.Add(residual[i]);
                }
            }
            if (quiet.Count < 24)
            {
                continue;
            }
            var center = Median(quiet);
            var spread = 1.4826 * Median(quiet.Select(q => Math.Abs(q - center)).ToList());
            var level = Median(values.Where(v => !double.IsNaN(v)).ToList());
            // Quantised or very steady readings: never let the scale fall below a sliver of the level.
            spread = Math.Max(spread, Math.Max(1e-3, Math.Abs(level) * 0.005));
            var z = new double[Length];
            for (var i = 0; i < Length; i++)
            {
                z[i] = (residual[i] - center) / spread;
            }
            _z[indicator] = z;
        }
    }

    /// <summary>The deviation of an indicator at a grid index (NaN when unknown).</summary>
    public double Z(string indicator, int index) =>
        index >= 0 && index < Length && _z.TryGetValue(indicator, out var z) ? z[index] : double.NaN;

    /// <summary>The median deviation of an indicator over grid indices [from, to].</summary>
    public double MedianZ(string indicator, int from, int to)
    {
        var values = new List<double>();
        for (var i = from; i <= to; i++)
        {
            var z = Z(indicator, i);
            if (!double.IsNaN(z))
            {
                values.Add(z);
            }
        }
        return values.Count == 0 ? double.NaN : Median(values);
    }

    internal static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
