namespace OneMap.DuckDb.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void many_threads_each_with_a_connection_query_and_write_at_once()
    {
        using var database = DuckDbDatabase.Open();
        using (var setup = database.Connect())
        {
            setup.Execute("CREATE TABLE readings(worker INTEGER, n INTEGER)");
        }
        const int workers = 16;
        const int rowsEach = 200;

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var connection = database.Connect();
            using var insert = connection.Prepare("INSERT INTO readings VALUES ($1, $2)");
            for (var n = 0; n < rowsEach; n++)
            {
                insert.Bind(1, worker).Bind(2, n).ExecuteNonQuery();
                Assert.Equal(n + 1L, connection.ExecuteScalar<long>("SELECT count(*) FROM readings WHERE worker = $1", worker));
            }
        });

        using var check = database.Connect();
        Assert.Equal((long)workers * rowsEach, check.ExecuteScalar<long>("SELECT count(*) FROM readings"));
        Assert.Equal(workers, check.ExecuteScalar<long>("SELECT count(DISTINCT worker) FROM readings"));
    }

    [Fact]
    public void a_pool_hands_each_concurrent_user_its_own_connection_and_reuses_them()
    {
        using var database = DuckDbDatabase.Open();
        using var pool = new DuckDbConnectionPool(database, maxIdle: 4);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<DuckDbConnection, byte>();

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var lease = pool.Rent();
            seen.TryAdd(lease.Connection, 0);
            Assert.Equal(i * 2L, lease.Connection.ExecuteScalar<long>("SELECT $1 * 2", (long)i));
        });

        Assert.InRange(pool.IdleCount, 1, 4);
        Assert.True(seen.Count < 200, "connections were reused");
        Assert.Equal(3L, pool.Use(c => c.ExecuteScalar<long>("SELECT 3")));
    }
}
