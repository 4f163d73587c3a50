using NetTopologySuite.Geometries;
using OneMap.Models.Rivers;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.Rivers;

/// <summary>A river as drawn: points from source to end (local km); a tributary ends exactly on a vertex of its parent.</summary>
public sealed class RiverLine
{
    public required string Name { get; init; }
    public required string NameEn { get; init; }
    public required List<Coordinate> Points { get; init; }

    /// <summary>The river it flows into, or −1 for the main river (which flows into the sea).</summary>
    public required int Parent { get; init; }

    /// <summary>The vertex of the parent where it joins.</summary>
    public required int JoinIndex { get; init; }

    public double LengthKm => Enumerable.Range(1, Points.Count - 1).Sum(i => Points[i - 1].Distance(Points[i]));
}

/// <summary>A reach while the city is built, with its position in the river it belongs to.</summary>
public sealed class ReachInfo
{
    public required RiverReach Record { get; init; }
    public required int River { get; init; }
    public required int FromIndex { get; init; }
    public required int ToIndex { get; init; }
    public required LineString ShapeKm { get; init; }

    /// <summary>Index of the next reach downstream, −1 at the mouth.</summary>
    public required int Downstream { get; init; }

    /// <summary>Mean discharge in m³/s (grows downstream; sets dilution at confluences).</summary>
    public required double Discharge { get; init; }

    public double LengthKm => ShapeKm.Length;
}

/// <summary>
/// The river network: the main river (木兰溪, Mulan River) rises in the western mountains, passes the Xianyou county
/// town and the central city and reaches the sea in an estuary on the east coast; first- and second-order tributaries
/// join it. Rivers are split into directed reaches of about 5 km at confluences and reach boundaries; reaches form a
/// tree that drains to the single mouth.
/// </summary>
public sealed class RiverSystem
{
    private static readonly (string Zh, string En)[] TributaryNames =
    [
        ("延寿溪", "Yanshou Creek"), ("仙水溪", "Xianshui Creek"), ("大济溪", "Daji Creek"), ("苦溪", "Ku Creek"),
        ("松坂溪", "Songban Creek"), ("柴桥头溪", "Chaiqiaotou Creek"), ("龙华溪", "Longhua Creek"), ("溪口溪", "Xikou Creek"),
        ("濑溪", "Lai Creek"), ("石马溪", "Shima Creek"), ("九鲤溪", "Jiuli Creek"), ("东圳溪", "Dongzhen Creek"),
    ];

    private RiverSystem(List<RiverLine> rivers, List<RiverNode> nodes, List<ReachInfo> reaches)
    {
        Rivers = rivers;
        Nodes = nodes;
        Reaches = reaches;
    }

    public List<RiverLine> Rivers { get; }
    public List<RiverNode> Nodes { get; }
    public List<ReachInfo> Reaches { get; }

    /// <summary>The point at <paramref name="distanceKm"/> from the upstream end of a reach (local km).</summary>
    public Coordinate PointOnReach(int reach, double distanceKm) =>
        new NetTopologySuite.LinearReferencing.LengthIndexedLine(Reaches[reach].ShapeKm).ExtractPoint(distanceKm);

    /// <summary>
    /// Travel time in hours and river distance in km from a point on one reach to a point on another downstream of
    /// it (positions in local km along each reach), or null when the second is not downstream of the first. Lengths
    /// are the reaches' recorded (geodesic) lengths, so the lag can be recomputed from the exported reach table.
    /// </summary>
    public (double Hours, double DistanceKm, double Dilution)? Downstream(int fromReach, double fromKm, int toReach, double toKm)
    {
        double hours = 0, km = 0;
        var reach = fromReach;
        var position = MetresAlong(fromReach, fromKm) / 1000;
        var dilution = 1.0;
        while (true)
        {
            var info = Reaches[reach];
            var speedKmh = info.Record.FlowSpeedMetersPerSecond * 3.6;
            var lengthKm = info.Record.LengthMeters / 1000;
            if (reach == toReach)
            {
                var target = MetresAlong(toReach, toKm) / 1000;
                if (target < position)
                {
                    return null;
                }
                var d = target - position;
                return (hours + d / speedKmh, km + d, dilution);
            }
            var rest = lengthKm - position;
            hours += rest / speedKmh;
            km += rest;
            if (info.Downstream < 0)
            {
                return null;
            }
            dilution *= info.Discharge / Reaches[info.Downstream].Discharge;
            reach = info.Downstream;
            position = 0;
        }
    }

