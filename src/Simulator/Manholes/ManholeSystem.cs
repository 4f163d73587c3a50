using System.Globalization;
using NetTopologySuite.Geometries;
using OneMap.Models.Manholes;
using OneMap.Models.Sensors;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator.Manholes;

/// <summary>A smart manhole cover while the city is built.</summary>
public sealed class ManholeInfo
{
    public required ManholeCover Record { get; init; }
    public required Coordinate LocationKm { get; init; }
    public required int Grid { get; init; }
    public required double BaseTilt { get; init; }
    public required double BaseDisplacement { get; init; }
    public required double BaseDistance { get; init; }
    public required double BaseMethane { get; init; }
    public required double BaseH2s { get; init; }
    public required double Battery { get; init; }
    public required double BatteryDrainPerDay { get; init; }

    /// <summary>How strongly the water in the chamber rises with runoff (low-lying drains near 1).</summary>
    public required double Susceptibility { get; init; }

    /// <summary>Minute of the day (0…359 within each 6-hour period) when it sends its heartbeat.</summary>
    public required int Phase { get; init; }
}

/// <summary>An event at a manhole cover: real (lid knocked off, stolen, overflow, gas) or a sensor fault.</summary>
public sealed class ManholeEvent
{
    public required string Id { get; init; }
    public required int Device { get; init; }

    /// <summary>lid_displaced, lid_missing, overflow, gas_accumulation; faults: false_tilt_alarm, stuck_level, low_battery.</summary>
    public required string Type { get; init; }

    public required bool IsReal { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public required double Magnitude { get; init; }

    /// <summary>The citizen ticket that reported it, if one did (filled in by the ticket generator).</summary>
    public string? TicketId { get; set; }
}

/// <summary>One MQTT message of a manhole cover, in time order.</summary>
public readonly record struct ManholeMessage(int Device, DateTimeOffset At, bool IsAlarm, ManholeAlarmKind AlarmKind, double Value, double Threshold);

/// <summary>
/// ~3,000 smart manhole covers on the roads of the built-up areas. Each sends a status heartbeat every 6 hours, an
/// alarm the moment a threshold is crossed, and a status every 15 minutes while an alarm lasts. Readings are pure
/// functions of (device, time): events (lids knocked off by vehicles or stolen, gas building up), rain filling storm
/// drains and sewers (low-lying ones overflow), and sensor faults (false tilt alarms, a stuck level sensor, flat
/// batteries).
/// </summary>
public sealed class ManholeSystem
{
    public const int CoverCount = 3000;
    public const double TiltThreshold = 15, DisplacementThreshold = 20, WaterThreshold = 30, GasThreshold = 20, BatteryThreshold = 3.3;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromHours(6), AlarmInterval = TimeSpan.FromMinutes(15);

    private readonly Weather _weather;
    private readonly ulong _key;
    private readonly DateTimeOffset _start;
    private readonly List<ManholeEvent>[] _eventsByDevice;
    private readonly List<(DateTimeOffset From, DateTimeOffset To)>[] _alarmWindows;

    private ManholeSystem(List<ManholeInfo> covers, List<ManholeEvent> events, Weather weather, ulong key, SimulationOptions options)
    {
        Covers = covers;
        Events = events;
        _weather = weather;
        _key = key;
        _start = options.Start;
        _eventsByDevice = covers.Select(_ => new List<ManholeEvent>()).ToArray();
        foreach (var e in events)
        {
            _eventsByDevice[e.Device].Add(e);
        }
        _alarmWindows = covers.Select(_ => new List<(DateTimeOffset, DateTimeOffset)>()).ToArray();
    }

    public List<ManholeInfo> Covers { get; }
    public List<ManholeEvent> Events { get; }

