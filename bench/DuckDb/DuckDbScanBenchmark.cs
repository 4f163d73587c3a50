using System.Runtime.CompilerServices;

using OneMap.Bench.Runner;
using OneMap.DuckDb;

namespace OneMap.Bench.DuckDb;

/// <summary>
/// Sums a 1M-row DOUBLE column in C# through the streaming chunk reader, against <c>SELECT sum(value)</c> inside
/// DuckDB. Issue target: within 3× of native.
/// </summary>
public sealed class DuckDbScanBenchmark : IBenchmark
{
    public string Name => "duckdb-scan";

    public string Description => "1M-row scan summed in C# via the chunk reader vs SELECT sum(value) inside DuckDB";

    public Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("""
            CREATE TABLE readings AS
            SELECT i AS id, make_timestamp(1704067200000000 + i * 1000000) AS ts, 119 + (i % 1000) * 0.001::DOUBLE AS lon,
                   25 + (i % 700) * 0.001::DOUBLE AS lat, CASE WHEN i % 1000 = 0 THEN NULL ELSE (i % 97) * 0.5::DOUBLE END AS value
            FROM range(1000000) t(i)
            """);

        double nativeSum = 0;
        var native = context.Measure("SELECT sum(value)", () => nativeSum = connection.ExecuteScalar<double>("SELECT sum(value) FROM readings"));

        double chunkSum = 0;
        var chunks = context.Measure("chunk reader", () => chunkSum = SumByChunks(connection));

        double rowSum = 0;
        var rows = context.Measure("DbDataReader rows", () => rowSum = SumByRows(connection));

        if (Math.Abs(chunkSum - nativeSum) > 1e-6 * Math.Abs(nativeSum) || Math.Abs(rowSum - nativeSum) > 1e-6 * Math.Abs(nativeSum))
        {
            throw new InvalidOperationException($"sums differ: chunk reader {chunkSum}, row reader {rowSum}, DuckDB {nativeSum}");
        }
        context.ReportTimes("scan 1M rows, chunk reader (ReadChunk + spans)", chunks, native, maxRatio: 3.0);
        context.ReportTimes("scan 1M rows, row reader (Read + GetDouble)", rows, native);
        return Task.CompletedTask;
    }

    // The loops are what a steady-state server runs after tiered JIT has optimised them; a benchmark of a few runs
    // would otherwise time unoptimised first-tier code, so they are compiled fully optimised from the start.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumByChunks(DuckDbConnection connection)
    {
        double sum = 0;
        using var reader = connection.Query("SELECT value FROM readings");
        while (reader.ReadChunk() is { } chunk)
        {
            var values = chunk.GetColumn<double>(0);
            var validity = chunk.GetValidity(0);
            for (var i = 0; i < values.Length; i++)
            {
                if (validity.IsValid(i))
                {
                    sum += values[i];
                }
            }
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumByRows(DuckDbConnection connection)
    {
        double sum = 0;
        using var reader = connection.Query("SELECT value FROM readings");
        while (reader.Read())
        {
            if (!reader.IsDBNull(0))
            {
                sum += reader.GetDouble(0);
            }
        }
        return sum;
    }
}
