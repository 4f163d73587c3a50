using System.Diagnostics;
using OneMap.Bench.Runner;
using OneMap.DuckDb;
using OneMap.Lakehouse;

namespace OneMap.Bench.Lakehouse;

/// <summary>
/// 10M sensor rows appended to a Delta table partitioned by day in 1M-row commits (rows filled through the batch
/// appender, then committed: schema checks, one GeoParquet file per partition with statistics, the Delta commit),
/// against DuckDB writing the same rows to the same day-partitioned Parquet layout with a plain COPY … PARTITION_BY
/// after the same appender fill. Issue target: ≤ 1.3×.
/// </summary>
public sealed class LakehouseAppendBenchmark : IBenchmark
{
    private const int Chunks = 10;

    public string Name => "lakehouse-append";

    public string Description => "append 10M rows in 1M-row Delta commits vs DuckDB COPY of the same rows to Parquet";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var chunks = Enumerable.Range(0, Chunks).Select(SensorRows.Chunk).ToList();
        var oneMap = new List<double>();
        var reference = new List<double>();
        for (var run = 0; run <= context.Runs; run++)
        {
            var lakeRoot = Path.Combine(context.ScratchDirectory, $"lake-{run}");
            var copyRoot = Path.Combine(context.ScratchDirectory, $"copy-{run}");
            var lakeTime = await AppendThroughLake(lakeRoot, chunks, cancellationToken);
            var copyTime = CopyWithDuckDb(copyRoot, chunks);
            if (run > 0)
            {
                oneMap.Add(lakeTime);
                reference.Add(copyTime);
            }
            Directory.Delete(lakeRoot, recursive: true);
            Directory.Delete(copyRoot, recursive: true);
        }
        context.ReportTimes("append 10M rows, 1M-row commits", new Samples("Delta commits", oneMap), new Samples("COPY … PARTITION_BY", reference), maxRatio: 1.3);
    }

    private static async Task<double> AppendThroughLake(string root, List<SensorRows> chunks, CancellationToken cancellationToken)
    {
        using var lake = new Lake(new LakehouseOptions { Root = root });
        var table = await lake.CreateTableAsync(SensorRows.Table("readings"), cancellationToken);
        using var batch = table.CreateBatch();
        var stopwatch = Stopwatch.StartNew();
        foreach (var chunk in chunks)
        {
            batch.Appender.AppendColumns(chunk.Station, chunk.Day, chunk.Ts, chunk.Indicator, chunk.Value);
            await batch.AppendAsync(cancellationToken: cancellationToken);
        }
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        var count = await table.CountAsync(cancellationToken: cancellationToken);
        if (count != (long)chunks.Count * SensorRows.ChunkRows)
        {
            throw new InvalidOperationException($"the table holds {count} rows after the benchmark's appends");
        }
        return elapsed;
    }

    private static double CopyWithDuckDb(string root, List<SensorRows> chunks)
    {
        Directory.CreateDirectory(root);
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("SET TimeZone = 'UTC'");
        var stopwatch = Stopwatch.StartNew();
        foreach (var chunk in chunks)
        {
            connection.Execute($"CREATE OR REPLACE TABLE stage ({SensorRows.DuckDbColumns})");
            using (var appender = connection.CreateAppender("stage"))
            {
                appender.AppendColumns(chunk.Station, chunk.Day, chunk.Ts, chunk.Indicator, chunk.Value);
            }
            connection.Execute($"COPY stage TO '{root}' (FORMAT parquet, PARTITION_BY (day), FILENAME_PATTERN 'part-{{uuid}}', OVERWRITE_OR_IGNORE true)");
        }
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        var count = connection.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{root}/*/*.parquet')");
        if (count != (long)chunks.Count * SensorRows.ChunkRows)
        {
            throw new InvalidOperationException($"DuckDB's COPY wrote {count} rows");
        }
        return elapsed;
    }
}
