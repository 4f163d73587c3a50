namespace OneMap.Models.Crs;

/// <summary>
/// The GCJ-02 and BD-09 offsets by their published forward formulas; the inverses by fixed-point iteration to
/// 1e-9 degrees (about 0.1 mm), since no closed-form inverse exists.
/// </summary>
public static class ChinaOffsets
{
    private const double KrasovskySemiMajorAxis = 6_378_245.0;
    private const double KrasovskyEccentricitySquared = 0.00669342162296594323;
    private const double BaiduPi = Math.PI * 3000.0 / 180.0;
    private const double InverseTolerance = 1e-9;

    /// <summary>
    /// Whether the GCJ-02 offset applies: the formulas are defined for mainland China's rough bounding box
    /// (72.004–137.8347°E, 0.8293–55.8271°N); outside it GCJ-02 equals WGS84.
    /// </summary>
    public static bool IsInsideChina(double longitude, double latitude) =>
        longitude is >= 72.004 and <= 137.8347 && latitude is >= 0.8293 and <= 55.8271;

    /// <summary>WGS84 → GCJ-02.</summary>
    public static (double Longitude, double Latitude) Wgs84ToGcj02(double longitude, double latitude)
    {
        if (!IsInsideChina(longitude, latitude))
        {
            return (longitude, latitude);
        }
        var dLat = LatitudeOffset(longitude - 105.0, latitude - 35.0);
        var dLon = LongitudeOffset(longitude - 105.0, latitude - 35.0);
        var radLat = latitude / 180.0 * Math.PI;
        var magic = Math.Sin(radLat);
        magic = 1 - KrasovskyEccentricitySquared * magic * magic;
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (KrasovskySemiMajorAxis * (1 - KrasovskyEccentricitySquared) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (KrasovskySemiMajorAxis / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (longitude + dLon, latitude + dLat);
    }

    /// <summary>GCJ-02 → WGS84, iterated until the forward transform reproduces the input within 1e-9°.</summary>
    public static (double Longitude, double Latitude) Gcj02ToWgs84(double longitude, double latitude) =>
        Invert(Wgs84ToGcj02, longitude, latitude);

    /// <summary>GCJ-02 → BD-09.</summary>
    public static (double Longitude, double Latitude) Gcj02ToBd09(double longitude, double latitude)
    {
        var z = Math.Sqrt(longitude * longitude + latitude * latitude) + 0.00002 * Math.Sin(latitude * BaiduPi);
        var theta = Math.Atan2(latitude, longitude) + 0.000003 * Math.Cos(longitude * BaiduPi);
        return (z * Math.Cos(theta) + 0.0065, z * Math.Sin(theta) + 0.006);
    }

    /// <summary>BD-09 → GCJ-02, iterated until the forward transform reproduces the input within 1e-9°.</summary>
    public static (double Longitude, double Latitude) Bd09ToGcj02(double longitude, double latitude) =>
        Invert(Gcj02ToBd09, longitude, latitude);

    /// <summary>WGS84 → BD-09 (through GCJ-02).</summary>
    public static (double Longitude, double Latitude) Wgs84ToBd09(double longitude, double latitude)
    {
        var (gLon, gLat) = Wgs84ToGcj02(longitude, latitude);
        return Gcj02ToBd09(gLon, gLat);
    }

    /// <summary>BD-09 → WGS84 (through GCJ-02).</summary>
    public static (double Longitude, double Latitude) Bd09ToWgs84(double longitude, double latitude)
    {
        var (gLon, gLat) = Bd09ToGcj02(longitude, latitude);
        return Gcj02ToWgs84(gLon, gLat);
    }

    private static double LatitudeOffset(double x, double y)
    {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        r += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return r;
    }

    private static double LongitudeOffset(double x, double y)
    {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        r += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        r += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        r += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return r;
    }

    // The offsets vary slowly (their derivative is about 1e-4), so p ← p + (target − forward(p)) contracts fast:
    // three or four rounds reach 1e-9°.
    private static (double Longitude, double Latitude) Invert(
        Func<double, double, (double Longitude, double Latitude)> forward, double longitude, double latitude)
    {
        double lon = longitude, lat = latitude;
        for (var i = 0; i < 30; i++)
        {
            var (fLon, fLat) = forward(lon, lat);
            var dLon = longitude - fLon;
            var dLat = latitude - fLat;
            lon += dLon;
            lat += dLat;
            if (Math.Abs(dLon) < InverseTolerance && Math.Abs(dLat) < InverseTolerance)
            {
                break;
            }
        }
        return (lon, lat);
    }
}
