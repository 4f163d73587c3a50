using OneMap.Testing;
using Npgsql;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.City;

/// <summary>PostGIS reads the exported GeoJSON itself (ST_GeomFromGeoJSON, ST_Transform from EPSG:4549) and checks the tiling.</summary>
[Collection("sample")]
public sealed class PostGisTilingTests(SampleFixture sample, PostgisServer postgis) : IClassFixture<PostgisServer>
{
    [Fact]
    public async Task postgis_finds_the_exported_grids_valid_non_overlapping_and_covering_their_communities()
    {
        postgis.EnsureAvailable();
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(postgis.ConnectionString);
        await connection.OpenAsync(ct);
        await Execute(connection, """
            CREATE TEMP TABLE communities AS
              SELECT f->'properties'->>'code' AS code, ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326) AS geom
              FROM jsonb_array_elements(@communities::jsonb->'features') AS f;
            CREATE TEMP TABLE grids AS
              SELECT f->'properties'->>'code' AS code, f->'properties'->>'parent_code' AS parent,
                     ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4549), 4326) AS geom
              FROM jsonb_array_elements(@grids::jsonb->'features') AS f;
            CREATE INDEX ON grids USING gist (geom);
            """, ct,
            ("communities", File.ReadAllText(sample.PathOf("admin/communities.geojson"))),
            ("grids", File.ReadAllText(sample.PathOf("admin/grids.geojson"))));

        Assert.Equal(sample.City.Admin.Grids.Count, await Scalar<long>(connection, "SELECT count(*) FROM grids", ct));
        Assert.Equal(0, await Scalar<long>(connection, "SELECT count(*) FROM grids WHERE NOT ST_IsValid(geom)", ct));
        Assert.Equal(0, await Scalar<long>(connection, "SELECT count(*) FROM communities WHERE NOT ST_IsValid(geom)", ct));
        // Interiors of two grids never intersect (DE-9IM: interior/interior of dimension 2).
        Assert.Equal(0, await Scalar<long>(connection,
            "SELECT count(*) FROM grids a JOIN grids b ON a.code < b.code AND a.geom && b.geom WHERE ST_Relate(a.geom, b.geom, '2********')", ct));
        // Each community is covered by its grids. The grid file rounds projected coordinates to the millimetre, so the
        // union may differ from the community by slivers thinner than a millimetre along its boundary: area / perimeter.
        var worst = await Scalar<double>(connection, """
            SELECT coalesce(max(ST_Area(ST_SymDifference(c.geom, u.geom)::geography) / ST_Perimeter(c.geom::geography)), 0)
            FROM communities c JOIN (SELECT parent, ST_Union(geom) AS geom FROM grids GROUP BY parent) u ON u.parent = c.code
            """, ct);
        Assert.True(worst < 0.001, $"a community differs from the union of its grids by a sliver {worst * 1000:F3} mm wide on average");
        Assert.Equal(sample.City.Admin.Communities.Count, await Scalar<long>(connection, "SELECT count(DISTINCT parent) FROM grids", ct));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(ct))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
