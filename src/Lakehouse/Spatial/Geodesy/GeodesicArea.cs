using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// Area on the ellipsoid of regions bounded by geodesics, as PostGIS's <c>ST_Area(geography)</c> computes it.
/// Green's theorem turns the area into a sum over edges of ∫ G(φ) dλ, where G(φ) is the ellipsoid's area between the
/// equator and latitude φ per radian of longitude; each edge integral runs along the geodesic itself (Gauss–Legendre
/// nodes placed by the direct problem), so edges are geodesics, not rhumb lines or straight lines in degrees.
/// </summary>
public static class GeodesicArea
{
    // Gauss–Legendre nodes and weights on [-1, 1].
    private static readonly double[] Nodes4 = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
    private static readonly double[] Weights4 = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];
    private static readonly double[] Nodes8 =
    [
        -0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
        0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363,
    ];
    private static readonly double[] Weights8 =
    [
        0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
        0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
    ];

    /// <summary>Edges longer than this are split so the quadrature stays exact to round-off.</summary>
    private const double MaxPieceMetres = 500_000;

    /// <summary>
    /// Area in square metres of a polygonal geometry: outer rings minus holes, summed over the parts of multi-polygons
    /// and collections; zero for points and lines, as PostGIS returns.
    /// </summary>
    public static double Area(Geometry geometry, Spheroid spheroid)
    {
        switch (geometry)
        {
            case { IsEmpty: true }:
                return 0;
            case Polygon polygon:
                var area = RingArea(polygon.ExteriorRing.CoordinateSequence, spheroid);
                foreach (var hole in polygon.InteriorRings)
                {
                    area -= RingArea(hole.CoordinateSequence, spheroid);
                }
                return area;
            case GeometryCollection collection:
                var total = 0.0;
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    total += Area(collection.GetGeometryN(i), spheroid);
                }
                return total;
            default:
                return 0;
        }
    }

    /// <summary>Unsigned area of a closed ring of lon/lat degrees (the closing edge is implied by the repeated first point).</summary>
    public static double RingArea(CoordinateSequence ring, Spheroid spheroid)
    {
        if (ring.Count < 4)
        {
            return 0;
        }
        var e2 = spheroid.EccentricitySquared;
        var e = Math.Sqrt(e2);
        var scale = spheroid.A * spheroid.A * (1 - e2) / 2;
        // Measuring G from the first vertex's latitude keeps every edge term small, so they sum without cancellation.
        var reference = Primitive(ToRadians(ring.GetY(0)), e, e2);
        var signed = 0.0;
        var totalLongitude = 0.0;
        for (var i = 0; i + 1 < ring.Count; i++)
        {
            var lat1 = ToRadians(ring.GetY(i));
            var lon1 = ToRadians(ring.GetX(i));
            var lat2 = ToRadians(ring.GetY(i + 1));
            var lon2 = ToRadians(ring.GetX(i + 1));
            if (lat1 == lat2 && lon1 == lon2)
            {
                continue;
            }
            var inverse = Geodesic.Inverse(lat1, lon1, lat2, lon2, spheroid);
            var pieces = Math.Max(1, (int)Math.Ceiling(inverse.Distance / MaxPieceMetres));
            var (nodes, weights) = inverse.Distance < 50_000 ? (Nodes4, Weights4) : (Nodes8, Weights8);
            var pieceLength = inverse.Distance / pieces;
            var edge = 0.0;
            for (var piece = 0; piece < pieces; piece++)
            {
                for (var k = 0; k < nodes.Length; k++)
                {
                    var s = pieceLength * (piece + ((nodes[k] + 1) / 2));
                    var at = Geodesic.Direct(lat1, inverse.Azimuth1, s, spheroid);
                    var sinLat = Math.Sin(at.Latitude);
                    var cosLat = Math.Cos(at.Latitude);
                    // dλ/ds = sin α / (N cos φ), N the prime-vertical radius of curvature.
                    var n = spheroid.A / Math.Sqrt(1 - (e2 * sinLat * sinLat));
                    var dLambdaDs = Math.Sin(at.Azimuth) / (n * cosLat);
                    edge += weights[k] * (Primitive(at.Latitude, e, e2) - reference) * dLambdaDs;
                }
            }
            signed += edge * pieceLength / 2;
            totalLongitude += Math.IEEERemainder(lon2 - lon1, 2 * Math.PI);
        }
        // A ring that winds around a pole sweeps ±2π of longitude; the reference term then adds the cap between the
        // reference latitude and the pole.
        var winding = Math.Round(totalLongitude / (2 * Math.PI));
        signed = (-signed * scale) - (winding * reference * scale * 2 * Math.PI) + (winding * 2 * Math.PI * Primitive(Math.PI / 2, e, e2) * scale);
        // Fold into (-total/2, total/2] as GeographicLib's signed polygon area does, then drop the sign (PostGIS: fabs).
        var ellipsoidArea = 4 * Math.PI * Primitive(Math.PI / 2, e, e2) * scale;
        signed = Math.IEEERemainder(signed, ellipsoidArea);
        return Math.Abs(signed);
    }

    /// <summary>
    /// G(φ) / (a²(1−e²)/2): sinφ/(1−e²sin²φ) + atanh(e sinφ)/e, whose derivative is 2cosφ/(1−e²sin²φ)², the area
    /// element of the ellipsoid per radian of longitude; on a sphere 2 sinφ.
    /// </summary>
    private static double Primitive(double latitude, double e, double e2)
    {
        var s = Math.Sin(latitude);
        if (e == 0)
        {
            return 2 * s;
        }
        return (s / (1 - (e2 * s * s))) + (Math.Atanh(e * s) / e);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180.0;
}
