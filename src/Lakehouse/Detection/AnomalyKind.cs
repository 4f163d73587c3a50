namespace OneMap.Lakehouse.Detection;

/// <summary>What an incident is about: the water, or the instrument measuring it.</summary>
public enum AnomalyKind : byte
{
    /// <summary>No anomaly.</summary>
    None = 0,

    /// <summary>The water changed: readings far from the station's baseline, or worse than its class limit.</summary>
    Pollution = 1,

    /// <summary>The sensor misbehaves (stuck, flatline, dropout, implausible value); never reported as pollution.</summary>
    SensorFault = 2,
}

/// <summary>How urgent an incident is, from its peak score, its breadth and any class-limit exceedance.</summary>
public enum IncidentSeverity : byte
{
    Low = 0,
    Moderate = 1,
    High = 2,
    Critical = 3,
}
