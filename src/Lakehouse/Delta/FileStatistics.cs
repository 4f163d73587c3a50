using System.Text.Json;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// The per-file statistics of an add action: row count and, per column (by physical name, nested for structs), the
/// minimum, maximum and null count. Used to skip files a predicate cannot match.
/// </summary>
public sealed class FileStatistics
{
    public static readonly FileStatistics Empty = new(null, true, null, null, null);

    private readonly JsonElement? minValues;
    private readonly JsonElement? maxValues;
    private readonly JsonElement? nullCounts;

    private FileStatistics(long? numRecords, bool tightBounds, JsonElement? minValues, JsonElement? maxValues, JsonElement? nullCounts)
    {
        NumRecords = numRecords;
        TightBounds = tightBounds;
        this.minValues = minValues;
        this.maxValues = maxValues;
        this.nullCounts = nullCounts;
    }

    /// <summary>Rows in the data file, when the writer recorded it.</summary>
    public long? NumRecords { get; }

    /// <summary>False when min/max are only bounds (files with deletion vectors); pruning is valid either way.</summary>
    public bool TightBounds { get; }

    public static FileStatistics Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }
            long? numRecords = root.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
            var tight = !root.TryGetProperty("tightBounds", out var t) || t.ValueKind != JsonValueKind.False;
            return new FileStatistics(numRecords, tight, Object(root, "minValues"), Object(root, "maxValues"), Object(root, "nullCount"));
        }
        catch (JsonException)
        {
            // Statistics are an optimisation: a file with unreadable stats is simply never skipped.
            return Empty;
        }
    }

    /// <summary>The minimum of the column at <paramref name="path"/> (physical names), or null when not recorded.</summary>
    public JsonElement? Min(IReadOnlyList<string> path) => Lookup(minValues, path);

    public JsonElement? Max(IReadOnlyList<string> path) => Lookup(maxValues, path);

    public long? NullCount(IReadOnlyList<string> path) =>
        Lookup(nullCounts, path) is { ValueKind: JsonValueKind.Number } count ? count.GetInt64() : null;

    private static JsonElement? Object(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.Clone() : null;

    private static JsonElement? Lookup(JsonElement? root, IReadOnlyList<string> path)
    {
        if (root is not { } current)
        {
            return null;
        }
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }
}
