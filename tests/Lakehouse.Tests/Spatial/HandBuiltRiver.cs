using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;
using OneMap.Lakehouse.Spatial.Rivers;
using OneMap.Models.Rivers;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>An incident injected into the hand-built river's readings, with its true source.</summary>
internal sealed record RiverIncident(string Type, RiverPosition Source, string? OutfallId, DateTimeOffset Start, DateTimeOffset End,
    IReadOnlyList<(string Indicator, double Delta)> Effects);

/// <summary>
/// A small river drawn by hand — a main stem of four reaches with three tributaries, one of them forked — with nine
/// automatic stations, permitted outfalls of enterprises, storm drains and three hidden outfalls (absent from the
/// network), and about two weeks of 5-minute readings: a daily rhythm, noise, and ten injected pollution incidents that
/// travel downstream at each reach's flow speed, fading with distance and diluted where a tributary joins. As in the
/// simulator, incidents are scheduled so that no station sees two at once.
/// </summary>
internal sealed class HandBuiltRiver
{
    private const double OriginLon = 119.0;
    private const double OriginLat = 25.40;
    private const double DecayKm = 28;
    private static readonly DateTimeOffset WindowStart = new(2024, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static readonly (string Id, double Base, double Noise, double Daily)[] Indicators =
    [
        ("do", 7.5, 0.15, 0.8), ("nh3_n", 0.3, 0.03, 0), ("cod_mn", 3.5, 0.2, 0), ("tp", 0.08, 0.01, 0),
        ("ph", 7.4, 0.04, 0.1), ("conductivity", 250, 8, 0), ("turbidity", 12, 1.5, 0),
    ];

    public HandBuiltRiver(int seed = 7)
    {
        var reaches = new List<RiverReach>
        {
            Reach("M1", "M2", 0.35, (0, 0), (4, 0.5), (8, 0)),
            Reach("M2", "M3", 0.40, (8, 0), (12, -0.4), (16, 0)),
            Reach("M3", "M4", 0.45, (16, 0), (20, 0.3), (24, 0)),
            Reach("M4", null, 0.50, (24, 0), (28, -0.3), (32, 0)),
            Reach("T1", "M2", 0.30, (8, 8), (8.5, 4), (8, 0.001)),
            Reach("T1a", "T1", 0.25, (4, 14), (6, 11), (8, 8)),
            Reach("T1b", "T1", 0.25, (12, 14), (10, 11), (8, 8)),
            Reach("T2", "M3", 0.30, (16, -8), (15.5, -4), (16, -0.001)),
            Reach("T3", "M4", 0.30, (24, 8), (24.5, 4), (24, 0.001)),
        };
        var byId = reaches.ToDictionary(r => r.Id);
        Stations =
        [
            Station("S-M1", byId["M1"], 6000), Station("S-M2a", byId["M2"], 2000), Station("S-M2b", byId["M2"], 7000),
            Station("S-M3", byId["M3"], 5000), Station("S-M4", byId["M4"], 4000), Station("S-T1", byId["T1"], 4000),
            Station("S-T1a", byId["T1a"], 5000), Station("S-T2", byId["T2"], 5000), Station("S-T3", byId["T3"], 4000),
        ];
        // Each enterprise stands 200 m north of its outfall.
        var sites = new (RiverReach Reach, double Along)[] { (byId["M1"], 3000), (byId["T1a"], 2000), (byId["M3"], 2000), (byId["T2"], 2000), (byId["M2"], 4500), (byId["T3"], 2000) };
        Enterprises = sites.Select((site, i) =>
        {
            var p = PointAt(site.Reach, site.Along);
            return new RiverEnterprise($"91350300MA{i + 1:D8}", $"莆田市示范化工{i + 1}号有限公司", "2614",
                GeometryCodec.Factory.CreatePoint(new Coordinate(p.X, p.Y + (0.2 / 110.57))));
        }).ToList();
        Outfalls =
        [
            Outfall("OF-1", OutfallKind.Permitted, byId["M1"], 3000, 1), Outfall("OF-2", OutfallKind.Permitted, byId["T1a"], 2000, 2),
            Outfall("OF-3", OutfallKind.Permitted, byId["M3"], 2000, 3), Outfall("OF-4", OutfallKind.Permitted, byId["T2"], 2000, 4),
            Outfall("OF-5", OutfallKind.Permitted, byId["M2"], 4500, 5), Outfall("OF-6", OutfallKind.Permitted, byId["T3"], 2000, 6),
            Outfall("SD-1", OutfallKind.StormDrain, byId["M2"], 1000, null), Outfall("SD-2", OutfallKind.StormDrain, byId["M3"], 3500, null),
            Outfall("SD-3", OutfallKind.StormDrain, byId["T1"], 2000, null), Outfall("SD-4", OutfallKind.StormDrain, byId["M4"], 2000, null),
        ];
        Network = new RiverNetwork(reaches, Stations, Outfalls, Enterprises);

        var rng = new Random(seed);
        double Uniform(double a, double b) => a + (rng.NextDouble() * (b - a));
        var plan = new (string Type, RiverPosition Source, string? Outfall)[]
        {
            ("hidden_outfall", new("T1b", 3000), null),
            ("industrial_spill", Network.PositionOf(Outfalls.Single(o => o.Id == "OF-5")), "OF-5"),
            ("sewage_overflow", Network.PositionOf(Outfalls.Single(o => o.Id == "SD-1")), "SD-1"),
            ("hidden_outfall", new("M2", 5500), null),
            ("industrial_spill", Network.PositionOf(Outfalls.Single(o => o.Id == "OF-4")), "OF-4"),
            ("agricultural_runoff", new("T2", 1000), null),
            ("sewage_overflow", Network.PositionOf(Outfalls.Single(o => o.Id == "SD-2")), "SD-2"),
            ("hidden_outfall", new("M3", 1000), null),
            ("industrial_spill", Network.PositionOf(Outfalls.Single(o => o.Id == "OF-1")), "OF-1"),
            ("agricultural_runoff", new("M1", 1000), null),
        };
        var incidents = new List<RiverIncident>();
        var busy = new List<(string Station, DateTimeOffset From, DateTimeOffset To)>();
        var earliest = WindowStart.AddDays(4);
        for (var n = 0; n < plan.Length; n++)
        {
            var (type, source, outfall) = plan[n];
            var hours = type switch { "hidden_outfall" => Uniform(5, 9), "industrial_spill" => Uniform(2.5, 5), "sewage_overflow" => Uniform(3, 6), _ => Uniform(5, 8) };
            IReadOnlyList<(string, double)> effects = type switch
            {
                "hidden_outfall" => [("nh3_n", Uniform(2.4, 3.4)), ("do", -Uniform(2.8, 3.8)), ("cod_mn", Uniform(4, 7)), ("tp", Uniform(0.15, 0.3))],
                "industrial_spill" => [("conductivity", Uniform(1500, 2600)), ("cod_mn", Uniform(10, 16)), ("nh3_n", Uniform(1.0, 2.0)), ("ph", -Uniform(1.2, 1.8))],
                "sewage_overflow" => [("nh3_n", Uniform(3.0, 4.2)), ("tp", Uniform(0.35, 0.55)), ("do", -Uniform(2.2, 3.0)), ("turbidity", Uniform(40, 80))],
                _ => [("tp", Uniform(0.45, 0.7)), ("turbidity", Uniform(90, 150)), ("nh3_n", Uniform(0.8, 1.3))],
            };
            // After four quiet days, the earliest start at which no station sees it while it sees another one.
            var start = earliest.AddHours(Uniform(0, 2));
            while (true)
            {
                var probe = new RiverIncident(type, source, outfall, start, start.AddHours(hours), effects);
                var intervals = Stations.Select(s => (s.Id, Arrival: Arrival(probe, s))).Where(a => a.Arrival is { Attenuation: >= 0.05 })
                    .Select(a => (a.Id, From: start + a.Arrival!.Value.Travel - TimeSpan.FromHours(2), To: probe.End + a.Arrival!.Value.Travel + TimeSpan.FromHours(3)))
                    .ToList();
                if (!intervals.Any(i => busy.Any(b => b.Station == i.Id && b.From < i.To && i.From < b.To)))
                {
                    busy.AddRange(intervals);
                    incidents.Add(probe);
                    break;
                }
                start = start.AddHours(1);
            }
            earliest = start.AddHours(6);
        }
        Incidents = incidents;
        Readings = Simulate(rng);
    }

    public RiverNetwork Network { get; }

    public List<MonitoringStation> Stations { get; }

    public List<Outfall> Outfalls { get; }

    public List<RiverEnterprise> Enterprises { get; }

    public IReadOnlyList<RiverIncident> Incidents { get; }

    public List<WaterReading> Readings { get; }

    /// <summary>The first station downstream of an incident that sees at least a quarter of it, and when it starts there.</summary>
    public (string StationId, DateTimeOffset Arrival, double Attenuation) FirstVisibleStation(RiverIncident incident) =>
        Stations.Select(s => (s.Id, Arrival: Arrival(incident, s)))
            .Where(s => s.Arrival is { } a && a.Attenuation >= 0.25)
            .OrderBy(s => s.Arrival!.Value.Travel)
            .Select(s => (s.Id, incident.Start + s.Arrival!.Value.Travel, s.Arrival!.Value.Attenuation))
            .First();

    private (TimeSpan Travel, double Attenuation)? Arrival(RiverIncident incident, MonitoringStation station)
    {
        if (Network.Downstream(incident.Source, Network.PositionOf(station)) is not { } path)
        {
            return null;
        }
        // Half the load is lost to dilution wherever a tributary's water joins the main stem.
        var dilution = incident.Source.ReachId.StartsWith('T') && station.ReachId.StartsWith('M') ? 0.5 : 1;
        return (path.Travel, dilution * Math.Exp(-path.Metres / 1000 / DecayKm));
    }

    private List<WaterReading> Simulate(Random rng)
    {
        var readings = new List<WaterReading>();
        var last = Incidents.Max(i => i.End) + TimeSpan.FromDays(2);
        var steps = (int)((last - WindowStart) / TimeSpan.FromMinutes(5));
        foreach (var station in Stations)
        {
            var arrivals = Incidents.Select(i => (Incident: i, Arrival: Arrival(i, station))).Where(a => a.Arrival is not null).ToList();
            foreach (var (indicator, level, noise, daily) in Indicators)
            {
                var stationLevel = level * (0.9 + (0.2 * rng.NextDouble()));
                var ar = 0.0;
                for (var k = 0; k < steps; k++)
                {
                    var at = WindowStart.AddMinutes(5 * k);
                    ar = (0.7 * ar) + (noise * Normal(rng));
                    var hour = at.Hour + (at.Minute / 60.0);
                    var value = stationLevel + ar + (daily * Math.Sin((hour - 9) / 24 * 2 * Math.PI));
                    foreach (var (incident, arrival) in arrivals)
                    {
                        var delta = incident.Effects.Where(e => e.Indicator == indicator).Sum(e => e.Delta);
                        if (delta != 0)
                        {
                            var (travel, attenuation) = arrival!.Value;
                            var ramp = TimeSpan.FromMinutes(20) + TimeSpan.FromHours(0.12 * travel.TotalHours);
                            value += delta * attenuation * Pulse(at, incident.Start + travel, incident.End + travel, ramp);
                        }
                    }
                    readings.Add(new WaterReading(station.Id, indicator, at, value));
                }
            }
        }
        return readings;
    }

    private static double Pulse(DateTimeOffset at, DateTimeOffset start, DateTimeOffset end, TimeSpan ramp)
    {
        if (at <= start || at >= end + ramp)
        {
            return 0;
        }
        if (at < start + ramp)
        {
            return (at - start) / ramp;
        }
        return at <= end ? 1 : 1 - ((at - end) / ramp);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static Coordinate Local(double xKm, double yKm) =>
        new(OriginLon + (xKm / (111.32 * Math.Cos(OriginLat * Math.PI / 180))), OriginLat + (yKm / 110.57));

    private static RiverReach Reach(string id, string? downstream, double speed, params (double X, double Y)[] points)
    {
        var line = GeometryCodec.Factory.CreateLineString(points.Select(p => Local(p.X, p.Y)).ToArray());
        return new RiverReach(id, "示范河", "Demo River", id + "-up", id + "-down", GeometryOperations.LengthSpheroid(line), speed, 1, downstream, line);
    }

    private static MonitoringStation Station(string id, RiverReach reach, double along) =>
        new(id, id, StationKind.Automatic, reach.Id, along, 3, TimeSpan.FromMinutes(5), PointAt(reach, along));

    private Outfall Outfall(string id, OutfallKind kind, RiverReach reach, double along, int? enterprise) =>
        new(id, id, kind, reach.Id, along, enterprise is { } e ? Enterprises[e - 1].CreditCode : null, kind == OutfallKind.Permitted ? 400 : null, PointAt(reach, along));

    private static Point PointAt(RiverReach reach, double along)
    {
        var indexed = new NetTopologySuite.LinearReferencing.LengthIndexedLine(reach.Geometry);
        return GeometryCodec.Factory.CreatePoint(indexed.ExtractPoint(along / reach.LengthMeters * reach.Geometry.Length));
    }
}
