namespace OneMap.Lakehouse.Alerts;

/// <summary>What an alert is about.</summary>
public static class AlertKinds
{
    /// <summary>Water pollution seen at a station.</summary>
    public const string Pollution = "pollution";

    /// <summary>An instrument that misbehaves (stuck, drifting, dropping out): not pollution.</summary>
    public const string SensorFault = "sensor_fault";

    /// <summary>A manhole cover problem (lid displaced or missing, gas, overflow).</summary>
    public const string ManholeFault = "manhole_fault";
}

/// <summary>Where an alert stands in its life: open → acknowledged → resolved.</summary>
public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
}

/// <summary>A candidate source of a pollution alert, upstream of the station.</summary>
/// <param name="Rank">1 for the likeliest.</param>
/// <param name="Kind"><c>outfall</c>, <c>enterprise</c>, <c>reach</c>…</param>
/// <param name="Id">The suspect's id (outfall id, credit code, reach id).</param>
/// <param name="Name">A readable name, if known.</param>
/// <param name="RiverKm">Distance upstream along the river.</param>
/// <param name="TravelHours">Flow time from the suspect to the station.</param>
/// <param name="Score">How well it explains the alert (higher is likelier).</param>
/// <param name="Explanation">Why it is suspected.</param>
public sealed record AlertSuspect(int Rank, string Kind, string Id, string? Name, double? RiverKm, double? TravelHours, double? Score, string? Explanation);

/// <summary>
/// One alert per incident (not per reading), as the detectors raise it and officers handle it. The store contract
/// between the alert producer (the detectors) and its consumers (the API's queries, subscription and mutations).
/// </summary>
public sealed record Alert
{
    /// <summary>Stable id: raising the same incident again updates the alert instead of adding one.</summary>
    public required string AlertId { get; init; }

    /// <summary>See <see cref="AlertKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>station</c> or <c>manhole</c>.</summary>
    public required string SubjectKind { get; init; }

    /// <summary>The station id or manhole device id.</summary>
    public required string SubjectId { get; init; }

    /// <summary>Indicators involved (e.g. <c>do</c>, <c>nh3_n</c>; for manholes the alarm kinds).</summary>
    public IReadOnlyList<string> Indicators { get; init; } = [];

    /// <summary>When the incident started.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>When it ended, once it has.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public required string Severity { get; init; }

    /// <summary>The detector ensemble's score (higher is more anomalous).</summary>
    public double Score { get; init; }

    /// <summary>What was seen: indicators, how far from baseline, which detectors agreed.</summary>
    public string? Explanation { get; init; }

    /// <summary>See <see cref="AlertStatuses"/>.</summary>
    public string Status { get; init; } = AlertStatuses.Open;

    /// <summary>The department expected to act (e.g. the ecology bureau, the manhole's owner).</summary>
    public string? DepartmentCode { get; init; }

    /// <summary>Where (WGS84), when known.</summary>
    public double? Longitude { get; init; }

    public double? Latitude { get; init; }

    /// <summary>Upstream suspects, likeliest first (pollution alerts).</summary>
    public IReadOnlyList<AlertSuspect> Suspects { get; init; } = [];

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>The note given when acknowledging or resolving.</summary>
    public string? Note { get; init; }

    /// <summary>When the alert was first raised.</summary>
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>When it last changed (raised again, acknowledged, resolved).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Which alerts to return; every given condition must hold.</summary>
public sealed record AlertQuery
{
    public IReadOnlyList<string>? Kinds { get; init; }

    public IReadOnlyList<string>? Statuses { get; init; }

    public IReadOnlyList<string>? Severities { get; init; }

    public string? SubjectId { get; init; }

    public string? DepartmentCode { get; init; }

    /// <summary>Started at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Started before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Most alerts returned, newest first. Default 100.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>An alert that was raised, changed or handled, as subscribers receive it.</summary>
/// <param name="Alert">The alert as it is now.</param>
/// <param name="Change"><c>raised</c> (new), <c>updated</c> (raised again), <c>acknowledged</c> or <c>resolved</c>.</param>
public sealed record AlertChange(Alert Alert, string Change);

/// <summary>
/// Where alerts live. The detectors <see cref="RaiseAsync"/> them (once per incident; raising the same id again
/// updates it); officers acknowledge and resolve them (recorded with who and when); subscribers
/// <see cref="WatchAsync"/> every change, including those made by other processes sharing the lake.
/// </summary>
public interface IAlertStore
{
    /// <summary>Adds an alert, or updates the one with the same id (its status and handling are kept).</summary>
    Task<AlertChange> RaiseAsync(Alert alert, CancellationToken cancellationToken = default);

    Task<Alert?> GetAsync(string alertId, CancellationToken cancellationToken = default);

    /// <summary>Alerts matching the query, newest first.</summary>
    Task<IReadOnlyList<Alert>> QueryAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>Marks an open alert acknowledged by <paramref name="by"/>; throws <see cref="AlertNotFoundException"/> or <see cref="AlertStateException"/>.</summary>
    Task<AlertChange> AcknowledgeAsync(string alertId, string by, string? note, CancellationToken cancellationToken = default);

    /// <summary>Marks an alert resolved by <paramref name="by"/>.</summary>
    Task<AlertChange> ResolveAsync(string alertId, string by, string? note, CancellationToken cancellationToken = default);

    /// <summary>Every change from now on, until cancelled.</summary>
    IAsyncEnumerable<AlertChange> WatchAsync(CancellationToken cancellationToken = default);
}

/// <summary>No alert has that id.</summary>
public sealed class AlertNotFoundException(string alertId) : LakehouseException($"there is no alert '{alertId}'")
{
    public string AlertId { get; } = alertId;

    public override bool IsTransient => false;
}

/// <summary>The alert cannot make that move (e.g. acknowledging a resolved alert).</summary>
public sealed class AlertStateException(string alertId, string status, string action)
    : LakehouseException($"alert '{alertId}' is {status} and cannot be {action}")
{
    public override bool IsTransient => false;
}
