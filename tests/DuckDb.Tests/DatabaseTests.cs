using OneMap.Testing;

namespace OneMap.DuckDb.Tests;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new("duckdb-database");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void an_in_memory_database_runs_queries()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();

        Assert.Null(database.Path);
        Assert.Equal(42L, connection.ExecuteScalar<long>("SELECT 40 + 2"));
        Assert.StartsWith("v1.5", DuckDbDatabase.EngineVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void a_file_database_keeps_its_data_after_reopening()
    {
        var path = Path.Combine(_temp.Path, "kept.duckdb");
        using (var database = DuckDbDatabase.Open(path))
        using (var connection = database.Connect())
        {
            connection.Execute("CREATE TABLE stations(id INTEGER, name VARCHAR)");
            connection.Execute("INSERT INTO stations VALUES ($1, $2)", 7, "Mulan River mouth");
        }

        Assert.True(File.Exists(path));
        using (var database = DuckDbDatabase.Open(path))
        using (var connection = database.Connect())
        {
            Assert.Equal("Mulan River mouth", connection.ExecuteScalar<string>("SELECT name FROM stations WHERE id = $1", 7));
        }
    }

    [Fact]
    public void configuration_is_applied_to_the_database()
    {
        var config = new DuckDbConfig { Threads = 1, MemoryLimit = "256MB" }.Set("default_order", "DESC");
        using var database = DuckDbDatabase.Open(config: config);
        using var connection = database.Connect();

        Assert.Equal("1", connection.ExecuteScalar<string>("SELECT current_setting('threads')::VARCHAR"));
        Assert.Equal("244.1 MiB", connection.ExecuteScalar<string>("SELECT current_setting('memory_limit')"));
        Assert.Equal("desc", connection.ExecuteScalar<string>("SELECT lower(current_setting('default_order'))"));
        Assert.Equal(3L, connection.ExecuteScalar<long>("SELECT i FROM range(4) t(i) ORDER BY i LIMIT 1"));
    }

    [Fact]
    public void an_unknown_option_is_refused_with_its_name()
    {
        var config = new DuckDbConfig().Set("no_such_option", "1");

        var error = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(config: config));

        Assert.Contains("no_such_option", error.Message, StringComparison.Ordinal);
        Assert.Equal(DuckDbErrorType.InvalidConfiguration, error.ErrorType);
    }

    [Fact]
    public void an_invalid_option_value_is_refused_with_the_value()
    {
        var config = new DuckDbConfig { MemoryLimit = "lots" };

        var error = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(config: config));

        Assert.Contains("memory_limit = 'lots'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void a_database_that_cannot_be_opened_names_the_path()
    {
        var path = Path.Combine(_temp.Path, "missing-folder", "x.duckdb");

        var error = Assert.Throws<DuckDbIOException>(() => DuckDbDatabase.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void disposing_twice_is_harmless_and_use_after_dispose_is_refused()
    {
        var database = DuckDbDatabase.Open();
        var connection = database.Connect();
        var statement = connection.Prepare("SELECT 1");
        var reader = connection.Query("SELECT 1");
        connection.Execute("CREATE TABLE t(a INTEGER)");
        var appender = connection.CreateAppender("t");

        reader.Dispose();
        reader.Dispose();
        appender.Dispose();
        appender.Dispose();
        statement.Dispose();
        statement.Dispose();
        connection.Dispose();
        connection.Dispose();
        database.Dispose();
        database.Dispose();

        Assert.Throws<ObjectDisposedException>(() => connection.Execute("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(() => statement.ExecuteNonQuery(TestContext.Current.CancellationToken));
        Assert.Throws<ObjectDisposedException>(() => database.Connect());
        connection.Interrupt();
    }

    [Fact]
    public void a_connection_outliving_its_database_object_still_works()
    {
        var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        database.Dispose();

        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT 1"));
    }
}
