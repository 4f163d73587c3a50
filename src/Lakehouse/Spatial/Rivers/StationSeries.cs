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
/// median of the same time of day over the three previous days (rivers breathe daily: oxygen, temperature, tide), or,
/// where no earlier day was recorded, the median of the two to six hours before; what all stations show at once (the
/// weather) is taken out; the scale is the robust spread (1.4826 × MAD) of what remains over a quiet stretch before
/// the event.
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

    private readonly Dictionary<string, double[]> _residual = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _baseline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _adjusted = new(StringComparer.Ordinal);

    /// <summary>The departure from normal, weather removed, in the indicator's unit (NaN when unknown).</summary>
    public double Change(string indicator, int index) =>
        index >= 0 && index < Length && _adjusted.TryGetValue(indicator, out var a) ? a[index] : double.NaN;

    /// <summary>The median of <see cref="Change"/> over grid indices [from, to].</summary>
    public double MedianChange(string indicator, int from, int to)
    {
        var values = new List<double>();
        for (var i = from; i <= to; i++)
        {
            var c = Change(indicator, i);
            if (!double.IsNaN(c))
            {
                values.Add(c);
            }
        }
        return values.Count == 0 ? double.NaN : Median(values);
    }

    /// <summary>Indicators whose weather effect is proportional (rain dilutes salts), not additive.</summary>
    internal static bool IsProportional(string indicator) => indicator == "conductivity";

    /// <summary>Computes each reading's departure from its baseline (in the indicator's unit, or as a fraction for proportional ones).</summary>
    public void ComputeResiduals()
    {
        foreach (var (indicator, values) in _values)
        {
            var residual = new double[Length];
            var baseline = new double[Length];
            var history = new List<double>(8);
            for (var i = 0; i < Length; i++)
            {
                history.Clear();
                for (var k = 1; k <= 3; k++)
                {
                    if (i - (k * Day) >= 0 && !double.IsNaN(values[i - (k * Day)]))
                    {
                        history.Add(values[i - (k * Day)]);
                    }
                }
                if (history.Count == 0)
                {
                    // No earlier day on record (the start of the data): the recent level stands in.
                    for (var j = Math.Max(0, i - (6 * 12)); j <= i - (2 * 12); j++)
                    {
                        if (!double.IsNaN(values[j]))
                        {
                            history.Add(values[j]);
                        }
                    }
                }
                baseline[i] = history.Count == 0 ? double.NaN : Median(history);
                residual[i] = double.IsNaN(values[i]) || double.IsNaN(baseline[i]) ? double.NaN
                    : IsProportional(indicator) ? (baseline[i] == 0 ? double.NaN : (values[i] / baseline[i]) - 1)
                    : values[i] - baseline[i];
            }
            _residual[indicator] = residual;
            _baseline[indicator] = baseline;
        }
    }

    /// <summary>The residual of an indicator at a grid index (NaN when unknown).</summary>
    public double Residual(string indicator, int index) =>
        index >= 0 && index < Length && _residual.TryGetValue(indicator, out var r) ? r[index] : double.NaN;

    /// <summary>
    /// Removes what every station shows at once (weather: rain lifts turbidity and phosphorus and dilutes salts across
    /// the whole city), then expresses what remains in scale units measured over [<paramref name="quietFrom"/>,
    /// <paramref name="quietTo"/>).
    /// </summary>
    public void Standardize(IReadOnlyDictionary<string, double[]> regional, DateTimeOffset quietFrom, DateTimeOffset quietTo)
    {
        foreach (var (indicator, residual) in _residual)
        {
            var own = (double[])residual.Clone();
            if (regional.TryGetValue(indicator, out var common))
            {
                for (var i = 0; i < Length; i++)
                {
                    if (!double.IsNaN(common[i]))
                    {
                        own[i] -= common[i];
                    }
                }
            }
            if (IsProportional(indicator))
            {
                // Back to the indicator's unit, so its scale compares with the others'.
                var baseline = _baseline[indicator];
                for (var i = 0; i < Length; i++)
                {
                    own[i] *= baseline[i];
                }
            }
            _adjusted[indicator] = own;
            var quiet = new List<double>();
            for (var i = Math.Max(0, Index(quietFrom)); i < Math.Min(Length, Index(quietTo)); i++)
            {
                if (!double.IsNaN(own[i]))
                {
                    quiet.Add(own[i]);
                }
            }
            if (quiet.Count < 24)
            {
                continue;
            }
            var center = Median(quiet);
            var spread = 1.4826 * Median(quiet.Select(q => Math.Abs(q - center)).ToList());
            var level = Median(_values[indicator].Where(v => !double.IsNaN(v)).ToList());
            // Quantised or very steady readings: never let the scale fall below a sliver of the level.
            spread = Math.Max(spread, Math.Max(1e-3, Math.Abs(level) * 0.005));
            var z = new double[Length];
            for (var i = 0; i < Length; i++)
            {
                z[i] = (own[i] - center) / spread;
            }
            _z[indicator] = z;
        }
    }

    /// <summary>The median residual per indicator and grid index over many stations (NaN where fewer than three report).</summary>
    public static Dictionary<string, double[]> Regional(IReadOnlyCollection<StationSeries> stations, int length)
    {
        var regional = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var indicators = stations.SelectMany(s => s._residual.Keys).Distinct(StringComparer.Ordinal).ToList();
        var values = new List<double>(stations.Count);
        foreach (var indicator in indicators)
        {
            var common = new double[length];
            for (var i = 0; i < length; i++)
            {
                values.Clear();
                foreach (var station in stations)
                {
                    var r = station.Residual(indicator, i);
                    if (!double.IsNaN(r))
                    {
                        values.Add(r);
                    }
                }
                common[i] = values.Count >= 3 ? Median(values) : double.NaN;
            }
            regional[indicator] = common;
        }
        return regional;
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
