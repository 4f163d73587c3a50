using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Triangulate;

namespace OneMap.Simulator.Geography;

/// <summary>
/// Splits a polygon into cells that tile it exactly. The Voronoi cell edges of the sites and the parent's boundary are
/// noded together once and polygonized: every edge between two cells is then the same sequence of coordinates in both,
/// so there are no gaps or overlaps by construction, and the parent's boundary keeps its own vertices (a node added on
/// it lies on the original segment to floating-point precision, unlike snap-rounding, which would bend it).
/// Each face goes to the site whose Voronoi cell holds it; a site whose cell the parent's boundary cuts in pieces keeps
/// its largest piece and the others join the neighbour they share most edge with.
/// </summary>
public sealed class Partition
{
    private static readonly PrecisionModel Floating = new();

    private Partition(IReadOnlyList<Geometry> cells, IReadOnlyList<IReadOnlyDictionary<int, double>> adjacency)
    {
        Cells = cells;
        Adjacency = adjacency;
    }

    /// <summary>One geometry per site (a Polygon, rarely a MultiPolygon), in site order.</summary>
    public IReadOnlyList<Geometry> Cells { get; }

    /// <summary>For each cell, the cells it shares an edge with and the shared length.</summary>
    public IReadOnlyList<IReadOnlyDictionary<int, double>> Adjacency { get; }

