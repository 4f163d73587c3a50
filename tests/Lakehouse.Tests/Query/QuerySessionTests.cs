using OneMap.Lakehouse.Query;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Query;

public sealed class QuerySessionTests : LakeTestBase
{
    private static readonly QuerySessionOptions Manual = new() { RefreshInterval = null, Threads = 2 };

    [Fact]
    public async Task exposes_each_table_as_a_view_with_partition_values_as_typed_columns()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 300);
        using var session = Lake.OpenQuerySession(Manual);

        var result = await session.QueryAsync("SELECT day, count(*), typeof(day) FROM readings WHERE station = $1 GROUP BY day ORDER BY day", ["S01"], Ct);

        Assert.Equal(3, result.Rows.Count);
        Assert.Equal(new DateOnly(2024, 5, 1), result.Rows[0][0]);
        Assert.Equal("DATE", result.Rows[0][2]);
        Assert.Equal(300L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);
        Assert.Equal(1, session.Versions["readings"]);
    }

    [Fact]
    public async Task a_table_folder_without_its_first_commit_is_skipped_quietly_and_shown_after_it()
    {
        var warnings = new WarningCollector();
        using var lake = new Lake(Lake.Options, warnings);
        // A writer has created the table's folders and not yet written commit 0 (the embedded default's first start).
        System.IO.Directory.CreateDirectory(Path.Combine(Lake.Options.Root, "pending", "_delta_log"));
        using var session = lake.OpenQuerySession(Manual);

        session.Refresh();

        Assert.Empty(warnings.Messages);
        Assert.False(session.Versions.ContainsKey("pending"));
        var table = await lake.CreateTableAsync(Readings("pending"), Ct);
        await AppendReadings(table, 12);
        Assert.Equal(12L, (await session.QueryAsync("SELECT count(*) FROM pending", cancellationToken: Ct)).Rows[0][0]);
        Assert.Empty(warnings.Messages);
    }

    [Fact]
    public async Task views_follow_commits_made_through_the_lake()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        using var session = Lake.OpenQuerySession(Manual);
        Assert.Equal(0L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);

        await AppendReadings(table, 30);

        Assert.Equal(30L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);
    }

    [Fact]
    public async Task views_follow_commits_made_by_another_process_after_a_refresh()
    {
        await Lake.CreateTableAsync(Readings(), Ct);
        using var session = Lake.OpenQuerySession(Manual);
        using (var other = new Lake(Lake.Options))
        {
            await AppendReadings(other.Table("readings"), 12);
        }
        Assert.Equal(0L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);

        await session.RefreshAsync(Ct);

        Assert.Equal(12L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);
    }

    [Fact]
    public async Task a_running_query_keeps_its_snapshot_while_the_view_is_replaced()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 3000);
        using var session = Lake.OpenQuerySession(Manual);
        using var connection = session.Connect();

        // A streaming query is mid-way when a commit lands and the view is replaced.
        using var reader = connection.Query("SELECT station, value FROM readings");
        Assert.True(reader.Read());
        await table.DeleteAsync(Predicate.True, cancellationToken: Ct);
        await session.RefreshAsync(Ct);
        var seen = 1;
        while (reader.Read())
        {
            seen++;
        }

        Assert.Equal(3000, seen);
        Assert.Equal(0L, (await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct)).Rows[0][0]);
    }

    [Fact]
    public async Task a_query_sees_one_snapshot_even_when_it_reads_the_table_twice()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 100);
        using var session = Lake.OpenQuerySession(Manual);
        using var connection = session.Connect();

        using var reader = connection.Query("SELECT (SELECT count(*) FROM readings) AS a, count(*) AS b FROM readings, range(1)");
        await AppendReadings(table, 50);
        await session.RefreshAsync(Ct);
        Assert.True(reader.Read());

        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task queries_a_table_as_of_a_version_or_a_time()
    {
        var table = await Lake.CreateTableAsync(Readings(), Ct);
        await AppendReadings(table, 10);
        var first = (await table.GetSnapshotAsync(Ct)).CommitTime;
        await AppendReadings(table, 5);
        using var session = Lake.OpenQuerySession(Manual);

        var byVersion = await session.QueryAsync("SELECT count(*) FROM \"readings@v1\"", cancellationToken: Ct);
        var byTime = await session.QueryAsync($"SELECT count(*) FROM {session.AsOf("readings", first)}", cancellationToken: Ct);
        var latest = await session.QueryAsync("SELECT count(*) FROM readings", cancellationToken: Ct);

        Assert.Equal(10L, byVersion.Rows[0][0]);
        Assert.Equal(10L, byTime.Rows[0][0]);
        Assert.Equal(15L, latest.Rows[0][0]);
    }

    [Fact]
    public async Task maps_physical_column_names_to_logical_ones_under_column_mapping()
    {
        var table = await Lake.CreateTableAsync(Readings() with { ColumnMapping = true }, Ct);
        await AppendReadings(table, 30);
        await table.AddColumnsAsync([new ColumnDefinition("quality flag", OneMap.Lakehouse.Delta.DeltaType.String)], Ct);
        await table.AppendQueryAsync("SELECT 'S01' AS station, DATE '2024-05-01' AS day, now() AS ts, 1.0 AS value, 'suspect' AS \"quality flag\"", cancellationToken: Ct);
        using var session = Lake.OpenQuerySession(Manual);

        var result = await session.QueryAsync("SELECT count(*), count(\"quality flag\"), count(DISTINCT station) FROM readings", cancellationToken: Ct);

        Assert.Equal(new object?[] { 31L, 1L, 7L }, result.Rows[0]);
        var snapshot = await table.GetSnapshotAsync(Ct);
        var file = snapshot.Files.First();
        Assert.All(file.PartitionValues.Keys, k => Assert.StartsWith("col-", k, StringComparison.Ordinal));
        using var connection = Lake.Engine.Connect();
        var physical = connection.ExecuteScalar<string>($"SELECT string_agg(name, ',') FROM parquet_schema('{snapshot.FullPath(file)}') WHERE name LIKE 'col-%'");
        Assert.Contains("col-", physical, StringComparison.Ordinal);
    }

    /// <summary>Keeps the text of every warning or worse any logger of the lake writes.</summary>
    private sealed class WarningCollector : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Messages.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
