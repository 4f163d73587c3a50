using System.Buffers.Binary;
using System.Globalization;

using NetTopologySuite.Geometries;

using Npgsql;

using NpgsqlTypes;

using OneMap.DuckDb;
using OneMap.Lakehouse.Spatial;
using OneMap.Testing;

namespace OneMap.Bench.Spatial;

/// <summary>
/// Generated city layers for the spatial benchmarks (the sample city's own grids, when present, are used instead by
/// the assignment benchmark): a jagged grid tiling, uniform points, scattered features; and loaders that put the
/// same rows into DuckDB (WKB blobs, through the appender) and into PostGIS (EWKB through binary COPY, GiST indexed).
/// </summary>
internal static class BenchCity
{
    public const double West = 118.90;
    public const double South = 25.30;

    /// <summary>Points to assign: ONEMAP_BENCH_POINTS overrides the 10,000,000 (for short runs while developing).</summary>
    public static int Scale(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    /// <summary>
    /// The sample city's 1,400 grids (data-samples/admin/grids.geojson, EPSG:4549) in WGS84, keyed by position in the
    /// file; null when the sample city is not in the checkout.
    /// </summary>
    public static List<(long Key, Polygon Cell)>? SampleCityGrids()
    {
        var path = Path.Combine(RepoPaths.RepoRoot, "data-samples", "admin", "grids.geojson");
        if (!File.Exists(path))
        {
            return null;
        }
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var crs = OneMap.Models.Crs.CrsId.Parse(document.RootElement.GetProperty("crs").GetProperty("properties").GetProperty("name").GetString()!);
        return document.RootElement.GetProperty("features").EnumerateArray()
            .Select((feature, i) => ((long)i, SpatialFunctions.Transform(GeoJsonFormat.Read(feature.GetProperty("geometry").GetRawText()), crs, OneMap.Models.Crs.CrsId.Wgs84)))
            .SelectMany(g => g.Item2 switch
            {
                Polygon polygon => [(g.Item1, polygon)],
                MultiPolygon multi => multi.Geometries.Cast<Polygon>().Select(p => (g.Item1, p)),
                _ => Array.Empty<(long, Polygon)>(),
            })
            .ToList();
    }

    /// <summary>columns × rows cells with jagged shared edges (<paramref name="bends"/> vertices per edge, shared by both neighbours).</summary>
    public static List<(long Key, Polygon Cell)> Grid(int columns, int rows, int bends, double cellSize, int seed)
    {
        var random = new Random(seed);
        var lattice = new Coordinate[columns + 1, rows + 1];
        for (var i = 0; i <= columns; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                var jitter = i == 0 || j == 0 || i == columns || j == rows ? 0 : 0.3;
                lattice[i, j] = new Coordinate(West + ((i + ((random.NextDouble() - 0.5) * jitter)) * cellSize), South + ((j + ((random.NextDouble() - 0.5) * jitter)) * cellSize));
            }
        }
        var edges = new Dictionary<(int, int, int, int), Coordinate[]>();
        Coordinate[] Edge(int i0, int j0, int i1, int j1)
        {
            if (edges.TryGetValue((i1, j1, i0, j0), out var reverse))
            {
                return reverse.Reverse().ToArray();
            }
            if (!edges.TryGetValue((i0, j0, i1, j1), out var points))
            {
                var a = lattice[i0, j0];
                var b = lattice[i1, j1];
                points = Enumerable.Range(1, bends).Select(k =>
                {
                    var t = (double)k / (bends + 1);
                    var wobble = (random.NextDouble() - 0.5) * 0.12 * cellSize;
                    return new Coordinate(a.X + ((b.X - a.X) * t) + wobble, a.Y + ((b.Y - a.Y) * t) - wobble);
                }).ToArray();
                edges[(i0, j0, i1, j1)] = points;
            }
            return points;
        }
        var cells = new List<(long, Polygon)>();
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                var ring = new List<Coordinate> { lattice[i, j] };
                ring.AddRange(Edge(i, j, i + 1, j));
                ring.Add(lattice[i + 1, j]);
                ring.AddRange(Edge(i + 1, j, i + 1, j + 1));
                ring.Add(lattice[i + 1, j + 1]);
                ring.AddRange(Edge(i + 1, j + 1, i, j + 1));
                ring.Add(lattice[i, j + 1]);
                ring.AddRange(Edge(i, j + 1, i, j));
                ring.Add(lattice[i, j]);
                cells.Add(((i * 1000L) + j, GeometryCodec.Factory.CreatePolygon(ring.Select(c => c.Copy()).ToArray())));
            }
        }
        return cells;
    }

    /// <summary>Uniform random points over an envelope, as (x, y) arrays.</summary>
    public static (double[] X, double[] Y) Points(int count, Envelope area, int seed)
    {
        var random = new Random(seed);
        var x = new double[count];
        var y = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = area.MinX + (random.NextDouble() * area.Width);
            y[i] = area.MinY + (random.NextDouble() * area.Height);
        }
        return (x, y);
    }

    public static void LoadDuckPoints(DuckDbConnection connection, string table, double[] x, double[] y)
    {
        connection.Execute($"CREATE OR REPLACE TABLE {table} (id BIGINT, geom BLOB)");
        using var appender = connection.CreateAppender(table);
        var wkb = new byte[21];
        for (var i = 0; i < x.Length; i++)
        {
            GeometryCodec.WritePointWkb(wkb, x[i], y[i]);
            appender.Append((long)i).Append(wkb).EndRow();
        }
    }

    public static void LoadDuckGeometries(DuckDbConnection connection, string table, IEnumerable<(long Key, Geometry Geometry)> rows)
    {
        connection.Execute($"CREATE OR REPLACE TABLE {table} (id BIGINT, geom BLOB)");
        using var appender = connection.CreateAppender(table);
        foreach (var (key, geometry) in rows)
        {
            appender.Append(key).Append(GeometryCodec.ToWkb(geometry)).EndRow();
        }
    }

    /// <summary>Creates <paramref name="table"/> (id bigint, geom geometry(…, 4326)), copies the rows in binary, indexes and analyses it.</summary>
    public static async Task LoadPostgis(PostgisServer server, string table, string geometryType, int count, Func<int, (long Key, byte[] Ewkb)> row,
        CancellationToken cancellationToken)
    {
        await using var connection = await server.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (id bigint, geom geometry({geometryType}, 4326))", cancellationToken);
        await using (var import = await connection.BeginBinaryImportAsync($"COPY {table} (id, geom) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                var (key, ewkb) = row(i);
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(key, NpgsqlDbType.Bigint, cancellationToken);
                // A geometry column receives (E)WKB in binary COPY.
                await import.WriteAsync(ewkb, NpgsqlDbType.Bytea, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        await Execute(connection, $"CREATE INDEX ON {table} USING gist (geom)", cancellationToken);
        // VACUUM refuses to run inside a multi-statement command.
        await Execute(connection, $"VACUUM ANALYZE {table}", cancellationToken);
    }

    public static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>EWKB of a lon/lat point with SRID 4326 (25 bytes).</summary>
    public static byte[] PointEwkb(double x, double y)
    {
        var bytes = new byte[25];
        bytes[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1), 0x20000001);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), 4326);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(9), x);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(17), y);
        return bytes;
    }

    /// <summary>EWKB of any geometry with SRID 4326.</summary>
    public static byte[] Ewkb(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.SRID = 4326;
        return new NetTopologySuite.IO.WKBWriter(NetTopologySuite.IO.ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false).Write(copy);
    }

    public static Envelope Extent(IEnumerable<Geometry> geometries)
    {
        var extent = new Envelope();
        foreach (var g in geometries)
        {
            extent.ExpandToInclude(g.EnvelopeInternal);
        }
        return extent;
    }

    /// <summary>PostGIS tuned for a benchmark machine: data in memory, both cores for parallel plans.</summary>
    public static IReadOnlyDictionary<string, string> PostgisSettings => new Dictionary<string, string>
    {
        ["shared_buffers"] = "2GB",
        ["work_mem"] = "256MB",
        ["maintenance_work_mem"] = "1GB",
        ["effective_cache_size"] = "8GB",
        ["max_parallel_workers_per_gather"] = Math.Max(1, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
        ["max_wal_size"] = "8GB",
    };
}
