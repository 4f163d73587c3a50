namespace OneMap.Simulator;

/// <summary>What to generate.</summary>
public sealed record SimulationOptions
{
    /// <summary>The seed; the same seed and scale give byte-identical output. Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// Multiplies sensor-days, ticket volume and vessel-days (scale 1: 7 days of sensor data, ~6,000 tickets over 30
    /// days, 2 days of vessel tracks). The city itself (grids, rivers, stations, enterprises) is the same at every scale.
    /// Fractions below 1 shorten the windows (at least one day) for quick tests. Default 1.
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>Start of the sensor window (local midnight, UTC+8). Default 2024-06-01.</summary>
    public DateTimeOffset Start { get; init; } = new(2024, 6, 1, 0, 0, 0, ChinaTime.Offset);

    public int SensorDays => Math.Max(1, (int)Math.Round(7 * Scale));

    public int VesselDays => Math.Max(1, (int)Math.Round(2 * Scale));

    public int TicketDays => Math.Max(3, (int)Math.Round(30 * Scale));

    /// <summary>The export time: the end of the sensor window; ticket histories stop here.</summary>
    public DateTimeOffset End => Start.AddDays(SensorDays);
}

/// <summary>China Standard Time (UTC+8, no daylight saving), the zone every Chinese source writes in.</summary>
public static class ChinaTime
{
    public static TimeSpan Offset { get; } = TimeSpan.FromHours(8);

    public static string Iso(DateTimeOffset t) =>
        t.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The "yyyy-MM-dd HH:mm:ss" local form Chinese government systems use (no zone; Beijing time implied).</summary>
    public static string Local(DateTimeOffset t) =>
        t.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
