using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>Time travel, history, checkpoints, OPTIMIZE and VACUUM.</summary>
public sealed class VersionTests : LakeTestBase
{
    [Fact]
    public async Task time_travels_by_version_and_by_timestamp()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 10);
        var afterFirst = (await table.GetSnapshotAsync(Ct)).CommitTime;
        await Task.Delay(20, Ct);
        await AppendReadings(table, 20);
        await table.DeleteAsync(Predicate.Eq("day", new DateOnly(2024, 5, 1)), cancellationToken: Ct);

        Assert.Equal(10, await table.CountAsync(version: 1, cancellationToken: Ct));
        Assert.Equal(30, await table.CountAsync(version: 2, cancellationToken: Ct));
        Assert.True(await table.CountAsync(cancellationToken: Ct) < 30);
        Assert.Equal(1, table.VersionAt(afterFirst, Ct));
        var snapshot = await table.GetSnapshotAsync(afterFirst.AddMilliseconds(5), Ct);
        Assert.Equal(1, snapshot.Version);
        Assert.Throws<VersionNotFoundException>(() => table.VersionAt(afterFirst.AddYears(-1), Ct));
        await Assert.ThrowsAsync<VersionNotFoundException>(() => table.GetSnapshotAsync(99, Ct));
    }

    [Fact]
    public async Task history_lists_operations_with_metrics_transactions_and_lineage()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 10, options: new CommitOptions
        {
            AppId = "feed-ecology",
            AppVersion = 7,
            UserMetadata = "nightly import",
            Lineage = new CommitLineage("ecology-stations.csv", ["receipt-1", "receipt-2"]),
        });
        await table.DeleteAsync(Predicate.Eq("station", "S01"), cancellationToken: Ct);

        var history = await table.HistoryAsync(cancellationToken: Ct);

        Assert.Equal(["DELETE", "WRITE", "CREATE TABLE"], history.Select(h => h.Operation));
        var write = history[1];
        Assert.Equal("10", write.OperationMetrics["numOutputRows"]);
        Assert.Equal("Append", write.OperationParameters["mode"]);
        Assert.Equal(("feed-ecology", 7L), write.Transaction);
        Assert.Equal("nightly import", write.UserMetadata);
        Assert.Equal(["receipt-1", "receipt-2"], write.Lineage!.Receipts);
        Assert.True(write.IsBlindAppend);
        Assert.Equal(0, write.ReadVersion);
        Assert.Single(await table.HistoryAsync(1, Ct));
    }

    [Fact]
    public async Task writes_a_parquet_checkpoint_every_n_commits_that_duckdb_reads_with_the_checkpoint_schema()
    {
        var table = await Lake.CreateTableAsync(Readings(checkpointInterval: 3), Ct);
        for (var i = 0; i < 7; i++)
        {
            await AppendReadings(table, 5, stationOffset: i);
        }
        await table.DeleteAsync(Predicate.Eq("station", "S02"), cancellationToken: Ct);

        var listing = table.Log.List();
        Assert.Equal([3L, 6L], listing.Checkpoints.Select(c => c.Version));
        Assert.Equal(6, table.Log.ReadLastCheckpoint()!.Version);

        using var connection = Lake.Engine.Connect();
        var checkpoint = listing.Checkpoints[^1].Paths[0];
        var columns = new List<string>();
        using (var reader = connection.Query($"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{checkpoint}'))"))
        {
            while (reader.Read())
            {
                columns.Add(reader.GetString(0) + " " + reader.GetString(1));
            }
        }
        Assert.Contains(columns, c => c.StartsWith("add STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT", StringComparison.Ordinal));
        Assert.Contains(columns, c => c.StartsWith("protocol STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER", StringComparison.Ordinal));
        Assert.Contains(columns, c => c.StartsWith("metaData STRUCT(id VARCHAR", StringComparison.Ordinal));
        var adds = connection.ExecuteScalar<long>($"SELECT count(*) FROM read_parquet('{checkpoint}') WHERE add IS NOT NULL");
        var snapshotAt6 = await table.GetSnapshotAsync(6, Ct);
        Assert.Equal(snapshotAt6.FileCount, adds);

        // A fresh reader starts from the checkpoint and replays only the later commit.
        using var other = new Lake(Lake.Options);
        var reopened = await other.Table("readings").GetSnapshotAsync(Ct);
        var replayedFromScratch = LogReplay.Load(table.Log, checkpointReader: null, cancellationToken: Ct);
        Assert.Equal(replayedFromScratch.FilesByPath.Keys.Order(), reopened.FilesByPath.Keys.Order());
        Assert.Equal(await table.CountAsync(cancellationToken: Ct), await other.Table("readings").CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task optimize_compacts_small_files_without_changing_rows()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        for (var i = 0; i < 5; i++)
        {
            await AppendReadings(table, 30, stationOffset: i);
        }
        var before = await table.QueryAsync("SELECT station, day, ts, value FROM {table} ORDER BY ALL", cancellationToken: Ct);

        var result = await table.OptimizeAsync(cancellationToken: Ct);

        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(15, result.FilesRemoved);
        Assert.Equal(3, result.FilesAdded);
        Assert.Equal(3, snapshot.FileCount);
        var after = await table.QueryAsync("SELECT station, day, ts, value FROM {table} ORDER BY ALL", cancellationToken: Ct);
        Assert.Equal(before, after);
        var history = await table.HistoryAsync(1, Ct);
        Assert.Equal("OPTIMIZE", history[0].Operation);
        var log = table.Log.ReadCommit(snapshot.Version);
        Assert.All(log.OfType<AddFile>(), a => Assert.False(a.DataChange));
        Assert.All(log.OfType<RemoveFile>(), r => Assert.False(r.DataChange));
        Assert.Equal(CommitStatus.NoChanges, (await table.OptimizeAsync(cancellationToken: Ct)).Status);
    }

    [Fact]
    public async Task vacuum_removes_unreferenced_files_older_than_the_retention_only()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 30);
        await AppendReadings(table, 30);
        await table.OptimizeAsync(cancellationToken: Ct);
        var orphan = Path.Combine(table.Root, "day=2024-05-01", "part-00000-orphan.c000.snappy.parquet");
        await File.WriteAllTextAsync(orphan, "left by a writer that died", Ct);

        await Assert.ThrowsAsync<InvalidOperationLakehouseException>(() => table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero }, Ct));
        var kept = await table.VacuumAsync(cancellationToken: Ct);
        Assert.Empty(kept.DeletedFiles);

        var dryRun = await table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero, AllowShortRetention = true, DryRun = true }, Ct);
        Assert.Equal(7, dryRun.DeletedFiles.Count);
        Assert.True(File.Exists(orphan));
        var result = await table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero, AllowShortRetention = true }, Ct);

        Assert.Equal(7, result.DeletedFiles.Count);
        Assert.False(File.Exists(orphan));
        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.All(snapshot.Files, f => Assert.True(File.Exists(snapshot.FullPath(f))));
        Assert.Equal(60, await table.CountAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task scans_prune_files_by_partition_values_and_statistics()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 300);
        await table.AppendQueryAsync("SELECT 'S1' AS station, DATE '2024-05-01' AS day, TIMESTAMPTZ '2024-05-01 12:00:00+00' AS ts, 'DO' AS indicator, 1000.0 + i AS value FROM range(10) t(i)", cancellationToken: Ct);
        var snapshot = await table.GetSnapshotAsync(Ct);

        Assert.Single(table.Scan(snapshot, Predicate.Eq("day", new DateOnly(2024, 5, 2))).Files);
        Assert.Single(table.Scan(snapshot, Predicate.Gt("value", 999.0)).Files);
        Assert.Empty(table.Scan(snapshot, Predicate.Gt("value", 5000.0)).Files);
        Assert.Equal(4, table.Scan(snapshot, Predicate.IsNotNull("station")).Files.Count);
        Assert.Empty(table.Scan(snapshot, Predicate.IsNull("station")).Files);
        Assert.Equal(2, table.Scan(snapshot, Predicate.Or(Predicate.Gt("value", 999.0), Predicate.Eq("day", new DateOnly(2024, 5, 3)))).Files.Count);
        Assert.Equal(10, await table.CountAsync(Predicate.Gt("value", 999.0), cancellationToken: Ct));
    }
}
