using OneMap.Lakehouse.Tables;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Delta;

/// <summary>OneMap's Parquet checkpoints against one written by Spark (the reference table's), column by column.</summary>
public sealed class CheckpointCompatibilityTests : LakeTestBase
{
    [Fact]
    public async Task checkpoint_columns_have_the_physical_layout_of_a_spark_checkpoint()
    {
        var table = await Lake.CreateTableAsync(Readings(checkpointInterval: 2), Ct);
        await AppendReadings(table, 30, options: new CommitOptions { AppId = "w", AppVersion = 1 });
        await table.DeleteAsync(Predicate.Eq("station", "S01"), cancellationToken: Ct);
        var ours = Schema(table.Log.List().Checkpoints.Single().Paths[0]);
        var spark = Schema(Path.Combine(RepoPaths.Shared, "reference", "delta-tables", "simple_table_with_checkpoint", "_delta_log", "00000000000000000010.checkpoint.parquet"));

        var shared = ours.Keys.Intersect(spark.Keys).ToList();

        // Every column Spark's checkpoint has for these actions, ours has too, with the same physical type,
        // repetition, and logical annotation (strings, maps); only the INT_64 annotation DuckDB adds to longs differs.
        Assert.Contains("add/partitionValues/key_value/key", shared);
        Assert.Contains("metaData/format/options/key_value/value", shared);
        Assert.Contains("protocol/minReaderVersion", shared);
        Assert.Contains("txn/appId", shared);
        Assert.Contains("remove/deletionTimestamp", shared);
        Assert.Contains("metaData/partitionColumns/list/element", shared);
        // The protocol leaves commitInfo and cdc out of checkpoints, and remove's tags (older Spark still wrote them).
        var missing = spark.Keys
            .Where(k => !ours.ContainsKey(k))
            .Where(k => !k.StartsWith("commitInfo", StringComparison.Ordinal) && !k.StartsWith("cdc", StringComparison.Ordinal) && !k.StartsWith("remove/tags", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, string.Join(", ", missing));
        foreach (var path in shared)
        {
            var (ourType, ourRepetition, ourConverted) = ours[path];
            var (sparkType, sparkRepetition, sparkConverted) = spark[path];
            Assert.True(ourType == sparkType, $"{path}: {ourType} vs Spark's {sparkType}");
            Assert.True(ourRepetition == sparkRepetition || (path.EndsWith("/key", StringComparison.Ordinal) && ourRepetition == "REQUIRED"), $"{path}: {ourRepetition} vs Spark's {sparkRepetition}");
            Assert.True(ourConverted == sparkConverted || (sparkConverted is null && ourConverted is "INT_64" or "INT_32"), $"{path}: {ourConverted} vs Spark's {sparkConverted}");
        }
    }

    /// <summary>Parquet schema elements by path (parent names joined with '/').</summary>
    private Dictionary<string, (string? Type, string? Repetition, string? Converted)> Schema(string file)
    {
        using var connection = Lake.Engine.Connect();
        using var reader = connection.Query($"SELECT name, type, repetition_type, converted_type, num_children FROM parquet_schema('{file}')");
        var result = new Dictionary<string, (string?, string?, string?)>(StringComparer.Ordinal);
        var stack = new Stack<(string Path, long Remaining)>();
        var first = true;
        while (reader.Read())
        {
            var children = reader.IsDBNull(4) ? 0 : reader.GetInt64(4);
            if (first)
            {
                // The root element (the message).
                stack.Push(("", children));
                first = false;
                continue;
            }
            var parent = stack.Peek();
            var path = parent.Path.Length == 0 ? reader.GetString(0) : parent.Path + "/" + reader.GetString(0);
            result[path] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            stack.Push((stack.Pop().Path, parent.Remaining - 1));
            if (children > 0)
            {
                stack.Push((path, children));
            }
            while (stack.Count > 1 && stack.Peek().Remaining == 0)
            {
                stack.Pop();
            }
        }
        return result;
    }
}
