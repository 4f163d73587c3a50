using OneMap.Models.WaterQuality;

namespace OneMap.Ingest.Sensors;

/// <summary>
/// What a value of each measured quantity must look like: its unit (with the spellings devices use for it) and the
/// physically possible range. A value outside the range (negative dissolved oxygen, pH 20) is absurd and quarantined.
/// </summary>
public static class SensorLimits
{
    /// <summary>A quantity's unit, accepted spellings and possible range.</summary>
    public sealed record Quantity(string Unit, string[] Spellings, double Minimum, double Maximum);

    private static readonly Dictionary<string, Quantity> Water = new(StringComparer.OrdinalIgnoreCase)
    {
        [Indicators.DissolvedOxygen.Id] = new("mg/L", ["mg/l"], 0, 25),
        [Indicators.Ph.Id] = new("dimensionless", ["", "ph", "无量纲", "1"], 0, 14),
        [Indicators.AmmoniaNitrogen.Id] = new("mg/L", ["mg/l"], 0, 200),
        [Indicators.PermanganateIndex.Id] = new("mg/L", ["mg/l"], 0, 300),
        [Indicators.TotalPhosphorus.Id] = new("mg/L", ["mg/l"], 0, 50),
        [Indicators.Turbidity.Id] = new("NTU", ["ntu"], 0, 10_000),
        [Indicators.WaterTemperature.Id] = new("°C", ["℃", "degc", "c", "celsius"], -5, 50),
        [Indicators.Conductivity.Id] = new("μS/cm", ["us/cm", "µs/cm"], 0, 200_000),
    };

    /// <summary>Manhole status fields: payload member, column, unit, range.</summary>
    public static IReadOnlyList<(string Member, string Column, string Unit, double Minimum, double Maximum)> ManholeFields { get; } =
    [
        ("tiltDeg", "tilt_deg", "°", 0, 180),
        ("displacementMm", "displacement_mm", "mm", 0, 100_000),
        ("waterLevelCm", "water_level_cm", "cm", -100, 5_000),
        ("ch4PctLel", "ch4_pct_lel", "%LEL", 0, 100),
        ("h2sPpm", "h2s_ppm", "ppm", 0, 10_000),
        ("batteryV", "battery_v", "V", 0, 12),
        ("signalDbm", "signal_dbm", "dBm", -160, 0),
    ];

    /// <summary>The quantity of a water-quality indicator, or null when the indicator is unknown.</summary>
    public static Quantity? WaterIndicator(string indicator) => Water.GetValueOrDefault(indicator);

    /// <summary>True when <paramref name="unit"/> names the quantity's unit.</summary>
    public static bool IsUnit(Quantity quantity, string unit)
    {
        var trimmed = unit.Trim();
        return string.Equals(trimmed, quantity.Unit, StringComparison.OrdinalIgnoreCase)
            || quantity.Spellings.Contains(trimmed.ToLowerInvariant());
    }
}
