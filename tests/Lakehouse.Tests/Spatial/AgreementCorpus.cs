using System.Buffers.Binary;

using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>One pair of the PostGIS agreement corpus: two WKB geometries, a within-distance and a buffer radius.</summary>
internal sealed record CorpusPair(int Id, string Category, byte[] A, byte[] B, double WithinMetres, double BufferMetres);

/// <summary>
/// A deterministic corpus of geometry pairs around a city (Putian, lon 119°, lat 25.4°) with the cases where spatial
/// engines disagree: points on edges and vertices, polygons with holes, multipolygons, shared edges and vertices,
/// nearly coincident edges, empty geometries, invalid polygons and malformed WKB.
/// </summary>
internal static class AgreementCorpus
{
    private const double CenterLon = 119.0;
    private const double CenterLat = 25.45;
    private static readonly GeometryFactory Factory = GeometryCodec.Factory;

    private delegate (object A, object B) Maker(Random random);

    private static readonly (string Category, int Weight, Maker Make)[] Categories =
    [
        ("point-polygon", 10, r => (Star(r), RandomPoint(r, 0.03))),
        ("point-on-edge", 10, r => { var p = Star(r); return (p, OnEdge(r, p)); }),
        ("point-on-axis-edge", 5, r => { var p = Box(r); return (p, OnEdge(r, p)); }),
        ("point-at-vertex", 5, r => { var p = Star(r); return (p, AtVertex(r, p)); }),
        ("point-in-hole", 8, r => { var p = WithHoles(r); return (p, r.Next(3) == 0 ? OnEdge(r, p) : RandomPointNear(r, p.InteriorRings[0])); }),
        ("multipolygon-point", 6, r => { var m = Multi(r); return (m, r.Next(2) == 0 ? OnEdge(r, m) : RandomPoint(r, 0.04)); }),
        ("multipoint-polygon", 6, r => { var p = Star(r); return (p, MultiPointAround(r, p)); }),
        ("polygon-multipoint-swapped", 3, r => { var p = Star(r); return (MultiPointAround(r, p), p); }),
        ("shared-edge", 6, r => { var p = Star(r); return (p, EdgeTriangle(r, p, 0)); }),
        ("shared-vertex", 4, r => { var p = Star(r); return (p, VertexSpike(r, p)); }),
        ("nearly-coincident-edge", 6, r => { var p = Star(r); return (p, EdgeTriangle(r, p, (r.Next(2) == 0 ? 1 : -1) * Math.Pow(10, -r.Next(8, 13)))); }),
        ("polygon-polygon", 6, r => (Star(r), Star(r, Offset(r, 0.02)))),
        ("polygon-in-hole", 3, r => { var p = WithHoles(r); return (p, Shrunk(p.InteriorRings[0], 0.5)); }),
        ("line-polygon", 5, r => { var p = Star(r); return (p, Line(r)); }),
        ("line-on-edge", 3, r => { var p = Star(r); return (p, EdgeLine(r, p)); }),
        ("line-line", 4, r => (Line(r), Line(r))),
        ("point-line", 3, r => { var l = Line(r); return (l, r.Next(2) == 0 ? OnEdge(r, l) : RandomPoint(r, 0.03)); }),
        ("point-point", 2, r => { var p = RandomPoint(r, 0.02); return (p, r.Next(4) == 0 ? p.Copy() : RandomPoint(r, 0.02)); }),
        ("empty", 3, r => (Empty(r), r.Next(3) == 0 ? Empty(r) : Star(r))),
        ("empty-swapped", 2, r => (Star(r), Empty(r))),
        ("invalid-bowtie", 3, r => (Bowtie(r), RandomPoint(r, 0.02))),
        ("invalid-bowtie-polygon", 2, r => (Bowtie(r), Star(r))),
        ("invalid-overlapping-multipolygon", 2, r => { var m = OverlappingMulti(r); return (m, r.Next(2) == 0 ? RandomPoint(r, 0.02) : OnEdge(r, m)); }),
        ("invalid-hole-outside-shell", 2, r => (HoleOutsideShell(r), RandomPoint(r, 0.03))),
        ("malformed-wkb", 1, r => (Malformed(r), RandomPoint(r, 0.01))),
        ("collection", 1, r => (Factory.CreateGeometryCollection([RandomPoint(r, 0.01), Line(r)]), Star(r))),
    ];

