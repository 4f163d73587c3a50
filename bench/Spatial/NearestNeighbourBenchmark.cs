using System.Globalization;

using NetTopologySuite.Geometries;

using Npgsql;

using OneMap.Bench.Runner;
using OneMap.DuckDb;
using OneMap.Lakehouse.Spatial;
using OneMap.Testing;

namespace OneMap.Bench.Spatial;

/// <summary>
/// The 5 nearest manholes for each of 100,000 ticket points: OneMap's <c>st_index_nearest</c> (geodesic metres,
/// k-d tree on the sphere, index build included) against PostGIS's index-assisted <c>ORDER BY … &lt;-&gt; … LIMIT 5</c>,
/// both on geography (metres, sphere order — the comparable semantics) and on geometry (planar degrees — PostGIS's
/// fastest form).
/// </summary>
public sealed class NearestNeighbourBenchmark : IBenchmark
{
    public string Name => "spatial-knn";

    public string Description => "k=5 nearest manholes for 100k tickets: OneMap st_index_nearest vs PostGIS <-> (geography and geometry)";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var tickets = BenchCity.Scale("ONEMAP_BENCH_TICKETS", 100_000);
        var manholes = BenchCity.Scale("ONEMAP_BENCH_MANHOLES", 20_000);
        var area = new Envelope(BenchCity.West, BenchCity.West + 0.4, BenchCity.South, BenchCity.South + 0.35);
        var (mx, my) = BenchCity.Points(manholes, area, seed: 3);
        var (tx, ty) = BenchCity.Points(tickets, area, seed: 4);
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {tickets:N0} tickets, {manholes:N0} manholes, k = 5"));

        using var database = DuckDbDatabase.Open();
        using var duck = database.Connect();
        SpatialFunctions.Register(duck);
        BenchCity.LoadDuckPoints(duck, "manholes", mx, my);
        BenchCity.LoadDuckPoints(duck, "tickets", tx, ty);

        await using var postgis = await PostgisServer.StartAsync(BenchCity.PostgisSettings, cancellationToken);
        await BenchCity.LoadPostgis(postgis, "manholes", "Point", manholes, i => (i, BenchCity.PointEwkb(mx[i], my[i])), cancellationToken);
        await BenchCity.LoadPostgis(postgis, "tickets", "Point", tickets, i => (i, BenchCity.PointEwkb(tx[i], ty[i])), cancellationToken);
        await using var pg = await postgis.OpenConnectionAsync(cancellationToken);
        await BenchCity.Execute(pg, """
            ALTER TABLE manholes ADD COLUMN geog geography(Point, 4326); UPDATE manholes SET geog = geom::geography;
            CREATE INDEX ON manholes USING gist (geog);
            ALTER TABLE tickets ADD COLUMN geog geography(Point, 4326); UPDATE tickets SET geog = geom::geography
            """, cancellationToken);
        await BenchCity.Execute(pg, "VACUUM ANALYZE manholes", cancellationToken);
        await BenchCity.Execute(pg, "VACUUM ANALYZE tickets", cancellationToken);

        const string oneMapSql = """
            SELECT st_index_build('manholes', geom, id::VARCHAR) FROM manholes;
            SELECT t.id, list_transform(st_index_nearest('manholes', t.geom, 5), m -> m.key) FROM tickets t
            """;
        const string tableSql = """
            SELECT st_index_build('manholes', geom, id::VARCHAR) FROM manholes;
            SELECT CAST(id AS BIGINT), list(key ORDER BY rank) FROM st_knn('manholes', 'tickets', 5) GROUP BY id
            """;
        const string geographySql = """
            SELECT t.id, n.ids FROM tickets t CROSS JOIN LATERAL (
              SELECT array_agg(id) AS ids FROM (SELECT m.id FROM manholes m ORDER BY m.geog <-> t.geog LIMIT 5) k) n
            """;
        const string geometrySql = """
            SELECT t.id, n.ids FROM tickets t CROSS JOIN LATERAL (
              SELECT array_agg(id) AS ids FROM (SELECT m.id FROM manholes m ORDER BY m.geom <-> t.geom LIMIT 5) k) n
            """;
        Dictionary<long, string> oneMap = [], oneMapTable = [], geography = [], geometry = [];
        var ours = context.Measure("OneMap st_index_nearest", () => oneMap = DuckNearest(duck, oneMapSql));
        var oursTable = context.Measure("OneMap st_knn", () => oneMapTable = DuckNearest(duck, tableSql));
        var geographyTimes = await context.MeasureAsync("PostGIS geography <->", async () => geography = await PostgisNearest(pg, geographySql, cancellationToken));
        var geometryTimes = await context.MeasureAsync("PostGIS geometry <->", async () => geometry = await PostgisNearest(pg, geometrySql, cancellationToken));

        // Same sets as PostGIS's geography order (sphere metres) except where the 5th and 6th are within the
        // sphere-versus-spheroid difference; planar degrees disagree more (a degree of longitude is shorter).
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  same 5 manholes as PostGIS geography <->: {Agreement(oneMap, geography):P2} of tickets; as geometry <->: {Agreement(oneMap, geometry):P2}; st_knn as st_index_nearest: {Agreement(oneMapTable, oneMap):P2}"));
        var label = $"k=5 nearest of {manholes / 1000}k manholes, {tickets / 1000}k tickets";
        context.ReportTimes(label + ", vs geography <->", ours, geographyTimes, maxRatio: 0.5);
        context.ReportTimes("  st_knn table function, vs geography <->", oursTable, geographyTimes, maxRatio: 0.5);
        context.ReportTimes("  st_index_nearest, vs geometry <-> (degrees)", ours, geometryTimes, maxRatio: 0.5);
        context.ReportTimes("  st_knn table function, vs geometry <->", oursTable, geometryTimes, maxRatio: 0.5);
    }

    private static double Agreement(Dictionary<long, string> a, Dictionary<long, string> b) =>
        a.Count == 0 ? 0 : a.Count(p => b.TryGetValue(p.Key, out var other) && other == p.Value) / (double)a.Count;

    private static Dictionary<long, string> DuckNearest(DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query(sql);
        var result = new Dictionary<long, string>();
        while (reader.Read())
        {
            var ids = reader.GetFieldValue<List<string>>(1).Select(long.Parse).Order();
            result[reader.GetInt64(0)] = string.Join(',', ids);
        }
        return result;
    }

    private static async Task<Dictionary<long, string>> PostgisNearest(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<long, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt64(0)] = string.Join(',', reader.GetFieldValue<long[]>(1).Order());
        }
        return result;
    }
}
