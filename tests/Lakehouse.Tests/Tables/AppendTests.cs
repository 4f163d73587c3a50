using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Tables;

public sealed class AppendTests : LakeTestBase
{
    [Fact]
    public async Task creates_a_table_and_appends_a_batch_that_reads_back()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var result = await AppendReadings(table, 300);

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.Equal(1, result.Version);
        Assert.Equal(3, result.FilesAdded);
        Assert.Equal(300, await table.CountAsync(cancellationToken: Ct));
        var snapshot = await table.GetSnapshotAsync(Ct);
        Assert.Equal(300, snapshot.RowCount);
        Assert.All(snapshot.Files, f => Assert.StartsWith("day=2024-05-0", f.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task add_actions_carry_stats_with_min_max_and_null_counts()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 30, day: new DateOnly(2024, 5, 1));

        var file = Assert.Single((await table.GetSnapshotAsync(Ct)).Files);
        var stats = file.Statistics;
        Assert.Equal(30, stats.NumRecords);
        Assert.Equal("S00", stats.Min(["station"])!.Value.GetString());
        Assert.Equal("S06", stats.Max(["station"])!.Value.GetString());
        Assert.Equal(0.0, stats.Min(["value"])!.Value.GetDouble());
        Assert.Equal(14.5, stats.Max(["value"])!.Value.GetDouble());
        Assert.Equal(0, stats.NullCount(["indicator"]));
        Assert.Equal("2024-05-01T00:00:00.000Z", stats.Min(["ts"])!.Value.GetString());
        Assert.Null(stats.Min(["day"]));
    }

    [Fact]
    public async Task appends_the_result_of_a_query_with_parameters()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var result = await table.AppendQueryAsync(
            "SELECT 'S' || (i % 5) AS station, DATE '2024-06-01' AS day, TIMESTAMPTZ '2024-06-01 00:00:00+00' + to_minutes(i) AS ts, $1 AS indicator, i * 1.5 AS value FROM range($2) t(i)",
            ["NH3-N", 1000], cancellationToken: Ct);

        Assert.Equal(1000, result.RowsWritten);
        Assert.Equal(1000, await table.CountAsync(Predicate.Eq("indicator", "NH3-N"), cancellationToken: Ct));
    }

    [Fact]
    public async Task refuses_a_column_the_table_does_not_have_naming_it()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => table.AppendQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-06-01' AS day, now() AS ts, 1.0 AS value, 'x' AS colour", cancellationToken: Ct));

        Assert.Equal("colour", error.Column);
        Assert.Contains("not in the table schema", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await table.GetSnapshotAsync(Ct)).Version);
    }

    [Fact]
    public async Task refuses_a_value_of_the_wrong_type_naming_both_types()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => table.AppendQueryAsync(
            "SELECT 'S1' AS station, DATE '2024-06-01' AS day, now() AS ts, 'high' AS value", cancellationToken: Ct));

        Assert.Equal("value", error.Column);
        Assert.Contains("VARCHAR", error.Message, StringComparison.Ordinal);
        Assert.Contains("double", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task refuses_nulls_in_a_required_column()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        var error = await Assert.ThrowsAsync<InvalidValueException>(() => table.AppendQueryAsync(
            "SELECT CASE WHEN i = 3 THEN NULL ELSE 'S1' END AS station, DATE '2024-06-01' AS day, now() AS ts, 1.0 AS value FROM range(5) t(i)", cancellationToken: Ct));

        Assert.Equal("station", error.Column);
        Assert.Equal(1, error.Rows);
    }

    [Fact]
    public async Task widens_integers_into_a_double_column()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);

        await table.AppendQueryAsync("SELECT 'S1' AS station, DATE '2024-06-01' AS day, now() AS ts, 7 AS value", cancellationToken: Ct);

        var rows = await table.QueryAsync("SELECT value FROM {table}", cancellationToken: Ct);
        Assert.Equal(7.0, Assert.Single(rows)[0]);
    }

    [Fact]
    public async Task adds_a_new_nullable_column_when_evolution_is_allowed()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 10);

        var result = await table.AppendQueryAsync(
            "SELECT 'S9' AS station, DATE '2024-05-01' AS day, now() AS ts, 2.0 AS value, 'probe-7' AS sensor",
            options: new CommitOptions { AllowSchemaEvolution = true }, cancellationToken: Ct);

        Assert.True(result.Committed);
        var snapshot = await table.GetSnapshotAsync(Ct);
        var sensor = snapshot.Schema.Find("sensor");
        Assert.NotNull(sensor);
        Assert.True(sensor.Nullable);
        var rows = await table.QueryAsync("SELECT count(*), count(sensor), max(sensor) FROM {table}", cancellationToken: Ct);
        Assert.Equal(new object?[] { 11L, 1L, "probe-7" }, rows[0]);
    }

    [Fact]
    public async Task an_empty_batch_commits_nothing()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        using var batch = table.CreateBatch();

        var result = await batch.AppendAsync(cancellationToken: Ct);

        Assert.Equal(CommitStatus.NoChanges, result.Status);
        Assert.Equal(0, (await table.GetSnapshotAsync(Ct)).Version);
    }

    [Fact]
    public async Task a_retried_batch_with_the_same_transaction_version_is_applied_once()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        var options = new CommitOptions { AppId = "ingest-sensors", AppVersion = 41 };

        var first = await AppendReadings(table, 20, options: options);
        var retry = await AppendReadings(table, 20, options: options);
        var next = await AppendReadings(table, 20, options: options with { AppVersion = 42 });

        Assert.Equal(CommitStatus.Committed, first.Status);
        Assert.Equal(CommitStatus.AlreadyApplied, retry.Status);
        Assert.Equal(CommitStatus.Committed, next.Status);
        Assert.Equal(40, await table.CountAsync(cancellationToken: Ct));
        Assert.Equal(42, (await table.GetSnapshotAsync(Ct)).TransactionVersion("ingest-sensors"));
    }

    [Fact]
    public async Task a_batch_builder_is_reusable_after_a_commit()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        using var batch = table.CreateBatch();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                batch.AppendRow("S1", new DateOnly(2024, 5, 1), DateTimeOffset.UtcNow, "DO", (double)i);
            }
            var result = await batch.AppendAsync(cancellationToken: Ct);
            Assert.Equal(round + 1, result.Version);
        }
        Assert.Equal(15, await table.CountAsync(cancellationToken: Ct));
    }
}
