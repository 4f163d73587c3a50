using System.Globalization;

using NetTopologySuite.Geometries;

using Npgsql;

using NpgsqlTypes;

using OneMap.Lakehouse.Spatial;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>
/// OneMap's indexed joins from DuckDB SQL against the same joins in PostGIS on the same data: point-to-polygon
/// assignment, predicates against a repeated polygon, k nearest neighbours, within-distance pairs, hexagon bins and
/// geofence events must return exactly PostGIS's pairs.
/// </summary>
public sealed class JoinAgreementTests(PostgisServer postgis) : IClassFixture<PostgisServer>, IDisposable
{
    private readonly DuckDbSpatial _duck = new();

    public void Dispose() => _duck.Dispose();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task points_assigned_to_grid_cells_are_exactly_postgis_pairs()
    {
        postgis.EnsureAvailable();
        var grid = SyntheticCity.Grid(20, 15, edgePoints: 3, seed: 11);
        var points = SyntheticCity.Points(grid, random: 20_000, onBoundary: 3_000, seed: 12);
        await LoadBoth("grid", grid.Select(g => (g.Key, (Geometry)g.Cell)));
        await LoadBoth("pts", points.Select(p => (p.Key, (Geometry)p.Point)));
        _duck.Scalar<long>("SELECT st_index_build('grid', geom, key) FROM grid");

        foreach (var (predicate, postgisFunction) in new[] { ("intersects", "ST_Intersects"), ("contains", "ST_Contains") })
        {
            var expected = await PostgisPairs($"SELECT p.key, g.key FROM pts p JOIN grid g ON {postgisFunction}(g.geom, p.geom)");
            var actual = DuckPairs($"SELECT key, unnest(st_index_all('grid', geom, '{predicate}')) FROM pts");
            AssertSamePairs(expected, actual, predicate);
            // The first match per point is the smallest key PostGIS pairs it with.
            var first = DuckPairs($"SELECT key, st_index_first('grid', geom, '{predicate}') FROM pts WHERE st_index_first('grid', geom, '{predicate}') IS NOT NULL");
            var expectedFirst = expected.GroupBy(p => p.Item1).Select(g => (g.Key, g.Select(p => p.Item2).Min(StringComparer.Ordinal)!)).ToHashSet();
            AssertSamePairs(expectedFirst, first, predicate + " first");
        }
        // Shared edges and corners exist in the data: some points belong to two or more cells under ST_Intersects.
        Assert.Contains(DuckPairs("SELECT key, unnest(st_index_all('grid', geom)) FROM pts").GroupBy(p => p.Item1), g => g.Count() > 1);
    }

    [Fact]
    public async Task predicates_against_a_repeated_polygon_agree_with_postgis()
    {
        postgis.EnsureAvailable();
        var grid = SyntheticCity.Grid(4, 3, edgePoints: 6, seed: 21);
        var points = SyntheticCity.Points(grid, random: 3_000, onBoundary: 1_500, seed: 22);
        await LoadBoth("cells", grid.Select(g => (g.Key, (Geometry)g.Cell)));
        await LoadBoth("pts", points.Select(p => (p.Key, (Geometry)p.Point)));
        foreach (var function in new[] { "st_contains", "st_covers", "st_intersects" })
        {
            // Ordered so each cell repeats over thousands of consecutive rows: the prepared path is what answers.
            var expected = await PostgisPairs($"SELECT p.key, c.key FROM cells c CROSS JOIN pts p WHERE {function}(c.geom, p.geom)");
            var actual = DuckPairs($"""
                SELECT pkey, ckey FROM (SELECT c.key AS ckey, c.geom AS cgeom, p.key AS pkey, p.geom AS pgeom
                                        FROM cells c CROSS JOIN pts p ORDER BY ckey, pkey)
                WHERE {function}(cgeom, pgeom)
                """);
            AssertSamePairs(expected, actual, function);
        }
    }