    public static IReadOnlyList<CorpusPair> Generate(int count = 10_000, int seed = 8_2024)
    {
        var random = new Random(seed);
        var totalWeight = Categories.Sum(c => c.Weight);
        var pairs = new List<CorpusPair>(count);
        for (var id = 0; id < count; id++)
        {
            // Round-robin over the weights keeps every category present whatever the count.
            var slot = id % totalWeight;
            var index = 0;
            while (slot >= Categories[index].Weight)
            {
                slot -= Categories[index].Weight;
                index++;
            }
            var (category, _, make) = Categories[index];
            var (a, b) = make(random);
            var within = random.Next(4) switch
            {
                0 => 1.0,
                1 => 50.0,
                2 => 500.0,
                _ => random.NextDouble() * 3000,
            };
            pairs.Add(new CorpusPair(id, category, Wkb(a), Wkb(b), within, 20 + (random.NextDouble() * 300)));
        }
        return pairs;
    }

    private static byte[] Wkb(object geometry) => geometry as byte[] ?? GeometryCodec.ToWkb((Geometry)geometry);

    private static Coordinate Offset(Random r, double spread) =>
        new(CenterLon + ((r.NextDouble() - 0.5) * spread), CenterLat + ((r.NextDouble() - 0.5) * spread));

    private static Point RandomPoint(Random r, double spread) => Factory.CreatePoint(Offset(r, spread));

    private static Point RandomPointNear(Random r, LineString ring)
    {
        var e = ring.EnvelopeInternal;
        return Factory.CreatePoint(new Coordinate(
            e.MinX + (r.NextDouble() * e.Width * 1.2) - (e.Width * 0.1),
            e.MinY + (r.NextDouble() * e.Height * 1.2) - (e.Height * 0.1)));
    }

    /// <summary>A star-shaped simple polygon: vertices at sorted angles with random radii.</summary>
    private static Polygon Star(Random r, Coordinate? center = null, double? size = null)
    {
        var c = center ?? Offset(r, 0.01);
        var radius = size ?? (0.002 + (r.NextDouble() * 0.01));
        return Factory.CreatePolygon(StarRing(r, c, radius, 5 + r.Next(20), 0.5));
    }

    private static Coordinate[] StarRing(Random r, Coordinate center, double radius, int vertices, double minFraction)
    {
        var angles = Enumerable.Range(0, vertices).Select(_ => r.NextDouble() * 2 * Math.PI).Order().ToArray();
        var ring = angles.Select(a =>
        {
            var d = radius * (minFraction + ((1 - minFraction) * r.NextDouble()));
            return new Coordinate(center.X + (d * Math.Cos(a)), center.Y + (d * Math.Sin(a)));
        }).ToList();
        ring.Add(ring[0].Copy());
        return ring.ToArray();
    }

    /// <summary>An axis-aligned rectangle, whose edges hold exactly representable on-edge points.</summary>
    private static Polygon Box(Random r)
    {
        var c = Offset(r, 0.01);
        var w = 0.001 + (r.NextDouble() * 0.01);
        var h = 0.001 + (r.NextDouble() * 0.01);
        return GeometryOperations.MakeEnvelope(c.X, c.Y, c.X + w, c.Y + h);
    }

