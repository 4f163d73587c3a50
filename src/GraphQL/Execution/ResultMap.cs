using System.Collections;
using System.Text.Json;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// One object of a response: the values of its collected fields in selection order (§6.3 ordered map). Values are
/// results already: null, strings, numbers, booleans, nested maps and lists (object arrays).
/// </summary>
public sealed class ResultMap : IReadOnlyDictionary<string, object?>
{
    private readonly CollectedField[] _fields;
    private readonly object?[] _values;

    internal ResultMap(CollectedField[] fields, object?[] values)
    {
        _fields = fields;
        _values = values;
    }

    internal object?[] Values => _values;

    public int Count => _fields.Length;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>The response key at a position.</summary>
    public string KeyAt(int index) => _fields[index].ResponseKey;

    public object? ValueAt(int index) => _values[index];

    internal JsonEncodedText EncodedKeyAt(int index) => _fields[index].EncodedResponseKey;

    public IEnumerable<string> Keys => _fields.Select(f => f.ResponseKey);

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => _values;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(_fields[i].ResponseKey, _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (_fields[i].ResponseKey == key)
            {
                return i;
            }
        }
        return -1;
    }
}
