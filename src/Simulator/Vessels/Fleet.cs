using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using OneMap.Models.Vessels;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Vessels;

/// <summary>A fence while the city is built (local-km polygon for the crossing checks).</summary>
public sealed class FenceInfo
{
    public required Fence Record { get; init; }
    public required Polygon AreaKm { get; init; }

    /// <summary>The WGS84 area prepared for point-in-polygon tests on the exported positions.</summary>
    public required IPreparedGeometry Prepared { get; init; }
}

/// <summary>A position fix as exported: WGS84 rounded to 6 decimals (about 0.1 m), as the terminal reports it.</summary>
public readonly record struct Fix(int Vessel, DateTimeOffset At, double Lon, double Lat, double SpeedKnots, double Course);

/// <summary>
/// Fishing vessels of three home ports with BeiDou terminals reporting every minute, and electronic fences in the sea:
/// a spawning ground where fishing is banned, a navigation channel, aquaculture areas and an offshore warning line.
/// Boats leave before dawn, steam out, fish, and come home; a few fish inside a fence. Crossings in the ground truth
/// are computed from the very positions written, so they match the data exactly.
/// </summary>
public sealed class Fleet
{
    public const int VesselCount = 30;
    private const double KnotsToKmPerMinute = 1.852 / 60;

    private Fleet(List<Vessel> vessels, List<FenceInfo> fences, List<Fix> fixes, List<FenceCrossing> crossings)
    {
        Vessels = vessels;
        Fences = fences;
        Fixes = fixes;
        Crossings = crossings;
    }

    public List<Vessel> Vessels { get; }
    public List<FenceInfo> Fences { get; }

    /// <summary>Every fix, ordered by time, then vessel.</summary>
    public List<Fix> Fixes { get; }

    public List<FenceCrossing> Crossings { get; }

