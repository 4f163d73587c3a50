namespace OneMap.Ingest.Sensors;

/// <summary>A water-quality value as stored (<c>water_quality_readings</c>).</summary>
public readonly record struct WaterRow(string StationId, string Indicator, DateTimeOffset Ts, double Value, string Unit, string Flag, DateOnly Date);

/// <summary>A manhole cover's status report as stored (<c>manhole_readings</c>).</summary>
public readonly record struct ManholeRow(
    string DeviceId, DateTimeOffset Ts, double TiltDeg, double DisplacementMm, double WaterLevelCm, double Ch4PctLel, double H2sPpm, double BatteryV, long SignalDbm, DateOnly Date);

/// <summary>A manhole cover's alarm as stored (<c>manhole_alarms</c>).</summary>
public readonly record struct AlarmRow(string DeviceId, DateTimeOffset Ts, string Kind, double Value, double Threshold);

/// <summary>The latest value of one indicator of one sensor (<c>sensor_twins</c>).</summary>
public readonly record struct TwinRow(string SensorId, string SensorKind, string Indicator, double Value, string Unit, DateTimeOffset Ts, string Status);

/// <summary>What one MQTT message (or payload-log line) held: rows to store, and rejected parts with their reasons.</summary>
public sealed class ParsedMessage
{
    public List<WaterRow> Water { get; } = [];

    public List<ManholeRow> Manhole { get; } = [];

    public List<AlarmRow> Alarms { get; } = [];

    /// <summary>Rejected parts: the position inside the payload (empty for the whole message) and the reason.</summary>
    public List<(string Position, string Reason)> Rejected { get; } = [];

    /// <summary>Readings in the message (a rejected whole message counts as one).</summary>
    public int Readings => Water.Count + Manhole.Count + Alarms.Count + Rejected.Count;

    public void Clear()
    {
        Water.Clear();
        Manhole.Clear();
        Alarms.Clear();
        Rejected.Clear();
    }
}
