namespace OneMap.DuckDb;

/// <summary>
/// A connection's prepared statements kept by their SQL text, so a server that runs the same few statements with
/// different parameters parses, binds and plans each once (a quarter to half a millisecond a statement). DuckDB
/// rebinds a prepared statement by itself when the catalog changed since it was prepared (a view replaced after a
/// commit, from any connection), so a cached statement never reads a stale relation. The least recently used
/// statement is dropped past the capacity. Not thread-safe: like its connection, it belongs to one user at a time.
/// </summary>
public sealed class DuckDbStatementCache : IDisposable
{
    private readonly DuckDbConnection _connection;
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<DuckDbPreparedStatement>> _bySql = new(StringComparer.Ordinal);
    private readonly LinkedList<DuckDbPreparedStatement> _recent = new();
    private bool _disposed;

    public DuckDbStatementCache(DuckDbConnection connection, int capacity = 128)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _connection = connection;
        _capacity = capacity;
    }

    /// <summary>Statements held now.</summary>
    public int Count => _bySql.Count;

    /// <summary>
    /// The prepared statement for <paramref name="sql"/> (one statement), prepared on first use, with no values
    /// bound; <paramref name="parameters"/> are bound by position when the statement takes any.
    /// </summary>
    public DuckDbPreparedStatement Get(string sql, IReadOnlyList<object?>? parameters = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DuckDbPreparedStatement statement;
        if (_bySql.TryGetValue(sql, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            statement = node.Value;
            statement.ClearBindings();
        }
        else
        {
            statement = _connection.Prepare(sql);
            _bySql[sql] = _recent.AddFirst(statement);
            if (_bySql.Count > _capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _bySql.Remove(oldest.Value.Sql);
                oldest.Value.Dispose();
            }
        }
        if (parameters is { Count: > 0 } && statement.ParameterCount > 0)
        {
            statement.BindAll([.. parameters]);
        }
        return statement;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var statement in _recent)
        {
            statement.Dispose();
        }
        _recent.Clear();
        _bySql.Clear();
    }
}
