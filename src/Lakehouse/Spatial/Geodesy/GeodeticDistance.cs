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
        var angle = Closest(a, b, Containment.Stab, out var c1, out var c2);
        return ToMetres(angle, c1, c2, spheroid);
    }

    /// <summary>True when the geometries are within <paramref name="metres"/> of each other; false when either is empty.</summary>
    public static bool Within(GeodeticShape a, GeodeticShape b, double metres, Spheroid spheroid)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return false;
        }
        var angle = Closest(a, b, Containment.Covers, out var c1, out var c2);
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

    /// <summary>How a polygon decides that it holds a vertex of the other side (see <see cref="SphericalPolygon"/>).</summary>
    internal enum Containment
    {
        /// <summary>PostGIS's geography ST_Distance (circle trees): stab-line crossings, even-odd.</summary>
        Stab,

        /// <summary>PostGIS's lwgeom_distance_spheroid (ST_DWithin): boundary points are covered.</summary>
        Covers,
    }

    /// <summary>Smallest angular distance between two non-empty shapes on the unit sphere, with the closest pair.</summary>
    internal static double Closest(GeodeticShape a, GeodeticShape b, Containment containment, out GeoPoint closestA, out GeoPoint closestB)
    {
        if (containment == Containment.Stab)
        {
            // Each side's start point against the whole other side first, as geography ST_Distance does.
            if (b.StartPoint is { } sb && a.StabContains(sb.Lon, sb.Lat))
            {
                closestA = closestB = GeoPoint.FromDegrees(sb.Lon, sb.Lat);
                return 0;
            }
            if (a.StartPoint is { } sa && b.StabContains(sa.Lon, sa.Lat))
            {
                closestA = closestB = GeoPoint.FromDegrees(sa.Lon, sa.Lat);
                return 0;
            }
        }
        var best = new Best();
        foreach (var partA in a.Parts)
        {
            foreach (var partB in b.Parts)
            {
                if (Holds(partA, partB, containment, out var vertex) || Holds(partB, partA, containment, out vertex))
                {
                    closestA = closestB = GeoPoint.FromDegrees(vertex.Lon, vertex.Lat);
                    return 0;
                }
                foreach (var pathA in Paths(partA))
                {
                    foreach (var pathB in Paths(partB))
                    {
                        if (PathDistance(pathA, pathB, ref best))
                        {
                            closestA = best.A;
                            closestB = best.B;
                            return 0;
                        }
                    }
                }
            }
        }
        closestA = best.A;
        closestB = best.B;
        return best.Distance;
    }

    /// <summary>True when <paramref name="holder"/> is a polygon that holds the first vertex of <paramref name="other"/>.</summary>
    private static bool Holds(GeodeticPart holder, GeodeticPart other, Containment containment, out (double Lon, double Lat) vertex)
    {
        vertex = other.First;
        if (holder.Polygon is not { } polygon)
        {
            return false;
        }
        return containment == Containment.Stab ? polygon.StabContains(vertex.Lon, vertex.Lat) : polygon.Covers(vertex.Lon, vertex.Lat);
    }

    /// <summary>The vertex paths of a part: a point as a one-vertex path, a line, or each ring of a polygon.</summary>
    private static IEnumerable<(GeoPoint[] Points, Vec3[]? Vectors)> Paths(GeodeticPart part)
    {
        if (part.Path is { } path)
        {
            yield return (path, null);
            yield break;
        }
        var polygon = part.Polygon!;
        for (var r = 0; r < polygon.Rings.Length; r++)
        {
            yield return (polygon.Rings[r], polygon.RingVectors[r]);
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
