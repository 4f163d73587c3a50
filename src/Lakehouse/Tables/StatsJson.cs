using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>A leaf column that gets statistics: its physical path in the data file and its Delta type.</summary>
internal sealed record StatsColumn(IReadOnlyList<string> PhysicalPath, DeltaType Type);

/// <summary>
/// Builds the <c>stats</c> JSON of an add action from the per-column statistics DuckDB's Parquet writer returns
/// (<c>COPY … (RETURN_STATS)</c>): numRecords, and per column minValues, maxValues and nullCount, keyed by physical
/// name and nested for struct fields, with values in the protocol's JSON forms.
/// </summary>
internal static class StatsJson
{
    /// <summary>Strings keep this many leading characters in min/max (Delta's default prefix length).</summary>
    public const int StringPrefixLength = 32;

    /// <summary>The leaf columns statistics are collected for: the first <paramref name="maxColumns"/> non-partition leaves.</summary>
    public static List<StatsColumn> IndexedColumns(StructType schema, IReadOnlyList<string> partitionColumns, ColumnMappingMode mode, int maxColumns)
    {
        var result = new List<StatsColumn>();
        foreach (var field in schema.Fields)
        {
            if (partitionColumns.Any(p => string.Equals(p, field.Name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            Collect(field, [], mode, result);
        }
        return maxColumns < 0 ? result : result.Take(maxColumns).ToList();
    }

    private static void Collect(StructField field, List<string> prefix, ColumnMappingMode mode, List<StatsColumn> result)
    {
        var path = new List<string>(prefix) { field.PhysicalName(mode) };
        if (field.Type is StructType nested)
        {
            foreach (var child in nested.Fields)
            {
                Collect(child, path, mode, result);
            }
        }
        else if (field.Type.IsPrimitive)
        {
            result.Add(new StatsColumn(path, field.Type));
        }
    }

    /// <summary>Splits a DuckDB column path such as <c>"bbox"."xmin"</c> into its names.</summary>
    public static IReadOnlyList<string> ParsePath(string quoted)
    {
        var parts = new List<string>();
        var builder = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < quoted.Length; i++)
        {
            var c = quoted[i];
            if (c == '"')
            {
                if (inQuotes && i + 1 < quoted.Length && quoted[i + 1] == '"')
                {
                    builder.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = !inQuotes;
                }
            }
            else if (c == '.' && !inQuotes)
            {
                parts.Add(builder.ToString());
                builder.Clear();
            }
            else
            {
                builder.Append(c);
            }
        }
        parts.Add(builder.ToString());
        return parts;
    }

    public static string Build(long numRecords, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> columnStatistics, IReadOnlyList<StatsColumn> columns)
    {
        var byPath = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var (key, value) in columnStatistics)
        {
            byPath[string.Join('\u0001', ParsePath(key))] = value;
        }
        var min = new JsonTree();
        var max = new JsonTree();
        var nulls = new JsonTree();
        foreach (var column in columns)
        {
            if (!byPath.TryGetValue(string.Join('\u0001', column.PhysicalPath), out var stats))
            {
                continue;
            }
            if (stats.TryGetValue("null_count", out var nullCount) && long.TryParse(nullCount, CultureInfo.InvariantCulture, out var n))
            {
                nulls.Set(column.PhysicalPath, w => w.WriteNumberValue(n));
            }
            var hasNan = stats.TryGetValue("has_nan", out var nan) && nan == "true";
            if (hasNan)
            {
                continue;
            }
            if (stats.TryGetValue("min", out var minText) && Value(minText, column.Type, isMax: false) is { } minWriter)
            {
                min.Set(column.PhysicalPath, minWriter);
            }
            if (stats.TryGetValue("max", out var maxText) && Value(maxText, column.Type, isMax: true) is { } maxWriter)
            {
                max.Set(column.PhysicalPath, maxWriter);
            }
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("numRecords", numRecords);
            writer.WritePropertyName("minValues");
            min.Write(writer);
            writer.WritePropertyName("maxValues");
            max.Write(writer);
            writer.WritePropertyName("nullCount");
            nulls.Write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Action<Utf8JsonWriter>? Value(string? text, DeltaType type, bool isMax)
    {
        if (text is null)
        {
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case PrimitiveType { Name: "long" or "integer" or "short" or "byte" } when long.TryParse(text, inv, out var l):
                return w => w.WriteNumberValue(l);
            case PrimitiveType { Name: "double" or "float" } when double.TryParse(text, NumberStyles.Float, inv, out var d) && double.IsFinite(d):
                return w => w.WriteNumberValue(d);
            case DecimalType when decimal.TryParse(text, NumberStyles.Float, inv, out var m):
                return w => w.WriteNumberValue(m);
            case PrimitiveType { Name: "string" }:
                if (text.EnumerateRunes().Count() > StringPrefixLength)
                {
                    // A truncated prefix is a valid lower bound but not an upper bound.
                    if (isMax)
                    {
                        return null;
                    }
                    text = TypedValues.Prefix(text, StringPrefixLength);
                }
                return w => w.WriteStringValue(text);
            case PrimitiveType { Name: "date" } when DateOnly.TryParse(text, inv, out var date):
                return w => w.WriteStringValue(date.ToString("yyyy-MM-dd", inv));
            case PrimitiveType { Name: "timestamp" } when DateTimeOffset.TryParse(NormalizeOffset(text), inv, DateTimeStyles.AssumeUniversal, out var instant):
                var utc = TruncateToMilliseconds(instant.UtcDateTime);
                return w => w.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv));
            case PrimitiveType { Name: "timestamp_ntz" } when DateTime.TryParse(text, inv, DateTimeStyles.None, out var local):
                var truncated = TruncateToMilliseconds(local);
                return w => w.WriteStringValue(truncated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", inv));
            default:
                return null;
        }
    }

    private static DateTime TruncateToMilliseconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), value.Kind);

    /// <summary>DuckDB prints offsets as <c>+00</c>; .NET wants <c>+00:00</c>.</summary>
    private static string NormalizeOffset(string text)
    {
        var plus = Math.Max(text.LastIndexOf('+'), text.LastIndexOf('-'));
        return plus > 10 && text.Length - plus == 3 ? text + ":00" : text;
    }

    /// <summary>A nested JSON object assembled from leaf paths.</summary>
    private sealed class JsonTree
    {
        private readonly Dictionary<string, object> children = new(StringComparer.Ordinal);
        private readonly List<string> order = [];

        public void Set(IReadOnlyList<string> path, Action<Utf8JsonWriter> value)
        {
            var node = this;
            for (var i = 0; i < path.Count - 1; i++)
            {
                if (!node.children.TryGetValue(path[i], out var child))
                {
                    child = new JsonTree();
                    node.children[path[i]] = child;
                    node.order.Add(path[i]);
                }
                node = (JsonTree)child;
            }
            if (node.children.TryAdd(path[^1], value))
            {
                node.order.Add(path[^1]);
            }
        }

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            foreach (var name in order)
            {
                writer.WritePropertyName(name);
                switch (children[name])
                {
                    case JsonTree tree:
                        tree.Write(writer);
                        break;
                    case Action<Utf8JsonWriter> leaf:
                        leaf(writer);
                        break;
                }
            }
            writer.WriteEndObject();
        }
    }
}
