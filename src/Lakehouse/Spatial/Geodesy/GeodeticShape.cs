using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// A geometry prepared for distances on the sphere and spheroid: its points, lines and polygons as unit-sphere
/// vertices, each polygon with the point outside it that the spherical point-in-polygon test stabs from. Building one
/// costs a pass over the vertices; reuse it when one side of a distance test is constant (a reach, a fence).
/// </summary>
public sealed class GeodeticShape
{
    private GeodeticShape(List<GeoPoint> points, List<GeoPoint[]> lines, List<SphericalPolygon> polygons, GeocentricBox? box)
    {
        Points = points;
        Lines = lines;
        Polygons = polygons;
        Box = box;
    }

    internal List<GeoPoint> Points { get; }

    internal List<GeoPoint[]> Lines { get; }

    internal List<SphericalPolygon> Polygons { get; }

    internal GeocentricBox? Box { get; }

    /// <summary>True when the geometry has no coordinates (distances to it are undefined).</summary>
    public bool IsEmpty => Points.Count == 0 && Lines.Count == 0 && Polygons.Count == 0;

    public static GeodeticShape From(Geometry geometry)
    {
        var points = new List<GeoPoint>();
        var lines = new List<GeoPoint[]>();
        var polygons = new List<SphericalPolygon>();
        Collect(geometry, points, lines, polygons);
        return new GeodeticShape(points, lines, polygons, GeocentricBox.Of(geometry));
    }

    private static void Collect(Geometry geometry, List<GeoPoint> points, List<GeoPoint[]> lines, List<SphericalPolygon> polygons)
    {
        if (geometry.IsEmpty)
        {
            return;
        }
        switch (geometry)
        {
            case Point point:
                points.Add(GeoPoint.FromDegrees(point.X, point.Y));
                break;
            case LineString line:
                lines.Add(ToGeoPoints(line.CoordinateSequence));
                break;
            case Polygon polygon:
                polygons.Add(new SphericalPolygon(polygon));
                break;
            case GeometryCollection collection:
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    Collect(collection.GetGeometryN(i), points, lines, polygons);
                }
                break;
        }
    }

    internal static GeoPoint[] ToGeoPoints(CoordinateSequence sequence)
    {
        var result = new GeoPoint[sequence.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = GeoPoint.FromDegrees(sequence.GetX(i), sequence.GetY(i));
        }
        return result;
    }

    /// <summary>A lon/lat degree pair of the shape (its first vertex), used for containment short-circuits.</summary>
    internal (double Lon, double Lat) FirstVertex =>
        Points.Count > 0 ? (Points[0].LonDegrees, Points[0].LatDegrees)
        : Lines.Count > 0 ? (Lines[0][0].LonDegrees, Lines[0][0].LatDegrees)
        : (Polygons[0].FirstLon, Polygons[0].FirstLat);
}

/// <summary>
/// A polygon on the sphere: rings of great-circle edges and a point outside it. A point is covered when a great-circle
/// stab line from it to the outside point crosses the outer ring an odd number of times (or touches it) and an even
/// number of holes, as PostGIS's <c>lwpoly_covers_point2d</c> decides.
/// </summary>
internal sealed class SphericalPolygon
{
    private readonly double _outsideLon;
    private readonly double _outsideLat;
    private readonly GeocentricBox _box;
    private readonly (double X, double Y)[][] _ringDegrees;

    public SphericalPolygon(Polygon polygon)
    {
        var rings = new List<LineString> { polygon.ExteriorRing };
        rings.AddRange(polygon.InteriorRings);
        Rings = rings.Select(r => GeodeticShape.ToGeoPoints(r.CoordinateSequence)).ToArray();
        RingVectors = Rings.Select(r => r.Select(p => p.ToCartesian()).ToArray()).ToArray();
        _ringDegrees = rings.Select(r => Enumerable.Range(0, r.CoordinateSequence.Count)
            .Select(i => (r.CoordinateSequence.GetX(i), r.CoordinateSequence.GetY(i))).ToArray()).ToArray();
        FirstLon = polygon.ExteriorRing.CoordinateSequence.GetX(0);
        FirstLat = polygon.ExteriorRing.CoordinateSequence.GetY(0);
        _box = GeocentricBox.Of(polygon) ?? throw new GeometryOperationException("geodetic polygon", "polygon without coordinates");
        if (!_box.TryPointOutside(out _outsideLon, out _outsideLat))
        {
            (_outsideLon, _outsideLat) = OutsideByNudge(Rings[0]);
        }
    }

    /// <summary>Outer ring first, then holes; each closed.</summary>
    public GeoPoint[][] Rings { get; }

    public Vec3[][] RingVectors { get; }

    public double FirstLon { get; }

    public double FirstLat { get; }

    /// <summary>True when the lon/lat point (degrees) is inside the polygon or on its boundary.</summary>
    public bool Covers(double lon, double lat)
    {
        var p = GeoPoint.FromDegrees(lon, lat).ToCartesian();
        if (!_box.Contains(p))
        {
            return false;
        }
        if (!RingContains(_ringDegrees[0], lon, lat))
        {
            return false;
        }
        var inHoles = 0;
        for (var i = 1; i < _ringDegrees.Length; i++)
        {
            if (RingContains(_ringDegrees[i], lon, lat))
            {
                inHoles++;
            }
        }
        return inHoles % 2 == 0;
    }

    private bool RingContains((double X, double Y)[] ring, double lon, double lat)
    {
        if (ring.Length < 4)
        {
            return false;
        }
        var s1 = Vec3.FromLonLatDegrees(lon, lat);
        var s2 = Vec3.FromLonLatDegrees(_outsideLon, _outsideLat);
        var e1 = Vec3.FromLonLatDegrees(ring[0].X, ring[0].Y);
        var count = 0;
        for (var i = 1; i < ring.Length; i++)
        {
            var e2 = Vec3.FromLonLatDegrees(ring[i].X, ring[i].Y);
            if (e1.NearlyEquals(e2))
            {
                continue;
            }
            if (s1.NearlyEquals(e1))
            {
                return true;
            }
            var interaction = Sphere.EdgeIntersects(s1, s2, e1, e2);
            if ((interaction & Sphere.Interaction.Intersects) != 0)
            {
                // The stab line touching the edge means the test point is on it.
                if ((interaction & (Sphere.Interaction.ATouchRight | Sphere.Interaction.ATouchLeft)) != 0)
                {
                    return true;
                }
                // Count a vertex crossing once (on its left-hand edge) and ignore co-linear runs.
                if ((interaction & (Sphere.Interaction.BTouchRight | Sphere.Interaction.Colinear)) == 0)
                {
                    count++;
                }
            }
            e1 = e2;
        }
        return count % 2 == 1;
    }

    /// <summary>For a polygon whose box covers the globe: a point nudged off the first edge, to its right.</summary>
    private static (double Lon, double Lat) OutsideByNudge(GeoPoint[] ring)
    {
        var q1 = ring[0].ToCartesian();
        var q2 = ring[1].ToCartesian();
        var mid = (q1 + q2).Normalized();
        var cross = q1.Cross(q2).Normalized() * -0.2;
        var point = GeoPoint.FromCartesian((mid + cross).Normalized());
        return (point.LonDegrees, point.LatDegrees);
    }
}
