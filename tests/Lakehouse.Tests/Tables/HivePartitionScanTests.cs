using System.Text.Json.Nodes;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>
/// Partitioned snapshots read by one Hive-partitioned scan where the directories say what the log says, and by one scan
/// per partition everywhere else: both give the log's partition values.
/// </summary>
public sealed class HivePartitionScanTests : LakeTestBase
{
    [Fact]
    public async Task daily_partitions_are_read_by_one_scan_with_the_log_values()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 90);
        await AppendReadings(table, 30, day: new DateOnly(2024, 6, 1));
        var snapshot = await table.GetSnapshotAsync(Ct);

        var sql = SnapshotSql.Select(snapshot, snapshot.Files);

        Assert.Single(Occurrences(sql, "read_parquet"));
        Assert.Contains("hive_partitioning = true", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("UNION ALL", sql, StringComparison.Ordinal);
        var days = await table.QueryAsync("SELECT day, count(*), min(ts) FROM {table} GROUP BY day ORDER BY day", cancellationToken: Ct);
        Assert.Equal(
            [new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 2), new DateOnly(2024, 5, 3), new DateOnly(2024, 6, 1)],
            days.Select(r => (DateOnly)r[0]!));
        Assert.Equal([30L, 30L, 30L, 30L], days.Select(r => (long)r[1]!));
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), days[3][2]);
        var withFiles = await table.QueryAsync($"SELECT count(DISTINCT {SnapshotSql.FileColumn}) FROM ({SnapshotSql.Select(snapshot, snapshot.Files, includeFileColumn: true)})", cancellationToken: Ct);
        Assert.Equal((long)snapshot.FileCount, withFiles[0][0]);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("荔城")]
    [InlineData("x%41")]
    [InlineData("null")]
    [InlineData("__HIVE_DEFAULT_PARTITION__")]
    public async Task a_partition_value_the_path_parser_could_misread_keeps_one_scan_per_partition(string awkward)
    {
        var table = await Lake.CreateTableAsync(new TableDefinition
        {
            Name = "by_district",
            Columns = [new("id", DeltaType.Long), new("district", DeltaType.String)],
            PartitionColumns = ["district"],
        }, Ct);
        await table.AppendQueryAsync("SELECT i AS id, CASE WHEN i % 2 = 0 THEN 'Licheng' ELSE $1 END AS district FROM range(10) t(i)", [awkward], cancellationToken: Ct);
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.DoesNotContain("hive_partitioning", SnapshotSql.Select(snapshot, snapshot.Files), StringComparison.Ordinal);
        var rows = await table.QueryAsync("SELECT district, count(*) FROM {table} GROUP BY district ORDER BY district", cancellationToken: Ct);
        Assert.Equal(new object?[] { "Licheng", 5L }, rows.Single(r => (string?)r[0] == "Licheng"));
        Assert.Equal(new object?[] { awkward, 5L }, rows.Single(r => (string?)r[0] != "Licheng"));
    }

    [Fact]
    public async Task a_null_partition_keeps_one_scan_per_partition_and_reads_null()
    {
        var table = await Lake.CreateTableAsync(new TableDefinition
        {
            Name = "by_district",
            Columns = [new("id", DeltaType.Long), new("district", DeltaType.String)],
            PartitionColumns = ["district"],
        }, Ct);
        await table.AppendQueryAsync("SELECT i AS id, CASE WHEN i % 2 = 0 THEN 'Licheng' END AS district FROM range(10) t(i)", cancellationToken: Ct);
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.DoesNotContain("hive_partitioning", SnapshotSql.Select(snapshot, snapshot.Files), StringComparison.Ordinal);
        Assert.Equal(5, await table.CountAsync(Predicate.IsNull("district"), cancellationToken: Ct));
    }

    [Fact]
    public async Task a_file_whose_directory_disagrees_with_the_log_is_read_with_the_log_value()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        var appended = await AppendReadings(table, 30);
        // Another writer's file: stored under day=2024-05-09 but added to the log as a file of 2024-05-01.
        var log = Path.Combine(Lake.Options.Root, "readings", "_delta_log");
        var add = File.ReadAllLines(Path.Combine(log, $"{appended.Version:D20}.json"))
            .Select(l => JsonNode.Parse(l)!).First(a => a["add"]?["partitionValues"]?["day"]?.GetValue<string>() == "2024-05-01")["add"]!;
        var source = Path.Combine(Lake.Options.Root, "readings", Uri.UnescapeDataString(add["path"]!.GetValue<string>()));
        System.IO.Directory.CreateDirectory(Path.Combine(Lake.Options.Root, "readings", "day=2024-05-09"));
        File.Copy(source, Path.Combine(Lake.Options.Root, "readings", "day=2024-05-09", "foreign.parquet"));
        add["path"] = "day=2024-05-09/foreign.parquet";
        await File.WriteAllTextAsync(Path.Combine(log, $"{appended.Version + 1:D20}.json"), new JsonObject { ["add"] = add.DeepClone() }.ToJsonString() + "\n", Ct);
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.Equal(appended.Version + 1, snapshot.Version);
        Assert.DoesNotContain("hive_partitioning", SnapshotSql.Select(snapshot, snapshot.Files), StringComparison.Ordinal);
        var days = await table.QueryAsync("SELECT day, count(*) FROM {table} GROUP BY day ORDER BY day", cancellationToken: Ct);
        Assert.Equal(new object?[] { new DateOnly(2024, 5, 1), 20L }, days[0]);
        Assert.DoesNotContain(days, r => (DateOnly)r[0]! == new DateOnly(2024, 5, 9));
    }

    [Fact]
    public async Task a_lake_under_a_directory_with_an_equals_sign_keeps_one_scan_per_partition()
    {
        using var directory = new TempDirectory("onemap-lake");
        using var lake = new Lake(new LakehouseOptions { Root = Path.Combine(directory.Path, "city=putian", "lake"), Threads = 2 });
        var table = await lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 90);
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.DoesNotContain("hive_partitioning", SnapshotSql.Select(snapshot, snapshot.Files), StringComparison.Ordinal);
        var rows = await table.QueryAsync("SELECT count(*), count(DISTINCT day) FROM {table}", cancellationToken: Ct);
        Assert.Equal(new object?[] { 90L, 3L }, rows[0]);
    }

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