    public static Fleet Build(Rng rng, SimulationOptions options, Land land, AdminMap admin)
    {
        var ports = new (string Name, double Theta)[] { ("三江口渔港", 0.30), ("石城渔港", -0.45), ("文甲渔港", -0.95) };
        var fences = BuildFences(land);
        var vessels = new List<Vessel>();
        var people = rng.Fork("owners");
        var build = rng.Fork("vessels");
        var coastalGrids = Enumerable.Range(0, admin.Grids.Count).Where(g =>
        {
            var c = admin.Grids[g].Shape.InteriorPoint.Coordinate;
            var (theta, distance) = land.Polar(c.X, c.Y);
            return Land.CoastWeight(theta) > 0.9 && land.Radius(theta) - distance < 6;
        }).ToList();
        var homePorts = new int[VesselCount];
        for (var i = 0; i < VesselCount; i++)
        {
            homePorts[i] = i % ports.Length;
            var number = 10000 + build.Next(90000);
            vessels.Add(new Vessel($"闽莆渔{number:00000}", $"闽莆渔{number:00000}", "BD" + (4600000 + i * 137 + build.Next(100)).ToString(CultureInfo.InvariantCulture),
                ports[homePorts[i]].Name, Math.Round(build.Uniform(12, 38), 1), Math.Round(build.Uniform(40, 400), 0),
                People.Name(people), People.Mobile(people), admin.Grids[build.Pick(coastalGrids)].Code));
        }

        var fixes = new List<Fix>();
        var minutes = options.VesselDays * 24 * 60;
        // Boats that will poach in the no-fishing ground or cut through the channel.
        var trespassers = new HashSet<int>(Enumerable.Range(0, VesselCount).OrderBy(_ => build.NextULong()).Take(5));
        for (var v = 0; v < VesselCount; v++)
        {
            var track = rng.Fork("track", v);
            var port = land.AtEdge(ports[homePorts[v]].Theta, 0.8);
            var x = port.X;
            var y = port.Y;
            var course = 90.0;
            double? targetX = null, targetY = null;
            var atSea = false;
            var departMinute = 0;
            var returnMinute = 0;
            for (var m = 0; m < minutes; m++)
            {
                var dayMinute = m % 1440;
                if (!atSea && dayMinute == 0)
                {
                    // Plan today's trip: leave 3:00–6:00, back 15:00–20:00; a quarter of boats stay in port.
                    if (track.Chance(0.75))
                    {
                        departMinute = m + (int)track.Uniform(180, 360);
                        returnMinute = m + (int)track.Uniform(900, 1200);
                        var theta = ports[homePorts[v]].Theta + track.Uniform(-0.25, 0.25);
                        var target = land.AtEdge(theta, track.Uniform(6, 22));
                        if (trespassers.Contains(v) && track.Chance(0.7))
                        {
                            var fence = fences[track.Next(2)];
                            target = fence.AreaKm.InteriorPoint.Coordinate;
                        }
                        (targetX, targetY) = (target.X, target.Y);
                    }
                    else
                    {
                        targetX = null;
                    }
                }
                double speed;
                if (targetX is { } tx && targetY is { } ty && m >= departMinute && m < returnMinute)
                {
                    atSea = true;
                    var dx = tx - x;
                    var dy = ty - y;
                    var distance = Math.Sqrt(dx * dx + dy * dy);
                    if (distance > 0.3)
                    {
                        speed = track.Uniform(7, 9.5);
                        course = (90 - Math.Atan2(dy, dx) * 180 / Math.PI + 360) % 360;
                    }
                    else
                    {
                        // Trawling: slow, wandering.
                        speed = track.Uniform(1.5, 3.5);
                        course = (course + track.Normal(0, 25) + 360) % 360;
                    }
                }
                else if (atSea)
                {
                    var dx = port.X - x;
                    var dy = port.Y - y;
                    var distance = Math.Sqrt(dx * dx + dy * dy);
                    if (distance < 0.25)
                    {
                        atSea = false;
                        (x, y) = (port.X, port.Y);
                        speed = 0;
                    }
                    else
                    {
                        speed = track.Uniform(7.5, 9.5);
                        course = (90 - Math.Atan2(dy, dx) * 180 / Math.PI + 360) % 360;
                    }
                }
                else
                {
                    // Moored: the terminal reports the berth with a few metres of GPS jitter.
                    speed = 0;
                    (x, y) = (port.X + track.Normal(0, 0.003), port.Y + track.Normal(0, 0.003));
                }
                var step = speed * KnotsToKmPerMinute;
                var nx = x + step * Math.Sin(course * Math.PI / 180);
                var ny = y + step * Math.Cos(course * Math.PI / 180);
                // Keep off the land: a boat heading ashore turns back to sea.
                if (!atSea || land.IsSea(nx, ny) || Math.Sqrt((nx - port.X) * (nx - port.X) + (ny - port.Y) * (ny - port.Y)) < 0.25)
                {
                    (x, y) = (nx, ny);
                }
                else
                {
                    course = (course + 180) % 360;
                }
                var (lon, lat) = LocalFrame.ToLonLat(x, y);
                fixes.Add(new Fix(v, options.Start.AddMinutes(m), Math.Round(lon, 6), Math.Round(lat, 6), Math.Round(speed, 1), Math.Round(course, 0)));
            }
        }
        fixes.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Vessel.CompareTo(b.Vessel));
        return new Fleet(vessels, fences, fixes, FindCrossings(fixes, fences, vessels));
    }

    private static List<FenceInfo> BuildFences(Land land)
    {
        Polygon Sector(double thetaFrom, double thetaTo, double nearKm, double farKm)
        {
            var ring = new List<Coordinate>();
            const int steps = 24;
            for (var i = 0; i <= steps; i++)
            {
                ring.Add(land.AtEdge(thetaFrom + (thetaTo - thetaFrom) * i / steps, nearKm));
            }
            for (var i = steps; i >= 0; i--)
            {
                ring.Add(land.AtEdge(thetaFrom + (thetaTo - thetaFrom) * i / steps, farKm));
            }
            ring.Add(ring[0].Copy());
            return LocalFrame.Factory.CreatePolygon(ring.ToArray());
        }
        var specs = new (string Id, string Name, FenceKind Kind, Polygon Area)[]
        {
            ("F-01", "兴化湾产卵场禁渔区", FenceKind.NoFishing, Sector(0.12, 0.42, 9, 16)),
            ("F-02", "湄洲湾进港航道", FenceKind.Channel, Sector(-0.90, -0.80, 1.5, 30)),
            ("F-03", "平海湾养殖区", FenceKind.Aquaculture, Sector(-0.40, -0.25, 0.6, 3.5)),
            ("F-04", "南日岛海域养殖区", FenceKind.Aquaculture, Sector(-0.15, 0.02, 0.8, 3.0)),
            ("F-05", "出海作业警戒线", FenceKind.Offshore, Sector(-1.2, 1.05, 26, 45)),
        };
        return specs.Select(s => new FenceInfo
        {
            Record = new Fence(s.Id, s.Name, s.Kind, LocalFrame.ToWgs84(s.Area)), AreaKm = s.Area,
            Prepared = PreparedGeometryFactory.Prepare(LocalFrame.ToWgs84(s.Area)),
        }).ToList();
    }

    private static List<FenceCrossing> FindCrossings(List<Fix> fixes, List<FenceInfo> fences, List<Vessel> vessels)
    {
        var crossings = new List<FenceCrossing>();
        var inside = new DateTimeOffset?[vessels.Count, fences.Count];
        var open = new int[vessels.Count, fences.Count];
        foreach (var fix in fixes)
        {
            var point = OneMap.Models.Spatial.Geo.Factory.CreatePoint(new Coordinate(fix.Lon, fix.Lat));
            for (var f = 0; f < fences.Count; f++)
            {
                var now = fences[f].Record.Area.EnvelopeInternal.Contains(fix.Lon, fix.Lat) && fences[f].Prepared.Contains(point);
                if (now && inside[fix.Vessel, f] is null)
                {
                    inside[fix.Vessel, f] = fix.At;
                    open[fix.Vessel, f] = crossings.Count;
                    crossings.Add(new FenceCrossing(vessels[fix.Vessel].Id, fences[f].Record.Id, fix.At, null));
                }
                else if (!now && inside[fix.Vessel, f] is not null)
                {
                    crossings[open[fix.Vessel, f]] = crossings[open[fix.Vessel, f]] with { ExitedAt = fix.At };
                    inside[fix.Vessel, f] = null;
                }
            }
        }
        return crossings;
    }
}
