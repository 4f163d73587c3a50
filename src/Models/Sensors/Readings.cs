using OneMap.Models.Manholes;

namespace OneMap.Models.Sensors;

/// <summary>Data flags of the HJ 212-2017 data-transmission standard that automatic stations attach to each value.</summary>
public enum DataFlag
{
    /// <summary>N: normal.</summary>
    Normal,

    /// <summary>F: the instrument was stopped.</summary>
    Stopped,

    /// <summary>M: maintenance.</summary>
    Maintenance,

    /// <summary>S: value set by hand.</summary>
    Manual,

    /// <summary>D: instrument fault.</summary>
    Fault,

    /// <summary>C: calibration.</summary>
    Calibration,

    /// <summary>T: above the measuring range.</summary>
    OverRange,

    /// <summary>B: communication fault.</summary>
    CommunicationFault,
}

/// <summary>Converts <see cref="DataFlag"/> to and from the one-letter HJ 212 codes.</summary>
public static class DataFlags
{
    public static string Code(this DataFlag flag) => flag switch
    {
        DataFlag.Normal => "N",
        DataFlag.Stopped => "F",
        DataFlag.Maintenance => "M",
        DataFlag.Manual => "S",
        DataFlag.Fault => "D",
        DataFlag.Calibration => "C",
        DataFlag.OverRange => "T",
        DataFlag.CommunicationFault => "B",
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "not an HJ 212 data flag"),
    };

    public static DataFlag Parse(string code) => code switch
    {
        "N" => DataFlag.Normal,
        "F" => DataFlag.Stopped,
        "M" => DataFlag.Maintenance,
        "S" => DataFlag.Manual,
        "D" => DataFlag.Fault,
        "C" => DataFlag.Calibration,
        "T" => DataFlag.OverRange,
        "B" => DataFlag.CommunicationFault,
        _ => throw new FormatException($"\"{code}\" is not an HJ 212 data flag (N, F, M, S, D, C, T, B)"),
    };
}

/// <summary>One value of one indicator at one station.</summary>
/// <param name="StationId">The station.</param>
/// <param name="IndicatorId">The indicator (see <see cref="WaterQuality.Indicators"/>).</param>
/// <param name="At">Measurement time (with its zone offset as sent).</param>
/// <param name="Value">The value in the indicator's unit.</param>
/// <param name="Unit">The unit as sent.</param>
/// <param name="Flag">HJ 212 data flag.</param>
public sealed record WaterQualityReading(string StationId, string IndicatorId, DateTimeOffset At, double Value, string Unit, DataFlag Flag);

/// <summary>A smart manhole cover's periodic status report.</summary>
/// <param name="DeviceId">The cover.</param>
/// <param name="At">Report time.</param>
/// <param name="TiltDegrees">Lid tilt from horizontal.</param>
/// <param name="DisplacementMillimeters">Horizontal movement of the lid since installation.</param>
/// <param name="WaterLevelCentimeters">Distance from the lid down to the water surface (smaller is fuller).</param>
/// <param name="MethanePercentLel">Combustible gas in % of the lower explosive limit.</param>
/// <param name="HydrogenSulfidePpm">H2S in ppm.</param>
/// <param name="BatteryVolts">Battery voltage.</param>
/// <param name="SignalDbm">NB-IoT signal strength.</param>
public sealed record ManholeReading(
    string DeviceId,
    DateTimeOffset At,
    double TiltDegrees,
    double DisplacementMillimeters,
    double WaterLevelCentimeters,
    double MethanePercentLel,
    double HydrogenSulfidePpm,
    double BatteryVolts,
    int SignalDbm);

/// <summary>An alarm a manhole cover raises the moment a threshold is crossed.</summary>
/// <param name="DeviceId">The cover.</param>
/// <param name="At">Alarm time.</param>
/// <param name="Kind">What crossed its threshold.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Threshold">The threshold crossed.</param>
public sealed record ManholeAlarm(string DeviceId, DateTimeOffset At, ManholeAlarmKind Kind, double Value, double Threshold);
