using System.Globalization;

using Npgsql;

using OneMap.Bench.Runner;
using OneMap.DuckDb;
using OneMap.Lakehouse.Spatial;
using OneMap.Testing;

namespace OneMap.Bench.Spatial;

/// <summary>
/// Assigning 10 million points to ~1,400 grid polygons: OneMap (DuckDB scanning the points, OneMap's polygon index
/// behind <c>st_index_first</c> / <c>st_index_all</c>, index build included in the time) against PostGIS joining the
/// same points to the same polygons with <c>ST_Intersects</c> over GiST indexes. Both count points per grid; the
/// counts must agree.
/// </summary>
public sealed class PointAssignmentBenchmark : IBenchmark
{
    public string Name => "spatial-assign";

    public string Description => "assign 10M points to ~1,400 grid polygons: OneMap st_index_first vs PostGIS ST_Intersects + GiST";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var count = BenchCity.Scale("ONEMAP_BENCH_POINTS", 10_000_000);
        // The sample city's 1,400 grids when the checkout has them; otherwise 40 × 35 = 1,400 generated cells of about
        // 1 km with 6 bends per edge (~30 vertices each, like a city's grid boundaries).
        var sample = BenchCity.SampleCityGrids();
        var grid = sample ?? BenchCity.Grid(40, 35, bends: 6, cellSize: 0.01, seed: 1);
        context.Output.WriteLine(sample is null ? "  generated grid polygons (data-samples/admin/grids.geojson not found)" : "  the sample city's grids (data-samples/admin/grids.geojson, EPSG:4549 → WGS84)");
        var extent = BenchCity.Extent(grid.Select(g => g.Cell));
        extent.ExpandBy(extent.Width * 0.02, extent.Height * 0.02);
        var (x, y) = BenchCity.Points(count, extent, seed: 2);
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {count:N0} points, {grid.Count:N0} polygons, {grid.Sum(g => g.Cell.NumPoints) / grid.Count} vertices per polygon on average"));

        using var database = DuckDbDatabase.Open();
        using var duck = database.Connect();
        SpatialFunctions.Register(duck);
        BenchCity.LoadDuckGeometries(duck, "grid", grid.Select(g => (g.Key, (NetTopologySuite.Geometries.Geometry)g.Cell)));
        BenchCity.LoadDuckPoints(duck, "points", x, y);

        await using var postgis = await PostgisServer.StartAsync(BenchCity.PostgisSettings, cancellationToken);
        await BenchCity.LoadPostgis(postgis, "grid", "Polygon", grid.Count, i => (grid[i].Key, BenchCity.Ewkb(grid[i].Cell)), cancellationToken);
        await BenchCity.LoadPostgis(postgis, "points", "Point", count, i => (i, BenchCity.PointEwkb(x[i], y[i])), cancellationToken);
        await using var pg = await postgis.OpenConnectionAsync(cancellationToken);
        const string postgisSql = "SELECT g.id, count(*) FROM points p JOIN grid g ON ST_Intersects(g.geom, p.geom) GROUP BY g.id";
        context.Output.WriteLine("  PostGIS plan: " + string.Join(" | ", await Lines(pg, "EXPLAIN " + postgisSql, cancellationToken)).Replace("  ", " ", StringComparison.Ordinal));

        const string firstSql = """
            SELECT st_index_build('grid', geom, id::VARCHAR) FROM grid;
            SELECT st_index_first('grid', geom) AS g, count(*) FROM points GROUP BY g
            """;
        const string allSql = """
            SELECT st_index_build('grid', geom, id::VARCHAR) FROM grid;
            SELECT g, count(*) FROM (SELECT unnest(st_index_all('grid', geom)) AS g FROM points) GROUP BY g
            """;
        Dictionary<string, long> oneMapCounts = [], oneMapAllCounts = [], postgisCounts = [];
        var first = context.Measure("OneMap st_index_first", () => oneMapCounts = DuckCounts(duck, firstSql));
        var all = context.Measure("OneMap st_index_all", () => oneMapAllCounts = DuckCounts(duck, allSql));
        var reference = await context.MeasureAsync("PostGIS", async () => postgisCounts = await PostgisCounts(pg, postgisSql, cancellationToken));

        Check(context, "st_index_first", oneMapCounts, postgisCounts);
        Check(context, "st_index_all", oneMapAllCounts, postgisCounts);
        context.ReportTimes($"assign {count / 1e6:0.#}M points to {grid.Count:N0} polygons", first, reference, maxRatio: 0.5);
        context.ReportTimes($"  same, all pairs (st_index_all + unnest)", all, reference, maxRatio: 0.5);
    }

    private static Dictionary<string, long> DuckCounts(DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query(sql);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            // Points outside every polygon form a NULL group, which PostGIS's inner join leaves out.
            if (!reader.IsDBNull(0))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        return counts;
    }

    private static async Task<Dictionary<string, long>> PostgisCounts(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64(0).ToString(CultureInfo.InvariantCulture)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static async Task<List<string>> Lines(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0).Trim());
        }
        return lines;
    }

    private static void Check(BenchmarkContext context, string what, Dictionary<string, long> oneMap, Dictionary<string, long> postgis)
    {
        var differing = postgis.Keys.Union(oneMap.Keys).Count(k => oneMap.GetValueOrDefault(k) != postgis.GetValueOrDefault(k));
        context.Output.WriteLine(differing == 0
            ? string.Create(CultureInfo.InvariantCulture, $"  {what}: same per-polygon counts as PostGIS ({postgis.Values.Sum():N0} points in {postgis.Count:N0} polygons)")
            : string.Create(CultureInfo.InvariantCulture, $"  {what}: COUNTS DIFFER from PostGIS for {differing} polygons"));
    }
}
