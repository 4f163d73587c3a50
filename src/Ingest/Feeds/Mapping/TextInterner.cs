using System.Collections.Concurrent;

namespace OneMap.Ingest.Feeds.Mapping;

/// <summary>
/// Shares one string among the equal values of a low-cardinality text column (networks, districts, road names), so a
/// million rows do not allocate a million copies of six words. A column with more distinct values than it keeps is
/// given up on (ids are unique: looking them up would only cost). Thread-safe: records are mapped on several threads.
/// </summary>
internal sealed class TextInterner
{
    private readonly ConcurrentDictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private readonly int capacity;
    private int added;
    private volatile bool gaveUp;

    public TextInterner(int capacity = 1024)
    {
        this.capacity = capacity;
        lookup = values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The shared string equal to <paramref name="text"/>, or a new one.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (gaveUp)
        {
            return text.ToString();
        }
        if (lookup.TryGetValue(text, out var shared))
        {
            return shared;
        }
        var value = text.ToString();
        if (Interlocked.Increment(ref added) > capacity)
        {
            gaveUp = true;
            return value;
        }
        return values.GetOrAdd(value, value);
    }
}
