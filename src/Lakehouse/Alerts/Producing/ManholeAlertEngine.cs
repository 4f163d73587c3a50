using System.Globalization;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>A manhole cover's status report (docs/sensors.md).</summary>
public readonly record struct ManholeStatus(string DeviceId, DateTimeOffset Time, double TiltDeg, double DisplacementMm, double WaterLevelCm, double Ch4PctLel, double BatteryV);

/// <summary>A manhole cover's alarm: <c>tilt</c>, <c>displacement</c>, <c>water_level</c>, <c>gas</c> or <c>low_battery</c>.</summary>
public readonly record struct ManholeAlarm(string DeviceId, DateTimeOffset Time, string Kind, double Value, double Threshold);

/// <summary>A cover from the register: who owns it, where it is.</summary>
public sealed record ManholeCover(string DeviceId, string? OwnerDepartment, double? Longitude, double? Latitude);

/// <summary>
/// Turns manhole covers' alarms into one alert per incident: the first alarm of a cover opens it (lid tilted or
/// moved, gas, water near the lid: <see cref="AlertKinds.ManholeFault"/>; a flat battery: a sensor fault), later alarms
/// join it, and the first status report showing every value back within the thresholds closes it. A tilt alarm whose
/// statuses show a level, unmoved lid is the tilt sensor's fault (a false tilt alarm), and the alert says so. Alerts go
/// to the cover's owner (its utility) when the register names one, else to <see cref="FallbackDepartment"/>.
/// Not thread-safe: one producer worker drives it.
/// </summary>
public sealed class ManholeAlertEngine
{
    private readonly Dictionary<string, Open> open = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, ManholeCover> covers = new Dictionary<string, ManholeCover>(StringComparer.Ordinal);

    /// <summary>Department for covers the register does not assign (the city's urban-management bureau in the sample).</summary>
    public string? FallbackDepartment { get; set; }

    /// <summary>Thresholds (docs/sensors.md): tilt 15°, displacement 20 mm, water level 30 cm below the lid, gas 20 %LEL, battery 3.3 V.</summary>
    public double TiltDeg { get; init; } = 15;

    public double DisplacementMm { get; init; } = 20;

    public double WaterLevelCm { get; init; } = 30;

    public double GasPctLel { get; init; } = 20;

    public double BatteryV { get; init; } = 3.3;

