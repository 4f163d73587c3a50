using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// A geometry prepared for distances on the sphere and spheroid: its points, lines and polygons as unit-sphere
/// vertices, each polygon with the point outside it that the spherical point-in-polygon test stabs from. Building one
/// costs a pass over the vertices; reuse it when one side of a distance test is constant (a reach, a fence).
/// </summary>
public sealed class GeodeticShape
{
    private readonly GeocentricBox? _storedBox;
    private readonly (double Lon, double Lat) _outside;

    private GeodeticShape(Geometry geometry)
    {
        Collect(geometry, Parts, topLevel: true);
        IsPolygonal = geometry is Polygon or MultiPolygon && Parts.Count > 0;
        StartPoint = Parts.Count == 0 ? null : Parts[0].First;
        // PostGIS stores a geography's box in single precision, rounded outward, and stabs from a corner of it.
        _storedBox = GeocentricBox.Of(geometry)?.RoundedOutwardToFloat();
        _outside = _storedBox is { } box && box.TryPointOutside(out var lon, out var lat) ? (lon, lat) : (double.NaN, double.NaN);
    }

    internal List<GeodeticPart> Parts { get; } = [];

    /// <summary>Top-level Polygon or MultiPolygon with at least one non-empty polygon.</summary>
    internal bool IsPolygonal { get; }

    /// <summary>The first vertex (lon/lat degrees) of the first non-empty part.</summary>
    internal (double Lon, double Lat)? StartPoint { get; }

    /// <summary>True when the geometry has no coordinates (distances to it are undefined).</summary>
    public bool IsEmpty => Parts.Count == 0;

    public static GeodeticShape From(Geometry geometry) => new(geometry);

    private static void Collect(Geometry geometry, List<GeodeticPart> parts, bool topLevel)
    {
        if (geometry.IsEmpty)
        {
            return;
        }
        switch (geometry)
        {
            case Point point:
                parts.Add(new GeodeticPart([GeoPoint.FromDegrees(point.X, point.Y)], null));
                break;
            case LineString line:
                parts.Add(new GeodeticPart(ToGeoPoints(line.CoordinateSequence), null));
                break;
            case Polygon polygon:
                // Only a top-level polygon carries PostGIS's stored (rounded) box; parts of collections compute theirs.
                parts.Add(new GeodeticPart(null, new SphericalPolygon(polygon, roundedBox: topLevel)));
                break;
            case GeometryCollection collection:
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    Collect(collection.GetGeometryN(i), parts, topLevel: false);
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

    /// <summary>
    /// The whole-geometry point-in-polygon test PostGIS's geography distance starts with: a stab line from the point
    /// to a point outside the stored box, counting crossings over every ring of every polygon (even-odd).
    /// </summary>
    internal bool StabContains(double lon, double lat)
    {
        if (!IsPolygonal || _storedBox is not { } box || double.IsNaN(_outside.Lon))
        {
            return false;
        }
        if (!box.Contains(GeoPoint.FromDegrees(lon, lat).ToCartesian()))
        {
            return false;
        }
        var crossings = 0;
        foreach (var part in Parts)
        {
            crossings += part.Polygon!.StabCrossings(lon, lat, _outside.Lon, _outside.Lat);
        }
        return crossings % 2 == 1;
    }
}

/// <summary>One primitive of a geodetic shape: a point (one vertex), a line, or a polygon.</summary>
internal sealed class GeodeticPart(GeoPoint[]? path, SphericalPolygon? polygon)
{
    /// <summary>The vertices of a point or line; null for a polygon.</summary>
    public GeoPoint[]? Path { get; } = path;

    public SphericalPolygon? Polygon { get; } = polygon;

    public (double Lon, double Lat) First =>
        Path is { } p ? (p[0].LonDegrees, p[0].LatDegrees) : (Polygon!.FirstLon, Polygon.FirstLat);
}

/// <summary>
/// A polygon on the sphere: rings of great-circle edges and a point outside it, from which a great-circle stab line
/// is drawn to the point under test. Two tests are offered because PostGIS uses two: <see cref="Covers"/>
/// (<c>lwpoly_covers_point2d</c>, used by ST_DWithin: a point on the boundary is covered) and
/// <see cref="StabContains"/> (the circle-tree test of ST_Distance: crossings only, even-odd over all rings).
/// </summary>
internal sealed class SphericalPolygon
{
    private readonly double _outsideLon;
    private readonly double _outsideLat;
    private readonly GeocentricBox _box;
    private readonly (double X, double Y)[][] _ringDegrees;

    public SphericalPolygon(Polygon polygon, bool roundedBox)
    {
        var rings = new List<LineString> { polygon.ExteriorRing };
        rings.AddRange(polygon.InteriorRings);
        Rings = rings.Select(r => GeodeticShape.ToGeoPoints(r.CoordinateSequence)).ToArray();
        RingVectors = Rings.Select(r => r.Select(p => p.ToCartesian()).ToArray()).ToArray();
        _ringDegrees = rings.Select(r => Enumerable.Range(0, r.CoordinateSequence.Count)
            .Select(i => (r.CoordinateSequence.GetX(i), r.CoordinateSequence.GetY(i))).ToArray()).ToArray();
        FirstLon = polygon.ExteriorRing.CoordinateSequence.GetX(0);
        FirstLat = polygon.ExteriorRing.CoordinateSequence.GetY(0);
        var box = GeocentricBox.Of(polygon) ?? throw new GeometryOperationException("geodetic polygon", "polygon without coordinates");
        _box = roundedBox ? box.RoundedOutwardToFloat() : box;
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
        if (!RingCovers(_ringDegrees[0], lon, lat))
        {
            return false;
        }
        var inHoles = 0;
        for (var i = 1; i < _ringDegrees.Length; i++)
        {
            if (RingCovers(_ringDegrees[i], lon, lat))
            {
                inHoles++;
            }
        }
        return inHoles % 2 == 0;
    }

    /// <summary>True when a stab line from the point to this polygon's outside point crosses its rings an odd number of times.</summary>
    public bool StabContains(double lon, double lat) => StabCrossings(lon, lat, _outsideLon, _outsideLat) % 2 == 1;

    /// <summary>Crossings of the stab line (point → outside point) with every ring; grazing left-hand edges and co-linear runs don't count.</summary>
    public int StabCrossings(double lon, double lat, double outsideLon, double outsideLat)
    {
        var s1 = GeoPoint.FromDegrees(lon, lat).ToCartesian();
        var s2 = GeoPoint.FromDegrees(outsideLon, outsideLat).ToCartesian();
        var count = 0;
        for (var r = 0; r < Rings.Length; r++)
        {
            var ring = Rings[r];
            var vectors = RingVectors[r];
            for (var i = 1; i < ring.Length; i++)
            {
                // Edges shorter than 5e-14 rad have no node in PostGIS's circle tree.
                if (Math.Abs(Sphere.Distance(ring[i - 1], ring[i])) <= Sphere.Tolerance)
                {
                    continue;
                }
                var interaction = Sphere.EdgeIntersects(s1, s2, vectors[i - 1], vectors[i]);
                if ((interaction & Sphere.Interaction.Intersects) != 0
                    && (interaction & (Sphere.Interaction.BTouchRight | Sphere.Interaction.Colinear)) == 0)
                {
                    count++;
                }
            }
        }
        return count;
    }

    private bool RingCovers((double X, double Y)[] ring, double lon, double lat)
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
