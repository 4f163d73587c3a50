using System.Collections.Concurrent;

namespace OneMap.DuckDb;

/// <summary>
/// Hands out connections to one database so that concurrent users each get their own, reusing idle ones.
/// <c>using var lease = pool.Rent(); lease.Connection.Query(…)</c>. Thread-safe. A lease must be disposed by the
/// thread that finished with it; the connection must not be used after that. Readers must be closed before.
/// </summary>
public sealed class DuckDbConnectionPool : IDisposable
{
    private readonly ConcurrentBag<DuckDbConnection> _idle = [];
    private readonly int _maxIdle;
    private int _idleCount;
    private bool _disposed;

    /// <param name="database">The database to connect to (not disposed by the pool).</param>
    /// <param name="maxIdle">Idle connections kept for reuse; more are closed when returned. Default 2 × cores.</param>
    public DuckDbConnectionPool(DuckDbDatabase database, int? maxIdle = null)
    {
        Database = database ?? throw new ArgumentNullException(nameof(database));
        _maxIdle = maxIdle ?? (2 * Environment.ProcessorCount);
        if (_maxIdle < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxIdle), maxIdle, "maxIdle must not be negative");
        }
    }

    public DuckDbDatabase Database { get; }

    /// <summary>Connections waiting for reuse.</summary>
    public int IdleCount => Volatile.Read(ref _idleCount);

    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, connection);
        }
        return new Lease(this, Database.Connect());
    }

    /// <summary>Runs <paramref name="work"/> with a pooled connection.</summary>
    public T Use<T>(Func<DuckDbConnection, T> work)
    {
        using var lease = Rent();
        return work(lease.Connection);
    }

    private void Return(DuckDbConnection connection)
    {
        if (_disposed || connection.IsDisposed)
        {
            connection.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }
        _idle.Add(connection);
        if (_disposed)
        {
            // The pool was disposed while this connection came back: drain again.
            Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }

    /// <summary>A connection on loan; disposing returns it to the pool.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly DuckDbConnectionPool _pool;
        private DuckDbConnection? _connection;

        internal Lease(DuckDbConnectionPool pool, DuckDbConnection connection)
        {
            _pool = pool;
            _connection = connection;
        }

        public DuckDbConnection Connection => _connection ?? throw new ObjectDisposedException(nameof(Lease), "the lease has been returned");

        public void Dispose()
        {
            var connection = Interlocked.Exchange(ref _connection, null);
            if (connection is not null)
            {
                _pool.Return(connection);
            }
        }
    }
}
