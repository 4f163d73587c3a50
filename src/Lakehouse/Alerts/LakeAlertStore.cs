using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;

using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Spatial;

namespace OneMap.Lakehouse.Alerts;

/// <summary>
/// The alert store in the lake: table <c>alerts</c> (one row per alert, merged by id; in the catalog like any dataset)
/// and table <c>alert_events</c> (every raise, acknowledgement and resolution with who and when). Changes made through
/// this instance reach watchers at once; changes by other processes are found by polling the table's version.
/// </summary>
public sealed class LakeAlertStore : IAlertStore, IDisposable
{
    public const string AlertsTable = "alerts";
    public const string EventsTable = "alert_events";

    /// <summary>Owner recorded in the catalog: the city's data bureau, which runs the platform.</summary>
    public const string Owner = "D39";

    public static readonly TableDefinition AlertsDefinition = new()
    {
        Name = AlertsTable,
        Description = "One alert per incident: pollution at a station, a faulty sensor, a manhole problem; its status and who handled it.",
        KeyColumns = ["alert_id"],
        Columns =
        [
            new("alert_id", DeltaType.String) { Nullable = false, Description = "Alert id." },
            new("kind", DeltaType.String) { Nullable = false, Description = "pollution, sensor_fault or manhole_fault." },
            new("subject_kind", DeltaType.String) { Nullable = false, Description = "station or manhole." },
            new("subject_id", DeltaType.String) { Nullable = false, Description = "Station id or manhole device id." },
            new("indicators", new ArrayType(DeltaType.String)) { Description = "Indicators (or alarm kinds) involved." },
            new("start", DeltaType.Timestamp) { Nullable = false, Description = "Incident start." },
            new("end", DeltaType.Timestamp) { Description = "Incident end, once it has ended." },
            new("severity", DeltaType.String) { Nullable = false, Description = "info, warning or critical." },
            new("score", DeltaType.Double) { Description = "Detector ensemble score." },
            new("explanation", DeltaType.String) { Description = "What was seen and which detectors agreed.", Sensitivity = Sensitivity.Internal },
            new("status", DeltaType.String) { Nullable = false, Description = "open, acknowledged or resolved." },
            new("department_code", DeltaType.String) { Description = "Department expected to act." },
            new("suspects", DeltaType.String) { Description = "Upstream suspects as JSON, likeliest first.", Sensitivity = Sensitivity.Internal },
            new("acknowledged_by", DeltaType.String) { Description = "Who acknowledged it.", Sensitivity = Sensitivity.Internal },
            new("acknowledged_at", DeltaType.Timestamp) { Description = "When it was acknowledged." },
            new("resolved_by", DeltaType.String) { Description = "Who resolved it.", Sensitivity = Sensitivity.Internal },
            new("resolved_at", DeltaType.Timestamp) { Description = "When it was resolved." },
            new("note", DeltaType.String) { Description = "Note given when handling it.", Sensitivity = Sensitivity.Internal },
            new("raised_at", DeltaType.Timestamp) { Nullable = false, Description = "When it was first raised." },
            new("updated_at", DeltaType.Timestamp) { Nullable = false, Description = "When it last changed." },
            ColumnDefinition.Geometry("geom") with { Description = "Where (WGS84 point)." },
        ],
    };

