using OneMap.Bench.Runner;
using OneMap.DuckDb;

namespace OneMap.Bench.DuckDb;

/// <summary>
/// 1M sensor rows (id, ts, lon, lat, value) through OneMap's appender, against DuckDB generating and inserting the
/// same rows itself with INSERT … SELECT FROM range(). Issue target: appender within 2× of native.
/// </summary>
public sealed class DuckDbAppenderBenchmark : IBenchmark
{
    private const int Rows = 1_000_000;
    private const string CreateTable = "CREATE OR REPLACE TABLE readings(id BIGINT, ts TIMESTAMP, lon DOUBLE, lat DOUBLE, value DOUBLE)";

    public string Name => "duckdb-appender";

    public string Description => "append 1M rows via the binding's appender vs DuckDB's INSERT … SELECT FROM range()";

    public Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        // The same values on both sides: the reference computes them in SQL (in DOUBLE arithmetic, DuckDB's fastest
        // form; DECIMAL literals would slow it several-fold), the appender gets them from arrays.
        var start = new DateTime(2024, 1, 1);
        var ids = new long[Rows];
        var times = new DateTime[Rows];
        var lons = new double[Rows];
        var lats = new double[Rows];
        var values = new double[Rows];
        for (var i = 0; i < Rows; i++)
        {
            ids[i] = i;
            times[i] = start.AddSeconds(i);
            lons[i] = 119 + (i % 1000 * 0.001);
            lats[i] = 25 + (i % 700 * 0.001);
            values[i] = i % 97 * 0.5;
        }

        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        var native = context.Measure("INSERT … SELECT", () =>
        {
            connection.Execute(CreateTable);
            connection.Execute("""
                INSERT INTO readings
                SELECT i, make_timestamp(1704067200000000 + i * 1000000), 119 + (i % 1000) * 0.001::DOUBLE,
                       25 + (i % 700) * 0.001::DOUBLE, (i % 97) * 0.5::DOUBLE
                FROM range(1000000) t(i)
                """);
        });
        var expected = Checksum(connection);

        var rowByRow = context.Measure("appender, row by row", () =>
        {
            connection.Execute(CreateTable);
            using var appender = connection.CreateAppender("readings");
            for (var i = 0; i < Rows; i++)
            {
                appender.Append(ids[i]).Append(times[i]).Append(lons[i]).Append(lats[i]).Append(values[i]);
                appender.EndRow();
            }
        });
        Verify(connection, expected, "row by row");

        var columns = context.Measure("appender, whole columns", () =>
        {
            connection.Execute(CreateTable);
            using var appender = connection.CreateAppender("readings");
            appender.AppendColumns(ids, times, lons, lats, values);
        });
        Verify(connection, expected, "whole columns");

        context.ReportTimes("append 1M rows, row by row (Append…EndRow)", rowByRow, native, maxRatio: 2.0);
        context.ReportTimes("append 1M rows, whole columns (AppendColumns)", columns, native, maxRatio: 2.0);
        return Task.CompletedTask;
    }

    private static string Checksum(DuckDbConnection connection) =>
        connection.ExecuteScalar<string>("""
            SELECT count(*) || '/' || sum(id) || '/' || sum(epoch(ts)) || '/' || round(sum(lon), 3) || '/' || round(sum(lat), 3) || '/' || sum(value)
            FROM readings
            """)!;

    private static void Verify(DuckDbConnection connection, string expected, string how)
    {
        var actual = Checksum(connection);
        if (actual != expected)
        {
            throw new InvalidOperationException($"the rows appended {how} differ from DuckDB's: {actual} vs {expected}");
        }
    }
}
