namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>A point on the unit sphere as latitude/longitude in radians (PostGIS's GEOGRAPHIC_POINT).</summary>
internal readonly record struct GeoPoint(double Lat, double Lon)
{
    private const double Tolerance = Sphere.Tolerance;

    /// <summary>From lon/lat degrees, normalised into [-π/2, π/2] × (-π, π] the way PostGIS does.</summary>
    public static GeoPoint FromDegrees(double lon, double lat) =>
        new(Sphere.NormalizeLatitude(lat * Math.PI / 180.0), Sphere.NormalizeLongitude(lon * Math.PI / 180.0));

    public Vec3 ToCartesian()
    {
        var cosLat = Math.Cos(Lat);
        return new Vec3(cosLat * Math.Cos(Lon), cosLat * Math.Sin(Lon), Math.Sin(Lat));
    }

    public static GeoPoint FromCartesian(Vec3 p) => new(Math.Asin(p.Z), Math.Atan2(p.Y, p.X));

    /// <summary>Equal within 5e-14 rad in both coordinates.</summary>
    public bool NearlyEquals(GeoPoint other) =>
        Math.Abs(Lat - other.Lat) <= Tolerance && Math.Abs(Lon - other.Lon) <= Tolerance;

    public double LonDegrees => Lon * 180.0 / Math.PI;

    public double LatDegrees => Lat * 180.0 / Math.PI;
}

/// <summary>A 3-vector (geocentric unit-sphere coordinates).</summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    private const double Tolerance = Sphere.Tolerance;

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public double Dot(Vec3 b) => (X * b.X) + (Y * b.Y) + (Z * b.Z);

    public Vec3 Cross(Vec3 b) => new((Y * b.Z) - (Z * b.Y), (Z * b.X) - (X * b.Z), (X * b.Y) - (Y * b.X));

    /// <summary>Unit vector; the zero vector when the length is within 5e-14 of zero.</summary>
    public Vec3 Normalized()
    {
        var d = Math.Sqrt((X * X) + (Y * Y) + (Z * Z));
        return Math.Abs(d) <= Tolerance ? default : new Vec3(X / d, Y / d, Z / d);
    }

    public bool NearlyEquals(Vec3 b) =>
        Math.Abs(X - b.X) <= Tolerance && Math.Abs(Y - b.Y) <= Tolerance && Math.Abs(Z - b.Z) <= Tolerance;

    /// <summary>From lon/lat degrees without normalisation (PostGIS's ll2cart).</summary>
    public static Vec3 FromLonLatDegrees(double lon, double lat)
    {
        var x = Math.PI * lon / 180.0;
        var y = Math.PI * lat / 180.0;
        var cosY = Math.Cos(y);
        return new Vec3(cosY * Math.Cos(x), cosY * Math.Sin(x), Math.Sin(y));
    }
}

/// <summary>
/// Great-circle primitives on the unit sphere. They follow the computations of PostGIS's geodetic code (lwgeodetic.c)
/// step for step, tolerances included, so that distances and within-distance tests built on them agree with PostGIS's
/// to round-off, also for points on edges and touching geometries.
/// </summary>
internal static class Sphere
{
    /// <summary>PostGIS's geodetic code redefines its floating-point tolerance to 5e-14 (lwgeodetic.h).</summary>
    public const double Tolerance = 5e-14;

    public static double NormalizeLongitude(double lon)
    {
        if (lon == -Math.PI)
        {
            return Math.PI;
        }
        if (lon == -2.0 * Math.PI)
        {
            return 0.0;
        }
        if (lon > 2.0 * Math.PI)
        {
            lon = Math.IEEERemainder(lon, 2.0 * Math.PI);
        }
        if (lon < -2.0 * Math.PI)
        {
            lon = Math.IEEERemainder(lon, -2.0 * Math.PI);
        }
        if (lon > Math.PI)
        {
            lon = (-2.0 * Math.PI) + lon;
        }
        if (lon < -Math.PI)
        {
            lon = (2.0 * Math.PI) + lon;
        }
        if (lon == -2.0 * Math.PI)
        {
            lon *= -1.0;
        }
        return lon;
    }

    public static double NormalizeLatitude(double lat)
    {
        if (lat > 2.0 * Math.PI)
        {
            lat = Math.IEEERemainder(lat, 2.0 * Math.PI);
        }
        if (lat < -2.0 * Math.PI)
        {
            lat = Math.IEEERemainder(lat, -2.0 * Math.PI);
        }
        if (lat > Math.PI)
        {
            lat = Math.PI - lat;
        }
        if (lat < -Math.PI)
        {
            lat = -Math.PI - lat;
        }
        if (lat > Math.PI / 2)
        {
            lat = Math.PI - lat;
        }
        if (lat < -Math.PI / 2)
        {
            lat = -Math.PI - lat;
        }
        return lat;
    }

