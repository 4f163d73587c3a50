using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// Distances between lon/lat geometries in metres with PostGIS's geography semantics: the closest pair of points is
/// found on the sphere (great-circle edges; zero when one geometry covers a vertex of the other or edges cross), and
/// on a spheroid the answer is the geodesic distance between that pair — what <c>ST_Distance(geography)</c>,
/// <c>ST_DistanceSphere</c> and <c>ST_DWithin(geography)</c> compute.
/// </summary>
public static class GeodeticDistance
{
    // Spheroid distances stay within these bounds of the mean-radius sphere distance (the flattening is 1/298), so a
    // within-distance test only needs the geodesic when the sphere distance falls between them.
    private const double SureInsideRatio = 0.98;
    private const double SureOutsideRatio = 1.02;

    /// <summary>Metres between two geometries; null when either is empty.</summary>
    public static double? Distance(Geometry a, Geometry b, Spheroid spheroid) =>
        Distance(GeodeticShape.From(a), GeodeticShape.From(b), spheroid);

    /// <summary>Metres between two prepared shapes; null when either is empty.</summary>
    public static double? Distance(GeodeticShape a, GeodeticShape b, Spheroid spheroid)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return null;
        }
        var angle = Closest(a, b, out var c1, out var c2);
        return ToMetres(angle, c1, c2, spheroid);
    }

    /// <summary>True when the geometries are within <paramref name="metres"/> of each other; false when either is empty.</summary>
    public static bool Within(GeodeticShape a, GeodeticShape b, double metres, Spheroid spheroid)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return false;
        }
        var angle = Closest(a, b, out var c1, out var c2);
        var sphereMetres = angle * spheroid.Radius;
        if (spheroid.IsSphere || sphereMetres <= metres * SureInsideRatio)
        {
            return sphereMetres <= metres;
        }
        if (sphereMetres > metres * SureOutsideRatio)
        {
            return false;
        }
        return ToMetres(angle, c1, c2, spheroid) <= metres;
    }

    private static double ToMetres(double angle, GeoPoint c1, GeoPoint c2, Spheroid spheroid)
    {
        if (spheroid.IsSphere)
        {
            return spheroid.Radius * angle;
        }
        if (c1.NearlyEquals(c2))
        {
            return 0;
        }
        return Geodesic.Distance(c1.Lat, c1.Lon, c2.Lat, c2.Lon, spheroid);
    }

    /// <summary>Smallest angular distance between two non-empty shapes on the unit sphere, with the closest pair.</summary>
    internal static double Closest(GeodeticShape a, GeodeticShape b, out GeoPoint closestA, out GeoPoint closestB)
    {
        var best = new Best();
        // A polygon covering any part of the other side puts them at zero distance; PostGIS tests the other side's
        // first vertex per part (its start point), which catches every case where no edges cross.
        foreach (var polygon in a.Polygons)
        {
            foreach (var vertex in PartVertices(b))
            {
                if (polygon.Covers(vertex.Lon, vertex.Lat))
                {
                    closestA = closestB = GeoPoint.FromDegrees(vertex.Lon, vertex.Lat);
                    return 0;
                }
            }
        }
        foreach (var polygon in b.Polygons)
        {
            foreach (var vertex in PartVertices(a))
            {
                if (polygon.Covers(vertex.Lon, vertex.Lat))
                {
                    closestA = closestB = GeoPoint.FromDegrees(vertex.Lon, vertex.Lat);
                    return 0;
                }
            }
        }

        foreach (var pathA in Paths(a))
        {
            foreach (var pathB in Paths(b))
            {
                if (PathDistance(pathA, pathB, ref best))
                {
                    closestA = best.A;
                    closestB = best.B;
                    return 0;
                }
            }
        }
        closestA = best.A;
        closestB = best.B;
        return best.Distance;
    }

    private static IEnumerable<(double Lon, double Lat)> PartVertices(GeodeticShape shape)
    {
        foreach (var point in shape.Points)
        {
            yield return (point.LonDegrees, point.LatDegrees);
        }
        foreach (var line in shape.Lines)
        {
            yield return (line[0].LonDegrees, line[0].LatDegrees);
        }
        foreach (var polygon in shape.Polygons)
        {
            yield return (polygon.FirstLon, polygon.FirstLat);
        }
    }

    /// <summary>Every vertex path of a shape: points as one-vertex paths, lines, and each polygon ring.</summary>
    private static IEnumerable<(GeoPoint[] Points, Vec3[]? Vectors)> Paths(GeodeticShape shape)
    {
        foreach (var point in shape.Points)
        {
            yield return ([point], null);
        }
        foreach (var line in shape.Lines)
        {
            yield return (line, null);
        }
        foreach (var polygon in shape.Polygons)
        {
            for (var r = 0; r < polygon.Rings.Length; r++)
            {
                yield return (polygon.Rings[r], polygon.RingVectors[r]);
            }
        }
    }

    private struct Best
    {
        public Best()
        {
        }

        public double Distance = double.MaxValue;
        public GeoPoint A;
        public GeoPoint B;

        public void Offer(double distance, GeoPoint a, GeoPoint b)
        {
            if (distance < Distance)
            {
                Distance = distance;
                A = a;
                B = b;
            }
        }
    }

    /// <summary>Updates the best pair with the distance between two vertex paths; true when their edges cross.</summary>
    private static bool PathDistance((GeoPoint[] Points, Vec3[]? Vectors) pathA, (GeoPoint[] Points, Vec3[]? Vectors) pathB, ref Best best)
    {
        var a = pathA.Points;
        var b = pathB.Points;
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }
        if (a.Length == 1 && b.Length == 1)
        {
            best.Offer(Sphere.Distance(a[0], b[0]), a[0], b[0]);
            return false;
        }
        if (a.Length == 1 || b.Length == 1)
        {
            var (one, many, oneIsA) = a.Length == 1 ? (a[0], b, true) : (b[0], a, false);
            for (var i = 1; i < many.Length; i++)
            {
                var d = Sphere.EdgeDistanceToPoint(many[i - 1], many[i], one, out var nearest);
                if (oneIsA)
                {
                    best.Offer(d, one, nearest);
                }
                else
                {
                    best.Offer(d, nearest, one);
                }
            }
            return false;
        }
        var vectorsA = pathA.Vectors ?? a.Select(p => p.ToCartesian()).ToArray();
        var vectorsB = pathB.Vectors ?? b.Select(p => p.ToCartesian()).ToArray();
        for (var i = 1; i < a.Length; i++)
        {
            for (var j = 1; j < b.Length; j++)
            {
                if ((Sphere.EdgeIntersects(vectorsA[i - 1], vectorsA[i], vectorsB[j - 1], vectorsB[j]) & Sphere.Interaction.Intersects) != 0)
                {
                    best.Offer(0, a[i - 1], a[i - 1]);
                    return true;
                }
                var d = Sphere.EdgeDistanceToEdge(a[i - 1], a[i], b[j - 1], b[j], out var c1, out var c2);
                best.Offer(d, c1, c2);
            }
        }
        return false;
    }
}
