namespace OneMap.Lakehouse.Detection;

/// <summary>
/// One anomaly episode at a station: nearby anomalous readings merged (gaps shorter than the grouping gap), with its
/// start, end, severity, kind and the explanation of its worst reading. Alerts are raised per incident, not per
/// reading. <see cref="Id"/> is stable (station, kind, start), so a backfill and a live stream name the same
/// incident the same way and storing it is idempotent.
/// </summary>
/// <param name="Id">Stable identifier: station, kind and start.</param>
/// <param name="Station">Station identifier.</param>
/// <param name="Kind">Pollution or sensor fault.</param>
/// <param name="Start">First anomalous reading (for a fault, when the fault began).</param>
/// <param name="End">Last anomalous reading once the incident is closed; null while it is open.</param>
/// <param name="LastAnomalous">The latest anomalous reading so far.</param>
/// <param name="Severity">Severity, from the peak score, breadth and any class-limit exceedance.</param>
/// <param name="PeakScore">Highest score (pollution: 1 = alarm threshold; fault: readings at fault / limit).</param>
/// <param name="PeakTime">When the peak was reached.</param>
/// <param name="AnomalousReadings">How many readings were anomalous.</param>
/// <param name="Indicators">Indicators involved, in station order.</param>
/// <param name="Detectors">Detectors that agreed at some reading of the incident.</param>
/// <param name="PeakExplanation">Explanation of the peak reading.</param>
public sealed record Incident(
    string Id,
    string Station,
    AnomalyKind Kind,
    DateTimeOffset Start,
    DateTimeOffset? End,
    DateTimeOffset LastAnomalous,
    IncidentSeverity Severity,
    double PeakScore,
    DateTimeOffset PeakTime,
    int AnomalousReadings,
    IReadOnlyList<string> Indicators,
    IReadOnlyList<DetectorKind> Detectors,
    Explanation PeakExplanation)
{
    public bool IsOpen => End is null;
}

/// <summary>What happened to an incident at a reading.</summary>
public enum IncidentTransitionKind : byte
{
    /// <summary>A new incident (raise the alert).</summary>
    Opened = 0,

    /// <summary>An open incident became more severe.</summary>
    Escalated = 1,

    /// <summary>The incident ended: no anomalous reading for longer than the grouping gap.</summary>
    Closed = 2,
}

/// <summary>An incident's change of state, as a stream emits it.</summary>
/// <param name="Kind">Opened, escalated or closed.</param>
/// <param name="Incident">The incident as of this transition.</param>
public sealed record IncidentTransition(IncidentTransitionKind Kind, Incident Incident);
