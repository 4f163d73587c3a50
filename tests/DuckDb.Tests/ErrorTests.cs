using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Tests;

public sealed class ErrorTests : IDisposable
{
    /// <summary>Runs for hours; started(i) tells the test it is under way.</summary>
    private const string EndlessQuery = "SELECT sum(hash(started(i))) FROM range(1000000000000) t(i)";
    private readonly DuckDbDatabase _database = DuckDbDatabase.Open();
    private readonly DuckDbConnection _connection;

    public ErrorTests()
    {
        _connection = _database.Connect();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void a_syntax_error_carries_duckdbs_message_its_class_and_the_sql()
    {
        const string sql = "SELEC * FROM stations";

        var error = Assert.Throws<DuckDbSyntaxException>(() => _connection.Execute(sql));

        Assert.Contains("syntax error", error.Message, StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.Parser, error.ErrorType);
        Assert.Equal(sql, error.Sql);
        Assert.False(error.IsTransient);
        Assert.Contains(sql, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void a_missing_table_is_a_catalog_error()
    {
        var error = Assert.Throws<DuckDbCatalogException>(() => _connection.Query("SELECT * FROM no_such_table"));

        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.Catalog, error.ErrorType);
    }

    [Fact]
    public void constraint_and_conversion_errors_have_their_own_types()
    {
        _connection.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
        _connection.Execute("INSERT INTO t VALUES (1)");

        var duplicate = Assert.Throws<DuckDbConstraintException>(() => _connection.Execute("INSERT INTO t VALUES ($1)", 1));
        var conversion = Assert.Throws<DuckDbConversionException>(() => _connection.ExecuteScalar<int>("SELECT 'abc'::INTEGER"));

        Assert.Equal(DuckDbErrorType.Constraint, duplicate.ErrorType);
        Assert.Contains("abc", conversion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_error_raised_while_streaming_surfaces_from_read_with_the_sql()
    {
        const string sql = "SELECT CASE WHEN i = 150000 THEN error('sensor 150000 sent garbage') ELSE i END FROM range(200000) t(i)";
        using var reader = _connection.Query(sql);

        var error = Assert.ThrowsAny<DuckDbException>(() =>
        {
            while (reader.Read())
            {
            }
        });

        Assert.Contains("sensor 150000 sent garbage", error.Message, StringComparison.Ordinal);
        Assert.Equal(sql, error.Sql);
    }

    [Fact]
    public void a_write_conflict_between_transactions_is_transient()
    {
        _connection.Execute("CREATE TABLE tickets(id INTEGER PRIMARY KEY, state VARCHAR); INSERT INTO tickets VALUES (1, 'open')");
        using var other = _database.Connect();
        _connection.Execute("BEGIN");
        other.Execute("BEGIN");
        _connection.Execute("UPDATE tickets SET state = 'dispatched' WHERE id = 1");

        var conflict = Assert.Throws<DuckDbTransactionException>(() => other.Execute("UPDATE tickets SET state = 'closed' WHERE id = 1"));

        Assert.True(conflict.IsTransient);
        other.Execute("ROLLBACK");
        _connection.Execute("COMMIT");
        Assert.Equal("dispatched", other.ExecuteScalar<string>("SELECT state FROM tickets"));
    }

    [Fact]
    public async Task cancelling_a_long_query_interrupts_it_and_the_connection_stays_usable()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var started = SignalWhenRunning();
        var query = _connection.ExecuteScalarAsync<long>(EndlessQuery, cancellation.Token);

        Assert.True(started.Wait(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken), "the query did not start");
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(2L, _connection.ExecuteScalar<long>("SELECT 1 + 1"));
    }

    [Fact]
    public async Task cancelling_while_a_streaming_result_is_read_interrupts_the_fetch()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var reader = await _connection.QueryAsync("SELECT hash(i) FROM range(1000000000000) t(i)", cancellation.Token);
        Assert.True(await reader.ReadAsync(cancellation.Token));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (reader.ReadChunk() is not null)
            {
            }
            await Task.CompletedTask;
        });
    }

    [Fact]
    public void interrupt_stops_a_running_query_from_another_thread()
    {
        var started = SignalWhenRunning();
        var query = Task.Run(() => _connection.ExecuteScalar<long>(EndlessQuery), TestContext.Current.CancellationToken);

        Assert.True(started.Wait(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken), "the query did not start");
        _connection.Interrupt();

        var error = Assert.Throws<AggregateException>(() => query.Wait(TestContext.Current.CancellationToken));
        var interrupted = Assert.IsType<DuckDbInterruptedException>(error.InnerException);
        Assert.Equal(DuckDbErrorType.Interrupt, interrupted.ErrorType);
        Assert.Equal(4L, _connection.ExecuteScalar<long>("SELECT 2 + 2"));
    }

    [Fact]
    public void an_already_cancelled_token_runs_nothing()
    {
        _connection.Execute("CREATE TABLE t(a INTEGER)");

        Assert.ThrowsAny<OperationCanceledException>(() =>
            _connection.Prepare("INSERT INTO t VALUES (1)").ExecuteNonQuery(new CancellationToken(canceled: true)));

        Assert.Equal(0L, _connection.ExecuteScalar<long>("SELECT count(*) FROM t"));
    }

    /// <summary>Registers started(x) = x, which sets the returned event the first time DuckDB calls it.</summary>
    private ManualResetEventSlim SignalWhenRunning()
    {
        var started = new ManualResetEventSlim();
        _connection.RegisterScalarFunction("started", [DuckDbType.BigInt], DuckDbType.BigInt, (input, output) =>
        {
            input.GetColumn<long>(0).CopyTo(output.GetData<long>());
            started.Set();
        }, DuckDbFunctionFlags.Volatile);
        return started;
    }
}
