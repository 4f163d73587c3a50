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
    public void gcj02_is_wgs84_outside_china()
    {
        Assert.Equal((2.35, 48.85), ChinaOffsets.Wgs84ToGcj02(2.35, 48.85));
        Assert.Equal((2.35, 48.85), ChinaOffsets.Gcj02ToWgs84(2.35, 48.85));
    }
}
