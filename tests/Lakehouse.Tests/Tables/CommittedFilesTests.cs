using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

/// <summary>Once a commit is in the log its files belong to the table, whatever fails after it.</summary>
public sealed class CommittedFilesTests : LakeTestBase
{
    private static TableDefinition Readings() => new()
    {
        Name = "readings",
        Columns =
        [
            new("station", DeltaType.String) { Nullable = false },
            new("ts", DeltaType.Long) { Nullable = false },
            new("value", DeltaType.Double),
        ],
        KeyColumns = ["station", "ts"],
    };

    private const string Rows = "SELECT 'S' || (i % 5) AS station, i AS ts, i * 1.0 AS value FROM range($1, $2) t(i)";

    [Fact]
    public async Task a_listener_failing_after_the_commit_leaves_the_committed_files_in_place()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await table.MergeQueryAsync(Rows, [0L, 100L], new MergeOptions(), cancellationToken: Ct);
        void Fail(object? sender, TableCommitted committed) => throw new InvalidOperationException("listener failed");
        Lake.Committed += Fail;
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => table.MergeQueryAsync(Rows, [100L, 200L], new MergeOptions(), cancellationToken: Ct));
        }
        finally
        {
            Lake.Committed -= Fail;
        }

        // The second merge is in the log; every file the log names must still be there to read.
        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(2, snapshot.Version);
        Assert.All(snapshot.Files, f => Assert.True(File.Exists(Path.Combine(table.Root, f.Path)), f.Path));
        var rows = await table.QueryAsync("SELECT count(*) FROM {table}", cancellationToken: Ct);
        Assert.Equal(200L, rows[0][0]);
    }
}
