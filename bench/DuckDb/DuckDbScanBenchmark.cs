using System.Numerics;
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
        var chunks = context.Measure("chunk reader, SIMD sum", () => chunkSum = SumByChunks(connection));

        double scalarSum = 0;
        var scalarChunks = context.Measure("chunk reader, scalar loop", () => scalarSum = SumByChunksScalar(connection));

        double rowSum = 0;
        var rows = context.Measure("DbDataReader rows", () => rowSum = SumByRows(connection));

        foreach (var (label, sum) in new[] { ("chunk reader, SIMD", chunkSum), ("chunk reader, scalar", scalarSum), ("row reader", rowSum) })
        {
            if (Math.Abs(sum - nativeSum) > 1e-9 * Math.Abs(nativeSum))
            {
                throw new InvalidOperationException($"the {label} sum {sum} differs from DuckDB's {nativeSum}");
            }
        }
        context.ReportTimes("scan 1M rows, chunk reader + SIMD sum", chunks, native, maxRatio: 3.0);
        context.ReportTimes("scan 1M rows, chunk reader + scalar loop", scalarChunks, native);
        context.ReportTimes("scan 1M rows, row reader (Read + GetDouble)", rows, native);
        return Task.CompletedTask;
    }

    // The loops are what a steady-state server runs after tiered JIT has optimised them; a benchmark of a few runs
    // would otherwise time unoptimised first-tier code, so they are compiled fully optimised from the start.
    /// <summary>What a vectorised consumer does with a chunk: SIMD over runs of 64 valid rows, bit by bit elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumByChunks(DuckDbConnection connection)
    {
        double sum = 0;
        using var reader = connection.Query("SELECT value FROM readings");
        while (reader.ReadChunk() is { } chunk)
        {
            var values = chunk.GetColumn<double>(0);
            var mask = chunk.GetValidity(0).Mask;
            if (mask.IsEmpty)
            {
                sum += SumAll(values);
                continue;
            }
            for (var word = 0; word < mask.Length; word++)
            {
                var start = word * 64;
                var run = values.Slice(start, Math.Min(64, values.Length - start));
                var bits = mask[word];
                if (bits == ulong.MaxValue || (run.Length < 64 && bits == (1UL << run.Length) - 1))
                {
                    sum += SumAll(run);
                    continue;
                }
                while (bits != 0)
                {
                    var bit = BitOperations.TrailingZeroCount(bits);
                    if (bit >= run.Length)
                    {
                        break;
                    }
                    sum += run[bit];
                    bits &= bits - 1;
                }
            }
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumAll(ReadOnlySpan<double> values)
    {
        var lanes = Vector<double>.Count;
        var first = Vector<double>.Zero;
        var second = Vector<double>.Zero;
        var i = 0;
        for (; i <= values.Length - (2 * lanes); i += 2 * lanes)
        {
            first += new Vector<double>(values.Slice(i, lanes));
            second += new Vector<double>(values.Slice(i + lanes, lanes));
        }
        var sum = Vector.Sum(first + second);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumByChunksScalar(DuckDbConnection connection)
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
