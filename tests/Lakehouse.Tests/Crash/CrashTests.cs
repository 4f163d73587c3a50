using OneMap.Lakehouse.CrashWriter;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Lakehouse.Tests.Concurrency;

namespace OneMap.Lakehouse.Tests.Crash;

/// <summary>
/// A writer process running appends and merges is killed with SIGKILL at random moments; after every kill the table
/// opens, holds exactly the rows of the operations its log says were committed, and VACUUM removes what the dead
/// writer left behind. The writer then resumes from the table's own txn marker, as an ingest worker would.
/// </summary>
public sealed class CrashTests : LakeTestBase
{
    private const int Kills = 55;

    [Fact]
    public async Task commits_are_atomic_under_kill_and_vacuum_removes_the_orphans()
    {
        var random = new Random(20240501);
        var table = await Lake.CreateTableAsync(CrashWorkload.Table, Ct);
        long lastOp = -1;
        var orphansRemoved = 0;
        var acknowledged = 0;

        for (var kill = 0; kill < Kills; kill++)
        {
            // Kill points are counted in commits, not wall time, so a slow machine moves them but does not skip them:
            // after 0–4 acknowledged commits, then 0–40 ms into the next operation (or checkpoint).
            var reported = -1L;
            using (var writer = WriterProcess.Start("crash", Lake.Root, "1000000"))
            {
                var line = await writer.ReadLineAsync(Ct);
                Assert.True(line?.StartsWith("ready", StringComparison.Ordinal), $"kill {kill}: the writer said '{line}'");
                for (var commits = random.Next(0, 5); commits > 0; commits--)
                {
                    line = await writer.ReadLineAsync(Ct);
                    Assert.True(line?.StartsWith("committed ", StringComparison.Ordinal), $"kill {kill}: the writer said '{line}'");
                    reported = long.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    acknowledged++;
                }
                await Task.Delay(random.Next(0, 41), Ct);
                writer.Kill();
            }

            var snapshot = LogReplay.Load(table.Log, new DuckDbCheckpointReader(Lake.Engine), cancellationToken: Ct);
            var op = snapshot.TransactionVersion(CrashWorkload.AppId) ?? -1;
            Assert.True(op >= lastOp, $"kill {kill}: the table went back from operation {lastOp} to {op}");
            Assert.True(op >= reported, $"kill {kill}: the writer reported operation {reported} committed but the table holds only {op}");
            lastOp = op;
            await AssertHoldsExactly(table, op, $"kill {kill} after operation {op}");

            var vacuum = await table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero, AllowShortRetention = true }, Ct);
            orphansRemoved += vacuum.DeletedFiles.Count(f => !f.Contains("_delta_log", StringComparison.Ordinal));
            var after = await table.GetSnapshotAsync(Ct);
            var onDisk = System.IO.Directory.EnumerateFiles(table.Root, "*.parquet", SearchOption.AllDirectories)
                .Where(f => !f.Contains("_delta_log", StringComparison.Ordinal))
                .Select(Path.GetFullPath)
                .Order(StringComparer.Ordinal);
            Assert.Equal(after.Files.Select(f => Path.GetFullPath(after.FullPath(f))).Order(StringComparer.Ordinal), onDisk);
            Assert.Empty(System.IO.Directory.EnumerateFiles(table.Log.LogDirectory, ".tmp-*"));
            await AssertHoldsExactly(table, op, $"kill {kill} after VACUUM");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{Kills} kills: the workload reached operation {lastOp} ({acknowledged} commits acknowledged before kills); VACUUM removed {orphansRemoved} orphaned data files");
        Assert.True(lastOp + 1 >= acknowledged, $"{acknowledged} acknowledged commits but the table holds {lastOp + 1} operations");
        Assert.True(orphansRemoved > 0, "no kill left an orphaned data file behind");
    }

    private static async Task AssertHoldsExactly(DeltaTable table, long lastOp, string when)
    {
        var expected = CrashWorkload.Expected(lastOp);
        var rows = lastOp < 0 ? [] : await table.QueryAsync("SELECT key, batch, payload FROM {table} ORDER BY key", cancellationToken: Ct);
        Assert.True(expected.Count == rows.Count, $"{when}: {rows.Count} rows, expected {expected.Count}");
        var i = 0;
        foreach (var (key, (batch, payload)) in expected)
        {
            var row = rows[i++];
            Assert.True(key == (long)row[0]! && batch == (long)row[1]! && payload == (string)row[2]!,
                $"{when}: row {i} is ({row[0]}, {row[1]}, {row[2]}), expected ({key}, {batch}, {payload})");
        }
    }
}
