using System.Globalization;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Spatial;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>Options of the alert producer (section <c>Alerts</c>); defaults in each doc comment.</summary>
public sealed class AlertProducerOptions
{
    /// <summary>Run the producer (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>History each station model learns from, ending at the station's latest reading; default 14 days.</summary>
    public TimeSpan LearningWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Relearn every station's model this often (from the lake's newest history); default 1 day.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// When readings arrive from stations without a model (a fresh lake, a new station), try learning again after this
    /// long instead of waiting for the next refresh; default 1 hour.
    /// </summary>
    public TimeSpan UnmodelledRetryInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Stations' reporting interval; default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Readings replayed into a new stream after learning, so its baselines are warm; default 2 hours.</summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Water-quality indicators scored, in order (docs/sensors.md).</summary>
    public List<string> Indicators { get; set; } = ["water_temp", "ph", "do", "conductivity", "turbidity", "cod_mn", "nh3_n", "tp"];

    /// <summary>Department for station alerts when the responsibilities table names none for monitoring stations; default D12 (ecology).</summary>
    public string StationDepartment { get; set; } = "D12";

    /// <summary>Department for manhole alerts of covers without an owner; default D14 (urban management).</summary>
    public string ManholeDepartment { get; set; } = "D14";

    /// <summary>Models learnt at once; default 2.</summary>
    public int LearningParallelism { get; set; } = 2;

    /// <summary>
    /// Attach upstream suspects (the spatial analysis's source ranking) to pollution alerts when the lake holds a river
    /// network; default true. They are ranked when the alert opens and again when it closes, after the alert went out.
    /// </summary>
    public bool AttachSuspects { get; set; } = true;
}

/// <summary>What a backfill did.</summary>
/// <param name="Stations">Stations scored.</param>
/// <param name="Readings">Slots scored over all stations.</param>
/// <param name="Alerts">Alerts raised or updated.</param>
/// <param name="Skipped">Stations left out, with why (too little history).</param>
public sealed record BackfillResult(int Stations, long Readings, int Alerts, IReadOnlyDictionary<string, string> Skipped);

/// <summary>
/// The alert producer: learns a model per station from the lake's history (at start and on refresh: models are not
/// persisted; they are learnt again from the lake, and a new stream replays the last <see cref="AlertProducerOptions.WarmUp"/>
/// of history before going live), scores the readings ingest commits (<see cref="ObserveAsync"/>), turns incidents into
/// alerts (one per incident, raised once and updated as it escalates and closes) and manhole alarms into manhole
/// alerts, and backfills history (<see cref="BackfillAsync"/>). Alerts go to the <see cref="IAlertStore"/>, which stores
/// them in the lake and pushes them to subscribers.
/// </summary>
public sealed class AlertProducer : IDisposable
{
    public const string Readings = "water_quality_readings";
    public const string StationsTable = "monitoring_stations";
    public const string CoversTable = "manhole_covers";
    public const string ResponsibilitiesTable = "department_responsibilities";

    private readonly Lake lake;
    private readonly IAlertStore store;
    private readonly AlertProducerOptions options;
    private readonly EnsembleOptions ensemble;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly WaterAlertEngine water;
    private readonly ManholeAlertEngine manholes = new();
    private readonly UpstreamSuspects suspects;
    private readonly FaultEchoes echoes;
    private IReadOnlyDictionary<string, (double? Lon, double? Lat)> stationPlaces = new Dictionary<string, (double?, double?)>();
    private string stationDepartment;

    public AlertProducer(Lake lake, IAlertStore store, AlertProducerOptions? options = null, EnsembleOptions? ensemble = null, ILogger<AlertProducer>? logger = null)
    {
        this.lake = lake;
        this.store = store;
        this.options = options ?? new AlertProducerOptions();
        this.ensemble = ensemble ?? new EnsembleOptions();
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        water = new WaterAlertEngine(this.options.Indicators, this.options.Interval);
        stationDepartment = this.options.StationDepartment;
        manholes.FallbackDepartment = this.options.ManholeDepartment;
        suspects = new UpstreamSuspects(lake);
        echoes = new FaultEchoes(this.ensemble.IncidentGap);
    }

