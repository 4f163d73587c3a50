using System.Diagnostics;
using System.Globalization;
using OneMap.Bench.Runner;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Query;

namespace OneMap.Bench.Lakehouse;

/// <summary>
/// <c>avg(value)</c> by station and day over 10M sensor rows through the query session's snapshot view, against the
/// same SQL over the table's raw Parquet files (read_parquet with Hive partitioning) in the same DuckDB session.
/// Issue target: ≤ 1.2×.
/// </summary>
public sealed class LakehouseQueryBenchmark : IBenchmark
{
    private const string Aggregate = "SELECT station, day, avg(value) AS mean, count(*) AS n FROM {0} GROUP BY station, day";

    public string Name => "lakehouse-query";

    public string Description => "avg(value) by station, day over 10M rows: snapshot view vs the same SQL on the raw files";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.ScratchDirectory, "lake");
        using var lake = new Lake(new LakehouseOptions { Root = root });
        var table = await lake.CreateTableAsync(SensorRows.Table("readings"), cancellationToken);
        using (var batch = table.CreateBatch())
        {
            for (var chunk = 0; chunk < 10; chunk++)
            {
                var rows = SensorRows.Chunk(chunk);
                batch.Appender.AppendColumns(rows.Station, rows.Day, rows.Ts, rows.Indicator, rows.Value);
                await batch.AppendAsync(cancellationToken: cancellationToken);
            }
        }
        var snapshot = await table.GetSnapshotAsync(cancellationToken);
        context.ReportFigure("table", $"{snapshot.RowCount:N0} rows in {snapshot.FileCount} files, {snapshot.Files.Select(f => f.PartitionValues["day"]).Distinct().Count()} day partitions");

        using var session = lake.OpenQuerySession(new QuerySessionOptions { RefreshInterval = null });
        using var connection = session.Connect();
        var viewSql = string.Format(CultureInfo.InvariantCulture, Aggregate, "readings");
        var rawSql = string.Format(CultureInfo.InvariantCulture, Aggregate, $"read_parquet('{table.Root}/day=*/*.parquet', hive_partitioning = true)");

        var viewChecksum = Checksum(connection, viewSql);
        var rawChecksum = Checksum(connection, rawSql);
        if (viewChecksum != rawChecksum)
        {
            throw new InvalidOperationException($"the view and the raw files disagree: {viewChecksum} vs {rawChecksum}");
        }

        var view = context.Measure("snapshot view", () => Drain(connection, viewSql));
        var raw = context.Measure("raw files", () => Drain(connection, rawSql));
        context.ReportTimes("avg(value) by station, day over 10M rows", view, raw, maxRatio: 1.2);
    }

    private static long Drain(OneMap.DuckDb.DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query(sql);
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }
        return rows;
    }

    private static string Checksum(OneMap.DuckDb.DuckDbConnection connection, string sql) =>
        connection.ExecuteScalar<string>($"SELECT count(*) || '/' || sum(n) || '/' || round(sum(mean), 6) FROM ({sql})")!;
}
