namespace OneMap.Models.Crs;

/// <summary>
/// The GCJ-02 and BD-09 offsets by their published forward formulas; the inverses by fixed-point iteration to
/// 1e-9 degrees (about 0.1 mm), since no closed-form inverse exists.
/// </summary>
public static partial class ChinaOffsets
{
    private const double KrasovskySemiMajorAxis = 6_378_245.0;
    private const double KrasovskyEccentricitySquared = 0.00669342162296594323;
    private const double BaiduPi = Math.PI * 3000.0 / 180.0;
    private const double InverseTolerance = 1e-9;
    private const int MaxRounds = 30;

    // Both inverses iterate p ← p + (target − forward(p)), i.e. p ← G(p) with G(p) = p + target − forward(p). If G is a
    // contraction with constant L (in the max norm) on a region holding the iterates, then after a correction d the
    // new point is within L/(1 − L)·|d| of the exact inverse. So iteration stops as soon as L/(1 − L)·|d| is below the
    // tolerance, without evaluating the forward transform once more at the final point. L is the max-norm bound of
    // the Jacobian of forward(p) − p, taken with wide margins:
    //
    // GCJ-02, inside the box where it applies (|lon − 105| ≤ 33, |lat − 35| ≤ 35, lat ≤ 55.83°): the offsets are
    // polynomial-plus-sine terms scaled by 180/(a(1 − e²)π)·magic^1.5 ≤ 9.05e-6 (latitude) and
    // 180·√magic/(a·cos(lat)·π) ≤ 1.60e-5 (longitude, cos 55.83° = 0.562). Summing absolute partial derivatives of the
    // terms: latitude row ≤ (340.6 + 140.4)·9.05e-6 ≈ 4.4e-3; longitude row ≤ (463.2 + 5.3)·1.60e-5 plus the
    // derivative of the 1/cos(lat) scale, 4.1e-4, ≈ 7.9e-3. The 0.1·√|lon − 105| terms are not Lipschitz at
    // lon = 105°, but their whole variation within 1e-8° of it is below 1e-10°, so they cannot move a result past the
    // tolerance. We take L = 0.05 (over 6× the bound): stop when |d| < 1e-9·0.95/0.05 = 1.9e-8.
    //
    // BD-09: forward(p) = R(Δθ(x))·p·(1 + s(y)/r) + (0.0065, 0.006) with Δθ = 3e-6·cos(kx), s = 2e-5·sin(ky),
    // k = 3000π/180 ≈ 52.36, r = |p|. Row sums of the Jacobian of forward(p) − p are at most
    // 3e-6·k·r + 2e-5·k + 2·2e-5/r + 2·3e-6 ≤ 1.571e-4·r + 1.1e-3 for r ≥ 1°; anywhere on the globe (r ≤ 201.3°) that
    // is ≤ 0.033. We take L = 0.05 (1.5× the bound): stop when |d| < 1.9e-8. Within 1° of (0.0065°, 0.006°) (the Gulf of
    // Guinea, never a BD-09 input in practice) the bound does not hold and the loop falls back to stopping only on a
    // correction below the tolerance itself.
    //
    // GCJ-02 is discontinuous at its box's edges (outside it is the identity); when an iterate is outside the box the
    // contraction argument does not hold either, and the same fallback applies.
    private const double ContractionBound = 0.05;
    private const double ContractedStop = InverseTolerance * (1 - ContractionBound) / ContractionBound;

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
        var (dLon, dLat) = Gcj02Offset(longitude, latitude);
        return (longitude + dLon, latitude + dLat);
    }

    /// <summary>GCJ-02 → WGS84, iterated until within 1e-9° of the exact inverse.</summary>
    public static (double Longitude, double Latitude) Gcj02ToWgs84(double longitude, double latitude)
    {
        double lon = longitude, lat = latitude;
        for (var i = 0; i < MaxRounds; i++)
        {
            var inside = IsInsideChina(lon, lat);
            double dLon, dLat;
            if (inside)
            {
                var (oLon, oLat) = Gcj02Offset(lon, lat);
                dLon = longitude - (lon + oLon);
                dLat = latitude - (lat + oLat);
            }
            else
            {
                dLon = longitude - lon;
                dLat = latitude - lat;
            }
            lon += dLon;
            lat += dLat;
            var step = Math.Max(Math.Abs(dLon), Math.Abs(dLat));
            if (step < InverseTolerance || (step < ContractedStop && inside && IsInsideChina(lon, lat)))
            {
                break;
            }
        }
        return (lon, lat);
    }

    /// <summary>GCJ-02 → BD-09.</summary>
    public static (double Longitude, double Latitude) Gcj02ToBd09(double longitude, double latitude)
    {
        var z = Math.Sqrt(longitude * longitude + latitude * latitude) + 0.00002 * Math.Sin(latitude * BaiduPi);
        var theta = Math.Atan2(latitude, longitude) + 0.000003 * Math.Cos(longitude * BaiduPi);
        var (sin, cos) = Math.SinCos(theta);
        return (z * cos + 0.0065, z * sin + 0.006);
    }

    /// <summary>BD-09 → GCJ-02: the published one-step approximate inverse, then iterated until within 1e-9° of the exact inverse.</summary>
    public static (double Longitude, double Latitude) Bd09ToGcj02(double longitude, double latitude)
    {
        var x = longitude - 0.0065;
        var y = latitude - 0.006;
        var z = Math.Sqrt(x * x + y * y) - 0.00002 * Math.Sin(y * BaiduPi);
        var theta = Math.Atan2(y, x) - 0.000003 * Math.Cos(x * BaiduPi);
        var (sin, cos) = Math.SinCos(theta);
        double lon = z * cos, lat = z * sin;
        for (var i = 0; i < MaxRounds; i++)
        {
            var (fLon, fLat) = Gcj02ToBd09(lon, lat);
            var dLon = longitude - fLon;
            var dLat = latitude - fLat;
            lon += dLon;
            lat += dLat;
            var step = Math.Max(Math.Abs(dLon), Math.Abs(dLat));
            if (step < InverseTolerance || (step < ContractedStop && lon * lon + lat * lat >= 1))
            {
                break;
            }
        }
        return (lon, lat);
    }

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

    // The published offsets. sin(6xπ) and sin(2xπ) appear in both; sin(yπ) and sin(xπ) are taken from sin(yπ/3) and
    // sin(xπ/3) by the triple-angle identity sin 3a = 3 sin a − 4 sin³ a, and sin 6a from sin 2a likewise (rounding
    // differences are ~1e-14 in the sums, ~1e-19°). That is 8 sines a point instead of 14, the inverse's main cost.
    private static (double Longitude, double Latitude) Gcj02Offset(double longitude, double latitude)
    {
        var x = longitude - 105.0;
        var y = latitude - 35.0;
        var sin2X = Math.Sin(2.0 * x * Math.PI);
        var sin6X = TripleAngle(sin2X);
        var sinXThird = Math.Sin(x / 3.0 * Math.PI);
        var sinX = TripleAngle(sinXThird);
        var sinYThird = Math.Sin(y / 3.0 * Math.PI);
        var sinY = TripleAngle(sinYThird);
        var shared = (20.0 * sin6X + 20.0 * sin2X) * 2.0 / 3.0;

        var rLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        rLat += shared;
        rLat += (20.0 * sinY + 40.0 * sinYThird) * 2.0 / 3.0;
        rLat += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;

        var rLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        rLon += shared;
        rLon += (20.0 * sinX + 40.0 * sinXThird) * 2.0 / 3.0;
        rLon += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;

        var (sinLat, cosLat) = Math.SinCos(latitude / 180.0 * Math.PI);
        var magic = 1 - KrasovskyEccentricitySquared * sinLat * sinLat;
        var sqrtMagic = Math.Sqrt(magic);
        var dLat = rLat * 180.0 / (KrasovskySemiMajorAxis * (1 - KrasovskyEccentricitySquared) / (magic * sqrtMagic) * Math.PI);
        var dLon = rLon * 180.0 / (KrasovskySemiMajorAxis / sqrtMagic * cosLat * Math.PI);
        return (dLon, dLat);
    }

    private static double TripleAngle(double sinA) => sinA * (3.0 - 4.0 * sinA * sinA);
}
