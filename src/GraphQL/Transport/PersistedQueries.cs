using System.Security.Cryptography;
using System.Text;

namespace OneMap.GraphQL.Transport;

/// <summary>Where persisted documents are kept, by the lowercase hex SHA-256 of their text.</summary>
public interface IPersistedQueryStore
{
    ValueTask<string?> GetAsync(string sha256Hash, CancellationToken cancellationToken);

    ValueTask SetAsync(string sha256Hash, string query, CancellationToken cancellationToken);
}

/// <summary>A bounded in-memory store that forgets the least recently used document when full.</summary>
public sealed class InMemoryPersistedQueryStore(int capacity) : IPersistedQueryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Hash, string Query)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Hash, string Query)> _recency = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public ValueTask<string?> GetAsync(string sha256Hash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(sha256Hash, out var node))
            {
                return ValueTask.FromResult<string?>(null);
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            return ValueTask.FromResult<string?>(node.Value.Query);
        }
    }

    public ValueTask SetAsync(string sha256Hash, string query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(sha256Hash, out var existing))
            {
                _recency.Remove(existing);
            }
            else if (_entries.Count >= capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Hash);
            }
            _entries[sha256Hash] = _recency.AddFirst((sha256Hash, query));
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The hash persisted queries are keyed by.</summary>
public static class PersistedQueryHash
{
    public static string Of(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
}
