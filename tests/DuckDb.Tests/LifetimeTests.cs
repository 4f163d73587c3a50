using System.Diagnostics;

namespace OneMap.DuckDb.Tests;

public sealed class LifetimeTests
{
    private static (long Rss, long Managed) MeasureMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    private static void UseConnection(DuckDbDatabase database, int i)
    {
        using var connection = database.Connect();
        Assert.Equal(i, connection.ExecuteScalar<long>("SELECT $1::BIGINT", (long)i));
        using var statement = connection.Prepare("SELECT range FROM range($1)");
        using var reader = statement.Bind(1, 3L).ExecuteReader();
        Assert.True(reader.Read());
    }

    [Fact]
    public void opening_and_closing_ten_thousand_connections_keeps_memory_flat()
    {
        using var database = DuckDbDatabase.Open();
        for (var i = 0; i < 500; i++)
        {
            UseConnection(database, i);
        }
        var before = MeasureMemory();

        for (var i = 0; i < 10_000; i++)
        {
            UseConnection(database, i);
        }
        var after = MeasureMemory();

        // Generous bounds: a leak of even one result per connection would be far above them.
        Assert.True(after.Rss - before.Rss < 64L << 20, $"RSS grew from {before.Rss >> 20} MiB to {after.Rss >> 20} MiB");
        Assert.True(after.Managed - before.Managed < 8L << 20, $"managed heap grew from {before.Managed >> 20} MiB to {after.Managed >> 20} MiB");
    }

    [Fact]
    public void opening_and_closing_databases_keeps_memory_flat()
    {
        static void UseDatabase()
        {
            using var database = DuckDbDatabase.Open(config: new DuckDbConfig { Threads = 1 });
            using var connection = database.Connect();
            connection.Execute("CREATE TABLE t AS SELECT range AS i FROM range(10000)");
            Assert.Equal(10_000L, connection.ExecuteScalar<long>("SELECT count(*) FROM t"));
        }
        for (var i = 0; i < 10; i++)
        {
            UseDatabase();
        }
        var before = MeasureMemory();

        for (var i = 0; i < 100; i++)
        {
            UseDatabase();
        }
        var after = MeasureMemory();

        Assert.True(after.Rss - before.Rss < 64L << 20, $"RSS grew from {before.Rss >> 20} MiB to {after.Rss >> 20} MiB");
    }

    [Fact]
    public void readers_and_statements_left_undisposed_are_released_by_the_finalizer()
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        static void Abandon(DuckDbConnection connection)
        {
            var statement = connection.Prepare("SELECT 1");
            _ = statement.ParameterCount;
        }
        for (var i = 0; i < 1000; i++)
        {
            Abandon(connection);
        }
        var before = MeasureMemory();

        for (var i = 0; i < 5000; i++)
        {
            Abandon(connection);
        }
        var after = MeasureMemory();

        Assert.True(after.Rss - before.Rss < 64L << 20, $"RSS grew from {before.Rss >> 20} MiB to {after.Rss >> 20} MiB");
        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT 1"));
    }

    [Fact]
    public void function_callbacks_live_as_long_as_the_database_and_are_released_when_it_closes()
    {
        static (DuckDbDatabase Database, WeakReference Owner) RegisterFunctions()
        {
            var owner = new int[] { 41 };
            var database = DuckDbDatabase.Open();
            using var connection = database.Connect();
            Functions.DuckDbScalarFunctions.RegisterScalarFunction<long, long>(connection, "owner_plus", x => owner[0] + x);
            Functions.DuckDbTableFunctions.RegisterTableFunction(connection, "owner_rows", [],
                [new Types.DuckDbField("v", Types.DuckDbType.Integer)], _ => [[owner[0]]]);
            return (database, new WeakReference(owner));
        }

        var (database, owner) = RegisterFunctions();
        MeasureMemory();

        Assert.True(owner.IsAlive, "the database must keep its functions' delegates alive");
        using (var connection = database.Connect())
        {
            Assert.Equal(42L, connection.ExecuteScalar<long>("SELECT owner_plus(1)"));
            Assert.Equal(41, connection.ExecuteScalar<int>("SELECT v FROM owner_rows()"));
        }
        database.Dispose();
        MeasureMemory();

        Assert.False(owner.IsAlive, "the delegates were not released when the database closed");
    }
}
