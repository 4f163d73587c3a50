using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Delta;

/// <summary>The reference tables' rows, read through OneMap's snapshot SQL (DuckDB reading the data files).</summary>
public sealed class ReferenceTableDataTests : LakeTestBase
{
    private DeltaTable Reference(string name) => Lake.OpenPath(Path.Combine(RepoPaths.Shared, "reference", "delta-tables", name));

    [Theory]
    [InlineData("delta-0.8.0-partitioned", 7)]
    [InlineData("delta-0.8.0-null-partition", 2)]
    [InlineData("delta-2.2.0-partitioned-types", 3)]
    [InlineData("partition-type-primitives", 16)]
    [InlineData("table_with_column_mapping", 5)]
    [InlineData("COVID-19_NYT", 1_111_930)]
    public async Task counts_the_rows_of_the_data_files(string table, long rows)
    {
        var delta = Reference(table);

        var counted = await delta.CountAsync(cancellationToken: Ct);

        Assert.Equal(rows, counted);
        var snapshot = await delta.GetSnapshotAsync(Ct);
        if (snapshot.RowCount is { } fromStats)
        {
            Assert.Equal(fromStats, counted);
        }
    }

    [Fact]
    public async Task simple_table_holds_the_odd_ids_left_after_its_delete_of_even_ones()
    {
        var table = Reference("simple_table");

        var rows = await table.QueryAsync("SELECT id FROM {table} ORDER BY id", cancellationToken: Ct);
        var atVersion2 = await table.QueryAsync("SELECT count(*) FROM {table}", version: 2, cancellationToken: Ct);

        Assert.Equal([5L, 7L, 9L], rows.Select(r => r[0]));
        Assert.Equal(5L, atVersion2[0][0]);
    }

    [Fact]
    public async Task reads_the_checkpointed_table_through_its_parquet_checkpoint()
    {
        var table = Reference("simple_table_with_checkpoint");

        var snapshot = await table.GetSnapshotAsync(Ct);
        var fromJson = LogReplay.Load(table.Log, checkpointReader: null, cancellationToken: Ct);
        var checkpointOnly = LogReplay.Load(table.Log, new DuckDbCheckpointReader(Lake.Engine), 10, Ct);

        Assert.Equal(10, snapshot.Version);
        Assert.Equal(10, table.Log.ReadLastCheckpoint()!.Version);
        Assert.Equal(fromJson.FilesByPath.Keys.Order(), snapshot.FilesByPath.Keys.Order());
        Assert.Equal(fromJson.FilesByPath.Keys.Order(), checkpointOnly.FilesByPath.Keys.Order());
        Assert.Equal(fromJson.Metadata.Id, checkpointOnly.Metadata.Id);
        Assert.Equal(snapshot.FileCount, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task typed_partition_values_become_typed_columns()
    {
        var rows = await Reference("delta-2.2.0-partitioned-types").QueryAsync("SELECT c1, c2, c3, typeof(c1) FROM {table} ORDER BY c1", cancellationToken: Ct);

        Assert.Equal(new object?[] { 4, "c", 5, "INTEGER" }, rows[0]);
        Assert.Equal(new object?[] { 6, "a", 4, "INTEGER" }, rows[2]);
    }

    [Fact]
    public async Task a_null_partition_value_reads_as_null()
    {
        var rows = await Reference("delta-0.8.0-null-partition").QueryAsync("SELECT v, k FROM {table} ORDER BY v", cancellationToken: Ct);

        Assert.Equal(new object?[] { 1L, "A" }, rows[0]);
        Assert.Equal(new object?[] { 2L, null }, rows[1]);
    }

    [Fact]
    public async Task column_mapped_files_read_under_their_logical_names()
    {
        var rows = await Reference("table_with_column_mapping").QueryAsync(
            "SELECT \"Company Very Short\", count(*), min(\"Super Name\") FROM {table} GROUP BY 1 ORDER BY 1", cancellationToken: Ct);

        Assert.Equal(new object?[] { "BME", 1L, "Timothy Lamb" }, rows[0]);
        Assert.Equal(new object?[] { "BMS", 4L, "Anthony Johnson" }, rows[1]);
    }

    [Fact]
    public async Task prunes_the_reference_files_by_their_statistics()
    {
        var table = Reference("COVID-19_NYT");
        var snapshot = await table.GetSnapshotAsync(Ct);

        var scan = table.Scan(snapshot, Predicate.Ge("date", "2021-01-11"));

        Assert.Equal(2, scan.Files.Count);
        Assert.Equal(8, snapshot.FileCount);
    }
}
