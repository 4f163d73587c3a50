using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>Insert-only merges (<see cref="MergeMatchAction.Ignore"/>): keys not yet stored are inserted, nothing is rewritten.</summary>
public sealed class InsertOnlyMergeTests : LakeTestBase
{
    private static readonly MergeOptions InsertOnly = new() { WhenMatched = MergeMatchAction.Ignore };

    private static TableDefinition Readings() => new()
    {
        Name = "readings",
        Columns =
        [
            new("station", DeltaType.String) { Nullable = false },
            new("ts", DeltaType.Long) { Nullable = false },
            new("value", DeltaType.Double),
            new("writer", DeltaType.String),
        ],
        KeyColumns = ["station", "ts"],
    };

    private const string Rows = "SELECT 'S' || (i % 5) AS station, i AS ts, i * 1.0 AS value, $3 AS writer FROM range($1, $2) t(i)";

    private static Task<CommitResult> InsertAsync(DeltaTable table, long from, long to, string writer) =>
        table.MergeQueryAsync(Rows, [from, to, writer], InsertOnly, cancellationToken: Ct);

    [Fact]
    public async Task inserts_only_the_keys_not_yet_stored_and_leaves_stored_rows_and_files_alone()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await InsertAsync(table, 0, 100, "first");
        var before = await table.GetSnapshotAsync(Ct);

        var result = await InsertAsync(table, 50, 150, "second");

