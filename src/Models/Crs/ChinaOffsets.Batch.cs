using System.Runtime.Intrinsics;

namespace OneMap.Models.Crs;

/// <summary>
/// The inverses for many points at once: the same iterations and stopping rules as the one-point methods, four points
/// per step in SIMD lanes (the GCJ-02 offset's eight sines a round dominate a row of a department file in BD-09).
/// A lane that has converged is frozen while the others go on, so each point gets exactly the iterates it would get
/// alone; results differ from the one-point methods only by the vector sine's last-bit rounding (~1e-16 relative).
/// </summary>
public static partial class ChinaOffsets
{
    /// <summary>GCJ-02 → WGS84 for every (longitudes[i], latitudes[i]), in place.</summary>
    public static void Gcj02ToWgs84(Span<double> longitudes, Span<double> latitudes)
    {
        CheckLengths(longitudes, latitudes);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= longitudes.Length; i += 4)
            {
                var (lon, lat) = Gcj02ToWgs84(Vector256.Create<double>(longitudes.Slice(i, 4)), Vector256.Create<double>(latitudes.Slice(i, 4)));
                lon.CopyTo(longitudes.Slice(i, 4));
                lat.CopyTo(latitudes.Slice(i, 4));
            }
        }
        for (; i < longitudes.Length; i++)
        {
            (longitudes[i], latitudes[i]) = Gcj02ToWgs84(longitudes[i], latitudes[i]);
        }
    }

    /// <summary>BD-09 → WGS84 for every (longitudes[i], latitudes[i]), in place.</summary>
    public static void Bd09ToWgs84(Span<double> longitudes, Span<double> latitudes)
    {
        CheckLengths(longitudes, latitudes);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= longitudes.Length; i += 4)
            {
                var (gLon, gLat) = Bd09ToGcj02(Vector256.Create<double>(longitudes.Slice(i, 4)), Vector256.Create<double>(latitudes.Slice(i, 4)));
                var (lon, lat) = Gcj02ToWgs84(gLon, gLat);
                lon.CopyTo(longitudes.Slice(i, 4));
                lat.CopyTo(latitudes.Slice(i, 4));
            }
        }
        for (; i < longitudes.Length; i++)
        {
            (longitudes[i], latitudes[i]) = Bd09ToWgs84(longitudes[i], latitudes[i]);
        }
    }

    private static void CheckLengths(Span<double> longitudes, Span<double> latitudes)
    {
        if (longitudes.Length != latitudes.Length)
        {
            throw new ArgumentException($"{longitudes.Length} longitudes but {latitudes.Length} latitudes", nameof(latitudes));
        }
    }

    private static (Vector256<double> Longitude, Vector256<double> Latitude) Gcj02ToWgs84(Vector256<double> longitude, Vector256<double> latitude)
    {
        var lon = longitude;
        var lat = latitude;
        var done = Vector256<double>.Zero;
        for (var round = 0; round < MaxRounds; round++)
        {
            var inside = IsInsideChina(lon, lat);
            var (oLon, oLat) = Gcj02Offset(lon, lat);
            // Outside the box GCJ-02 is the identity: no offset.
            var dLon = longitude - (lon + (oLon & inside));
            var dLat = latitude - (lat + (oLat & inside));
            lon = Vector256.ConditionalSelect(done, lon, lon + dLon);
            lat = Vector256.ConditionalSelect(done, lat, lat + dLat);
            var step = Vector256.Max(Vector256.Abs(dLon), Vector256.Abs(dLat));
            var stop = Vector256.LessThan(step, Vector256.Create(InverseTolerance))
                | (Vector256.LessThan(step, Vector256.Create(ContractedStop)) & inside & IsInsideChina(lon, lat));
            done |= stop;
            if (Vector256.ExtractMostSignificantBits(done) == 0b1111)
            {
                break;
            }
        }
        return (lon, lat);
    }

    private static (Vector256<double> Longitude, Vector256<double> Latitude) Bd09ToGcj02(Vector256<double> longitude, Vector256<double> latitude)
    {
        // The first guess turns back by ε without atan2: cos(atan2(y, x) − ε) = (x·cos ε + y·sin ε)/r, and likewise sin.
        var x = longitude - Vector256.Create(0.0065);
        var y = latitude - Vector256.Create(0.006);
        var r = Vector256.Sqrt(x * x + y * y);
        var z = r - Vector256.Create(0.00002) * Vector256.Sin(y * Vector256.Create(BaiduPi));
        var (sinE, cosE) = SmallSinCos(Vector256.Create(0.000003) * Vector256.Cos(x * Vector256.Create(BaiduPi)));
        var scale = ScaleOrZero(z, r);
        var lon = scale * (x * cosE + y * sinE);
        var lat = scale * (y * cosE - x * sinE);
        var done = Vector256<double>.Zero;
        for (var round = 0; round < MaxRounds; round++)
        {
            var (fLon, fLat) = Gcj02ToBd09(lon, lat);
            var dLon = longitude - fLon;
            var dLat = latitude - fLat;
            lon = Vector256.ConditionalSelect(done, lon, lon + dLon);
            lat = Vector256.ConditionalSelect(done, lat, lat + dLat);
            var step = Vector256.Max(Vector256.Abs(dLon), Vector256.Abs(dLat));
            var stop = Vector256.LessThan(step, Vector256.Create(InverseTolerance))
                | (Vector256.LessThan(step, Vector256.Create(ContractedStop)) & Vector256.GreaterThanOrEqual(lon * lon + lat * lat, Vector256<double>.One));
            done |= stop;
            if (Vector256.ExtractMostSignificantBits(done) == 0b1111)
            {
                break;
            }
        }
        return (lon, lat);
    }

    /// <summary>The published GCJ-02 → BD-09 turn by θ = atan2(lat, lon) + ε, written as a turn by ε alone (see the first guess).</summary>
    private static (Vector256<double> Longitude, Vector256<double> Latitude) Gcj02ToBd09(Vector256<double> longitude, Vector256<double> latitude)
    {
        var r = Vector256.Sqrt(longitude * longitude + latitude * latitude);
        var z = r + Vector256.Create(0.00002) * Vector256.Sin(latitude * Vector256.Create(BaiduPi));
        var (sinE, cosE) = SmallSinCos(Vector256.Create(0.000003) * Vector256.Cos(longitude * Vector256.Create(BaiduPi)));
        var scale = ScaleOrZero(z, r);
        return (scale * (longitude * cosE - latitude * sinE) + Vector256.Create(0.0065), scale * (latitude * cosE + longitude * sinE) + Vector256.Create(0.006));
    }

    /// <summary>z / r, or 0 where r is 0 (the origin, where atan2 would give 0 and the point stays put).</summary>
    private static Vector256<double> ScaleOrZero(Vector256<double> z, Vector256<double> r)
    {
        var nonZero = ~Vector256.Equals(r, Vector256<double>.Zero);
        return (z / Vector256.ConditionalSelect(nonZero, r, Vector256<double>.One)) & nonZero;
    }

    /// <summary>sin and cos of |ε| ≤ 3e-6 rad: two terms of each series are exact in double precision.</summary>
    private static (Vector256<double> Sin, Vector256<double> Cos) SmallSinCos(Vector256<double> epsilon)
    {
        var e2 = epsilon * epsilon;
        return (epsilon - epsilon * e2 * Vector256.Create(1.0 / 6.0), Vector256<double>.One - e2 * Vector256.Create(0.5));
    }

    private static Vector256<double> IsInsideChina(Vector256<double> longitude, Vector256<double> latitude) =>
        Vector256.GreaterThanOrEqual(longitude, Vector256.Create(72.004)) & Vector256.LessThanOrEqual(longitude, Vector256.Create(137.8347))
        & Vector256.GreaterThanOrEqual(latitude, Vector256.Create(0.8293)) & Vector256.LessThanOrEqual(latitude, Vector256.Create(55.8271));

    /// <summary>The published offsets, as in the one-point method (same terms, same triple-angle sharing).</summary>
    private static (Vector256<double> Longitude, Vector256<double> Latitude) Gcj02Offset(Vector256<double> longitude, Vector256<double> latitude)
    {
        var pi = Vector256.Create(Math.PI);
        var twoThirds = Vector256.Create(2.0 / 3.0);
        var x = longitude - Vector256.Create(105.0);
        var y = latitude - Vector256.Create(35.0);
        var sin2X = Vector256.Sin(Vector256.Create(2.0) * x * pi);
        var sin6X = TripleAngle(sin2X);
        var sinXThird = Vector256.Sin(x / Vector256.Create(3.0) * pi);
        var sinX = TripleAngle(sinXThird);
        var sinYThird = Vector256.Sin(y / Vector256.Create(3.0) * pi);
        var sinY = TripleAngle(sinYThird);
        var shared = (Vector256.Create(20.0) * sin6X + Vector256.Create(20.0) * sin2X) * twoThirds;
        var sqrtAbsX = Vector256.Sqrt(Vector256.Abs(x));

        var rLat = Vector256.Create(-100.0) + Vector256.Create(2.0) * x + Vector256.Create(3.0) * y + Vector256.Create(0.2) * y * y
            + Vector256.Create(0.1) * x * y + Vector256.Create(0.2) * sqrtAbsX;
        rLat += shared;
        rLat += (Vector256.Create(20.0) * sinY + Vector256.Create(40.0) * sinYThird) * twoThirds;
        rLat += (Vector256.Create(160.0) * Vector256.Sin(y / Vector256.Create(12.0) * pi) + Vector256.Create(320.0) * Vector256.Sin(y * pi / Vector256.Create(30.0))) * twoThirds;

        var rLon = Vector256.Create(300.0) + x + Vector256.Create(2.0) * y + Vector256.Create(0.1) * x * x + Vector256.Create(0.1) * x * y
            + Vector256.Create(0.1) * sqrtAbsX;
        rLon += shared;
        rLon += (Vector256.Create(20.0) * sinX + Vector256.Create(40.0) * sinXThird) * twoThirds;
        rLon += (Vector256.Create(150.0) * Vector256.Sin(x / Vector256.Create(12.0) * pi) + Vector256.Create(300.0) * Vector256.Sin(x / Vector256.Create(30.0) * pi)) * twoThirds;

        var (sinLat, cosLat) = Vector256.SinCos(latitude / Vector256.Create(180.0) * pi);
        var magic = Vector256<double>.One - Vector256.Create(KrasovskyEccentricitySquared) * sinLat * sinLat;
        var sqrtMagic = Vector256.Sqrt(magic);
        var dLat = rLat * Vector256.Create(180.0) / (Vector256.Create(KrasovskySemiMajorAxis * (1 - KrasovskyEccentricitySquared)) / (magic * sqrtMagic) * pi);
        var dLon = rLon * Vector256.Create(180.0) / (Vector256.Create(KrasovskySemiMajorAxis) / sqrtMagic * cosLat * pi);
        return (dLon, dLat);
    }

    private static Vector256<double> TripleAngle(Vector256<double> sinA) => sinA * (Vector256.Create(3.0) - Vector256.Create(4.0) * sinA * sinA);
}