    public static readonly TableDefinition EventsDefinition = new()
    {
        Name = EventsTable,
        Description = "Every step of every alert: raised, updated, acknowledged, resolved, with who and when.",
        KeyColumns = ["alert_id", "at", "action"],
        Columns =
        [
            new("alert_id", DeltaType.String) { Nullable = false, Description = "Alert id." },
            new("at", DeltaType.Timestamp) { Nullable = false, Description = "When." },
            new("action", DeltaType.String) { Nullable = false, Description = "raised, updated, acknowledged or resolved." },
            new("by", DeltaType.String) { Description = "Who (a detector, an officer's key or token subject).", Sensitivity = Sensitivity.Internal },
            new("status", DeltaType.String) { Nullable = false, Description = "Status after the step." },
            new("note", DeltaType.String) { Description = "Note.", Sensitivity = Sensitivity.Internal },
        ],
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Columns = AlertsDefinition.Columns.Select(c => c.Name).ToArray();

    private readonly Lake lake;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly ConcurrentDictionary<Channel<AlertChange>, byte> watchers = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> announced = new(StringComparer.Ordinal);
    private readonly TimeSpan pollInterval;
    private readonly Lock pollerGate = new();
    private Timer? poller;
    private long polledVersion = -1;
    private DateTimeOffset watermark;
    private int polling;

    public LakeAlertStore(Lake lake, TimeProvider? time = null, TimeSpan? pollInterval = null)
    {
        this.lake = lake;
        this.time = time ?? TimeProvider.System;
        this.pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
    }

    public async Task<AlertChange> RaiseAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await GetAsync(alert.AlertId, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var stored = existing is null
                ? alert with { Status = AlertStatuses.Open, RaisedAt = now, UpdatedAt = now }
                : alert with
                {
                    // Handling is the officers' business: raising again updates the facts, not the status.
                    Status = existing.Status,
                    AcknowledgedBy = existing.AcknowledgedBy,
                    AcknowledgedAt = existing.AcknowledgedAt,
                    ResolvedBy = existing.ResolvedBy,
                    ResolvedAt = existing.ResolvedAt,
                    Note = existing.Note,
                    RaisedAt = existing.RaisedAt,
                    UpdatedAt = now,
                    // Suspects are ranked apart from the detectors' updates: an update without them keeps the last ranking.
                    Suspects = alert.Suspects.Count > 0 ? alert.Suspects : existing.Suspects,
                };
            var change = new AlertChange(stored, existing is null ? "raised" : "updated");
            await WriteAsync(change, "detector", null, cancellationToken).ConfigureAwait(false);
            return change;
        }
        finally
        {
            writing.Release();
        }
    }

    public Task<AlertChange> AcknowledgeAsync(string alertId, string by, string? note, CancellationToken cancellationToken = default) =>
        HandleAsync(alertId, by, note, AlertStatuses.Acknowledged, cancellationToken);

    public Task<AlertChange> ResolveAsync(string alertId, string by, string? note, CancellationToken cancellationToken = default) =>
        HandleAsync(alertId, by, note, AlertStatuses.Resolved, cancellationToken);