    private static Polygon WithHoles(Random r)
    {
        var c = Offset(r, 0.01);
        var radius = 0.004 + (r.NextDouble() * 0.008);
        var shell = Factory.CreateLinearRing(StarRing(r, c, radius, 8 + r.Next(12), 0.7));
        var holes = new List<LinearRing>();
        var count = 1 + r.Next(2);
        for (var i = 0; i < count; i++)
        {
            // Holes sit well inside the shell's minimum radius and apart from each other.
            var angle = (i * Math.PI) + (r.NextDouble() * 0.5);
            var hc = new Coordinate(c.X + (radius * 0.35 * Math.Cos(angle)), c.Y + (radius * 0.35 * Math.Sin(angle)));
            holes.Add(Factory.CreateLinearRing(StarRing(r, hc, radius * 0.25, 4 + r.Next(8), 0.5).Reverse().ToArray()));
        }
        return Factory.CreatePolygon(shell, holes.ToArray());
    }

    private static MultiPolygon Multi(Random r)
    {
        var parts = Enumerable.Range(0, 2 + r.Next(2))
            .Select(i => Star(r, new Coordinate(CenterLon + (i * 0.03) - 0.03, CenterLat + ((r.NextDouble() - 0.5) * 0.01)), 0.004 + (r.NextDouble() * 0.006)))
            .ToArray();
        return Factory.CreateMultiPolygon(parts);
    }

    private static MultiPolygon OverlappingMulti(Random r)
    {
        var c = Offset(r, 0.01);
        return Factory.CreateMultiPolygon([Star(r, c, 0.008), Star(r, new Coordinate(c.X + 0.004, c.Y), 0.008)]);
    }

    private static Polygon Bowtie(Random r)
    {
        var c = Offset(r, 0.01);
        var w = 0.002 + (r.NextDouble() * 0.01);
        var h = 0.002 + (r.NextDouble() * 0.01);
        return Factory.CreatePolygon(
        [
            new Coordinate(c.X, c.Y), new Coordinate(c.X + w, c.Y + h), new Coordinate(c.X + w, c.Y),
            new Coordinate(c.X, c.Y + h), new Coordinate(c.X, c.Y),
        ]);
    }

    private static Polygon HoleOutsideShell(Random r)
    {
        var c = Offset(r, 0.01);
        var shell = Factory.CreateLinearRing(StarRing(r, c, 0.005, 8, 0.7));
        var hole = Factory.CreateLinearRing(StarRing(r, new Coordinate(c.X + 0.02, c.Y), 0.003, 6, 0.7).Reverse().ToArray());
        return Factory.CreatePolygon(shell, [hole]);
    }

    private static Polygon Shrunk(LineString ring, double factor)
    {
        var center = ring.Centroid.Coordinate;
        return Factory.CreatePolygon(ring.Coordinates
            .Select(p => new Coordinate(center.X + ((p.X - center.X) * factor), center.Y + ((p.Y - center.Y) * factor))).ToArray());
    }

    private static LineString Line(Random r)
    {
        var start = Offset(r, 0.02);
        var points = new List<Coordinate> { start };
        var count = 1 + r.Next(5);
        for (var i = 0; i < count; i++)
        {
            var last = points[^1];
            points.Add(new Coordinate(last.X + ((r.NextDouble() - 0.5) * 0.015), last.Y + ((r.NextDouble() - 0.5) * 0.015)));
        }
        return Factory.CreateLineString(points.ToArray());
    }

    private static (Coordinate P, Coordinate Q) RandomEdge(Random r, Geometry g)
    {
        var coordinates = g is Polygon polygon ? polygon.ExteriorRing.Coordinates
            : g is MultiPolygon multi ? ((Polygon)multi.GetGeometryN(r.Next(multi.NumGeometries))).ExteriorRing.Coordinates
            : g.Coordinates;
        var i = r.Next(coordinates.Length - 1);
        return (coordinates[i], coordinates[i + 1]);
    }

    private static Point OnEdge(Random r, Geometry g)
    {
        var (p, q) = RandomEdge(r, g);
        var t = r.Next(5) == 0 ? 0.5 : r.NextDouble();
        return Factory.CreatePoint(new Coordinate(p.X + (t * (q.X - p.X)), p.Y + (t * (q.Y - p.Y))));
    }

