using OneMap.Testing;
using Npgsql;
using OneMap.Models.Crs;

namespace OneMap.Models.Tests.Crs;

/// <summary>PostGIS's ST_Transform (PROJ with the EPSG definitions) is the reference for the Gauss-Krüger zones.</summary>
public sealed class PostGisCrsTests(PostgisServer postgis) : IClassFixture<PostgisServer>
{
    [Theory]
    [InlineData(4528)]
    [InlineData(4549)]
    [InlineData(4527)]
    [InlineData(4548)]
    [InlineData(4513)]
    [InlineData(4554)]
    [InlineData(4499)]
    [InlineData(4510)]
    public async Task forward_projection_agrees_with_postgis_to_a_millimetre(int epsg)
    {
        postgis.EnsureAvailable();
        var crs = CrsId.FromEpsg(epsg);
        var points = PointsAround(crs.Zone!.CentralMeridian);
        var reference = await TransformAsync(points, 4490, epsg);
        for (var i = 0; i < points.Count; i++)
        {
            var (e, n) = CoordinateConverter.FromWgs84(crs, points[i].X, points[i].Y);
            Assert.True(Math.Abs(e - reference[i].X) < 1e-3 && Math.Abs(n - reference[i].Y) < 1e-3,
                $"EPSG:{epsg} ({points[i].X}, {points[i].Y}): OneMap ({e:F4}, {n:F4}), PostGIS ({reference[i].X:F4}, {reference[i].Y:F4})");
        }
    }

    [Theory]
    [InlineData(4528)]
    [InlineData(4549)]
    public async Task inverse_projection_agrees_with_postgis_to_a_millionth_of_a_degree(int epsg)
    {
        postgis.EnsureAvailable();
        var crs = CrsId.FromEpsg(epsg);
        var prefix = crs.Zone!.ZonePrefix ? 40_000_000 : 0;
        var projected = new List<(double X, double Y)>();
        for (var e = 380_000.0; e <= 560_000; e += 30_000)
        {
            for (var n = 2_760_000.0; n <= 2_860_000; n += 20_000)
            {
                projected.Add((prefix + e, n));
            }
        }
        var reference = await TransformAsync(projected, epsg, 4490);
        for (var i = 0; i < projected.Count; i++)
        {
            var (lon, lat) = CoordinateConverter.ToWgs84(crs, projected[i].X, projected[i].Y);
            Assert.Equal(reference[i].X, lon, 1e-8);
            Assert.Equal(reference[i].Y, lat, 1e-8);
        }
    }

    private static List<(double X, double Y)> PointsAround(int centralMeridian)
    {
        var points = new List<(double X, double Y)>();
        for (var dLon = -1.5; dLon <= 1.5; dLon += 0.75)
        {
            for (var lat = 18.0; lat <= 50; lat += 8)
            {
                points.Add((centralMeridian + dLon, lat));
            }
        }
        return points;
    }

    private async Task<List<(double X, double Y)>> TransformAsync(List<(double X, double Y)> points, int fromSrid, int toSrid)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(postgis.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), @from), @to) AS g, ord " +
            "FROM unnest(@xs, @ys) WITH ORDINALITY AS t(x, y, ord)) q ORDER BY ord", connection);
        command.Parameters.AddWithValue("from", fromSrid);
        command.Parameters.AddWithValue("to", toSrid);
        command.Parameters.AddWithValue("xs", points.Select(p => p.X).ToArray());
        command.Parameters.AddWithValue("ys", points.Select(p => p.Y).ToArray());
        var result = new List<(double X, double Y)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add((reader.GetDouble(0), reader.GetDouble(1)));
        }
        return result;
    }
}