    private async Task<AlertChange> HandleAsync(string alertId, string by, string? note, string status, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await GetAsync(alertId, cancellationToken).ConfigureAwait(false) ?? throw new AlertNotFoundException(alertId);
            if (existing.Status == AlertStatuses.Resolved || (status == AlertStatuses.Acknowledged && existing.Status == AlertStatuses.Acknowledged))
            {
                throw new AlertStateException(alertId, existing.Status, status);
            }
            var now = time.GetUtcNow();
            var updated = status == AlertStatuses.Acknowledged
                ? existing with { Status = status, AcknowledgedBy = by, AcknowledgedAt = now, Note = note ?? existing.Note, UpdatedAt = now }
                : existing with { Status = status, ResolvedBy = by, ResolvedAt = now, Note = note ?? existing.Note, UpdatedAt = now };
            var change = new AlertChange(updated, status);
            await WriteAsync(change, by, note, cancellationToken).ConfigureAwait(false);
            return change;
        }
        finally
        {
            writing.Release();
        }
    }

    public async Task<Alert?> GetAsync(string alertId, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync("alert_id = $p1", [alertId], 1, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<Alert>> QueryAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>();
        var parameters = new List<object?>();
        string P(object? value)
        {
            parameters.Add(value);
            return "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        }
        void In(string column, IReadOnlyList<string>? values)
        {
            if (values is { Count: > 0 })
            {
                conditions.Add($"{column} IN ({string.Join(", ", values.Select(v => P(v)))})");
            }
        }
        In("kind", query.Kinds);
        In("status", query.Statuses);
        In("severity", query.Severities);
        if (query.SubjectId is not null)
        {
            conditions.Add("subject_id = " + P(query.SubjectId));
        }
        if (query.DepartmentCode is not null)
        {
            conditions.Add("department_code = " + P(query.DepartmentCode));
        }
        if (query.From is { } from)
        {
            conditions.Add("\"start\" >= " + P(from));
        }
        if (query.To is { } to)
        {
            conditions.Add("\"start\" < " + P(to));
        }
        return ReadAsync(conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions), parameters, Math.Clamp(query.Limit, 0, 100_000), cancellationToken);
    }

    public async IAsyncEnumerable<AlertChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<AlertChange>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        watchers[channel] = 0;
        StartPolling();
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            watchers.TryRemove(channel, out _);
        }
    }

    private async Task WriteAsync(AlertChange change, string by, string? note, CancellationToken cancellationToken)
    {
        var alerts = await EnsureAsync(AlertsDefinition, "Alerts", cancellationToken).ConfigureAwait(false);
        var events = await EnsureAsync(EventsDefinition, "Alert handling events", cancellationToken).ConfigureAwait(false);
        var a = change.Alert;
        // Marked before the commit: the poller may read the new row before Announce below runs, and must not announce it twice.
        announced[a.AlertId] = a.UpdatedAt;
        using (var batch = alerts.CreateBatch())
        {
            batch.AppendRow(Row(a));
            await batch.MergeAsync(new MergeOptions { KeyColumns = ["alert_id"] }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        using (var batch = events.CreateBatch())
        {
            batch.AppendRow(a.AlertId, a.UpdatedAt.UtcDateTime, change.Change, by, a.Status, note);
            await batch.AppendAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        Announce(change);
    }

    private async Task<DeltaTable> EnsureAsync(TableDefinition definition, string title, CancellationToken cancellationToken)
    {
        var table = lake.Table(definition.Name);
        if (table.Exists)
        {
            return table;
        }
        return await lake.Catalog.CreateDatasetAsync(definition, new DatasetDescriptor
        {
            Name = definition.Name,
            Title = title,
            Description = definition.Description,
            OwnerDepartment = Owner,
            Sources = ["alerts"],
        }, cancellationToken).ConfigureAwait(false);
    }

    private static object?[] Row(Alert a) =>
    [
        a.AlertId, a.Kind, a.SubjectKind, a.SubjectId, a.Indicators.ToList(), a.Start.UtcDateTime, a.End?.UtcDateTime, a.Severity, a.Score, a.Explanation,
        a.Status, a.DepartmentCode, a.Suspects.Count == 0 ? null : JsonSerializer.Serialize(a.Suspects, Json), a.AcknowledgedBy, a.AcknowledgedAt?.UtcDateTime,
        a.ResolvedBy, a.ResolvedAt?.UtcDateTime, a.Note, a.RaisedAt.UtcDateTime, a.UpdatedAt.UtcDateTime,
        a.Longitude is { } lon && a.Latitude is { } lat ? Geo.ToWkb(Geo.Point(lon, lat)) : null,
    ];

    private Task<IReadOnlyList<Alert>> ReadAsync(string where, IReadOnlyList<object?> parameters, int limit, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var table = lake.Table(AlertsTable);
        if (!table.Exists)
        {
            return (IReadOnlyList<Alert>)[];
        }
        var scan = table.Scan(table.Latest(cancellationToken));
        // The scan's own parameters come first; ours are renumbered after them.
        var offset = scan.Parameters.Count;
        var condition = System.Text.RegularExpressions.Regex.Replace(where, @"\$p(\d+)",
            m => "$" + (offset + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
        var sql = $"SELECT {string.Join(", ", Columns.Select(c => "\"" + c + "\""))} FROM ({scan.Sql}) WHERE {condition} ORDER BY \"start\" DESC, alert_id LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
        using var connection = lake.Engine.Connect();
        using var registration = cancellationToken.Register(connection.Interrupt);
        using var reader = connection.Query(sql, [.. scan.Parameters, .. parameters]);
        var result = new List<Alert>();
        while (reader.Read())
        {
            result.Add(FromRow(reader));
        }
        return (IReadOnlyList<Alert>)result;
    }, cancellationToken);

    private static Alert FromRow(System.Data.Common.DbDataReader r)
    {
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
        {
            DateTimeOffset t => t,
            DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            _ => null,
        };
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        double? lon = null, lat = null;
        if (!r.IsDBNull(20) && Geo.FromWkb((byte[])r.GetValue(20)) is NetTopologySuite.Geometries.Point point)
        {
            (lon, lat) = (point.X, point.Y);
        }
        return new Alert
        {
            AlertId = r.GetString(0),
            Kind = r.GetString(1),
            SubjectKind = r.GetString(2),
            SubjectId = r.GetString(3),
            Indicators = r.IsDBNull(4) ? [] : ((System.Collections.IEnumerable)r.GetValue(4)).Cast<object?>().OfType<string>().ToList(),
            Start = Time(5)!.Value,
            End = Time(6),
            Severity = r.GetString(7),
            Score = r.IsDBNull(8) ? 0 : r.GetDouble(8),
            Explanation = Text(9),
            Status = r.GetString(10),
            DepartmentCode = Text(11),
            Suspects = Text(12) is { } json ? JsonSerializer.Deserialize<List<AlertSuspect>>(json, Json) ?? [] : [],
            AcknowledgedBy = Text(13),
            AcknowledgedAt = Time(14),
            ResolvedBy = Text(15),
            ResolvedAt = Time(16),
            Note = Text(17),
            RaisedAt = Time(18)!.Value,
            UpdatedAt = Time(19)!.Value,
            Longitude = lon,
            Latitude = lat,
        };
    }

    private void Announce(AlertChange change)
    {
        announced[change.Alert.AlertId] = change.Alert.UpdatedAt;
        foreach (var watcher in watchers.Keys)
        {
            watcher.Writer.TryWrite(change);
        }
    }

    private void StartPolling()
    {
        lock (pollerGate)
        {
            if (poller is not null)
            {
                return;
            }
            var table = lake.Table(AlertsTable);
            polledVersion = table.Exists ? table.Latest().Version : -1;
            watermark = time.GetUtcNow();
            poller = new Timer(_ => _ = PollAsync(), null, pollInterval, pollInterval);
        }
    }

    /// <summary>Finds alerts changed by other processes (newer than what this process announced) and announces them.</summary>
    private async Task PollAsync()
    {
        if (watchers.IsEmpty || Interlocked.Exchange(ref polling, 1) == 1)
        {
            return;
        }
        try
        {
            var table = lake.Table(AlertsTable);
            if (!table.Exists)
            {
                return;
            }
            var version = table.Latest().Version;
            if (version == Interlocked.Read(ref polledVersion))
            {
                return;
            }
            // Only what changed since watching began; what this process announced itself is skipped.
            var changed = await ReadAsync("updated_at >= $p1", [watermark], 10_000, CancellationToken.None).ConfigureAwait(false);
            foreach (var alert in changed.OrderBy(a => a.UpdatedAt))
            {
                if ((announced.TryGetValue(alert.AlertId, out var seen) && seen >= alert.UpdatedAt) )
                {
                    continue;
                }
                var change = !announced.ContainsKey(alert.AlertId) && alert.RaisedAt == alert.UpdatedAt ? "raised" : alert.Status switch
                {
                    AlertStatuses.Acknowledged => "acknowledged",
                    AlertStatuses.Resolved => "resolved",
                    _ => "updated",
                };
                Announce(new AlertChange(alert, change));
            }
            Interlocked.Exchange(ref polledVersion, version);
        }
        catch (Exception e) when (e is LakehouseException or IOException or DuckDb.DuckDbException)
        {
            // The next tick tries again; a watcher only misses nothing as long as the lake can be read.
        }
        finally
        {
            Volatile.Write(ref polling, 0);
        }
    }

    public void Dispose()
    {
        poller?.Dispose();
        writing.Dispose();
        foreach (var watcher in watchers.Keys)
        {
            watcher.Writer.TryComplete();
        }
    }
}