    public static ManholeSystem Build(Rng rng, SimulationOptions options, AdminMap admin, Weather weather)
    {
        var covers = new List<ManholeInfo>();
        var place = rng.Fork("place");
        // Covers follow the built-up area: grids weighted by households times density.
        var weights = admin.Grids.Select(g => g.Households * Math.Min(60, g.Density)).ToArray();
        var networks = new (ManholeNetwork Network, double Share, string Department)[]
        {
            (ManholeNetwork.Storm, 0.30, "D50"), (ManholeNetwork.Sewage, 0.28, "D50"), (ManholeNetwork.WaterSupply, 0.12, "D46"),
            (ManholeNetwork.Gas, 0.08, "D47"), (ManholeNetwork.Power, 0.12, "D45"), (ManholeNetwork.Telecom, 0.10, "D48"),
        };
        var roadSeed = Hash.Combine(options.Seed, Hash.Of("roads"));
        for (var i = 0; i < CoverCount; i++)
        {
            var grid = place.PickWeighted(weights);
            var location = admin.RandomPointIn(grid, place);
            var (network, _, department) = networks[place.PickWeighted(networks.Select(n => n.Share).ToArray())];
            var depth = place.Between(120, 300);
            var drains = network is ManholeNetwork.Storm or ManholeNetwork.Sewage;
            var baseDistance = network switch
            {
                ManholeNetwork.Storm => depth - place.Uniform(5, 20),
                ManholeNetwork.Sewage => depth - place.Uniform(25, 60),
                _ => depth - place.Uniform(0, 5),
            };
            var lowLying = drains && place.Chance(0.08);
            covers.Add(new ManholeInfo
            {
                Record = new ManholeCover("MH-" + (i + 1).ToString("00000", CultureInfo.InvariantCulture), network, department,
                    admin.DistrictOfGrid(grid).Code, Streets.Of(admin, grid, roadSeed), depth,
                    new DateOnly(2021, 3, 1).AddDays(place.Next(1000)), LocalFrame.PointWgs84(location.X, location.Y)),
                LocationKm = location, Grid = grid,
                BaseTilt = Math.Round(place.Uniform(0.2, 1.6), 2),
                BaseDisplacement = Math.Round(place.Uniform(0, 2), 1),
                BaseDistance = Math.Round(baseDistance, 1),
                BaseMethane = network == ManholeNetwork.Sewage ? place.Uniform(0.5, 4) : network == ManholeNetwork.Gas ? place.Uniform(0, 1.5) : place.Uniform(0, 0.6),
                BaseH2s = network == ManholeNetwork.Sewage ? place.Uniform(0, 3) : 0,
                Battery = place.Uniform(3.45, 3.66),
                BatteryDrainPerDay = place.Uniform(0.0004, 0.0012),
                Susceptibility = lowLying ? place.Uniform(1.0, 1.6) : drains ? place.Uniform(0.1, 0.45) : 0,
                Phase = place.Next(360),
            });
        }
        var events = PlanEvents(rng.Fork("events"), options, covers);
        var system = new ManholeSystem(covers, events, weather, rng.Fork("readings").NextULong(), options);
        system.FindOverflows(options);
        system.BuildAlarmWindows();
        return system;
    }

