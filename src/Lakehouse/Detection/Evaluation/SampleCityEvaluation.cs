using OneMap.Lakehouse.Alerts.Producing;
using OneMap.Lakehouse.Detection.Ensemble;

namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>An incident as the live stream raised it: when it opened (the alert went out) and how it ended.</summary>
/// <param name="Incident">The incident as closed (or as last seen).</param>
/// <param name="OpenedAt">Time of the reading at which it opened.</param>
public sealed record RaisedIncident(Incident Incident, DateTimeOffset OpenedAt);

/// <summary>How one ground-truth incident fared.</summary>
/// <param name="Truth">The incident.</param>
/// <param name="StationId">The station judged: the first automatic station it reached (pollution) or the faulty one.</param>
/// <param name="Onset">Its onset there (arrival, or the fault's start).</param>
/// <param name="Caught">An alert of the right kind at that station opened within the allowed delay of the onset.</param>
/// <param name="Delay">Opening time − onset of the first alert of the right kind overlapping it; null if none.</param>
/// <param name="KindRight">No alert of the wrong kind at that station overlaps it (a fault was not reported as pollution, and vice versa).</param>
/// <param name="StationsAlerted">Pollution: automatic stations reached that raised a pollution alert while it passed.</param>
/// <param name="StationsReached">Pollution: automatic stations reached.</param>
public sealed record IncidentOutcome(GroundTruthIncident Truth, string StationId, DateTimeOffset Onset, bool Caught, TimeSpan? Delay, bool KindRight,
    int StationsAlerted, int StationsReached);

/// <summary>The sample city's evaluation: per incident, and the false alerts.</summary>
/// <param name="Outcomes">One per ground-truth incident.</param>
/// <param name="FalseAlerts">Alerts (any kind) that match no ground-truth incident at their station, by station.</param>
/// <param name="ScoredDays">Days scored per station (each station's whole window is scored once across the folds).</param>
/// <param name="Stations">Stations scored.</param>
/// <param name="Raised">Every incident raised, by station.</param>
public sealed record SampleCityResult(IReadOnlyList<IncidentOutcome> Outcomes, IReadOnlyDictionary<string, IReadOnlyList<RaisedIncident>> FalseAlerts,
    double ScoredDays, int Stations, IReadOnlyDictionary<string, IReadOnlyList<RaisedIncident>> Raised)
{
    /// <summary>The most false alerts of any one station, per week.</summary>
    public double MaxFalseAlertsPerStationWeek => FalseAlerts.Count == 0 ? 0 : FalseAlerts.Values.Max(v => v.Count) * 7 / ScoredDays;

    /// <summary>False alerts per station per week over all stations.</summary>
    public double MeanFalseAlertsPerStationWeek => FalseAlerts.Values.Sum(v => v.Count) * 7 / ScoredDays / Stations;
}

/// <summary>
/// Runs the ensemble over the sample city the way the live pipeline would and judges it against the ground truth.
/// The week holds no incident-free lead long enough to learn on (the first incident starts 11 hours in), so the split
/// is two folds in time: learn on the second half and stream the first, then learn on the first half and stream the
/// second. No label is used for learning; each reading is scored by a model that never saw it. The learning halves
/// hold the other half's incidents unlabelled, which only makes the calibration more conservative.
/// </summary>
public static class SampleCityEvaluation
{
    /// <summary>The bound: an incident is caught when its alert opens within this long of its onset.</summary>
    public static readonly TimeSpan AllowedDelay = TimeSpan.FromMinutes(30);

    /// <summary>After a pollution wave or fault has passed, alerts this much later still belong to it (the water recovers slowly).</summary>
    public static readonly TimeSpan Aftermath = TimeSpan.FromHours(2);