    /// <summary>Angular distance in radians (the atan2 form, stable for short and long arcs).</summary>
    public static double Distance(GeoPoint s, GeoPoint e)
    {
        if (Math.Abs(s.Lat - e.Lat) <= Tolerance && Math.Abs(s.Lon - e.Lon) <= Tolerance)
        {
            return 0.0;
        }
        var dLon = e.Lon - s.Lon;
        var cosDLon = Math.Cos(dLon);
        var cosLatE = Math.Cos(e.Lat);
        var sinLatE = Math.Sin(e.Lat);
        var cosLatS = Math.Cos(s.Lat);
        var sinLatS = Math.Sin(s.Lat);
        var a1 = cosLatE * Math.Sin(dLon);
        var a2 = (cosLatS * sinLatE) - (sinLatS * cosLatE * cosDLon);
        var a = Math.Sqrt((a1 * a1) + (a2 * a2));
        var b = (sinLatS * sinLatE) + (cosLatS * cosLatE * cosDLon);
        return Math.Atan2(a, b);
    }

    /// <summary>Cross product of two points computed from their lat/lon, accurate for nearby points.</summary>
    public static Vec3 RobustCross(GeoPoint p, GeoPoint q)
    {
        var lonQpp = (q.Lon + p.Lon) / -2.0;
        var lonQmp = (q.Lon - p.Lon) / 2.0;
        var sinPLatMinusQLat = Math.Sin(p.Lat - q.Lat);
        var sinPLatPlusQLat = Math.Sin(p.Lat + q.Lat);
        var sinLonQpp = Math.Sin(lonQpp);
        var sinLonQmp = Math.Sin(lonQmp);
        var cosLonQpp = Math.Cos(lonQpp);
        var cosLonQmp = Math.Cos(lonQmp);
        return new Vec3(
            (sinPLatMinusQLat * sinLonQpp * cosLonQmp) - (sinPLatPlusQLat * cosLonQpp * sinLonQmp),
            (sinPLatMinusQLat * cosLonQpp * cosLonQmp) + (sinPLatPlusQLat * sinLonQpp * sinLonQmp),
            Math.Cos(p.Lat) * Math.Cos(q.Lat) * Math.Sin(q.Lon - p.Lon));
    }

    /// <summary>Unit normal of the plane through two vectors, widening or narrowing the pair for stability.</summary>
    public static Vec3 UnitNormal(Vec3 p1, Vec3 p2)
    {
        var dot = p1.Dot(p2);
        Vec3 p3;
        if (dot < 0)
        {
            p3 = (p1 + p2).Normalized();
        }
        else if (dot > 0.95)
        {
            p3 = (p2 - p1).Normalized();
        }
        else
        {
            p3 = p2;
        }
        return p1.Cross(p3).Normalized();
    }

    /// <summary>True if p lies within the cone spanned by the edge's end points (PostGIS edge_point_in_cone).</summary>
    public static bool EdgePointInCone(GeoPoint start, GeoPoint end, GeoPoint p)
    {
        var vs = start.ToCartesian();
        var ve = end.ToCartesian();
        if (vs.X == -1.0 * ve.X && vs.Y == -1.0 * ve.Y && vs.Z == -1.0 * ve.Z)
        {
            return true;
        }
        var vp = p.ToCartesian();
        var vcp = (vs + ve).Normalized();
        var vsDotVcp = vs.Dot(vcp);
        var vpDotVcp = vp.Dot(vcp);
        return vpDotVcp > vsDotVcp || Math.Abs(vpDotVcp - vsDotVcp) < 2e-16;
    }

    /// <summary>Angular distance from a point to a great-circle edge, and the nearest point of the edge.</summary>
    public static double EdgeDistanceToPoint(GeoPoint start, GeoPoint end, GeoPoint gp, out GeoPoint closest)
    {
        if (start.NearlyEquals(end))
        {
            closest = start;
            return Distance(start, gp);
        }
        var d1 = 1000000000.0;
        var n = RobustCross(start, end).Normalized();
        var p = gp.ToCartesian();
        var k = (p - (n * p.Dot(n))).Normalized();
        var gk = GeoPoint.FromCartesian(k);
        if (EdgePointInCone(start, end, gk))
        {
            d1 = Distance(gp, gk);
        }
        var d2 = Distance(gp, start);
        var d3 = Distance(gp, end);
        var nearest = d1;
        closest = gk;
        if (d2 < nearest)
        {
            nearest = d2;
            closest = start;
        }
        if (d3 < nearest)
        {
            nearest = d3;
            closest = end;
        }
        return nearest;
    }