    /// <summary>A local-km position along a reach as recorded metres along it (rounded to 0.1 m as exported).</summary>
    public double MetresAlong(int reach, double km) =>
        Math.Round(km / Reaches[reach].LengthKm * Reaches[reach].Record.LengthMeters, 1);

    public static RiverSystem Build(Rng rng, Land land, DensityField density)
    {
        var rivers = new List<RiverLine>();
        var mainRng = rng.Fork("main-river");
        var key = mainRng.NextULong();
        var source = land.AtEdge(Math.PI * 0.985, -5.5);
        var mouth = land.AtEdge(Land.MouthAngle, 0.6);
        var (cityX, cityY) = density.CityCentre;
        var waypoints = new List<Coordinate>
        {
            source,
            LocalFrame.Km(118.70, 25.352),
            LocalFrame.Km(118.86, 25.335),
            new(cityX - 2.5, cityY - 2.0),
            new(cityX + 4.0, cityY - 1.4),
            mouth,
        };
        var main = Meander(CatmullRom(waypoints, 0.2), key, 1.9, 11);
        rivers.Add(new RiverLine { Name = "木兰溪", NameEn = "Mulan River", Points = main, Parent = -1, JoinIndex = -1 });

        // First-order tributaries at spread-out points of the main river, alternating banks.
        var tributaries = rng.Fork("tributaries");
        var fractions = new[] { 0.10, 0.19, 0.28, 0.37, 0.46, 0.55, 0.64, 0.72, 0.80 };
        var nameIndex = 0;
        for (var k = 0; k < fractions.Length; k++)
        {
            var side = k % 2 == 0 ? 1 : -1;
            if (tributaries.Chance(0.25))
            {
                side = -side;
            }
            var added = TryAddTributary(tributaries, land, rivers, 0, fractions[k] + tributaries.Uniform(-0.02, 0.02), side,
                tributaries.Uniform(13, 30), TributaryNames[nameIndex]);
            if (added)
            {
                nameIndex++;
            }
        }
        // Second-order tributaries on the longest first-order ones.
        var longest = Enumerable.Range(1, rivers.Count - 1).OrderByDescending(i => rivers[i].LengthKm).ThenBy(i => i).Take(3).Order().ToList();
        foreach (var parent in longest)
        {
            if (nameIndex >= TributaryNames.Length)
            {
                break;
            }
            var added = TryAddTributary(tributaries, land, rivers, parent, tributaries.Uniform(0.35, 0.6),
                tributaries.Chance(0.5) ? 1 : -1, tributaries.Uniform(7, 12), TributaryNames[nameIndex]);
            if (added)
            {
                nameIndex++;
            }
        }

        var (nodes, reaches) = SplitIntoReaches(rng.Fork("reaches"), rivers, land);
        return new RiverSystem(rivers, nodes, reaches);
    }