    private static List<ManholeEvent> PlanEvents(Rng rng, SimulationOptions options, List<ManholeInfo> covers)
    {
        var weeks = options.SensorDays / 7.0;
        int Count(double perWeek) => Math.Max(1, (int)Math.Round(perWeek * weeks));
        var events = new List<ManholeEvent>();
        var used = new HashSet<int>();
        var hours = options.SensorDays * 24.0;
        int PickDevice(Func<ManholeInfo, bool> where)
        {
            while (true)
            {
                var d = rng.Next(covers.Count);
                if (where(covers[d]) && used.Add(d))
                {
                    return d;
                }
            }
        }
        DateTimeOffset At(double h) => new(options.Start.Ticks + TimeSpan.FromMinutes(Math.Round(h * 60)).Ticks, options.Start.Offset);
        void Add(string type, bool real, int device, double startHour, double durationHours, double magnitude) =>
            events.Add(new ManholeEvent
            {
                Id = "", Type = type, IsReal = real, Device = device, Start = At(startHour), End = At(Math.Min(hours - 0.5, startHour + durationHours)),
                Magnitude = Math.Round(magnitude, 2),
            });

        for (var i = 0; i < Count(6); i++)
        {
            Add("lid_displaced", true, PickDevice(_ => true), rng.Uniform(2, hours - 12), rng.Uniform(1.5, 8), rng.Uniform(20, 45));
        }
        for (var i = 0; i < Count(2); i++)
        {
            Add("lid_missing", true, PickDevice(c => c.Record.Network != ManholeNetwork.Gas), rng.Uniform(2, hours - 30), rng.Uniform(10, 28), 90);
        }
        for (var i = 0; i < Count(2); i++)
        {
            Add("gas_accumulation", true, PickDevice(c => c.Record.Network is ManholeNetwork.Sewage or ManholeNetwork.Gas),
                rng.Uniform(2, hours - 20), rng.Uniform(6, 16), rng.Uniform(28, 45));
        }
        for (var i = 0; i < Count(3); i++)
        {
            Add("false_tilt_alarm", false, PickDevice(_ => true), rng.Uniform(2, hours - 24), rng.Uniform(12, 20), rng.Uniform(16, 24));
        }
        for (var i = 0; i < Count(2); i++)
        {
            Add("stuck_level", false, PickDevice(c => c.Record.Network is ManholeNetwork.Storm or ManholeNetwork.Sewage),
                rng.Uniform(2, hours - 30), rng.Uniform(24, 60), 0);
        }
        for (var i = 0; i < Count(3); i++)
        {
            // The battery crosses 3.3 V at the start; the device keeps reporting until the end of the window.
            Add("low_battery", false, PickDevice(_ => true), rng.Uniform(6, hours - 6), hours, BatteryThreshold);
        }
        return events.OrderBy(e => e.Start).ThenBy(e => e.Device).Select((e, n) => new ManholeEvent
        {
            Id = "MHE-" + (n + 1).ToString("000", CultureInfo.InvariantCulture), Device = e.Device, Type = e.Type, IsReal = e.IsReal,
            Start = e.Start, End = e.End, Magnitude = e.Magnitude,
        }).ToList();
    }

    // Low-lying drains overflow during heavy rain: find when the water comes within the threshold of the lid.
    private void FindOverflows(SimulationOptions options)
    {
        var overflows = new List<ManholeEvent>();
        for (var d = 0; d < Covers.Count; d++)
        {
            var cover = Covers[d];
            if (cover.Susceptibility <= 0 || _eventsByDevice[d].Any(e => e.Type == "stuck_level"))
            {
                continue;
            }
            // Most drains cannot fill up even in the worst rain of the window: skip them without scanning.
            var worstRise = cover.Susceptibility * 100 * _weather.Rain.Sum(r => r.Intensity);
            if (cover.BaseDistance - 10 - worstRise >= WaterThreshold)
            {
                continue;
            }
            foreach (var rain in _weather.Rain)
            {
                DateTimeOffset? from = null;
                for (var t = rain.Start; t < rain.Start.AddHours(48) && t < options.End; t += TimeSpan.FromMinutes(5))
                {
                    var wet = WaterDistance(d, t, withEvents: false) < WaterThreshold;
                    if (wet && from is null)
                    {
                        from = t;
                    }
                    else if (!wet && from is { } f)
                    {
                        overflows.Add(new ManholeEvent { Id = "", Device = d, Type = "overflow", IsReal = true, Start = f, End = t, Magnitude = 0 });
                        from = null;
                    }
                }
            }
        }
        Events.AddRange(overflows);
        var renumbered = Events.OrderBy(e => e.Start).ThenBy(e => e.Device).ThenBy(e => e.Type, StringComparer.Ordinal).Select((e, n) => new ManholeEvent
        {
            Id = "MHE-" + (n + 1).ToString("000", CultureInfo.InvariantCulture), Device = e.Device, Type = e.Type, IsReal = e.IsReal,
            Start = e.Start, End = e.End, Magnitude = e.Magnitude,
        }).ToList();
        Events.Clear();
        Events.AddRange(renumbered);
        foreach (var list in _eventsByDevice)
        {
            list.Clear();
        }
        foreach (var e in Events)
        {
            _eventsByDevice[e.Device].Add(e);
        }
    }

