using OneMap.Lakehouse.Delta;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Delta;

/// <summary>Log replay of the reference tables (written by Spark, Delta Standalone and delta-rs) from their JSON commits.</summary>
public sealed class ReferenceTableLogTests
{
    private static string Table(string name) => Path.Combine(RepoPaths.Shared, "reference", "delta-tables", name);

    [Theory]
    [InlineData("simple_table", 4, 5, null)]
    [InlineData("checkpoints", 12, 12, 12L)]
    [InlineData("delta-0.8.0-partitioned", 0, 6, null)]
    [InlineData("delta-0.8.0-null-partition", 0, 2, null)]
    [InlineData("delta-2.2.0-partitioned-types", 0, 3, 3L)]
    [InlineData("partition-type-primitives", 0, 16, 16L)]
    [InlineData("table_with_column_mapping", 0, 2, 5L)]
    [InlineData("COVID-19_NYT", 0, 8, 1_111_930L)]
    public void replays_the_json_log_to_the_listed_version_file_count_and_row_count(string table, long version, int files, long? rows)
    {
        var snapshot = LogReplay.Load(new DeltaLogStore(Table(table)), checkpointReader: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(version, snapshot.Version);
        Assert.Equal(files, snapshot.FileCount);
        Assert.Equal(rows, snapshot.RowCount);
    }

    [Fact]
    public void replays_the_checkpointed_table_from_its_json_commits_alone()
    {
        var snapshot = LogReplay.Load(new DeltaLogStore(Table("simple_table_with_checkpoint")), checkpointReader: null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(10, snapshot.Version);
        Assert.All(snapshot.Files, f => Assert.True(File.Exists(snapshot.FullPath(f)), f.Path));
    }

    [Fact]
    public void time_travels_to_each_version_of_simple_table()
    {
        var store = new DeltaLogStore(Table("simple_table"));
        var counts = Enumerable.Range(0, 5).Select(v => LogReplay.Load(store, null, v, TestContext.Current.CancellationToken).FileCount).ToList();

        // Each version replaces the files of the previous one (adds and removes across 5 commits).
        Assert.Equal(5, counts[4]);
        Assert.All(counts, c => Assert.True(c > 0));
        var ex = Assert.Throws<VersionNotFoundException>(() => LogReplay.Load(store, null, 5, TestContext.Current.CancellationToken));
        Assert.Contains("latest version is 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void parses_a_null_partition_value()
    {
        var snapshot = LogReplay.Load(new DeltaLogStore(Table("delta-0.8.0-null-partition")), null, cancellationToken: TestContext.Current.CancellationToken);

        var values = snapshot.Files.Select(f => snapshot.PartitionValue(f, "k")).ToList();
        Assert.Contains("A", values);
        Assert.Contains(null, values);
    }

    [Fact]
    public void parses_typed_partition_values()
    {
        var snapshot = LogReplay.Load(new DeltaLogStore(Table("delta-2.2.0-partitioned-types")), null, cancellationToken: TestContext.Current.CancellationToken);

        var c1 = snapshot.Files.Select(f => snapshot.PartitionValue(f, "c1")).Order().ToList();
        Assert.Equal(new object?[] { 4, 5, 6 }, c1);
        Assert.All(snapshot.Files, f => Assert.IsType<string>(snapshot.PartitionValue(f, "c2")));
    }

    [Fact]
    public void resolves_partition_values_and_stats_through_physical_column_names()
    {
        var snapshot = LogReplay.Load(new DeltaLogStore(Table("table_with_column_mapping")), null, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ColumnMappingMode.Name, snapshot.ColumnMapping);
        var companies = snapshot.Files.Select(f => snapshot.PartitionValue(f, "Company Very Short")).Order().ToList();
        Assert.Equal(new object?[] { "BME", "BMS" }, companies);
        var superName = snapshot.Schema.Find("Super Name")!;
        var physical = superName.PhysicalName(snapshot.ColumnMapping);
        Assert.StartsWith("col-", physical, StringComparison.Ordinal);
        Assert.All(snapshot.Files, f => Assert.NotNull(f.Statistics.Min([physical])));
    }

    [Fact]
    public void refuses_a_missing_table()
    {
        Assert.Throws<TableNotFoundException>(() => LogReplay.Load(new DeltaLogStore(Table("no-such-table")), null, cancellationToken: TestContext.Current.CancellationToken));
    }
}