    /// <summary>Stations with a model.</summary>
    public IReadOnlyCollection<string> ModelledStations => water.Stations;

    /// <summary>Readings skipped so far because their station had no model yet (too little history when models were learnt).</summary>
    public long SkippedWithoutModel => water.SkippedWithoutModel;

    /// <summary>When the models were last learnt.</summary>
    public DateTimeOffset? LearnedAt { get; private set; }

    /// <summary>Raised when an alert was raised or updated (after the store took it), for metrics and tests.</summary>
    public event Action<AlertChange>? Raised;

    /// <summary>Reads the registers (stations, covers, responsibilities) and learns every station's model from the lake.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadRegistersAsync(cancellationToken).ConfigureAwait(false);
        await LearnAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Relearns the models from the lake's newest history; stations with an open incident keep theirs until it closes.</summary>
    public async Task LearnAsync(CancellationToken cancellationToken)
    {
        var table = lake.Table(Readings);
        if (!table.Exists)
        {
            return;
        }
        var latest = await LatestReadingAsync(table, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return;
        }
        var until = Align(latest.Value) + options.Interval;
        var histories = await ReadHistoryAsync(until - options.LearningWindow, until, null, cancellationToken).ConfigureAwait(false);
        var learnt = await Task.Run(() => StationHistory.Learn(histories, ensemble, options.LearningParallelism, out var skipped, cancellationToken: cancellationToken)
            is var models ? (models, skipped) : default, cancellationToken).ConfigureAwait(false);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var station in learnt.models)
            {
                if (water.SetModel(station.Model, station.RegionalScale))
                {
                    // Warm the new stream on the end of its history (its transitions are history, not news).
                    var history = histories[station.Model.Station];
                    var from = Math.Max(0, history.Length - (int)(options.WarmUp / options.Interval));
                    water.Observe(ReadingsOf(history, from));
                }
            }
            LearnedAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            gate.Release();
        }
        Log.ModelsLearnt(logger, learnt.models.Count, learnt.skipped.Count, until);
    }

    /// <summary>
    /// Scores a committed batch: water-quality readings (flag N only), manhole statuses and alarms; raises the
    /// alerts of incidents that opened, escalated or closed. Returns the alerts raised or updated.
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ObserveAsync(IEnumerable<StationReading> readings, IEnumerable<ManholeStatus> statuses,
        IEnumerable<ManholeAlarm> alarms, CancellationToken cancellationToken)
    {
        List<Alert> alerts;
        List<Alert> toRank;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var events = new List<StationIncidentEvent>(water.Observe(readings));
            events.AddRange(water.Advance());
            var latest = Latest(events);
            var latestIds = latest.Select(l => l.Incident.Id).ToHashSet(StringComparer.Ordinal);
            // A fault confirmed now may show that a pollution alert already out was the faulty sensor: raise it again as a fault.
            var reclassified = latest.SelectMany(l => echoes.Observe(l.Incident)).Where(p => !latestIds.Contains(p.Id)).ToList();
            alerts = [.. latest.Select(l => ToAlert(l.Incident, echoes)), .. reclassified.Select(p => ToAlert(p, echoes)), .. manholes.Observe(alarms, statuses)];
            // Suspects are ranked when a pollution incident opens (what the readings show so far) and when it closes (all of it).
            toRank = [.. latest.Where(l => l.Incident.Kind == AnomalyKind.Pollution && !echoes.IsEcho(l.Incident) && (l.Opened || l.Closed))
                .Select(l => ToAlert(l.Incident, echoes))];
        }
        finally
        {
            gate.Release();
        }
        var changes = new List<AlertChange>(alerts.Count);
        foreach (var alert in alerts)
        {
            var change = await store.RaiseAsync(alert, cancellationToken).ConfigureAwait(false);
            changes.Add(change);
            Raised?.Invoke(change);
        }
        // After every alert of the batch went out: ranking reads days of readings and must not delay them.
        foreach (var alert in toRank)
        {
            if (await WithSuspectsAsync(alert, cancellationToken).ConfigureAwait(false) is { } ranked)
            {
                var change = await store.RaiseAsync(ranked, cancellationToken).ConfigureAwait(false);
                changes.Add(change);
                Raised?.Invoke(change);
            }
        }
        return changes;
    }

    /// <summary>The alert with its upstream suspects, or null when there are none (no river network, nothing to follow).</summary>
    private async Task<Alert?> WithSuspectsAsync(Alert alert, CancellationToken cancellationToken)
    {
        if (!options.AttachSuspects || alert.Kind != AlertKinds.Pollution)
        {
            return null;
        }
        try
        {
            var found = await suspects.FindAsync(alert.SubjectId, alert.Start, cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : alert with { Suspects = found };
        }
        catch (Exception e) when (e is LakehouseException or DuckDb.DuckDbException or IOException)
        {
            // The alert stands without suspects; the ranking is an aid, not a condition.
            Log.SuspectsFailed(logger, alert.AlertId, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Scores the history in [<paramref name="from"/>, <paramref name="to"/>) of every station (or of
    /// <paramref name="stations"/>) and raises its incidents' alerts. Each station learns on the
    /// <see cref="AlertProducerOptions.LearningWindow"/> before <paramref name="from"/>; a station with too little history
    /// there learns on the backfilled range itself (said in the result). Alert ids are those a live stream gives the same
    /// incidents, so a backfill over a streamed period updates the streamed alerts rather than duplicating them.
    /// </summary>
    public async Task<BackfillResult> BackfillAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string>? stations, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"must be after from ({from:O})");
        }
        if (stationPlaces.Count == 0)
        {
            await LoadRegistersAsync(cancellationToken).ConfigureAwait(false);
        }
        from = Align(from);
        var before = await ReadHistoryAsync(from - options.LearningWindow, from, stations, cancellationToken).ConfigureAwait(false);
        // Scored from WarmUp before the range, as a live stream warms on the end of its history: the same incidents either way.
        var warmUp = before.Count == 0 ? TimeSpan.Zero : options.WarmUp;
        var range = await ReadHistoryAsync(from - warmUp, Align(to), stations, cancellationToken).ConfigureAwait(false);
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        var learnt = StationHistory.Learn(before.Where(p => range.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            ensemble, options.LearningParallelism, out var tooShort, cancellationToken: cancellationToken).ToList();
        var onRange = range.Keys.Where(k => !learnt.Any(l => l.Model.Station == k)).ToList();
        if (onRange.Count > 0)
        {
            learnt.AddRange(StationHistory.Learn(range.Where(p => onRange.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                ensemble, options.LearningParallelism, out var failed, cancellationToken: cancellationToken));
            foreach (var (station, why) in failed)
            {
                skipped[station] = why;
            }
            foreach (var station in onRange.Where(s => !failed.ContainsKey(s)))
            {
                Log.BackfillLearntOnRange(logger, station, tooShort.GetValueOrDefault(station) ?? "no history before the range");
            }
        }
        var scored = await Task.Run(() => BatchAnomalyDetector.ScoreAll([.. learnt.Select(l => l.Model)], [.. learnt.Select(l => range[l.Model.Station])],
            options.LearningParallelism, closeOpenIncidents: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        var raised = 0;
        var backfillEchoes = new FaultEchoes(ensemble.IncidentGap);
        var incidents = scored.SelectMany(s => s.Incidents).ToList();
        foreach (var incident in incidents.OrderBy(i => i.Kind == AnomalyKind.SensorFault ? 0 : 1))
        {
            backfillEchoes.Observe(incident);
        }
        // Incidents over by the range's start belong to the warm-up (a live stream would not have raised them either).
        foreach (var incident in incidents.Where(i => i.End is null || i.End >= from))
        {
            var alert = ToAlert(incident, backfillEchoes);
            alert = await WithSuspectsAsync(alert, cancellationToken).ConfigureAwait(false) ?? alert;
            var change = await store.RaiseAsync(alert, cancellationToken).ConfigureAwait(false);
            Raised?.Invoke(change);
            raised++;
        }
        Log.BackfillDone(logger, from, to, learnt.Count, raised);
        return new BackfillResult(learnt.Count, scored.Sum(s => (long)s.Readings.Length), raised, skipped);
    }

    /// <summary>One state per incident: the last of the batch (a batch may open and escalate an incident at once), and whether it opened or closed in it.</summary>
    private static List<(Incident Incident, bool Opened, bool Closed)> Latest(List<StationIncidentEvent> events) =>
        [.. events.GroupBy(e => e.Transition.Incident.Id, StringComparer.Ordinal).Select(g => (g.Last().Transition.Incident,
            g.Any(e => e.Transition.Kind == IncidentTransitionKind.Opened), g.Any(e => e.Transition.Kind == IncidentTransitionKind.Closed)))];

    /// <summary>The alert of an incident (its id is the incident's: stable across streams and backfills).</summary>
    public Alert ToAlert(Incident incident) => ToAlert(incident, echoes);

    private Alert ToAlert(Incident incident, FaultEchoes faults)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var place = stationPlaces.GetValueOrDefault(incident.Station);
        var echo = faults.IsEcho(incident);
        var fault = incident.Kind == AnomalyKind.SensorFault || echo;
        var what = echo ? $"sensor fault (readings of the faulty {incident.PeakExplanation.Deviations[0].Indicator} sensor, at first scored as pollution)"
            : fault ? "sensor fault" : "pollution";
        return new Alert
        {
            AlertId = incident.Id,
            Kind = fault ? AlertKinds.SensorFault : AlertKinds.Pollution,
            SubjectKind = "station",
            SubjectId = incident.Station,
            Indicators = incident.Indicators,
            Start = incident.Start,
            End = incident.End,
            Severity = (fault, incident.Severity) switch
            {
                (true, IncidentSeverity.Low) => "info",
                (true, _) => "warning",
                (false, IncidentSeverity.High or IncidentSeverity.Critical) => "critical",
                _ => "warning",
            },
            Score = double.IsFinite(incident.PeakScore) ? incident.PeakScore : 0,
            Explanation = string.Create(CultureInfo.InvariantCulture,
                $"{what} ({incident.Severity.ToString().ToLowerInvariant()}), {incident.AnomalousReadings} anomalous reading(s), peak {incident.PeakScore:0.00} at {incident.PeakTime:O}: {incident.PeakExplanation}"),
            DepartmentCode = stationDepartment,
            Longitude = place.Lon,
            Latitude = place.Lat,
        };
    }

    private async Task LoadRegistersAsync(CancellationToken cancellationToken)
    {
        var stations = lake.Table(StationsTable);
        if (stations.Exists)
        {
            var rows = await stations.QueryAsync("SELECT CAST(station_id AS VARCHAR), geom FROM {table}", cancellationToken: cancellationToken).ConfigureAwait(false);
            stationPlaces = rows.ToDictionary(r => (string)r[0]!, r => r[1] is byte[] wkb && Geo.FromWkb(wkb) is NetTopologySuite.Geometries.Point p ? ((double?)p.X, (double?)p.Y) : (null, null),
                StringComparer.Ordinal);
        }
        var responsibilities = lake.Table(ResponsibilitiesTable);
        if (responsibilities.Exists)
        {
            // The department that maintains the stations acts on their alerts; the one that maintains the alarms is the fallback for covers.
            var rows = await responsibilities.QueryAsync("SELECT CAST(department_code AS VARCHAR), CAST(asset_layers AS VARCHAR[]) FROM {table}", cancellationToken: cancellationToken).ConfigureAwait(false);
            string? Maintains(string layer) => rows.Where(r => r[1] is System.Collections.IEnumerable layers && layers.Cast<object?>().Any(l => l as string == layer))
                .Select(r => (string)r[0]!).Order(StringComparer.Ordinal).FirstOrDefault();
            stationDepartment = Maintains(StationsTable) ?? options.StationDepartment;
            manholes.FallbackDepartment = Maintains("manhole_alarms") ?? options.ManholeDepartment;
        }
        var covers = lake.Table(CoversTable);
        if (covers.Exists)
        {
            var rows = await covers.QueryAsync("SELECT CAST(device_id AS VARCHAR), CAST(owner_department AS VARCHAR), geom FROM {table}", cancellationToken: cancellationToken).ConfigureAwait(false);
            manholes.SetCovers(rows.Select(r => new ManholeCover((string)r[0]!, r[1] as string,
                r[2] is byte[] wkb && Geo.FromWkb(wkb) is NetTopologySuite.Geometries.Point p ? p.X : null,
                r[2] is byte[] wkb2 && Geo.FromWkb(wkb2) is NetTopologySuite.Geometries.Point q ? q.Y : null)));
        }
    }

    private static async Task<DateTimeOffset?> LatestReadingAsync(DeltaTable table, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync("SELECT max(ts) FROM {table}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0][0] switch
        {
            DateTimeOffset t => t,
            DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            _ => null,
        };
    }

    /// <summary>Every station's readings (flag N) in [from, until) on the grid, by station.</summary>
    private async Task<IReadOnlyDictionary<string, StationSeries>> ReadHistoryAsync(DateTimeOffset from, DateTimeOffset until, IReadOnlyCollection<string>? stations,
        CancellationToken cancellationToken)
    {
        var table = lake.Table(Readings);
        var result = new Dictionary<string, StationSeries>(StringComparer.Ordinal);
        if (!table.Exists || until <= from)
        {
            return result;
        }
        var predicate = Predicate.And(Predicate.Ge("ts", from), Predicate.Lt("ts", until), Predicate.Eq("flag", "N"));
        if (stations is { Count: > 0 })
        {
            predicate = Predicate.And(predicate, Predicate.In("station_id", stations.Cast<object?>()));
        }
        var rows = await table.QueryAsync("SELECT CAST(station_id AS VARCHAR), CAST(indicator AS VARCHAR), ts, CAST(value AS DOUBLE) FROM {table}",
            predicate, cancellationToken: cancellationToken).ConfigureAwait(false);
        var length = (int)((until - from) / options.Interval);
        foreach (var group in rows.GroupBy(r => (string)r[0]!, StringComparer.Ordinal))
        {
            var readings = group.Select(r => (Time: r[2] switch
            {
                DateTimeOffset t => t,
                DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
                _ => from,
            }, Indicator: (string)r[1]!, Value: r[3] is double v ? v : double.NaN)).Where(r => options.Indicators.Contains(r.Indicator));
            result[group.Key] = StationSeries.FromReadings(group.Key, options.Indicators, from, options.Interval, length, readings, out _);
        }
        return result;
    }

    private static IEnumerable<StationReading> ReadingsOf(StationSeries series, int from)
    {
        for (var k = from; k < series.Length; k++)
        {
            for (var i = 0; i < series.Indicators.Count; i++)
            {
                var value = series.Column(i)[k];
                if (double.IsFinite(value))
                {
                    yield return new StationReading(series.Station, series.Indicators[i], series.TimeAt(k), value);
                }
            }
        }
    }

    private DateTimeOffset Align(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % options.Interval.Ticks, TimeSpan.Zero);

    public void Dispose()
    {
        suspects.Dispose();
        gate.Dispose();
    }
}
