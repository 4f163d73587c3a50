using OneMap.Lakehouse.Detection;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>
/// Keeps a faulty sensor from being reported as pollution at the edges of its fault. A frozen thermometer drifts away
/// from the river's daily cycle for a few readings before the stuck test (which needs a run of identical readings)
/// confirms it, and it jumps back when it recovers; the ensemble sees both as deviations. A pollution incident is a
/// fault's echo when its most deviant indicator is one the station's sensor-fault incident names, and it starts within
/// that fault (whose start is dated back to its first faulty reading) or within the incident gap after it ends. The
/// rule reads only the incidents themselves, so a stream (which may learn of the fault after the pollution alert went
/// out, and then reclassifies it) and a backfill end with the same alerts. Not thread-safe: the producer drives it.
/// </summary>
public sealed class FaultEchoes(TimeSpan gap)
{
    private readonly Dictionary<string, Dictionary<string, Incident>> faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Incident>> pollution = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes an incident's latest state. Returns the pollution incidents (already seen) that this fault turns into
    /// echoes, for the caller to raise again as sensor faults; empty for a pollution incident.
    /// </summary>
    public IReadOnlyList<Incident> Observe(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var byKind = incident.Kind == AnomalyKind.SensorFault ? faults : pollution;
        if (!byKind.TryGetValue(incident.Station, out var known))
        {
            known = new Dictionary<string, Incident>(StringComparer.Ordinal);
            byKind[incident.Station] = known;
        }
        var wasEcho = incident.Kind == AnomalyKind.Pollution || !known.ContainsKey(incident.Id) ? [] : Echoes(incident).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        known[incident.Id] = incident;
        Prune(known, incident.LastAnomalous);
        if (incident.Kind != AnomalyKind.SensorFault)
        {
            return [];
        }
        return [.. Echoes(incident).Where(p => !wasEcho.Contains(p.Id))];
    }

    /// <summary>Whether a pollution incident is the echo of a sensor fault at its station.</summary>
    public bool IsEcho(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.Kind == AnomalyKind.Pollution && faults.TryGetValue(incident.Station, out var known) && known.Values.Any(f => Echoes(f, incident));
    }

    private IEnumerable<Incident> Echoes(Incident fault) =>
        pollution.TryGetValue(fault.Station, out var known) ? known.Values.Where(p => Echoes(fault, p)) : [];

    private bool Echoes(Incident fault, Incident candidate) =>
        candidate.PeakExplanation.Deviations.Count > 0
        && fault.Indicators.Contains(candidate.PeakExplanation.Deviations[0].Indicator)
        && candidate.Start >= fault.Start
        && (fault.End is not { } end || candidate.Start <= end + gap);

    /// <summary>Forgets incidents over for a day (far beyond any echo).</summary>
    private static void Prune(Dictionary<string, Incident> known, DateTimeOffset now)
    {
        foreach (var old in known.Values.Where(i => i.End is { } end && end < now - TimeSpan.FromDays(1)).Select(i => i.Id).ToList())
        {
            known.Remove(old);
        }
    }
}
