using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>Operations that change or remove stored rows: partition overwrite, merge by key, delete by predicate.</summary>
public sealed class ChangeTests : LakeTestBase
{
    private static TableDefinition Tickets() => new()
    {
        Name = "tickets",
        Columns =
        [
            new("ticket_id", DeltaType.Long) { Nullable = false },
            new("grid", DeltaType.String),
            new("status", DeltaType.String),
            new("updated_at", DeltaType.Timestamp),
        ],
        KeyColumns = ["ticket_id"],
    };

    [Fact]
    public async Task overwrites_only_the_partitions_the_batch_writes()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 300);
        var day2 = new DateOnly(2024, 5, 2);

        var result = await table.OverwriteQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-05-02' AS day, now() AS ts, 'DO' AS indicator, 1.0 AS value FROM range(7)", cancellationToken: Ct);

        Assert.Equal(1, result.FilesRemoved);
        Assert.Equal(100, result.RowsDeleted);
        Assert.Equal(7, await table.CountAsync(Predicate.Eq("day", day2), cancellationToken: Ct));
        Assert.Equal(207, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task overwrites_partitions_matching_replace_where_and_refuses_rows_outside_it()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 300);
        var where = Predicate.Ge("day", new DateOnly(2024, 5, 2));

        await Assert.ThrowsAsync<InvalidOperationLakehouseException>(() => table.OverwriteQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-05-01' AS day, now() AS ts, 1.0 AS value", replaceWhere: where, cancellationToken: Ct));
        var result = await table.OverwriteQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-05-03' AS day, now() AS ts, 1.0 AS value", replaceWhere: where, cancellationToken: Ct);

        Assert.Equal(2, result.FilesRemoved);
        Assert.Equal(101, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task merge_updates_matched_keys_and_inserts_new_ones()
    {
        var table = await Lake.CreateTableAsync(Tickets(), Ct);
        await table.AppendQueryAsync("SELECT i AS ticket_id, 'G' || (i % 4) AS grid, 'open' AS status, TIMESTAMPTZ '2024-05-01 00:00:00+00' AS updated_at FROM range(100) t(i)", cancellationToken: Ct);

        var result = await table.MergeQueryAsync(
            "SELECT i AS ticket_id, 'G0' AS grid, 'closed' AS status, TIMESTAMPTZ '2024-05-02 00:00:00+00' AS updated_at FROM range(90, 110) t(i)", cancellationToken: Ct);

        Assert.Equal(10, result.RowsUpdated);
        Assert.Equal(10, result.RowsInserted);
        Assert.Equal(110, await table.CountAsync(cancellationToken: Ct));
        Assert.Equal(20, await table.CountAsync(Predicate.Eq("status", "closed"), cancellationToken: Ct));
        var duplicates = await table.QueryAsync("SELECT count(*) FROM (SELECT ticket_id FROM {table} GROUP BY 1 HAVING count(*) > 1)", cancellationToken: Ct);
        Assert.Equal(0L, duplicates[0][0]);
    }

    [Fact]
    public async Task merge_keeps_the_last_row_of_a_key_within_a_batch_and_honours_the_update_condition()
    {
        var table = await Lake.CreateTableAsync(Tickets(), Ct);
        await table.AppendQueryAsync("SELECT 1 AS ticket_id, 'G1' AS grid, 'dispatched' AS status, TIMESTAMPTZ '2024-05-03 00:00:00+00' AS updated_at", cancellationToken: Ct);
        using var batch = table.CreateBatch();
        batch.AppendRow(2L, "G2", "open", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));
        batch.AppendRow(2L, "G2", "accepted", new DateTimeOffset(2024, 5, 2, 0, 0, 0, TimeSpan.Zero));
        // An out-of-order update for ticket 1, older than what is stored: dropped by the condition.
        batch.AppendRow(1L, "G1", "open", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));

        var result = await batch.MergeAsync(new MergeOptions { UpdateCondition = "source.updated_at >= target.updated_at" }, cancellationToken: Ct);

        Assert.Equal(0, result.RowsUpdated);
        Assert.Equal(1, result.RowsInserted);
        var rows = await table.QueryAsync("SELECT ticket_id, status FROM {table} ORDER BY ticket_id", cancellationToken: Ct);
        Assert.Equal(new object?[] { 1L, "dispatched" }, rows[0]);
        Assert.Equal(new object?[] { 2L, "accepted" }, rows[1]);
    }

    [Fact]
    public async Task merge_deletes_keys_marked_by_the_delete_condition()
    {
        var table = await Lake.CreateTableAsync(Tickets(), Ct);
        await table.AppendQueryAsync("SELECT i AS ticket_id, 'G' AS grid, 'open' AS status, now() AS updated_at FROM range(10) t(i)", cancellationToken: Ct);

        var result = await table.MergeQueryAsync("SELECT 3 AS ticket_id, 'G' AS grid, 'withdrawn' AS status, now() AS updated_at",
            merge: new MergeOptions { DeleteCondition = "source.status = 'withdrawn'" }, cancellationToken: Ct);

        Assert.Equal(1, result.RowsDeleted);
        Assert.Equal(9, await table.CountAsync(cancellationToken: Ct));
        Assert.Equal(0, await table.CountAsync(Predicate.Eq("ticket_id", 3L), cancellationToken: Ct));
    }

    [Fact]
    public async Task merge_rewrites_only_files_that_hold_matched_keys()
    {
        var table = await Lake.CreateTableAsync(Tickets(), Ct);
        for (var i = 0; i < 4; i++)
        {
            await table.AppendQueryAsync($"SELECT i AS ticket_id, 'G' AS grid, 'open' AS status, now() AS updated_at FROM range({i * 100}, {(i + 1) * 100}) t(i)", cancellationToken: Ct);
        }

        var result = await table.MergeQueryAsync("SELECT 250 AS ticket_id, 'G' AS grid, 'closed' AS status, now() AS updated_at", cancellationToken: Ct);

        Assert.Equal(1, result.FilesRemoved);
        Assert.Equal(400, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task merge_refuses_null_keys()
    {
        var table = await Lake.CreateTableAsync(Tickets(), Ct);

        var error = await Assert.ThrowsAsync<InvalidValueException>(() => table.MergeQueryAsync(
            "SELECT CAST(NULL AS BIGINT) AS ticket_id, 'G' AS grid, 'open' AS status, now() AS updated_at", cancellationToken: Ct));

        Assert.Equal("ticket_id", error.Column);
    }

    [Fact]
    public async Task deletes_by_predicate_rewriting_files_with_matches_and_dropping_whole_partitions_unread()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 300);

        var partial = await table.DeleteAsync(Predicate.And(Predicate.Eq("station", "S03"), Predicate.Eq("day", new DateOnly(2024, 5, 1))), cancellationToken: Ct);
        var whole = await table.DeleteAsync(Predicate.Eq("day", new DateOnly(2024, 5, 3)), cancellationToken: Ct);
        var none = await table.DeleteAsync(Predicate.Eq("station", "S99"), cancellationToken: Ct);

        Assert.Equal(1, partial.FilesRemoved);
        Assert.Equal(1, partial.FilesAdded);
        Assert.True(partial.RowsDeleted > 0);
        Assert.Equal(100, whole.RowsDeleted);
        Assert.Equal(0, whole.FilesAdded);
        Assert.Equal(CommitStatus.NoChanges, none.Status);
        Assert.Equal(200 - partial.RowsDeleted, await table.CountAsync(cancellationToken: Ct));
        Assert.Equal(0, await table.CountAsync(Predicate.And(Predicate.Eq("station", "S03"), Predicate.Eq("day", new DateOnly(2024, 5, 1))), cancellationToken: Ct));
    }

    [Fact]
    public async Task refuses_a_predicate_on_an_unknown_column()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationLakehouseException>(() => table.DeleteAsync(Predicate.Eq("colour", "red"), cancellationToken: Ct));

        Assert.Contains("'colour'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task append_only_tables_refuse_deletes()
    {
        var table = await Lake.CreateTableAsync(Readings() with { Properties = new Dictionary<string, string> { [TableProperties.AppendOnly] = "true" } }, Ct);
        await AppendReadings(table, 10);

        await Assert.ThrowsAsync<InvalidOperationLakehouseException>(() => table.DeleteAsync(Predicate.Eq("station", "S01"), cancellationToken: Ct));
    }
}
