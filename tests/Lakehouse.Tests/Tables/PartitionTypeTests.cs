using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>A table partitioned by a column of every primitive type, with null partitions, written and read back.</summary>
public sealed class PartitionTypeTests : LakeTestBase
{
    [Fact]
    public async Task partitions_by_every_primitive_type_including_null_and_reads_the_values_back_typed()
    {
        string[] types = ["string", "long", "integer", "short", "byte", "double", "float", "decimal(10,2)", "boolean", "date", "timestamp"];
        var definition = new TableDefinition
        {
            Name = "typed",
            Columns = [new("id", DeltaType.Long), .. types.Select((t, i) => new ColumnDefinition($"p{i}", DeltaType.ParsePrimitive(t)))],
            PartitionColumns = types.Select((_, i) => $"p{i}").ToList(),
        };
        var table = await Lake.CreateTableAsync(definition, Ct);

        await table.AppendQueryAsync("""
            SELECT 1 AS id, 'a b/c' AS p0, 9000000000 AS p1, -5 AS p2, CAST(3 AS SMALLINT) AS p3, CAST(-2 AS TINYINT) AS p4, 2.5 AS p5,
                   CAST(0.25 AS FLOAT) AS p6, CAST(12.34 AS DECIMAL(10,2)) AS p7, true AS p8, DATE '2024-02-29' AS p9,
                   TIMESTAMPTZ '2024-05-01 08:30:00.123456+00' AS p10
            UNION ALL
            SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
            """, cancellationToken: Ct);

        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(2, snapshot.FileCount);
        var nullFile = snapshot.Files.Single(f => f.PartitionValues["p0"] is null);
        Assert.All(nullFile.PartitionValues.Values, Assert.Null);
        Assert.Contains("p0=__HIVE_DEFAULT_PARTITION__", nullFile.Path, StringComparison.Ordinal);
        var valued = snapshot.Files.Single(f => f.PartitionValues["p0"] is not null);
        Assert.Equal("2024-05-01T08:30:00.123456Z", valued.PartitionValues["p10"]);
        Assert.Equal("12.34", valued.PartitionValues["p7"]);

        var rows = await table.QueryAsync("SELECT * EXCLUDE (id) FROM {table} ORDER BY id", cancellationToken: Ct);
        Assert.Equal(new object?[]
        {
            "a b/c", 9000000000L, -5, (short)3, (sbyte)-2, 2.5, 0.25f, 12.34m, true, new DateOnly(2024, 2, 29),
            new DateTimeOffset(2024, 5, 1, 8, 30, 0, TimeSpan.Zero).AddTicks(1234560),
        }, rows[0]);
        Assert.All(rows[1], Assert.Null);
        Assert.Single(table.Scan(snapshot, Predicate.Eq("p10", new DateTimeOffset(2024, 5, 1, 8, 30, 0, TimeSpan.Zero).AddTicks(1234560))).Files);
        Assert.Single(table.Scan(snapshot, Predicate.IsNull("p9")).Files);
        Assert.Equal(1, await table.CountAsync(Predicate.Eq("p7", 12.34m), cancellationToken: Ct));
    }
}
