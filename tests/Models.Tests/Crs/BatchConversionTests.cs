using OneMap.Models.Crs;

namespace OneMap.Models.Tests.Crs;

/// <summary>The vectorised many-point inverses agree with the one-point ones, point by point, whatever the neighbours.</summary>
public sealed class BatchConversionTests
{
    private static (double[] Lon, double[] Lat) GridOverChinaAndBeyond()
    {
        var lon = new List<double>();
        var lat = new List<double>();
        // Across China, over the box's edges (where GCJ-02 switches to the identity) and outside it; an odd count leaves
        // a tail for the one-point path.
        for (var x = 70.0; x <= 140.0; x += 0.93)
        {
            for (var y = 0.0; y <= 57.0; y += 0.61)
            {
                lon.Add(x);
                lat.Add(y);
            }
        }
        lon.AddRange([72.004, 137.8347, 105.0, 105.0 + 1e-9, 2.35, -73.97, 0.0065, 0.0]);
        lat.AddRange([0.8293, 55.8271, 35.0, 35.0, 48.85, 40.78, 0.006, 0.0]);
        lon.Add(119.0077);
        lat.Add(25.4540);
        return ([.. lon], [.. lat]);
    }

    [Theory]
    [InlineData("GCJ-02")]
    [InlineData("BD-09")]
    public void many_points_convert_as_each_would_alone(string system)
    {
        var crs = CrsId.Parse(system);
        var (lon, lat) = GridOverChinaAndBeyond();
        Assert.True(lon.Length % 4 != 0, "the grid should leave a tail for the one-point path");
        var (xs, ys) = (lon.ToArray(), lat.ToArray());
        for (var i = 0; i < xs.Length; i++)
        {
            (xs[i], ys[i]) = CoordinateConverter.FromWgs84(crs, lon[i], lat[i]);
        }
        var (bx, by) = (xs.ToArray(), ys.ToArray());
        var errors = new string?[xs.Length];

        CoordinateConverter.ToWgs84(crs, bx, by, errors);

        Assert.All(errors, Assert.Null);
        for (var i = 0; i < xs.Length; i++)
        {
            var (sx, sy) = CoordinateConverter.ToWgs84(crs, xs[i], ys[i]);
            Assert.True(Math.Abs(bx[i] - sx) <= 1e-12 && Math.Abs(by[i] - sy) <= 1e-12,
                $"{system} ({xs[i]:R}, {ys[i]:R}): batch ({bx[i]:R}, {by[i]:R}), alone ({sx:R}, {sy:R})");
            // GCJ-02 jumps at its box's edges, where no inverse exists; elsewhere the batch must also invert exactly.
            if (NearTheBoxEdge(lon[i], lat[i]))
            {
                continue;
            }
            Assert.True(Math.Abs(bx[i] - lon[i]) <= 1e-9 && Math.Abs(by[i] - lat[i]) <= 1e-9,
                $"{system} round trip of ({lon[i]:R}, {lat[i]:R}) came back as ({bx[i]:R}, {by[i]:R})");
        }
    }

    private static bool NearTheBoxEdge(double lon, double lat) =>
        new[] { Math.Abs(lon - 72.004), Math.Abs(lon - 137.8347), Math.Abs(lat - 0.8293), Math.Abs(lat - 55.8271) }.Min() < 0.05;

    [Fact]
    public void a_bad_point_gets_its_reason_and_its_input_back_without_disturbing_its_neighbours()
    {
        double[] xs = [119.01, double.NaN, 119.02, 500.0, 119.03, 119.04];
        double[] ys = [25.43, 25.44, 25.45, 25.46, 25.47, 25.48];
        var errors = new string?[6];
        errors[5] = "already rejected";

        CoordinateConverter.ToWgs84(CrsId.Bd09, xs, ys, errors);

        Assert.Contains("not a pair of finite numbers", errors[1], StringComparison.Ordinal);
        Assert.Contains("is not a longitude/latitude in BD-09", errors[3], StringComparison.Ordinal);
        Assert.Equal("already rejected", errors[5]);
        Assert.True(double.IsNaN(xs[1]));
        Assert.Equal((500.0, 25.46), (xs[3], ys[3]));
        Assert.Equal((119.04, 25.48), (xs[5], ys[5]));
        foreach (var (i, x, y) in new[] { (0, 119.01, 25.43), (2, 119.02, 25.45), (4, 119.03, 25.47) })
        {
            Assert.Null(errors[i]);
            var (sx, sy) = CoordinateConverter.ToWgs84(CrsId.Bd09, x, y);
            Assert.Equal(sx, xs[i], 1e-12);
            Assert.Equal(sy, ys[i], 1e-12);
        }
    }

    [Fact]
    public void other_systems_convert_point_by_point_through_the_same_call()
    {
        var zone = CrsId.Parse("EPSG:4549");
        var (e, n) = CoordinateConverter.FromWgs84(zone, 119.0, 25.4);
        double[] xs = [e, double.PositiveInfinity];
        double[] ys = [n, 2.0];
        var errors = new string?[2];

        CoordinateConverter.ToWgs84(zone, xs, ys, errors);

        Assert.Null(errors[0]);
        Assert.Equal(119.0, xs[0], 1e-9);
        Assert.Equal(25.4, ys[0], 1e-9);
        Assert.NotNull(errors[1]);
    }
}