    [Fact]
    public async Task nearest_neighbours_are_postgis_nearest_by_geodesic_distance()
    {
        postgis.EnsureAvailable();
        var area = new Envelope(118.95, 119.05, 25.40, 25.48);
        var manholes = SyntheticCity.Scatter("M", 1_000, area, seed: 31);
        var tickets = SyntheticCity.Scatter("T", 800, area, seed: 32);
        await LoadBoth("manholes", manholes.Select(m => (m.Key, (Geometry)m.Point)));
        await LoadBoth("tickets", tickets.Select(t => (t.Key, (Geometry)t.Point)));
        // PostGIS's geography <-> orders by sphere distance; the 25 sphere-nearest surely hold the 5 geodesic-nearest.
        await Execute("CREATE INDEX ON manholes USING gist ((geom::geography)); ANALYZE manholes");
        _duck.Scalar<long>("SELECT st_index_build('manholes', geom, key) FROM manholes");

        var expected = await PostgisRows("""
            SELECT t.key, string_agg(n.key, ',' ORDER BY n.rank) FROM tickets t
            CROSS JOIN LATERAL (
              SELECT c.key, row_number() OVER (ORDER BY ST_Distance(t.geom::geography, c.geom::geography), c.key) AS rank
              FROM (SELECT m.key, m.geom FROM manholes m ORDER BY m.geom::geography <-> t.geom::geography LIMIT 25) c
              ORDER BY ST_Distance(t.geom::geography, c.geom::geography), c.key LIMIT 5) n
            GROUP BY t.key
            """);
        var actual = _duck.Rows("""
            SELECT key, array_to_string(list_transform(st_index_nearest('manholes', geom, 5), m -> m.key), ',') FROM tickets
            """).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(expected.Count, actual.Count);
        var differing = expected.Where(e => actual[e.Key] != e.Value).Select(e => $"{e.Key}: PostGIS {e.Value} OneMap {actual[e.Key]}").ToList();
        Assert.True(differing.Count == 0, string.Join('\n', differing.Take(10)));
        // The table function returns the same pairs, one row each, ranked.
        var table = _duck.Rows("SELECT id, string_agg(key, ',' ORDER BY rank) FROM st_knn('manholes', 'tickets', 5, id := 'key') GROUP BY id")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(actual.OrderBy(p => p.Key), table.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task within_distance_pairs_and_distances_match_postgis_geography()
    {
        postgis.EnsureAvailable();
        var area = new Envelope(118.95, 119.05, 25.40, 25.48);
        var reaches = SyntheticCity.Lines("R", 30, 25, area, seed: 41);
        var enterprises = SyntheticCity.Scatter("E", 2_000, area, seed: 42);
        await LoadBoth("reaches", reaches.Select(r => (r.Key, (Geometry)r.Line)));
        await LoadBoth("enterprises", enterprises.Select(e => (e.Key, (Geometry)e.Point)));
        await Execute("CREATE INDEX ON reaches USING gist ((geom::geography)); ANALYZE reaches");
        _duck.Scalar<long>("SELECT st_index_build('reaches', geom, key) FROM reaches");

        var expected = await PostgisRows("""
            SELECT e.key || '|' || r.key, ST_Distance(e.geom::geography, r.geom::geography)::text FROM enterprises e
            JOIN reaches r ON ST_DWithin(e.geom::geography, r.geom::geography, 500)
            """);
        var actual = _duck.Rows("""
            SELECT e.key || '|' || u.m.key, u.m.distance FROM enterprises e, unnest(st_index_within('reaches', e.geom, 500.0)) AS u(m)
            """).ToDictionary(r => (string)r[0]!, r => (double)r[1]!);
        Assert.True(expected.Count > 500, $"only {expected.Count} pairs: the data does not exercise the join");
        var table = _duck.Rows("SELECT id || '|' || key, distance FROM st_dwithin_join('reaches', 'enterprises', 500.0, id := 'key')")
            .ToDictionary(r => (string)r[0]!, r => (double)r[1]!);
        Assert.Equal(actual, table);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (pair, distance) in expected)
        {
            var reference = double.Parse(distance, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(reference - actual[pair]) <= (1e-6 * reference) + 1e-7, $"{pair}: PostGIS {reference} OneMap {actual[pair]}");
        }
    }

    [Fact]
    public async Task hexagon_bins_are_postgis_hexagon_grid_cells_in_web_mercator()
    {
        postgis.EnsureAvailable();
        var area = new Envelope(118.95, 119.05, 25.40, 25.48);
        var points = SyntheticCity.Scatter("H", 3_000, area, seed: 51);
        await LoadBoth("hpts", points.Select(p => (p.Key, (Geometry)p.Point)));
        foreach (var size in new[] { 100.0, 750.0, 4000.0 })
        {
            var expected = await PostgisPairs($"""
                SELECT p.key, h.i || ',' || h.j FROM hpts p
                CROSS JOIN LATERAL ST_HexagonGrid({size.ToString(CultureInfo.InvariantCulture)}, ST_Transform(p.geom, 3857)) h
                WHERE ST_Intersects(h.geom, ST_Transform(p.geom, 3857))
                """);
            var actual = DuckPairs($"SELECT key, (st_hexbin(geom, {size.ToString(CultureInfo.InvariantCulture)}) >> 32)::INTEGER || ',' || (st_hexbin(geom, {size.ToString(CultureInfo.InvariantCulture)}) & 4294967295)::INTEGER FROM hpts");
            AssertSamePairs(expected, actual, $"size {size}");
        }
    }

    [Fact]
    public async Task observed_geofence_events_are_the_state_changes_postgis_sees_fix_by_fix()
    {
        postgis.EnsureAvailable();
        var rng = new Random(61);
        var fences = Enumerable.Range(0, 6).Select(i =>
        {
            var center = new Coordinate(119.0 + (0.02 * (i % 3)), 25.42 + (0.025 * (i / 3)));
            return ($"F{i}", (Geometry)GeometryOperations.BufferMetres(GeometryCodec.Factory.CreatePoint(center), 600 + (rng.NextDouble() * 600)));
        }).ToList();
        var fixes = new List<object?[]>();
        for (var v = 0; v < 15; v++)
        {
            double x = 118.99 + (rng.NextDouble() * 0.06), y = 25.41 + (rng.NextDouble() * 0.05);
            var heading = rng.NextDouble() * 2 * Math.PI;
            for (var t = 0; t < 240; t++)
            {
                heading += (rng.NextDouble() - 0.5) * 0.6;
                x += Math.Cos(heading) * 0.0015;
                y += Math.Sin(heading) * 0.0015;
                fixes.Add([$"V{v:D2}", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(t), GeometryCodec.PointWkb(x, y)]);
            }
        }
        await LoadBoth("fences", fences);
        await LoadPostgis("positions", "vessel_id text, ts timestamptz, wkb bytea", fixes);
        await Execute("ALTER TABLE positions ADD COLUMN geom geometry; UPDATE positions SET geom = ST_GeomFromWKB(wkb, 4326)");
        _duck.Load("positions", "vessel_id VARCHAR, ts TIMESTAMPTZ, geom BLOB", fixes);
        _duck.Scalar<long>("SELECT st_index_build('fences', geom, key) FROM fences");

        var expected = await PostgisPairs("""
            WITH inside AS (
              SELECT p.vessel_id, p.ts, f.key AS fence, ST_Intersects(f.geom, p.geom) AS now,
                     lag(ST_Intersects(f.geom, p.geom)) OVER (PARTITION BY p.vessel_id, f.key ORDER BY p.ts) AS before
              FROM positions p CROSS JOIN fences f)
            SELECT vessel_id || '|' || fence || '|' || to_char(ts AT TIME ZONE 'UTC', 'HH24:MI'), CASE WHEN now THEN 'enter' ELSE 'exit' END
            FROM inside WHERE now IS DISTINCT FROM coalesce(before, false)
            """);
        var actual = DuckPairs("""
            SELECT vessel_id || '|' || fence_id || '|' || strftime(ts AT TIME ZONE 'UTC', '%H:%M'), event
            FROM st_geofence_events('fences', 'positions') WHERE observed
            """);
        Assert.True(expected.Count > 20, $"only {expected.Count} events: the tracks do not exercise the fences");
        AssertSamePairs(expected, actual, "observed events");
        // Events seen only between fixes exist too (corner cuts), and come in enter/exit pairs.
        var between = _duck.Rows("SELECT event, count(*) FROM st_geofence_events('fences', 'positions') WHERE NOT observed GROUP BY event ORDER BY event");
        Assert.All(between, r => Assert.Equal(between[0][1], r[1]));
        var written = _duck.Scalar<long>("CREATE TABLE fence_events AS SELECT * FROM st_geofence_events('fences', 'positions'); SELECT count(*) FROM fence_events");
        Assert.True(written >= expected.Count);
    }

    private async Task LoadBoth(string table, IEnumerable<(string Key, Geometry Geometry)> rows)
    {
        var list = rows.Select(r => new object?[] { r.Key, GeometryCodec.ToWkb(r.Geometry) }).ToList();
        _duck.Load(table, "key VARCHAR, geom BLOB", list);
        await LoadPostgis(table, "key text, wkb bytea", list);
        await Execute($"ALTER TABLE {table} ADD COLUMN geom geometry; UPDATE {table} SET geom = ST_GeomFromWKB(wkb, 4326); CREATE INDEX ON {table} USING gist (geom); ANALYZE {table}");
    }

    private async Task LoadPostgis(string table, string columns, IReadOnlyList<object?[]> rows)
    {
        await Execute($"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({columns})");
        await using var connection = await postgis.OpenConnectionAsync(Cancel);
        await using var import = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", Cancel);
        foreach (var row in rows)
        {
            await import.StartRowAsync(Cancel);
            foreach (var value in row)
            {
                switch (value)
                {
                    case string s:
                        await import.WriteAsync(s, NpgsqlDbType.Text, Cancel);
                        break;
                    case byte[] b:
                        await import.WriteAsync(b, NpgsqlDbType.Bytea, Cancel);
                        break;
                    case DateTimeOffset d:
                        await import.WriteAsync(d.UtcDateTime, NpgsqlDbType.TimestampTz, Cancel);
                        break;
                    default:
                        throw new ArgumentException($"unexpected value {value}");
                }
            }
        }
        await import.CompleteAsync(Cancel);
    }

    private async Task Execute(string sql)
    {
        await using var connection = await postgis.OpenConnectionAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private async Task<Dictionary<string, string>> PostgisRows(string sql)
    {
        var rows = new Dictionary<string, string>();
        await using var connection = await postgis.OpenConnectionAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        while (await reader.ReadAsync(Cancel))
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }
        return rows;
    }

    private async Task<HashSet<(string, string)>> PostgisPairs(string sql)
    {
        var pairs = new HashSet<(string, string)>();
        await using var connection = await postgis.OpenConnectionAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        while (await reader.ReadAsync(Cancel))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }
        return pairs;
    }

    private HashSet<(string, string)> DuckPairs(string sql) =>
        _duck.Rows(sql).Select(r => ((string)r[0]!, Convert.ToString(r[1], CultureInfo.InvariantCulture)!)).ToHashSet();

    private static void AssertSamePairs(HashSet<(string, string)> expected, HashSet<(string, string)> actual, string what)
    {
        var missing = expected.Except(actual).Take(10).ToList();
        var extra = actual.Except(expected).Take(10).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: {expected.Count} PostGIS pairs, {actual.Count} OneMap pairs; missing {string.Join(' ', missing)}; extra {string.Join(' ', extra)}");
    }
}