    private static Point AtVertex(Random r, Polygon polygon)
    {
        var coordinates = polygon.ExteriorRing.Coordinates;
        return Factory.CreatePoint(coordinates[r.Next(coordinates.Length - 1)].Copy());
    }

    private static MultiPoint MultiPointAround(Random r, Polygon polygon)
    {
        var points = new List<Point>();
        var count = 2 + r.Next(4);
        for (var i = 0; i < count; i++)
        {
            points.Add(r.Next(3) switch
            {
                0 => OnEdge(r, polygon),
                1 => Factory.CreatePoint(polygon.InteriorPoint.Coordinate),
                _ => RandomPointNear(r, polygon.ExteriorRing),
            });
        }
        return Factory.CreateMultiPoint(points.ToArray());
    }

    /// <summary>A triangle on an edge of the polygon, outside it, its base shifted off the edge by <paramref name="shift"/>°.</summary>
    private static Polygon EdgeTriangle(Random r, Polygon polygon, double shift)
    {
        var (p, q) = RandomEdge(r, polygon);
        var dx = q.X - p.X;
        var dy = q.Y - p.Y;
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        // The polygon's rings run either way round; put the apex on the side away from its centre.
        var nx = dy / length;
        var ny = -dx / length;
        var centroid = polygon.Centroid.Coordinate;
        var mid = new Coordinate((p.X + q.X) / 2, (p.Y + q.Y) / 2);
        if (((centroid.X - mid.X) * nx) + ((centroid.Y - mid.Y) * ny) > 0)
        {
            nx = -nx;
            ny = -ny;
        }
        var height = length * (0.2 + (r.NextDouble() * 0.5));
        var apex = new Coordinate(mid.X + (nx * height), mid.Y + (ny * height));
        var p2 = new Coordinate(p.X + (nx * shift), p.Y + (ny * shift));
        var q2 = new Coordinate(q.X + (nx * shift), q.Y + (ny * shift));
        return Factory.CreatePolygon([q2, p2, apex, q2.Copy()]);
    }

    private static LineString EdgeLine(Random r, Polygon polygon)
    {
        var (p, q) = RandomEdge(r, polygon);
        var t = r.NextDouble() * 0.5;
        return Factory.CreateLineString([new Coordinate(p.X + (t * (q.X - p.X)), p.Y + (t * (q.Y - p.Y))), q.Copy(), Offset(r, 0.02)]);
    }

    private static Polygon VertexSpike(Random r, Polygon polygon)
    {
        var coordinates = polygon.ExteriorRing.Coordinates;
        var v = coordinates[r.Next(coordinates.Length - 1)];
        var centroid = polygon.Centroid.Coordinate;
        var ox = v.X - centroid.X;
        var oy = v.Y - centroid.Y;
        return Factory.CreatePolygon(
        [
            v.Copy(), new Coordinate(v.X + ox - (oy * 0.3), v.Y + oy + (ox * 0.3)),
            new Coordinate(v.X + ox + (oy * 0.3), v.Y + oy - (ox * 0.3)), v.Copy(),
        ]);
    }

    private static Geometry Empty(Random r) => r.Next(5) switch
    {
        0 => Factory.CreatePoint(),
        1 => Factory.CreateLineString(),
        2 => Factory.CreatePolygon(),
        3 => Factory.CreateMultiPolygon(),
        _ => Factory.CreateGeometryCollection(),
    };

    private static byte[] Malformed(Random r)
    {
        var valid = GeometryCodec.ToWkb(Star(r));
        switch (r.Next(3))
        {
            case 0:
                return valid[..(valid.Length / 2)];
            case 1:
                BinaryPrimitives.WriteUInt32LittleEndian(valid.AsSpan(1), 99);
                return valid;
            default:
                // An unclosed ring: move the last vertex.
                BinaryPrimitives.WriteDoubleLittleEndian(valid.AsSpan(valid.Length - 16), 119.5);
                return valid;
        }
    }
}