    /// <summary>Angular distance between two edges that do not cross, with the nearest points on each.</summary>
    public static double EdgeDistanceToEdge(GeoPoint s1, GeoPoint e1, GeoPoint s2, GeoPoint e2, out GeoPoint closest1, out GeoPoint closest2)
    {
        var d1s = EdgeDistanceToPoint(s1, e1, s2, out var gcp1s);
        var d1e = EdgeDistanceToPoint(s1, e1, e2, out var gcp1e);
        var d2s = EdgeDistanceToPoint(s2, e2, s1, out var gcp2s);
        var d2e = EdgeDistanceToPoint(s2, e2, e1, out var gcp2e);
        var d = d1s;
        closest1 = gcp1s;
        closest2 = s2;
        if (d1e < d)
        {
            d = d1e;
            closest1 = gcp1e;
            closest2 = e2;
        }
        if (d2s < d)
        {
            d = d2s;
            closest1 = s1;
            closest2 = gcp2s;
        }
        if (d2e < d)
        {
            d = d2e;
            closest1 = e1;
            closest2 = gcp2e;
        }
        return d;
    }

    [Flags]
    public enum Interaction
    {
        None = 0,
        Intersects = 1,
        ATouchRight = 2,
        ATouchLeft = 4,
        BTouchRight = 8,
        BTouchLeft = 16,
        Colinear = 32,
    }

    private static bool PointInCone(Vec3 a1, Vec3 a2, Vec3 p)
    {
        if (a1.NearlyEquals(p) || a2.NearlyEquals(p))
        {
            return true;
        }
        var ac = (a1 + a2).Normalized();
        var minSimilarity = a1.Dot(ac);
        if (Math.Abs(1.0 - minSimilarity) > 1e-10)
        {
            return p.Dot(ac) > minSimilarity;
        }
        // A very narrow edge: the candidate is between the ends when the vectors to them point apart.
        var pa1 = (p - a1).Normalized();
        var pa2 = (p - a2).Normalized();
        return pa1.Dot(pa2) < 0.0;
    }

    private static int DotSide(Vec3 p, Vec3 q)
    {
        var dp = p.Dot(q);
        if (Math.Abs(dp) <= Tolerance)
        {
            return 0;
        }
        return dp < 0.0 ? -1 : 1;
    }

    /// <summary>How two great-circle edges interact (PostGIS edge_intersects).</summary>
    public static Interaction EdgeIntersects(Vec3 a1, Vec3 a2, Vec3 b1, Vec3 b2)
    {
        var an = UnitNormal(a1, a2);
        var bn = UnitNormal(b1, b2);
        var abDot = an.Dot(bn);
        if (Math.Abs(Math.Abs(abDot) - 1.0) <= Tolerance)
        {
            if (PointInCone(a1, a2, b1) || PointInCone(a1, a2, b2) || PointInCone(b1, b2, a1) || PointInCone(b1, b2, a2))
            {
                return Interaction.Intersects | Interaction.Colinear;
            }
            return Interaction.None;
        }
        var a1Side = DotSide(bn, a1);
        var a2Side = DotSide(bn, a2);
        var b1Side = DotSide(an, b1);
        var b2Side = DotSide(an, b2);
        if (a1Side == a2Side && a1Side != 0)
        {
            return Interaction.None;
        }
        if (b1Side == b2Side && b1Side != 0)
        {
            return Interaction.None;
        }
        if (a1Side != a2Side && a1Side + a2Side == 0 && b1Side != b2Side && b1Side + b2Side == 0)
        {
            var vn = UnitNormal(an, bn);
            if (PointInCone(a1, a2, vn) && PointInCone(b1, b2, vn))
            {
                return Interaction.Intersects;
            }
            vn *= -1;
            if (PointInCone(a1, a2, vn) && PointInCone(b1, b2, vn))
            {
                return Interaction.Intersects;
            }
            return Interaction.None;
        }
        var result = Interaction.Intersects;
        if (a1Side == 0)
        {
            result |= a2Side < 0 ? Interaction.ATouchRight : Interaction.ATouchLeft;
        }
        else if (a2Side == 0)
        {
            result |= a1Side < 0 ? Interaction.ATouchRight : Interaction.ATouchLeft;
        }
        if (b1Side == 0)
        {
            result |= b2Side < 0 ? Interaction.BTouchRight : Interaction.BTouchLeft;
        }
        else if (b2Side == 0)
        {
            result |= b1Side < 0 ? Interaction.BTouchRight : Interaction.BTouchLeft;
        }
        return result;
    }
}
