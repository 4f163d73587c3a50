using System.Globalization;
using OneMap.Models.Rivers;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.Rivers;

namespace OneMap.Simulator.WaterQuality;

/// <summary>
/// Schedules the water events of the sensor window: pollution (hidden outfalls discharging at night, industrial spills
/// from permitted outfalls, sewage overflows and farm runoff during rain) and instrument faults that are not
/// pollution (stuck sensors, calibration jumps, dropouts, drift). Pollution travels downstream reach by reach at
/// each reach's flow speed; a station sees it after the travel-time lag, diluted at confluences and decaying with
/// distance. Events never overlap at a station, so each is visible on its own.
/// </summary>
public static class IncidentPlanner
{
    /// <summary>Stations that see less than this fraction of the source change are not listed as affected.</summary>
    public const double MinimumAttenuation = 0.12;

    private const double DecayKm = 28;

    public static List<Incident> Plan(Rng rng, SimulationOptions options, RiverSystem rivers, List<StationInfo> stations,
        List<OutfallInfo> outfalls, Weather weather)
    {
        var weeks = options.SensorDays / 7.0;
        int Count(double perWeek) => Math.Max(1, (int)Math.Round(perWeek * weeks));
        var incidents = new List<Incident>();
        var busy = stations.Select(_ => new List<(DateTimeOffset From, DateTimeOffset To)>()).ToList();
        var automatic = Enumerable.Range(0, stations.Count).Where(i => stations[i].Record.Kind == StationKind.Automatic).ToList();
        var windowStart = options.Start.AddHours(6);
        var windowEnd = options.End.AddHours(-10);
        var number = 0;
        string NextId() => "INC-" + (++number).ToString("000", CultureInfo.InvariantCulture);

        var hiddenOutfalls = outfalls.Where(o => o.Record.Kind == OutfallKind.Hidden).ToList();
        var permitted = outfalls.Where(o => o.Record.Kind == OutfallKind.Permitted).ToList();
        var storm = outfalls.Where(o => o.Record.Kind == OutfallKind.StormDrain).ToList();

        var plan = new List<string>();
        plan.AddRange(Enumerable.Repeat("hidden_outfall", Count(3)));
        plan.AddRange(Enumerable.Repeat("industrial_spill", Count(2)));
        plan.AddRange(Enumerable.Repeat("sewage_overflow", Count(2)));
        plan.AddRange(Enumerable.Repeat("agricultural_runoff", Count(1)));
        var pollutionRng = rng.Fork("pollution");
        foreach (var type in plan)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var candidate = Pollution(pollutionRng, type, windowStart, windowEnd, rivers, stations, hiddenOutfalls, permitted, storm, weather);
                if (candidate is null)
                {
                    continue;
                }
                var visible = candidate.Affected.Count(a => a.Attenuation >= 0.25 && stations[a.Station].Record.Kind == StationKind.Automatic);
                if (visible < 2 || candidate.Affected.Any(a => Overlaps(busy[a.Station], a, candidate)))
                {
                    continue;
                }
                foreach (var a in candidate.Affected)
                {
                    busy[a.Station].Add(Interval(candidate, a));
                }
                incidents.Add(Renumber(candidate, NextId()));
                break;
            }
        }

        var faultRng = rng.Fork("faults");
        var faults = new List<string>();
        faults.AddRange(Enumerable.Repeat("stuck_sensor", Count(2)));
        faults.AddRange(Enumerable.Repeat("calibration_jump", Count(2)));
        faults.AddRange(Enumerable.Repeat("dropout", Count(2)));
        faults.AddRange(Enumerable.Repeat("drift", Count(1)));
        foreach (var type in faults)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var station = faultRng.Pick(automatic);
                var hours = type switch
                {
                    "stuck_sensor" => faultRng.Uniform(10, 36),
                    "calibration_jump" => faultRng.Uniform(24, 60),
                    "dropout" => faultRng.Uniform(3, 12),
                    _ => faultRng.Uniform(30, 60),
                };
                var start = Weather.RoundToFiveMinutes(windowStart.AddHours(faultRng.Uniform(0, Math.Max(1, (windowEnd - windowStart).TotalHours - hours))));
                var end = Weather.RoundToFiveMinutes(start.AddHours(hours));
                var margin = TimeSpan.FromHours(3);
                if (busy[station].Any(b => b.From < end + margin && start - margin < b.To))
                {
                    continue;
                }
                var (indicator, amount, detail) = type switch
                {
                    "stuck_sensor" => faultRng.Pick(new (string, double, string)[]
                    {
                        ("do", 0, "dissolved-oxygen probe stuck at its last value"),
                        ("nh3_n", 0, "ammonia analyser repeating its last value"),
                        ("turbidity", 0, "turbidity sensor frozen"),
                        ("conductivity", 0, "conductivity cell frozen"),
                    }),
                    "calibration_jump" => faultRng.Pick(new (string, double, string)[]
                    {
                        ("do", 1.3, "DO probe mis-calibrated: reads 1.3 mg/L high until recalibrated"),
                        ("ph", 0.45, "pH electrode mis-calibrated: reads 0.45 high until recalibrated"),
                        ("nh3_n", 0.6, "ammonia analyser mis-calibrated: reads 60 % high until recalibrated"),
                        ("conductivity", -0.2, "conductivity cell mis-calibrated: reads 20 % low until recalibrated"),
                    }),
                    "dropout" => ("do", 0.0, "station sends nothing (power or communication failure)"),
                    _ => ("do", -0.05, "DO membrane fouling: reading drifts down 0.05 mg/L per hour until cleaned"),
                };
                busy[station].Add((start - margin, end + margin));
                var fault = new Incident
                {
                    Id = NextId(), Type = type, IsPollution = false, Start = start, End = end, Reach = stations[station].Reach,
                    DistanceKm = stations[station].DistanceKm, Effects = [(indicator, amount)], FaultStation = station, FaultDetail = detail,
                };
                incidents.Add(fault);
                break;
            }
        }
        return incidents.OrderBy(i => i.Start).ThenBy(i => i.Id, StringComparer.Ordinal).Select((i, n) => Renumber(i, "INC-" + (n + 1).ToString("000", CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Stations downstream of a point, with lag and attenuation (listed when the attenuation is at least <see cref="MinimumAttenuation"/>).</summary>
    public static List<AffectedStation> Downstream(RiverSystem rivers, List<StationInfo> stations, int reach, double km, TimeSpan sourceRamp)
    {
        var affected = new List<AffectedStation>();
        for (var s = 0; s < stations.Count; s++)
        {
            var path = rivers.Downstream(reach, km, stations[s].Reach, stations[s].DistanceKm);
            if (path is not { } p)
            {
                continue;
            }
            var attenuation = p.Dilution * Math.Exp(-p.DistanceKm / DecayKm);
            if (attenuation < MinimumAttenuation)
            {
                continue;
            }
            // The pulse spreads as it travels: its rise and fall lengthen with the travel time.
            var ramp = sourceRamp + TimeSpan.FromHours(0.12 * p.Hours);
            affected.Add(new AffectedStation(s, Math.Round(p.Hours, 3), Math.Round(p.DistanceKm, 3), Math.Round(attenuation, 3), ramp));
        }
        return affected.OrderBy(a => a.LagHours).ToList();
    }

    private static Incident? Pollution(Rng rng, string type, DateTimeOffset windowStart, DateTimeOffset windowEnd, RiverSystem rivers,
        List<StationInfo> stations, List<OutfallInfo> hidden, List<OutfallInfo> permitted, List<OutfallInfo> storm, Weather weather)
    {
        OutfallInfo? outfall;
        int reach;
        double km;
        DateTimeOffset start;
        double hours;
        (string, double)[] effects;
        switch (type)
        {
            case "hidden_outfall":
                outfall = rng.Pick(hidden);
                // Illegal discharge happens at night.
                var night = windowStart.Date.AddDays(rng.Next(Math.Max(1, (int)(windowEnd - windowStart).TotalDays)));
                start = new DateTimeOffset(night, ChinaTime.Offset).AddHours(rng.Uniform(21.5, 26));
                hours = rng.Uniform(5, 14);
                effects = [("nh3_n", Math.Round(rng.Uniform(2.4, 3.4), 2)), ("do", -Math.Round(rng.Uniform(2.8, 3.8), 2)),
                    ("cod_mn", Math.Round(rng.Uniform(4, 7), 2)), ("tp", Math.Round(rng.Uniform(0.15, 0.3), 3))];
                break;
            case "industrial_spill":
                outfall = permitted.Count > 0 ? rng.Pick(permitted) : null;
                start = windowStart.AddHours(rng.Uniform(0, (windowEnd - windowStart).TotalHours));
                hours = rng.Uniform(2.5, 6);
                effects = [("conductivity", Math.Round(rng.Uniform(1500, 2600), 0)), ("cod_mn", Math.Round(rng.Uniform(10, 16), 2)),
                    ("nh3_n", Math.Round(rng.Uniform(1.0, 2.0), 2)), ("ph", -Math.Round(rng.Uniform(1.2, 1.8), 2))];
                break;
            case "sewage_overflow":
                outfall = storm.Count > 0 ? rng.Pick(storm) : null;
                var rain = rng.Pick(weather.Rain);
                start = rain.Start.AddHours(rng.Uniform(0.5, 2));
                hours = Math.Min(10, rain.Hours + rng.Uniform(1, 3));
                effects = [("nh3_n", Math.Round(rng.Uniform(3.0, 4.2), 2)), ("tp", Math.Round(rng.Uniform(0.35, 0.55), 3)),
                    ("do", -Math.Round(rng.Uniform(2.2, 3.0), 2)), ("turbidity", Math.Round(rng.Uniform(40, 80), 1))];
                break;
            default:
                outfall = null;
                var storm2 = rng.Pick(weather.Rain);
                start = storm2.Start.AddHours(rng.Uniform(2, 5));
                hours = rng.Uniform(8, 14);
                effects = [("tp", Math.Round(rng.Uniform(0.45, 0.7), 3)), ("turbidity", Math.Round(rng.Uniform(90, 150), 1)),
                    ("nh3_n", Math.Round(rng.Uniform(0.8, 1.3), 2))];
                break;
        }
        if (outfall is not null)
        {
            reach = outfall.Reach;
            km = outfall.DistanceKm;
        }
        else
        {
            // Runoff enters along a rural headwater or middle reach.
            reach = rng.Next(rivers.Reaches.Count);
            km = rng.Uniform(0, rivers.Reaches[reach].LengthKm);
        }
        start = Weather.RoundToFiveMinutes(start);
        var end = Weather.RoundToFiveMinutes(start.AddHours(hours));
        if (start < windowStart || end > windowEnd)
        {
            return null;
        }
        var incident = new Incident
        {
            Id = "", Type = type, IsPollution = true, Start = start, End = end, Reach = reach, DistanceKm = km,
            OutfallId = outfall?.Record.Id, EnterpriseCreditCode = outfall?.Record.EnterpriseCreditCode, Effects = effects,
        };
        incident.Affected.AddRange(Downstream(rivers, stations, reach, km, incident.Ramp));
        // Every listed arrival must happen inside the window, so the ground truth is checkable.
        incident.Affected.RemoveAll(a => start.AddHours(a.LagHours) + (end - start) + a.Ramp > windowEnd.AddHours(9));
        return incident;
    }

    private static (DateTimeOffset, DateTimeOffset) Interval(Incident incident, AffectedStation at) =>
        (incident.Start.AddHours(at.LagHours) - TimeSpan.FromHours(3), incident.End.AddHours(at.LagHours) + at.Ramp + TimeSpan.FromHours(3));

    private static bool Overlaps(List<(DateTimeOffset From, DateTimeOffset To)> busy, AffectedStation at, Incident incident)
    {
        var (from, to) = Interval(incident, at);
        return busy.Any(b => b.From < to && from < b.To);
    }

    private static Incident Renumber(Incident i, string id)
    {
        var copy = new Incident
        {
            Id = id, Type = i.Type, IsPollution = i.IsPollution, Start = i.Start, End = i.End, Reach = i.Reach, DistanceKm = i.DistanceKm,
            OutfallId = i.OutfallId, EnterpriseCreditCode = i.EnterpriseCreditCode, Effects = i.Effects, FaultStation = i.FaultStation,
            FaultDetail = i.FaultDetail, Ramp = i.Ramp,
        };
        copy.Affected.AddRange(i.Affected);
        return copy;
    }
}
