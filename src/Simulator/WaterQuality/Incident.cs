namespace OneMap.Simulator.WaterQuality;

/// <summary>An injected water event: pollution that travels downstream, or a sensor fault that stays at one station.</summary>
public sealed class Incident
{
    public required string Id { get; init; }

    /// <summary>hidden_outfall, industrial_spill, sewage_overflow, agricultural_runoff; or the faults stuck_sensor, calibration_jump, dropout, drift.</summary>
    public required string Type { get; init; }

    public required bool IsPollution { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }

    /// <summary>Where it starts: the reach and distance along it (pollution) or the station's reach (faults).</summary>
    public required int Reach { get; init; }

    public required double DistanceKm { get; init; }

    /// <summary>The outfall or enterprise it came from, if any.</summary>
    public string? OutfallId { get; init; }

    public string? EnterpriseCreditCode { get; init; }

    /// <summary>Change at the source per indicator (added; negative lowers), or for faults the parameters below.</summary>
    public required IReadOnlyList<(string Indicator, double Delta)> Effects { get; init; }

    /// <summary>Stations that see it, with the travel-time lag and attenuation.</summary>
    public List<AffectedStation> Affected { get; } = [];

    /// <summary>Fault: the station it happens at.</summary>
    public int FaultStation { get; init; } = -1;

    /// <summary>Fault: a short description of what the instrument does.</summary>
    public string? FaultDetail { get; init; }

    /// <summary>Ramp time at the source (pollution rises and falls over this time).</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.FromMinutes(20);
}

/// <summary>A station downstream of a pollution incident.</summary>
/// <param name="Station">Index into the city's stations.</param>
/// <param name="LagHours">Travel time from the source (river distance / flow speed, reach by reach).</param>
/// <param name="DistanceKm">River distance from the source.</param>
/// <param name="Attenuation">Fraction of the source change that arrives (dilution at confluences × decay with distance).</param>
/// <param name="Ramp">Rise and fall time at this station (the pulse spreads as it travels).</param>
public sealed record AffectedStation(int Station, double LagHours, double DistanceKm, double Attenuation, TimeSpan Ramp);
