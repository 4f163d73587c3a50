using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// A small read-only map whose names are shared by every sibling (each group of an aggregate, its key, its
/// aggregates): one array of values per instance instead of a dictionary's buckets and entries. Tens of thousands of
/// groups go through one request, and the GraphQL engine reads them as it reads any dictionary.
/// </summary>
public sealed class NamedValues(IReadOnlyList<string> names, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => names;

    public IEnumerable<object?> Values => values;

    public int Count => names.Count;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Fills a value while the map is being built (before it is handed out).</summary>
    internal void Set(int index, object? value) => values[index] = value;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < names.Count; i++)
        {
            yield return new(names[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // A handful of names at most: a scan beats hashing, and schema names usually match by reference first.
    private int IndexOf(string key)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