    /// <summary>
    /// Learns, streams and judges, the way the live alert producer does (<see cref="WaterAlertEngine"/>: the city's
    /// weather removed across stations, slots scored as they complete). <paramref name="stations"/> limits the stations
    /// judged (all stations still take part in the weather filter).
    /// </summary>
    public static SampleCityResult Run(SampleCityData data, EnsembleOptions options, IReadOnlyCollection<string>? stations = null,
        int maxDegreeOfParallelism = 2, bool removeWeather = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var length = data.Stations.Values.First().Length;
        var half = length / 2;
        var firstHalf = data.Stations.ToDictionary(p => p.Key, p => p.Value.Slice(0, half), StringComparer.Ordinal);
        var secondHalf = data.Stations.ToDictionary(p => p.Key, p => p.Value.Slice(half, length - half), StringComparer.Ordinal);
        var raised = data.Stations.Keys.ToDictionary(k => k, _ => new List<RaisedIncident>(), StringComparer.Ordinal);
        foreach (var (learn, score) in new[] { (secondHalf, firstHalf), (firstHalf, secondHalf) })
        {
            var models = StationHistory.Learn(learn, options, maxDegreeOfParallelism, out _, removeWeather, cancellationToken);
            foreach (var (station, incidents) in Stream(data.Indicators, models, score, removeWeather, cancellationToken))
            {
                raised[station].AddRange(incidents);
            }
        }
        var judged = raised.Where(p => stations is null || stations.Contains(p.Key))
            .ToDictionary(p => p.Key, p => (IReadOnlyList<RaisedIncident>)p.Value, StringComparer.Ordinal);
        return Judge(data, judged, judged.Count);
    }

    /// <summary>Streams every station's series slot by slot through one <see cref="WaterAlertEngine"/>, as ingest would.</summary>
    public static IReadOnlyDictionary<string, List<RaisedIncident>> Stream(IReadOnlyList<string> indicators, IReadOnlyList<LearntStation> models,
        IReadOnlyDictionary<string, StationSeries> series, bool removeWeather = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        var any = series.Values.First();
        var engine = new WaterAlertEngine(indicators, any.Interval, removeWeather);
        foreach (var learnt in models)
        {
            engine.SetModel(learnt.Model, learnt.RegionalScale);
        }
        var opened = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var result = series.Keys.ToDictionary(k => k, _ => new List<RaisedIncident>(), StringComparer.Ordinal);
        void Take(IReadOnlyList<StationIncidentEvent> events)
        {
            foreach (var e in events)
            {
                var incident = e.Transition.Incident;
                if (e.Transition.Kind == IncidentTransitionKind.Opened)
                {
                    opened[incident.Id] = e.At;
                }
                else if (e.Transition.Kind == IncidentTransitionKind.Closed)
                {
                    result[incident.Station].Add(new RaisedIncident(incident, opened.GetValueOrDefault(incident.Id, incident.Start)));
                }
            }
        }
        var batch = new List<StationReading>();
        for (var k = 0; k < any.Length; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            foreach (var (station, s) in series)
            {
                for (var i = 0; i < s.Indicators.Count; i++)
                {
                    var value = s.Column(i)[k];
                    if (double.IsFinite(value))
                    {
                        batch.Add(new StationReading(station, s.Indicators[i], s.TimeAt(k), value));
                    }
                }
            }
            Take(engine.Observe(batch));
            Take(engine.Advance());
        }
        Take(engine.Complete());
        foreach (var list in result.Values)
        {
            ReclassifyFaultEchoes(list, models.Count == 0 ? TimeSpan.FromMinutes(30) : models[0].Model.Options.IncidentGap, opened);
        }
        return result;
    }

    /// <summary>
    /// What the alert producer does with a pollution incident that is a sensor fault's echo (<see cref="FaultEchoes"/>): it
    /// ends as a sensor-fault alert, from when the fault was known (its own opening, or the fault's if later).
    /// </summary>
    private static void ReclassifyFaultEchoes(List<RaisedIncident> raised, TimeSpan gap, Dictionary<string, DateTimeOffset> opened)
    {
        var echoes = new FaultEchoes(gap);
        foreach (var r in raised.OrderBy(r => r.Incident.Kind == AnomalyKind.SensorFault ? 0 : 1))
        {
            echoes.Observe(r.Incident);
        }
        for (var i = 0; i < raised.Count; i++)
        {
            var r = raised[i];
            if (echoes.IsEcho(r.Incident))
            {
                var faultOpened = raised.Where(f => f.Incident.Kind == AnomalyKind.SensorFault && f.Incident.Station == r.Incident.Station && f.Incident.Start <= r.Incident.Start)
                    .Select(f => opened.GetValueOrDefault(f.Incident.Id, f.OpenedAt)).DefaultIfEmpty(r.OpenedAt).Max();
                raised[i] = new RaisedIncident(r.Incident with { Kind = AnomalyKind.SensorFault }, faultOpened > r.OpenedAt ? faultOpened : r.OpenedAt);
            }
        }
    }

