namespace OneMap.DuckDb.Tests;

/// <summary>Prepared statements kept by SQL text: reused, rebound by DuckDB when the catalog changes, bounded.</summary>
public sealed class StatementCacheTests : IDisposable
{
    private readonly DuckDbDatabase database = DuckDbDatabase.Open();
    private readonly DuckDbConnection connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public StatementCacheTests()
    {
        connection = database.Connect();
        connection.Execute("CREATE TABLE small AS SELECT range AS x FROM range(10)");
        connection.Execute("CREATE TABLE large AS SELECT range AS x, range * 2 AS y FROM range(100)");
        connection.Execute("CREATE VIEW v AS SELECT * FROM small");
    }

    [Fact]
    public void the_same_sql_gets_the_same_statement_with_fresh_bindings()
    {
        using var cache = new DuckDbStatementCache(connection);

        var first = cache.Get("SELECT count(*) FROM v WHERE x >= $1", [5L]);
        Assert.Equal(5L, first.ExecuteScalar<long>(Ct));
        var again = cache.Get("SELECT count(*) FROM v WHERE x >= $1", [8L]);

        Assert.Same(first, again);
        Assert.Equal(2L, again.ExecuteScalar<long>(Ct));
        Assert.Equal(1, cache.Count);
        // Taken without values, the statement has none bound from its last use.
        var unbound = cache.Get("SELECT count(*) FROM v WHERE x >= $1");
        Assert.ThrowsAny<DuckDbException>(() => unbound.ExecuteScalar<long>(Ct));
    }

    [Fact]
    public void a_view_replaced_by_another_connection_is_read_as_it_is_now()
    {
        using var cache = new DuckDbStatementCache(connection);
        using var other = database.Connect();
        const string sql = "SELECT count(*), max(x) FROM v WHERE x >= $1";
        Assert.Equal(10L, cache.Get(sql, [0L]).ExecuteScalar<long>(Ct));

        other.Execute("CREATE OR REPLACE VIEW v AS SELECT * FROM large");
        Assert.Equal(100L, cache.Get(sql, [0L]).ExecuteScalar<long>(Ct));

        other.Execute("CREATE OR REPLACE VIEW v AS SELECT y AS x FROM large");
        using var reader = cache.Get(sql, [100L]).ExecuteReader(Ct);
        Assert.True(reader.Read());
        Assert.Equal((50L, 198L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public void past_its_capacity_the_least_recently_used_statement_is_dropped()
    {
        using var cache = new DuckDbStatementCache(connection, capacity: 2);
        var a = cache.Get("SELECT 1");
        var b = cache.Get("SELECT 2");
        Assert.Same(a, cache.Get("SELECT 1"));

        var c = cache.Get("SELECT 3");

        Assert.Equal(2, cache.Count);
        Assert.Same(a, cache.Get("SELECT 1"));
        Assert.Same(c, cache.Get("SELECT 3"));
        Assert.NotSame(b, cache.Get("SELECT 2"));
        Assert.Equal(2, cache.Get("SELECT 2").ExecuteScalar<int>(Ct));
    }

    [Fact]
    public void sql_that_does_not_prepare_is_not_kept_and_the_error_names_it()
    {
        using var cache = new DuckDbStatementCache(connection);

        var error = Assert.ThrowsAny<DuckDbException>(() => cache.Get("SELECT * FROM nowhere"));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Count);
        Assert.ThrowsAny<DuckDbException>(() => cache.Get("SELECT 1; SELECT 2"));
    }

    public void Dispose()
    {
        connection.Dispose();
        database.Dispose();
    }
}