    private void BuildAlarmWindows()
    {
        foreach (var e in Events)
        {
            if (e.Type is "lid_displaced" or "gas_accumulation" or "overflow")
            {
                _alarmWindows[e.Device].Add((e.Start, e.End));
            }
            else if (e.Type == "lid_missing")
            {
                // The lid (and its sensor) is gone soon after the alarm: it sends the alarm and a few readings, then nothing.
                _alarmWindows[e.Device].Add((e.Start, e.Start.AddMinutes(45)));
            }
        }
    }

    /// <summary>Whether the device sends anything at <paramref name="t"/> (a stolen lid's sensor is gone until replaced).</summary>
    public bool Online(int device, DateTimeOffset t) =>
        !_eventsByDevice[device].Any(e => e.Type == "lid_missing" && t >= e.Start.AddMinutes(45) && t < e.End);

    /// <summary>The status reading of a device at <paramref name="t"/>.</summary>
    public ManholeReading Read(int device, DateTimeOffset t)
    {
        var c = Covers[device];
        var days = (t - _start).TotalDays;
        var step = (ulong)((t - _start).Ticks / TimeSpan.TicksPerMinute);
        double White(ulong k) => Hash.Normal(Hash.Combine(_key, (ulong)device * 16 + k, step));
        var tilt = c.BaseTilt + 0.05 * White(1);
        var displacement = c.BaseDisplacement + 0.1 * White(2);
        var methane = c.BaseMethane * (1 + 0.2 * White(3));
        var h2s = c.BaseH2s * (1 + 0.3 * White(4));
        var battery = c.Battery - c.BatteryDrainPerDay * days + 0.003 * White(5);
        foreach (var e in _eventsByDevice[device])
        {
            if (t < e.Start || t >= e.End)
            {
                if (e.Type == "low_battery" && t >= e.Start)
                {
                    battery = Math.Min(battery, BatteryThreshold - 0.02 - 0.01 * (t - e.Start).TotalDays);
                }
                continue;
            }
            switch (e.Type)
            {
                case "lid_displaced":
                    tilt = e.Magnitude + 0.5 * White(6);
                    displacement = 25 + e.Magnitude * 1.2;
                    break;
                case "lid_missing":
                    tilt = 90;
                    displacement = 150;
                    break;
                case "gas_accumulation":
                    var progress = Math.Min(1, (t - e.Start).TotalHours / 2);
                    methane = Math.Max(methane, GasThreshold + 1 + (e.Magnitude - GasThreshold - 1) * progress);
                    h2s += 12 * progress;
                    break;
                case "low_battery":
                    battery = Math.Min(battery, BatteryThreshold - 0.02 - 0.01 * (t - e.Start).TotalDays);
                    break;
            }
        }
        var signal = -70 - (int)(Hash.Unit(Hash.Combine(_key, (ulong)device)) * 35) + (int)Math.Round(2 * White(7));
        return new ManholeReading(c.Record.Id, t, Math.Round(Math.Max(0, tilt), 1), Math.Round(Math.Max(0, displacement), 1),
            Math.Round(WaterDistance(device, t, withEvents: true), 1), Math.Round(Math.Max(0, methane), 1), Math.Round(Math.Max(0, h2s), 1),
            Math.Round(battery, 2), signal);
    }