    /// <summary>Judges raised incidents against the ground truth.</summary>
    public static SampleCityResult Judge(SampleCityData data, IReadOnlyDictionary<string, IReadOnlyList<RaisedIncident>> raised, int stations)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(raised);
        // Every (station, window, is pollution) the ground truth explains.
        var explained = new List<(string Station, DateTimeOffset From, DateTimeOffset To, bool Pollution)>();
        foreach (var truth in data.Incidents)
        {
            foreach (var s in truth.Stations.Where(s => s.IsAutomatic))
            {
                explained.Add((s.StationId, s.Arrival - (truth.IsPollution ? AllowedDelay : TimeSpan.Zero), s.Departure + Aftermath, truth.IsPollution));
            }
        }
        static bool Overlaps(RaisedIncident r, DateTimeOffset from, DateTimeOffset to) => r.Incident.Start <= to && (r.Incident.End ?? r.Incident.LastAnomalous) >= from;

        var outcomes = new List<IncidentOutcome>();
        foreach (var truth in data.Incidents)
        {
            var reached = truth.Stations.Where(s => s.IsAutomatic && raised.ContainsKey(s.StationId)).ToList();
            if (reached.Count == 0)
            {
                continue;
            }
            var judged = reached[0];
            var kind = truth.IsPollution ? AnomalyKind.Pollution : AnomalyKind.SensorFault;
            var alerts = raised[judged.StationId];
            var from = judged.Arrival - (truth.IsPollution ? AllowedDelay : TimeSpan.Zero);
            var to = judged.Departure + Aftermath;
            // An alert already open long before the onset (another incident, the weather) is not this incident's detection.
            var right = alerts.Where(r => r.Incident.Kind == kind && Overlaps(r, from, to) && r.OpenedAt >= from).OrderBy(r => r.OpenedAt).FirstOrDefault();
            var delay = right is null ? (TimeSpan?)null : right.OpenedAt - judged.Arrival;
            // A wrong-kind alert at the station during the incident counts against it unless the ground truth explains it otherwise.
            var wrong = alerts.Where(r => r.Incident.Kind != kind && Overlaps(r, judged.Arrival, judged.Departure)
                && !explained.Any(e => e.Station == judged.StationId && e.Pollution == (r.Incident.Kind == AnomalyKind.Pollution) && Overlaps(r, e.From, e.To)));
            var alerted = reached.Count(s => raised[s.StationId].Any(r => r.Incident.Kind == kind && Overlaps(r, s.Arrival - AllowedDelay, s.Departure + Aftermath)));
            outcomes.Add(new IncidentOutcome(truth, judged.StationId, judged.Arrival, delay is { } d && d <= AllowedDelay, delay, !wrong.Any(), alerted, reached.Count));
        }

        var falseAlerts = new Dictionary<string, IReadOnlyList<RaisedIncident>>(StringComparer.Ordinal);
        foreach (var (station, list) in raised)
        {
            var unexplained = list.Where(r => !explained.Any(e => e.Station == station && e.Pollution == (r.Incident.Kind == AnomalyKind.Pollution) && Overlaps(r, e.From, e.To))).ToList();
            if (unexplained.Count > 0)
            {
                falseAlerts[station] = unexplained;
            }
        }
        var days = data.Stations.Values.FirstOrDefault() is { } any ? (any.Interval * any.Length).TotalDays : 0;
        return new SampleCityResult(outcomes, falseAlerts, days, stations, raised);
    }
}
