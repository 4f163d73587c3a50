using OneMap.Models.Crs;

namespace OneMap.Models.Tests.Crs;

public sealed class ChinaOffsetTests
{
    // Control values published with gcoord's test-suite (hujiulong/gcoord, test/unit/crs), which evaluates the same
    // published formulas; checked to 1e-7° (≈ 1 cm).
    [Fact]
    public void wgs84_to_gcj02_matches_the_published_control_point()
    {
        var (lon, lat) = ChinaOffsets.Wgs84ToGcj02(123, 45);
        Assert.Equal(123.00607541, lon, 1e-7);
        Assert.Equal(45.00197815, lat, 1e-7);
    }

    [Fact]
    public void wgs84_to_bd09_matches_the_published_control_point()
    {
        var (lon, lat) = CoordinateConverter.FromWgs84(CrsId.Bd09, 123, 45);
        Assert.Equal(123.0124491, lon, 1e-7);
        Assert.Equal(45.0083293, lat, 1e-7);
    }

    [Fact]
    public void gcj02_to_bd09_matches_the_published_control_point()
    {
        var (lon, lat) = ChinaOffsets.Gcj02ToBd09(123, 45);
        Assert.Equal(123.00636499, lon, 1e-7);
        Assert.Equal(45.00636899, lat, 1e-7);
    }

    [Fact]
    public void the_iterated_inverses_agree_with_the_published_one_step_approximations_within_their_error()
    {
        // gcoord publishes the one-step approximate inverses, which are off by up to a few metres; ours iterate.
        var (gLon, gLat) = ChinaOffsets.Gcj02ToWgs84(123, 45);
        Assert.Equal(122.99395597, gLon, 5e-5);
        Assert.Equal(44.99804071, gLat, 5e-5);
        var (bLon, bLat) = ChinaOffsets.Bd09ToGcj02(123, 45);
        Assert.Equal(122.99363304, bLon, 5e-5);
        Assert.Equal(44.99365430, bLat, 5e-5);
    }

    [Fact]
    public void gcj02_offset_in_putian_is_a_few_hundred_metres()
    {
        var (lon, lat) = ChinaOffsets.Wgs84ToGcj02(119.0077, 25.4540);
        var metres = OneMap.Models.Spatial.Geo.DistanceMeters(119.0077, 25.4540, lon, lat);
        Assert.InRange(metres, 300, 700);
    }

    [Fact]
    public void inverses_round_trip_to_a_centimetre_across_putian()
    {
        for (var lon = 118.5; lon <= 119.7; lon += 0.05)
        {
            for (var lat = 24.9; lat <= 25.9; lat += 0.05)
            {
                foreach (var crs in new[] { CrsId.Gcj02, CrsId.Bd09 })
                {
                    var (x, y) = CoordinateConverter.FromWgs84(crs, lon, lat);
                    var (backLon, backLat) = CoordinateConverter.ToWgs84(crs, x, y);
                    Assert.True(OneMap.Models.Spatial.Geo.DistanceMeters(lon, lat, backLon, backLat) < 0.01,
                        $"{crs} round trip of ({lon}, {lat}) came back as ({backLon}, {backLat})");
                }
            }
        }
    }

    [Fact]
    public void inverses_round_trip_to_a_nanodegree_over_a_grid_covering_china()
    {
        // The inverses stop on a contraction bound instead of re-checking the final point; compare them with the same
        // fixed-point iteration run far past convergence, and check the forward transforms reproduce their inputs.
        var checkedPoints = 0;
        for (var lon = 73.0; lon <= 135.0; lon += 0.37)
        {
            for (var lat = 3.9; lat <= 53.5; lat += 0.29)
            {
                AssertInverse("GCJ-02", ChinaOffsets.Wgs84ToGcj02, ChinaOffsets.Gcj02ToWgs84, lon, lat);
                AssertInverse("BD-09 → GCJ-02", ChinaOffsets.Gcj02ToBd09, ChinaOffsets.Bd09ToGcj02, lon, lat);
                var (bLon, bLat) = ChinaOffsets.Wgs84ToBd09(lon, lat);
                var (wLon, wLat) = ChinaOffsets.Bd09ToWgs84(bLon, bLat);
                Assert.True(Math.Abs(wLon - lon) <= 1e-9 && Math.Abs(wLat - lat) <= 1e-9,
                    $"WGS84 → BD-09 → WGS84 of ({lon}, {lat}) came back as ({wLon:R}, {wLat:R})");
                checkedPoints++;
            }
        }
        Assert.True(checkedPoints > 25_000, $"only {checkedPoints} grid points were checked");
    }

    private static void AssertInverse(string name, Func<double, double, (double Longitude, double Latitude)> forward,
        Func<double, double, (double Longitude, double Latitude)> inverse, double lon, double lat)
    {
        var (tLon, tLat) = forward(lon, lat);
        var (iLon, iLat) = inverse(tLon, tLat);
        double rLon = tLon, rLat = tLat;
        for (var i = 0; i < 60; i++)
        {
            var (fLon, fLat) = forward(rLon, rLat);
            rLon += tLon - fLon;
            rLat += tLat - fLat;
        }
        Assert.True(Math.Abs(iLon - rLon) <= 1e-9 && Math.Abs(iLat - rLat) <= 1e-9,
            $"{name} inverse of ({tLon:R}, {tLat:R}) is ({iLon:R}, {iLat:R}); fully iterated ({rLon:R}, {rLat:R})");
        var (backLon, backLat) = forward(iLon, iLat);
        Assert.True(Math.Abs(backLon - tLon) <= 1e-9 && Math.Abs(backLat - tLat) <= 1e-9,
            $"{name}: forward of the inverse of ({tLon:R}, {tLat:R}) is ({backLon:R}, {backLat:R})");
    }

    [Fact]
    public void gcj02_is_wgs84_outside_china()
    {
        Assert.Equal((2.35, 48.85), ChinaOffsets.Wgs84ToGcj02(2.35, 48.85));
        Assert.Equal((2.35, 48.85), ChinaOffsets.Gcj02ToWgs84(2.35, 48.85));
    }

    [Fact]
    public void the_gcj02_offset_equals_the_published_formula_evaluated_term_by_term_across_china()
    {
        // ChinaOffsets takes some sines from others by trigonometric identities; the published formula, written out
        // literally here, must give the same point to far below the inverses' 1e-9° tolerance.
        for (var lon = 73.0; lon <= 135.0; lon += 0.37)
        {
            for (var lat = 1.0; lat <= 55.0; lat += 0.29)
            {
                var (expectedLon, expectedLat) = PublishedWgs84ToGcj02(lon, lat);
                var (actualLon, actualLat) = ChinaOffsets.Wgs84ToGcj02(lon, lat);
                Assert.Equal(expectedLon, actualLon, 1e-12);
                Assert.Equal(expectedLat, actualLat, 1e-12);
            }
        }
    }

    private static (double Longitude, double Latitude) PublishedWgs84ToGcj02(double longitude, double latitude)
    {
        const double a = 6_378_245.0, ee = 0.00669342162296594323;
        double x = longitude - 105.0, y = latitude - 35.0;
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = latitude / 180.0 * Math.PI;
        var magic = 1 - ee * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (a * (1 - ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (a / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (longitude + dLon, latitude + dLat);
    }
}