    private static bool TryAddTributary(Rng rng, Land land, List<RiverLine> rivers, int parent, double fraction, int side, double lengthKm,
        (string Zh, string En) name)
    {
        var parentPoints = rivers[parent].Points;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var join = Math.Clamp((int)Math.Round(fraction * (parentPoints.Count - 1)), 5, parentPoints.Count - 6);
            var a = parentPoints[join - 3];
            var b = parentPoints[join + 3];
            var dx = b.X - a.X;
            var dy = b.Y - a.Y;
            var norm = Math.Sqrt(dx * dx + dy * dy);
            // Left normal of the flow direction, turned back upstream so the tributary joins at an acute angle.
            var nx = -dy / norm * side;
            var ny = dx / norm * side;
            var back = rng.Uniform(0.35, 0.8);
            var ux = nx * Math.Cos(back) - dx / norm * Math.Sin(back);
            var uy = ny * Math.Cos(back) - dy / norm * Math.Sin(back);
            var length = lengthKm * (1 - attempt * 0.025);
            var sourcePoint = new Coordinate(parentPoints[join].X + ux * length, parentPoints[join].Y + uy * length);
            var (theta, distance) = land.Polar(sourcePoint.X, sourcePoint.Y);
            if (distance > land.Radius(theta) - 2.5)
            {
                fraction += rng.Uniform(-0.02, 0.02);
                continue;
            }
            var mid = new Coordinate((sourcePoint.X + parentPoints[join].X) / 2 + rng.Uniform(-2, 2), (sourcePoint.Y + parentPoints[join].Y) / 2 + rng.Uniform(-2, 2));
            var line = Meander(CatmullRom([sourcePoint, mid, parentPoints[join]], 0.2), rng.NextULong(), 0.5, 4);
            line[^1] = parentPoints[join];
            if (!Clear(line, rivers, land))
            {
                fraction += rng.Uniform(-0.03, 0.03);
                continue;
            }
            rivers.Add(new RiverLine { Name = name.Zh, NameEn = name.En, Points = line, Parent = parent, JoinIndex = join });
            return true;
        }
        return false;
    }

    // A new tributary must stay on land and keep 600 m from every other river except where it joins.
    private static bool Clear(List<Coordinate> line, List<RiverLine> rivers, Land land)
    {
        var candidate = LocalFrame.Factory.CreateLineString(line.Take(line.Count - 8).ToArray());
        foreach (var p in line.Take(line.Count - 1))
        {
            if (!land.Contains(p.X, p.Y))
            {
                return false;
            }
        }
        foreach (var river in rivers)
        {
            var other = LocalFrame.Factory.CreateLineString(river.Points.ToArray());
            if (candidate.Distance(other) < 0.6)
            {
                return false;
            }
        }
        return true;
    }

    private static (List<RiverNode>, List<ReachInfo>) SplitIntoReaches(Rng rng, List<RiverLine> rivers, Land land)
    {
        // Split points per river: its source, every vertex where a tributary joins, regular boundaries, its end.
        var splits = rivers.Select(r => new SortedSet<int> { 0, r.Points.Count - 1 }).ToList();
        for (var i = 1; i < rivers.Count; i++)
        {
            splits[rivers[i].Parent].Add(rivers[i].JoinIndex);
        }
        for (var i = 0; i < rivers.Count; i++)
        {
            var cumulative = Cumulative(rivers[i].Points);
            var fixedPoints = splits[i].ToList();
            for (var k = 1; k < fixedPoints.Count; k++)
            {
                var from = fixedPoints[k - 1];
                var to = fixedPoints[k];
                var length = cumulative[to] - cumulative[from];
                var parts = (int)Math.Ceiling(length / rng.Uniform(4.5, 6.0));
                for (var p = 1; p < parts; p++)
                {
                    var target = cumulative[from] + length * p / parts;
                    var index = from;
                    while (index < to && cumulative[index] < target)
                    {
                        index++;
                    }
                    if (index > from + 1 && index < to - 1)
                    {
                        splits[i].Add(index);
                    }
                }
            }
        }

        // Nodes, numbered from the main river's source downstream, then each tributary.
        var nodes = new List<RiverNode>();
        var nodeAt = new Dictionary<(int River, int Index), string>();
        string NodeId(int n) => "N-" + n.ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < rivers.Count; i++)
        {
            foreach (var index in splits[i])
            {
                if (i > 0 && index == rivers[i].Points.Count - 1)
                {
                    continue; // the parent's confluence node
                }
                var kind = index == 0 ? RiverNodeKind.Source
                    : i == 0 && index == rivers[i].Points.Count - 1 ? RiverNodeKind.Mouth
                    : rivers.Skip(1).Any(r => rivers.IndexOf(r) != i && r.Parent == i && r.JoinIndex == index) ? RiverNodeKind.Confluence
                    : RiverNodeKind.ReachBoundary;
                var id = NodeId(nodes.Count + 1);
                nodeAt[(i, index)] = id;
                var p = rivers[i].Points[index];
                nodes.Add(new RiverNode(id, kind, LocalFrame.PointWgs84(p.X, p.Y)));
            }
        }
        for (var i = 1; i < rivers.Count; i++)
        {
            nodeAt[(i, rivers[i].Points.Count - 1)] = nodeAt[(rivers[i].Parent, rivers[i].JoinIndex)];
        }

        // Upstream length above each vertex drives the discharge.
        var catchment = rivers.Select(r => Cumulative(r.Points)).ToList();
        double UpstreamKm(int river, int index)
        {
            var total = catchment[river][index];
            for (var t = 1; t < rivers.Count; t++)
            {
                if (rivers[t].Parent == river && rivers[t].JoinIndex <= index)
                {
                    total += UpstreamKm(t, rivers[t].Points.Count - 1);
                }
            }
            return total;
        }

        var pending = new List<(int River, int From, int To)>();
        for (var i = 0; i < rivers.Count; i++)
        {
            var list = splits[i].ToList();
            for (var k = 1; k < list.Count; k++)
            {
                pending.Add((i, list[k - 1], list[k]));
            }
        }
        var reachIds = pending.Select((_, n) => "R-" + (n + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        int DownstreamOf(int n)
        {
            var (river, _, to) = pending[n];
            if (river == 0 && to == rivers[0].Points.Count - 1)
            {
                return -1;
            }
            var (targetRiver, targetIndex) = to == rivers[river].Points.Count - 1 ? (rivers[river].Parent, rivers[river].JoinIndex) : (river, to);
            return pending.FindIndex(p => p.River == targetRiver && p.From == targetIndex);
        }

        var reaches = new List<ReachInfo>();
        var speeds = rng.Fork("speeds");
        for (var n = 0; n < pending.Count; n++)
        {
            var (river, from, to) = pending[n];
            var points = rivers[river].Points.GetRange(from, to - from + 1).ToArray();
            var shape = LocalFrame.Factory.CreateLineString(points);
            var downstreamKm = UpstreamKm(river, to);
            // Mountain streams run fast, the lower river and the tidal estuary slowly.
            var (theta, distance) = land.Polar(points[^1].X, points[^1].Y);
            var toCoast = land.Radius(theta) - distance;
            var speed = river == 0
                ? Math.Clamp(0.42 + 0.012 * toCoast, 0.42, 0.95)
                : Math.Clamp(speeds.Uniform(0.35, 0.55) + 0.006 * toCoast, 0.35, 0.85);
            speed = Math.Round(speed, 2);
            var wgs = LocalFrame.ToWgs84(shape);
            var record = new RiverReach(reachIds[n], rivers[river].Name, rivers[river].NameEn,
                nodeAt[(river, from)], nodeAt[(river, to)], Math.Round(OneMap.Models.Spatial.Geo.LengthMeters(wgs), 1), speed, 0,
                DownstreamOf(n) is var d && d >= 0 ? reachIds[d] : null, wgs);
            reaches.Add(new ReachInfo
            {
                Record = record, River = river, FromIndex = from, ToIndex = to, ShapeKm = shape, Downstream = DownstreamOf(n),
                Discharge = Math.Round(0.8 + 0.55 * downstreamKm, 2),
            });
        }

        // Strahler orders: headwater reaches 1; where two reaches of equal order meet, one more.
        var strahler = new int[reaches.Count];
        int Order(int n)
        {
            if (strahler[n] > 0)
            {
                return strahler[n];
            }
            var upstream = Enumerable.Range(0, reaches.Count).Where(u => reaches[u].Downstream == n).Select(Order).OrderDescending().ToList();
            strahler[n] = upstream.Count == 0 ? 1 : upstream.Count > 1 && upstream[0] == upstream[1] ? upstream[0] + 1 : upstream[0];
            return strahler[n];
        }
        for (var n = 0; n < reaches.Count; n++)
        {
            var r = reaches[n];
            reaches[n] = new ReachInfo
            {
                Record = r.Record with { StreamOrder = Order(n) }, River = r.River, FromIndex = r.FromIndex, ToIndex = r.ToIndex,
                ShapeKm = r.ShapeKm, Downstream = r.Downstream, Discharge = r.Discharge,
            };
        }
        return (nodes, reaches);
    }

    private static double[] Cumulative(List<Coordinate> points)
    {
        var c = new double[points.Count];
        for (var i = 1; i < points.Count; i++)
        {
            c[i] = c[i - 1] + points[i - 1].Distance(points[i]);
        }
        return c;
    }

    /// <summary>A Catmull-Rom spline through the waypoints, sampled about every <paramref name="stepKm"/>.</summary>
    private static List<Coordinate> CatmullRom(List<Coordinate> waypoints, double stepKm)
    {
        var result = new List<Coordinate>();
        for (var i = 0; i < waypoints.Count - 1; i++)
        {
            var p0 = waypoints[Math.Max(0, i - 1)];
            var p1 = waypoints[i];
            var p2 = waypoints[i + 1];
            var p3 = waypoints[Math.Min(waypoints.Count - 1, i + 2)];
            var steps = Math.Max(2, (int)Math.Ceiling(p1.Distance(p2) / stepKm));
            for (var s = 0; s < steps; s++)
            {
                var t = (double)s / steps;
                double t2 = t * t, t3 = t2 * t;
                result.Add(new Coordinate(
                    0.5 * (2 * p1.X + (-p0.X + p2.X) * t + (2 * p0.X - 5 * p1.X + 4 * p2.X - p3.X) * t2 + (-p0.X + 3 * p1.X - 3 * p2.X + p3.X) * t3),
                    0.5 * (2 * p1.Y + (-p0.Y + p2.Y) * t + (2 * p0.Y - 5 * p1.Y + 4 * p2.Y - p3.Y) * t2 + (-p0.Y + 3 * p1.Y - 3 * p2.Y + p3.Y) * t3)));
            }
        }
        result.Add(waypoints[^1].Copy());
        return result;
    }

    /// <summary>Adds meanders: a lateral offset of smooth noise, zero at both ends so sources and joins stay put.</summary>
    private static List<Coordinate> Meander(List<Coordinate> line, ulong key, double amplitudeKm, double wiggles)
    {
        var cumulative = Cumulative(line);
        var total = cumulative[^1];
        var result = new List<Coordinate>(line.Count);
        for (var i = 0; i < line.Count; i++)
        {
            var a = line[Math.Max(0, i - 1)];
            var b = line[Math.Min(line.Count - 1, i + 1)];
            var dx = b.X - a.X;
            var dy = b.Y - a.Y;
            var norm = Math.Sqrt(dx * dx + dy * dy);
            var t = cumulative[i] / total;
            var offset = amplitudeKm * Math.Sin(Math.PI * t) * Noise.Fractal1(key, t * wiggles, 3, 0.45);
            result.Add(new Coordinate(line[i].X - dy / norm * offset, line[i].Y + dx / norm * offset));
        }
        return result;
    }
}