    public static Partition Voronoi(Polygon parent, IReadOnlyList<Coordinate> sites)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (sites.Count == 1)
        {
            return new Partition([parent], [new Dictionary<int, double>()]);
        }
        var factory = LocalFrame.Factory;
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites.Select(s => s.Copy()).ToList());
        var envelope = parent.EnvelopeInternal.Copy();
        envelope.ExpandBy(Math.Max(envelope.Width, envelope.Height));
        builder.ClipEnvelope = envelope;
        var diagram = builder.GetDiagram(factory);

        var lines = new List<Geometry>();
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            lines.Add(((Polygon)diagram.GetGeometryN(i)).ExteriorRing);
        }
        lines.Add(parent.ExteriorRing);
        foreach (var hole in parent.InteriorRings)
        {
            lines.Add(hole);
        }
        var noded = OverlayNG.Overlay(factory.BuildGeometry(lines), null, SpatialFunction.Union, Floating);
        var polygonizer = new Polygonizer();
        polygonizer.Add(noded);
        var preparedParent = PreparedGeometryFactory.Prepare(parent);
        var faces = polygonizer.GetPolygons().Cast<Polygon>()
            .Where(f => f.Area > 0 && preparedParent.Contains(f.InteriorPoint))
            .OrderBy(f => f.EnvelopeInternal.MinX).ThenBy(f => f.EnvelopeInternal.MinY).ThenBy(f => f.Area)
            .ToList();

        var owner = faces.Select(f => Nearest(sites, f.InteriorPoint.Coordinate)).ToArray();
        var edges = new EdgeMap(faces);
        ReassignDetachedPieces(faces, owner, edges, sites.Count);

        var cells = new Geometry[sites.Count];
        for (var s = 0; s < sites.Count; s++)
        {
            var mine = faces.Where((_, i) => owner[i] == s).ToList();
            cells[s] = mine.Count switch
            {
                0 => factory.CreatePolygon(),
                1 => mine[0],
                _ => OverlayNG.Overlay(factory.BuildGeometry(mine), null, SpatialFunction.Union, Floating),
            };
        }
        return new Partition(cells, CellAdjacency(edges, owner, sites.Count));
    }

    /// <summary>Union of cells that share exact edges (robust because their coordinates coincide).</summary>
    public static Geometry Union(IEnumerable<Geometry> cells)
    {
        var list = cells.ToList();
        return list.Count == 1
            ? list[0]
            : OverlayNG.Overlay(LocalFrame.Factory.BuildGeometry(list), null, SpatialFunction.Union, Floating);
    }

    private static int Nearest(IReadOnlyList<Coordinate> sites, Coordinate p)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < sites.Count; i++)
        {
            var d = sites[i].Distance(p);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    // Each undirected edge (pair of coordinates) with the faces that use it, in first-seen order so that sums over
    // edges never depend on hash order.
    private sealed class EdgeMap
    {
        private readonly Dictionary<(double, double, double, double), List<int>> _faces = [];

        public EdgeMap(List<Polygon> faces)
        {
            for (var f = 0; f < faces.Count; f++)
            {
                foreach (var ring in new[] { faces[f].ExteriorRing }.Concat(faces[f].InteriorRings))
                {
                    var c = ring.Coordinates;
                    for (var i = 1; i < c.Length; i++)
                    {
                        var key = Key(c[i - 1], c[i]);
                        if (!_faces.TryGetValue(key, out var list))
                        {
                            _faces[key] = list = [];
                            Edges.Add((key, list));
                        }
                        if (!list.Contains(f))
                        {
                            list.Add(f);
                        }
                    }
                }
            }
        }

        public List<((double X1, double Y1, double X2, double Y2) Key, List<int> Faces)> Edges { get; } = [];

        private static (double, double, double, double) Key(Coordinate a, Coordinate b) =>
            a.X < b.X || (a.X == b.X && a.Y <= b.Y) ? (a.X, a.Y, b.X, b.Y) : (b.X, b.Y, a.X, a.Y);
    }

    private static double Length((double X1, double Y1, double X2, double Y2) e) =>
        Math.Sqrt((e.X2 - e.X1) * (e.X2 - e.X1) + (e.Y2 - e.Y1) * (e.Y2 - e.Y1));

    private static void ReassignDetachedPieces(
        List<Polygon> faces, int[] owner, EdgeMap edges, int siteCount)
    {
        // Face-to-face shared lengths, from the exact edge map.
        var faceNeighbours = new SortedDictionary<int, double>[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            faceNeighbours[i] = [];
        }
        foreach (var (key, list) in edges.Edges)
        {
            if (list.Count != 2)
            {
                continue;
            }
            var length = Length(key);
            Add(faceNeighbours[list[0]], list[1], length);
            Add(faceNeighbours[list[1]], list[0], length);
        }
        for (var round = 0; round < 4; round++)
        {
            var changed = false;
            for (var s = 0; s < siteCount; s++)
            {
                var mine = Enumerable.Range(0, faces.Count).Where(i => owner[i] == s).ToList();
                if (mine.Count < 2)
                {
                    continue;
                }
                // Connected components of this site's faces.
                var component = new Dictionary<int, int>();
                var components = new List<List<int>>();
                foreach (var start in mine)
                {
                    if (component.ContainsKey(start))
                    {
                        continue;
                    }
                    var members = new List<int>();
                    var stack = new Stack<int>([start]);
                    component[start] = components.Count;
                    while (stack.Count > 0)
                    {
                        var f = stack.Pop();
                        members.Add(f);
                        foreach (var n in faceNeighbours[f].Keys)
                        {
                            if (owner[n] == s && !component.ContainsKey(n))
                            {
                                component[n] = components.Count;
                                stack.Push(n);
                            }
                        }
                    }
                    components.Add(members);
                }
                if (components.Count < 2)
                {
                    continue;
                }
                var main = components.OrderByDescending(c => c.Sum(f => faces[f].Area)).First();
                foreach (var piece in components.Where(c => c != main))
                {
                    var shared = new SortedDictionary<int, double>();
                    foreach (var f in piece)
                    {
                        foreach (var (n, length) in faceNeighbours[f])
                        {
                            if (owner[n] != s)
                            {
                                Add(shared, owner[n], length);
                            }
                        }
                    }
                    if (shared.Count == 0)
                    {
                        continue;
                    }
                    var target = shared.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
                    foreach (var f in piece)
                    {
                        owner[f] = target;
                    }
                    changed = true;
                }
            }
            if (!changed)
            {
                break;
            }
        }
    }

    private static List<IReadOnlyDictionary<int, double>> CellAdjacency(
        EdgeMap edges, int[] owner, int siteCount)
    {
        var adjacency = Enumerable.Range(0, siteCount).Select(_ => new SortedDictionary<int, double>()).ToList();
        foreach (var (key, list) in edges.Edges)
        {
            if (list.Count != 2 || owner[list[0]] == owner[list[1]])
            {
                continue;
            }
            var length = Length(key);
            Add(adjacency[owner[list[0]]], owner[list[1]], length);
            Add(adjacency[owner[list[1]]], owner[list[0]], length);
        }
        return adjacency.Select(a => (IReadOnlyDictionary<int, double>)a).ToList();
    }

    private static void Add(SortedDictionary<int, double> map, int key, double value) =>
        map[key] = map.TryGetValue(key, out var existing) ? existing + value : value;
}