    private double WaterDistance(int device, DateTimeOffset t, bool withEvents)
    {
        var c = Covers[device];
        if (withEvents)
        {
            foreach (var e in _eventsByDevice[device])
            {
                if (e.Type == "stuck_level" && t >= e.Start && t < e.End)
                {
                    t = e.Start;
                }
            }
        }
        var local = t.ToOffset(ChinaTime.Offset);
        var hour = local.Hour + local.Minute / 60.0;
        var sewage = c.Record.Network == ManholeNetwork.Sewage ? 10 * (0.5 + 0.5 * Math.Sin(2 * Math.PI * (hour - 4) / 24)) : 0;
        var rise = c.Susceptibility * 100 * _weather.Runoff(t);
        return Math.Max(0, c.BaseDistance - sewage - rise);
    }

    /// <summary>Every message the covers send in [from, to), in time order (then device order).</summary>
    public List<ManholeMessage> Messages(DateTimeOffset from, DateTimeOffset to)
    {
        var messages = new List<ManholeMessage>();
        for (var d = 0; d < Covers.Count; d++)
        {
            DeviceMessages(d, from, to, messages);
        }
        messages.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At)
            : a.Device != b.Device ? a.Device.CompareTo(b.Device)
            : a.IsAlarm != b.IsAlarm ? b.IsAlarm.CompareTo(a.IsAlarm)
            : a.Value.CompareTo(b.Value));
        return messages;
    }

    private void DeviceMessages(int d, DateTimeOffset from, DateTimeOffset to, List<ManholeMessage> messages)
    {
        var cover = Covers[d];
        var times = new SortedSet<DateTimeOffset>();
        var first = _start + TimeSpan.FromMinutes(cover.Phase);
        var k = (long)Math.Ceiling((from - first) / Heartbeat);
        for (var t = first + Heartbeat * Math.Max(0, k); t < to; t += Heartbeat)
        {
            if (t >= from)
            {
                times.Add(t);
            }
        }
        foreach (var (wFrom, wTo) in _alarmWindows[d])
        {
            for (var t = wFrom; t < wTo; t += AlarmInterval)
            {
                if (t >= from && t < to)
                {
                    times.Add(t);
                }
            }
        }
        foreach (var e in _eventsByDevice[d])
        {
            if (e.Start < from || e.Start >= to)
            {
                continue;
            }
            var (kind, value, threshold) = e.Type switch
            {
                "lid_displaced" or "lid_missing" => (ManholeAlarmKind.Tilt, e.Magnitude, TiltThreshold),
                "gas_accumulation" => (ManholeAlarmKind.Gas, GasThreshold + 1, GasThreshold),
                "overflow" => (ManholeAlarmKind.WaterLevel, Math.Round(WaterDistance(d, e.Start, true), 1), WaterThreshold),
                "false_tilt_alarm" => (ManholeAlarmKind.Tilt, e.Magnitude, TiltThreshold),
                "low_battery" => (ManholeAlarmKind.LowBattery, BatteryThreshold - 0.02, BatteryThreshold),
                _ => (ManholeAlarmKind.Tilt, double.NaN, 0),
            };
            if (double.IsNaN(value))
            {
                continue;
            }
            messages.Add(new ManholeMessage(d, e.Start, true, kind, value, threshold));
            if (e.Type == "lid_displaced")
            {
                messages.Add(new ManholeMessage(d, e.Start, true, ManholeAlarmKind.Displacement, Math.Round(25 + e.Magnitude * 1.2, 1), DisplacementThreshold));
            }
            if (e.Type == "false_tilt_alarm")
            {
                // A flaky tilt sensor fires again a few times during the episode; the lid never moved.
                var glitches = 2 + (int)(Hash.Unit(Hash.Combine(_key, (ulong)d, 99)) * 4);
                for (var g = 1; g <= glitches; g++)
                {
                    var at = e.Start + (e.End - e.Start) * g / (glitches + 1);
                    at = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, at.Offset);
                    if (at < to)
                    {
                        messages.Add(new ManholeMessage(d, at, true, kind, Math.Round(value - g * 0.7, 1), threshold));
                    }
                }
            }
        }
        foreach (var t in times)
        {
            if (Online(d, t))
            {
                messages.Add(new ManholeMessage(d, t, false, default, 0, 0));
            }
        }
    }
}
