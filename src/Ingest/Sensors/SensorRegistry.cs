using System.Collections.Frozen;

namespace OneMap.Ingest.Sensors;

/// <summary>The sensors the city has registered: station ids and manhole device ids. Readings of others are quarantined.</summary>
public sealed class SensorRegistry
{
    private volatile FrozenSet<string> stations = FrozenSet<string>.Empty;
    private volatile FrozenSet<string> devices = FrozenSet<string>.Empty;

    /// <summary>When false every id is accepted (no register configured).</summary>
    public bool Enforced { get; init; } = true;

    public int Count => stations.Count + devices.Count;

    public bool IsKnownStation(string id) => !Enforced || stations.Contains(id);

    public bool IsKnownDevice(string id) => !Enforced || devices.Contains(id);

    /// <summary>Replaces the known ids (a refresh from the lake's registers or from files).</summary>
    public void Replace(IEnumerable<string> stationIds, IEnumerable<string> deviceIds)
    {
        stations = stationIds.ToFrozenSet(StringComparer.Ordinal);
        devices = deviceIds.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>A registry that accepts every sensor.</summary>
    public static SensorRegistry AcceptAll() => new() { Enforced = false };
}
