using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Concurrency;

/// <summary>Several writers (threads, and separate processes) committing to one table at once.</summary>
public sealed class ConcurrencyTests : LakeTestBase
{
    private static readonly TableDefinition Log = new()
    {
        Name = "log",
        Columns = [new("writer", DeltaType.String), new("batch", DeltaType.Long), new("seq", DeltaType.Long)],
    };

    [Fact]
    public async Task concurrent_appends_from_threads_all_land_each_version_won_by_one_writer()
    {
        var table = await Lake.CreateTableAsync(Log, Ct);
        const int writers = 6;
        const int batches = 8;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            // Each writer uses its own Lake, as separate ingest workers would.
            using var lake = new Lake(Lake.Options);
            var own = lake.Table("log");
            for (var b = 0; b < batches; b++)
            {
                await own.AppendQueryAsync("SELECT $1 AS writer, $2 AS batch, i AS seq FROM range(10) t(i)", [$"w{w}", (long)b], new CommitOptions { AppId = $"w{w}", AppVersion = b }, Ct);
            }
        }, Ct)));

        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(writers * batches, snapshot.Version);
        Assert.Equal(writers * batches * 10, await table.CountAsync(cancellationToken: Ct));
        var perBatch = await table.QueryAsync("SELECT count(*) FROM (SELECT writer, batch FROM {table} GROUP BY ALL HAVING count(*) <> 10)", cancellationToken: Ct);
        Assert.Equal(0L, perBatch[0][0]);
        Assert.All(Enumerable.Range(0, writers), w => Assert.Equal(batches - 1, snapshot.TransactionVersion($"w{w}")));
        var history = await table.HistoryAsync(cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(0, writers * batches + 1).Select(v => (long)v).Reverse(), history.Select(h => h.Version));
    }

    [Fact]
    public async Task concurrent_appends_from_two_processes_all_land()
    {
        var table = await Lake.CreateTableAsync(Log, Ct);
        const int batches = 15;

        using var first = WriterProcess.Start("append", Lake.Root, "log", "p1", batches.ToString(System.Globalization.CultureInfo.InvariantCulture), "20");
        using var second = WriterProcess.Start("append", Lake.Root, "log", "p2", batches.ToString(System.Globalization.CultureInfo.InvariantCulture), "20");
        var results = await Task.WhenAll(first.WaitAsync(Ct), second.WaitAsync(Ct));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(2 * batches, snapshot.Version);
        Assert.Equal(2 * batches * 20, await table.CountAsync(cancellationToken: Ct));
        Assert.Equal(batches - 1, snapshot.TransactionVersion("p1"));
        Assert.Equal(batches - 1, snapshot.TransactionVersion("p2"));
        var distinct = await table.QueryAsync("SELECT count(DISTINCT (writer, batch, seq)) FROM {table}", cancellationToken: Ct);
        Assert.Equal((long)(2 * batches * 20), distinct[0][0]);
    }

    [Fact]
    public async Task concurrent_merges_on_the_same_keys_replan_and_leave_one_row_per_key()
    {
        var definition = new TableDefinition
        {
            Name = "twins",
            Columns = [new("station", DeltaType.String) { Nullable = false }, new("value", DeltaType.Double), new("writer", DeltaType.Long)],
            KeyColumns = ["station"],
        };
        var table = await Lake.CreateTableAsync(definition, Ct);
        await table.AppendQueryAsync("SELECT 'S' || i AS station, 0.0 AS value, -1 AS writer FROM range(50) t(i)", cancellationToken: Ct);

        // The four writers plan their first merge on the same snapshot before any of them commits, so three of them are
        // certain to lose the race and re-plan (left to timing, a fast machine could run them one after another).
        using var allPlanned = new Barrier(4);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var lake = new Lake(Lake.Options);
            var own = lake.Table("twins");
            var waited = false;
            own.BeforeCommit = attempt =>
            {
                if (!waited)
                {
                    waited = true;
                    Assert.True(allPlanned.SignalAndWait(TimeSpan.FromMinutes(2)), "the writers did not all plan their first merge");
                }
            };
            var outcomes = new List<CommitResult>();
            for (var round = 0; round < 3; round++)
            {
                outcomes.Add(await own.MergeQueryAsync("SELECT 'S' || i AS station, $1 * 1.0 AS value, $2 AS writer FROM range(50) t(i)", [(double)round, (long)w], cancellationToken: Ct));
            }
            return outcomes;
        }, Ct)));

        Assert.All(results.SelectMany(r => r), r => Assert.True(r.Committed));
        Assert.True(results.SelectMany(r => r).Count(r => r.Attempts > 1) >= 3, "three of the first merges had to re-plan");
        Assert.Equal(50, await table.CountAsync(cancellationToken: Ct));
        var keys = await table.QueryAsync("SELECT count(DISTINCT station), min(value), max(value) FROM {table}", cancellationToken: Ct);
        Assert.Equal(new object?[] { 50L, 2.0, 2.0 }, keys[0]);
    }

    [Fact]
    public async Task a_delete_racing_an_append_into_the_same_partition_replans_and_misses_nothing()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 90, day: new DateOnly(2024, 5, 1));

        var appends = Task.Run(async () =>
        {
            using var lake = new Lake(Lake.Options);
            for (var i = 0; i < 5; i++)
            {
                await AppendReadings(lake.Table("readings"), 10, day: new DateOnly(2024, 5, 1));
            }
        }, Ct);
        var deletes = Task.Run(async () =>
        {
            using var lake = new Lake(Lake.Options);
            for (var i = 0; i < 5; i++)
            {
                await lake.Table("readings").DeleteAsync(Predicate.Eq("station", "S03"), cancellationToken: Ct);
            }
        }, Ct);
        await Task.WhenAll(appends, deletes);
        await table.DeleteAsync(Predicate.Eq("station", "S03"), cancellationToken: Ct);

        Assert.Equal(0, await table.CountAsync(Predicate.Eq("station", "S03"), cancellationToken: Ct));
        var expected = Enumerable.Range(0, 90).Count(i => i % 7 != 3) + (5 * Enumerable.Range(0, 10).Count(i => i % 7 != 3));
        Assert.Equal(expected, await table.CountAsync(cancellationToken: Ct));
    }
}