    /// <summary>Replaces the cover register.</summary>
    public void SetCovers(IEnumerable<ManholeCover> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        covers = register.GroupBy(c => c.DeviceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    }

    /// <summary>Covers with an open incident.</summary>
    public int OpenIncidents => open.Count;

    /// <summary>Takes a batch's alarms and statuses (in time order per cover) and returns the alerts to raise or update.</summary>
    public IReadOnlyList<Alert> Observe(IEnumerable<ManholeAlarm> alarms, IEnumerable<ManholeStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(statuses);
        var changed = new Dictionary<string, Alert>(StringComparer.Ordinal);
        var events = alarms.Select(a => (a.DeviceId, a.Time, Alarm: (ManholeAlarm?)a, Status: (ManholeStatus?)null))
            .Concat(statuses.Select(s => (s.DeviceId, s.Time, Alarm: (ManholeAlarm?)null, Status: (ManholeStatus?)s)))
            .OrderBy(e => e.Time).ThenBy(e => e.Alarm is null ? 1 : 0);
        foreach (var e in events)
        {
            if (e.Alarm is { } alarm)
            {
                if (!open.TryGetValue(alarm.DeviceId, out var incident))
                {
                    incident = new Open(alarm.DeviceId, alarm.Time);
                    open[alarm.DeviceId] = incident;
                }
                incident.Kinds.Add(alarm.Kind);
                incident.Last = alarm.Time;
                incident.Peak = Math.Max(incident.Peak, alarm.Threshold > 0 ? Math.Abs(alarm.Value / alarm.Threshold) : 1);
                incident.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{alarm.Kind} {alarm.Value:G4} (threshold {alarm.Threshold:G4}) at {alarm.Time:O}"));
                changed[alarm.DeviceId] = ToAlert(incident, end: null);
            }
            else if (e.Status is { } status && open.TryGetValue(status.DeviceId, out var incident) && status.Time >= incident.Start)
            {
                incident.Statuses++;
                var tiltAlarmOnly = incident.Kinds.All(k => k == "tilt");
                if (status.TiltDeg <= TiltDeg && status.DisplacementMm <= DisplacementMm)
                {
                    incident.LevelLidSeen = true;
                }
                else
                {
                    incident.MovedLidSeen = true;
                }
                var clear = status.TiltDeg <= TiltDeg && status.DisplacementMm <= DisplacementMm && status.WaterLevelCm >= WaterLevelCm
                    && status.Ch4PctLel <= GasPctLel && status.BatteryV >= BatteryV;
                if (clear && !(tiltAlarmOnly && !incident.MovedLidSeen))
                {
                    open.Remove(status.DeviceId);
                    changed[status.DeviceId] = ToAlert(incident, end: status.Time);
                }
                else if (tiltAlarmOnly && incident.LevelLidSeen && !incident.MovedLidSeen)
                {
                    // A tilt alarm while the lid reports level and unmoved: the sensor, not the lid. The alert stays
                    // open (as a sensor fault) until a status shows a real tilt or the alarms stop (closed by the next clear status after a day).
                    var fault = ToAlert(incident, end: status.Time - incident.Last > TimeSpan.FromHours(6) ? status.Time : null);
                    if (fault.End is not null)
                    {
                        open.Remove(status.DeviceId);
                    }
                    changed[status.DeviceId] = fault;
                }
            }
        }
        return [.. changed.Values];
    }

    private Alert ToAlert(Open incident, DateTimeOffset? end)
    {
        var cover = covers.GetValueOrDefault(incident.DeviceId);
        var falseTilt = incident.Kinds.All(k => k == "tilt") && incident.LevelLidSeen && !incident.MovedLidSeen;
        var batteryOnly = incident.Kinds.All(k => k == "low_battery");
        var kind = falseTilt || batteryOnly ? AlertKinds.SensorFault : AlertKinds.ManholeFault;
        var severity = kind == AlertKinds.SensorFault ? "info"
            : incident.Kinds.Contains("gas") || incident.Kinds.Contains("tilt") && incident.Peak >= 3 ? "critical"
            : "warning";
        var what = falseTilt ? "tilt alarms while the cover reports a level, unmoved lid: the tilt sensor is suspect"
            : batteryOnly ? "battery below its threshold: the cover will fall silent"
            : incident.Kinds.Contains("gas") ? "combustible gas above its threshold"
            : incident.Kinds.Contains("tilt") || incident.Kinds.Contains("displacement") ? "lid tilted or moved (knocked askew, lifted or missing)"
            : incident.Kinds.Contains("water_level") ? "water close to the lid: overflow risk" : "alarm";
        return new Alert
        {
            AlertId = $"{incident.DeviceId}/manhole/{incident.Start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}",
            Kind = kind,
            SubjectKind = "manhole",
            SubjectId = incident.DeviceId,
            Indicators = [.. incident.Kinds.Order(StringComparer.Ordinal)],
            Start = incident.Start,
            End = end,
            Severity = severity,
            Score = incident.Peak,
            Explanation = $"{what}: {string.Join("; ", incident.Notes.TakeLast(4))}",
            DepartmentCode = cover?.OwnerDepartment ?? FallbackDepartment,
            Longitude = cover?.Longitude,
            Latitude = cover?.Latitude,
        };
    }

    private sealed class Open(string deviceId, DateTimeOffset start)
    {
        public string DeviceId { get; } = deviceId;

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset Last { get; set; } = start;

        public HashSet<string> Kinds { get; } = new(StringComparer.Ordinal);

        public List<string> Notes { get; } = [];

        public double Peak { get; set; }

        public int Statuses { get; set; }

        public bool LevelLidSeen { get; set; }

        public bool MovedLidSeen { get; set; }
    }
}
