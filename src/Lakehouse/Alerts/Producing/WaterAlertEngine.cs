using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>A water-quality reading as the alert engine takes it (flag N only: other flags are not the river's).</summary>
/// <param name="StationId">Station.</param>
/// <param name="Indicator">Indicator id.</param>
/// <param name="Time">Reading time.</param>
/// <param name="Value">Value.</param>
public readonly record struct StationReading(string StationId, string Indicator, DateTimeOffset Time, double Value);

/// <summary>An incident's change of state at a station, with the time of the reading that caused it.</summary>
/// <param name="Transition">Opened, escalated or closed, with the incident.</param>
/// <param name="At">Time of the slot (or watermark) at which it happened.</param>
public sealed record StationIncidentEvent(IncidentTransition Transition, DateTimeOffset At);

/// <summary>
/// The streaming side of the alert producer for water-quality stations: readings arrive per indicator in any
/// grouping; each station's slot is assembled (complete, or overtaken by a later slot or by the city's watermark),
/// cleaned of the city's weather (<see cref="RegionalWeather"/>) and pushed through the station's
/// <see cref="StationAnomalyStream"/>; incidents come out as they open, escalate and close. Stations without a model
/// (too little history yet) are counted and skipped. Not thread-safe: the producer drives it from one worker.
/// </summary>
public sealed class WaterAlertEngine
{
    private readonly Dictionary<string, Station> stations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> indicatorIndex;
    private DateTimeOffset watermark = DateTimeOffset.MinValue;

    /// <param name="indicators">The indicators the engine knows, in a fixed order (a station's model may use a subset).</param>
    /// <param name="interval">The stations' reporting interval.</param>
    /// <param name="removeWeather">Remove the city's common mode (<see cref="RegionalWeather"/>) before scoring; off by default (docs/anomaly-detection.md: on the sample city it cost more than it saved).</param>
    public WaterAlertEngine(IReadOnlyList<string> indicators, TimeSpan interval, bool removeWeather = false)
    {
        RemovesWeather = removeWeather;
        ArgumentNullException.ThrowIfNull(indicators);
        Indicators = indicators;
        Interval = interval;
        indicatorIndex = indicators.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        Regional = new RegionalWeather(indicators, interval);
    }

    public IReadOnlyList<string> Indicators { get; }

    /// <summary>Whether the city's weather is removed before scoring.</summary>
    public bool RemovesWeather { get; }

    public TimeSpan Interval { get; }

    /// <summary>The city's weather filter (scales are set with each station's model).</summary>
    public RegionalWeather Regional { get; }

    /// <summary>Readings skipped: their station has no model yet.</summary>
    public long SkippedWithoutModel { get; private set; }

    /// <summary>Readings refused: unknown indicator, or a slot already scored.</summary>
    public long Refused { get; private set; }

    /// <summary>The latest reading time seen over all stations.</summary>
    public DateTimeOffset Watermark => watermark;

    /// <summary>Stations that have a model.</summary>
    public IReadOnlyCollection<string> Stations => stations.Keys;

    /// <summary>The stream of a station, if it has a model.</summary>
    public StationAnomalyStream? StreamOf(string station) => stations.TryGetValue(station, out var s) ? s.Stream : null;

    /// <summary>
    /// Gives a station its (new) model and regional scale. A station with an open incident keeps its stream until the
    /// incident closes (returns false then); its readings after <see cref="StationModel.LearnedUntil"/> continue the stream.
    /// </summary>
    public bool SetModel(StationModel model, IReadOnlyList<double> regionalScale, bool replaceOpen = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Indicators.Any(i => !indicatorIndex.ContainsKey(i)))
        {
            throw new ArgumentException($"station {model.Station}: model indicators [{string.Join(", ", model.Indicators)}] outside the engine's [{string.Join(", ", Indicators)}]", nameof(model));
        }
        if (stations.TryGetValue(model.Station, out var existing) && !replaceOpen && (existing.Stream.OpenPollution is not null || existing.Stream.OpenFault is not null))
        {
            return false;
        }
        var map = model.Indicators.Select(i => indicatorIndex[i]).ToArray();
        stations[model.Station] = new Station(new StationAnomalyStream(model, explainEveryReading: false), map, existing?.Pending ?? new SortedDictionary<long, double[]>());
        Regional.SetScale(model.Station, regionalScale);
        return true;
    }

    /// <summary>
    /// Takes readings (any order within a batch; a station's slots are scored in time order) and returns the incident
    /// transitions they caused. Slots are scored when complete, when a reading two slots later arrives, or when the
    /// city's watermark is two slots past them.
    /// </summary>
    public IReadOnlyList<StationIncidentEvent> Observe(IEnumerable<StationReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var events = new List<StationIncidentEvent>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in readings)
        {
            if (!stations.TryGetValue(r.StationId, out var station))
            {
                SkippedWithoutModel++;
                continue;
            }
            if (!indicatorIndex.TryGetValue(r.Indicator, out var index) || !double.IsFinite(r.Value))
            {
                Refused++;
                continue;
            }
            var slot = SlotTime(station, SlotOf(station, r.Time)).UtcTicks;
            if (station.Stream.LastTime is { } last && slot <= last.UtcTicks)
            {
                Refused++;
                continue;
            }
            if (!station.Pending.TryGetValue(slot, out var values))
            {
                values = new double[Indicators.Count];
                Array.Fill(values, double.NaN);
                station.Pending.Add(slot, values);
            }
            values[index] = r.Value;
            if (r.Time > watermark)
            {
                watermark = r.Time;
            }
            touched.Add(r.StationId);
        }
        foreach (var id in touched)
        {
            var station = stations[id];
            var newest = station.Pending.Count == 0 ? long.MinValue : station.Pending.Keys.Max();
            Flush(station, newest - Interval.Ticks, completeOnly: true, events);
        }
        return events;
    }

    /// <summary>
    /// Scores every station's slots that the city's watermark has passed by two intervals (a silent station's missing
    /// slots become a dropout incident) and closes incidents whose gap has passed. Call it after each batch.
    /// </summary>
    public IReadOnlyList<StationIncidentEvent> Advance()
    {
        var events = new List<StationIncidentEvent>();
        if (watermark == DateTimeOffset.MinValue)
        {
            return events;
        }
        foreach (var station in stations.Values)
        {
            var settled = SlotTime(station, SlotOf(station, watermark) - 1).UtcTicks;
            Flush(station, settled, completeOnly: false, events);
            // Only stations that have reported since their model was learnt can fall silent.
            if (station.Stream.LastTime is not null)
            {
                foreach (var t in station.Stream.AdvanceTo(watermark).Transitions)
                {
                    events.Add(new StationIncidentEvent(t, watermark));
                }
            }
        }
        return events;
    }

    /// <summary>Closes every open incident (shutdown or the end of a backfill).</summary>
    public IReadOnlyList<StationIncidentEvent> Complete()
    {
        var events = new List<StationIncidentEvent>();
        foreach (var station in stations.Values)
        {
            Flush(station, long.MaxValue, completeOnly: false, events);
            foreach (var t in station.Stream.Complete().Transitions)
            {
                events.Add(new StationIncidentEvent(t, watermark));
            }
        }
        return events;
    }

    /// <summary>
    /// Scores pending slots (keyed by their start's UTC ticks) in order: every slot before <paramref name="before"/>, and (when
    /// <paramref name="completeOnly"/>) later slots only once every indicator of the model has reported.
    /// </summary>
    private void Flush(Station station, long before, bool completeOnly, List<StationIncidentEvent> events)
    {
        while (station.Pending.Count > 0)
        {
            var (slot, values) = station.Pending.First();
            if (slot >= before && (!completeOnly || !station.Map.All(i => double.IsFinite(values[i]))))
            {
                break;
            }
            station.Pending.Remove(slot);
            var time = new DateTimeOffset(slot, TimeSpan.Zero);
            var adjusted = RemovesWeather ? Regional.Adjust(station.Stream.Model.Station, time, values) : values;
            var row = station.Map.Select(i => adjusted[i]).ToArray();
            foreach (var t in station.Stream.Push(time, row).Transitions)
            {
                events.Add(new StationIncidentEvent(t, time));
            }
        }
    }

    private long SlotOf(Station station, DateTimeOffset time) =>
        (long)Math.Floor((time - station.Stream.Model.LearnedFrom) / station.Stream.Model.Interval);

    private static DateTimeOffset SlotTime(Station station, long slot) => station.Stream.Model.LearnedFrom + station.Stream.Model.Interval * slot;

    private sealed record Station(StationAnomalyStream Stream, int[] Map, SortedDictionary<long, double[]> Pending);
}