        Assert.True(result.Committed);
        Assert.Equal(50, result.RowsInserted);
        Assert.Equal(0, result.RowsUpdated);
        Assert.Equal(0, result.FilesRemoved);
        var after = await table.GetSnapshotAsync(Ct);
        Assert.All(before.Files, f => Assert.Contains(after.Files, g => g.Path == f.Path));
        var rows = await table.QueryAsync("SELECT count(*), count(DISTINCT (station, ts)), count(*) FILTER (WHERE writer = 'first'), min(ts) FILTER (WHERE writer = 'second') FROM {table}", cancellationToken: Ct);
        Assert.Equal(new object?[] { 150L, 150L, 100L, 100L }, rows[0]);
        var history = await table.HistoryAsync(1, Ct);
        Assert.Equal("MERGE", history[0].Operation);
        Assert.Equal("50", history[0].OperationMetrics["numTargetRowsInserted"]);
        Assert.Equal("0", history[0].OperationMetrics["numTargetFilesRemoved"]);
    }

    [Fact]
    public async Task a_batch_whose_keys_are_all_stored_commits_nothing()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await InsertAsync(table, 0, 100, "first");

        var result = await InsertAsync(table, 10, 20, "again");

        Assert.Equal(CommitStatus.NoChanges, result.Status);
        Assert.Equal(1, (await table.GetSnapshotAsync(Ct)).Version);
    }

    [Fact]
    public async Task a_key_repeated_within_the_batch_lands_once()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var result = await table.MergeQueryAsync("SELECT 'S1' AS station, 7 AS ts, i * 1.0 AS value, 'w' AS writer FROM range(3) t(i)", merge: InsertOnly, cancellationToken: Ct);

        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(1, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task two_writers_racing_to_insert_the_same_new_key_land_it_once()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await InsertAsync(table, 0, 10, "setup");
        using var other = new Lake(Lake.Options);
        // Writer B has planned rows 10..30 when writer A commits rows 20..40: B's plan is out of date for 20..29.
        table.BeforeCommit = attempt =>
        {
            if (attempt == 1)
            {
                InsertAsync(other.Table("readings"), 20, 40, "A").GetAwaiter().GetResult();
            }
        };

        var result = await InsertAsync(table, 10, 30, "B");

        Assert.True(result.Committed);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(10, result.RowsInserted);
        var rows = await table.QueryAsync("SELECT count(*), count(DISTINCT (station, ts)), count(*) FILTER (WHERE writer = 'B'), max(ts) FILTER (WHERE writer = 'B') FROM {table}", cancellationToken: Ct);
        Assert.Equal(new object?[] { 40L, 40L, 10L, 19L }, rows[0]);
    }

    [Fact]
    public async Task writers_inserting_different_keys_in_the_same_key_range_both_commit_without_replanning()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await InsertAsync(table, 0, 10, "setup");
        using var other = new Lake(Lake.Options);
        // Both write stations S0..S4 over overlapping times (the file statistics overlap) but with different keys.
        table.BeforeCommit = attempt =>
        {
            if (attempt == 1)
            {
                other.Table("readings").MergeQueryAsync("SELECT 'S' || (i % 5) AS station, i AS ts, 0.0 AS value, 'A' AS writer FROM range(10, 40) t(i) WHERE i % 2 = 0", merge: InsertOnly, cancellationToken: Ct)
                    .GetAwaiter().GetResult();
            }
        };

        var result = await table.MergeQueryAsync("SELECT 'S' || (i % 5) AS station, i AS ts, 1.0 AS value, 'B' AS writer FROM range(10, 40) t(i) WHERE i % 2 = 1", merge: InsertOnly, cancellationToken: Ct);

        Assert.True(result.Committed);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(3, result.Version);
        Assert.Equal(40, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task a_key_deleted_by_another_writer_after_it_was_found_is_inserted_again()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await InsertAsync(table, 0, 10, "setup");
        using var other = new Lake(Lake.Options);
        // B finds ts 5 stored and skips it; A then deletes it. Committed after the delete, B must insert it.
        table.BeforeCommit = attempt =>
        {
            if (attempt == 1)
            {
                other.Table("readings").DeleteAsync(Predicate.Eq("ts", 5L), cancellationToken: Ct).GetAwaiter().GetResult();
            }
        };

        var result = await InsertAsync(table, 5, 15, "B");

        Assert.Equal(2, result.Attempts);
        Assert.Equal(6, result.RowsInserted);
        var five = await table.QueryAsync("SELECT writer FROM {table} WHERE ts = 5", cancellationToken: Ct);
        Assert.Equal("B", Assert.Single(five)[0]);
        Assert.Equal(15, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task many_threads_inserting_overlapping_keys_store_every_key_exactly_once()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        const int writers = 4;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var lake = new Lake(Lake.Options);
            var own = lake.Table("readings");
            for (var round = 0; round < 6; round++)
            {
                // Each round's windows overlap the neighbours' by half.
                var from = (round * writers + w) * 20L;
                await InsertAsync(own, from, from + 40, $"w{w}");
            }
        }, Ct)));

        var rows = await table.QueryAsync("SELECT count(*), count(DISTINCT (station, ts)), min(ts), max(ts) FROM {table}", cancellationToken: Ct);
        var last = ((5 * writers) + writers - 1) * 20L + 40;
        Assert.Equal(new object?[] { last, last, 0L, last - 1 }, rows[0]);
    }

    [Fact]
    public async Task refuses_an_update_condition_with_insert_only()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => table.MergeQueryAsync(Rows, [0L, 10L, "w"], InsertOnly with { UpdateCondition = "true" }, cancellationToken: Ct));
    }

    [Fact]
    public void a_concurrently_added_file_in_the_read_range_conflicts_only_when_the_refinement_says_so()
    {
        var add = new AddFile { Path = "part-1.parquet", PartitionValues = new Dictionary<string, string?>(), Size = 1, ModificationTime = 0, DataChange = true };
        var coarse = new CommitScope { ReadVersion = 1, ReadFilter = _ => true };
        var refinedClear = new CommitScope { ReadVersion = 1, ReadFilter = _ => true, AddedFileConflict = _ => null };
        var refinedHit = new CommitScope { ReadVersion = 1, ReadFilter = _ => true, AddedFileConflict = f => $"{f.Path} holds a key" };
        var depends = new CommitScope { ReadVersion = 1, DependsOnPaths = new HashSet<string> { "part-1.parquet" } };

        Assert.NotNull(LogCommitter.FindConflict(coarse, [add]));
        Assert.Null(LogCommitter.FindConflict(refinedClear, [add]));
        Assert.Equal("part-1.parquet holds a key", LogCommitter.FindConflict(refinedHit, [add]));
        Assert.NotNull(LogCommitter.FindConflict(depends, [RemoveFile.For(add, 0)]));
        Assert.Null(LogCommitter.FindConflict(depends, [RemoveFile.For(add, 0, dataChange: false)]));
    }
}
