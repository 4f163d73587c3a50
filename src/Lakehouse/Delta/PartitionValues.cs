using System.Globalization;
using System.Text;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// Partition value serialization of the Delta protocol (values are strings in the log; an empty string or null is a
/// null partition) and the Hive-style directory names data files are stored under.
/// </summary>
public static class PartitionValues
{
    /// <summary>The directory value Spark and Hive use for a null partition value.</summary>
    public const string HiveNull = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>Serializes a CLR value of a partition column of type <paramref name="type"/> for the log.</summary>
    public static string? Serialize(object? value, DeltaType type)
    {
        switch (value)
        {
            case null:
            case DBNull:
                return null;
            case string s:
                return s.Length == 0 ? null : s;
            case bool b:
                return b ? "true" : "false";
            case DateOnly d:
                return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DateTime t when type == DeltaType.Date:
                return DateOnly.FromDateTime(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DateTime t when type == DeltaType.TimestampNtz:
                return t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            case DateTime t:
                return ToUtc(t).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            case DateTimeOffset t:
                return t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            case byte[] bytes:
                return bytes.Length == 0 ? null : new string(bytes.Select(x => (char)x).ToArray());
            case double d:
                return d.ToString("R", CultureInfo.InvariantCulture);
            case float f:
                return f.ToString("R", CultureInfo.InvariantCulture);
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString();
        }
    }

    /// <summary>Parses a serialized partition value into the CLR value of <paramref name="type"/> (null for a null partition).</summary>
    public static object? Parse(string? value, DeltaType type)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        return type switch
        {
            PrimitiveType { Name: "string" } => value,
            PrimitiveType { Name: "long" } => long.Parse(value, inv),
            PrimitiveType { Name: "integer" } => int.Parse(value, inv),
            PrimitiveType { Name: "short" } => short.Parse(value, inv),
            PrimitiveType { Name: "byte" } => sbyte.Parse(value, inv),
            PrimitiveType { Name: "double" } => double.Parse(value, NumberStyles.Float, inv),
            PrimitiveType { Name: "float" } => float.Parse(value, NumberStyles.Float, inv),
            DecimalType => decimal.Parse(value, NumberStyles.Float, inv),
            PrimitiveType { Name: "boolean" } => bool.Parse(value),
            PrimitiveType { Name: "date" } => DateOnly.ParseExact(value, ["yyyy-MM-dd", "yyyy-M-d"], inv),
            PrimitiveType { Name: "timestamp" } => ParseTimestamp(value),
            PrimitiveType { Name: "timestamp_ntz" } => DateTime.SpecifyKind(ParseTimestamp(value), DateTimeKind.Unspecified),
            PrimitiveType { Name: "binary" } => value.Select(c => (byte)c).ToArray(),
            _ => throw new FormatException($"partition columns of type {type} are not supported"),
        };
    }

    /// <summary>
    /// A timestamp partition value: ISO-8601 in UTC (<c>1970-01-01T00:00:00.123456Z</c>) or the older
    /// <c>1970-01-01 00:00:00[.ffffff]</c> form, which OneMap reads as UTC.
    /// </summary>
    public static DateTime ParseTimestamp(string value)
    {
        var styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, styles, out var parsed))
        {
            return DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        }
        throw new FormatException($"'{value}' is not a Delta timestamp partition value");
    }

    /// <summary>The Hive-style relative directory for these partition values, e.g. <c>day=2024-05-01/station=S%2F1</c>.</summary>
    public static string Directory(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values)
    {
        var builder = new StringBuilder();
        foreach (var column in partitionColumns)
        {
            values.TryGetValue(column, out var value);
            builder.Append(EscapePathName(column)).Append('=').Append(value is null ? HiveNull : EscapePathName(value)).Append('/');
        }
        return builder.ToString();
    }

    /// <summary>Spark's escaping of partition directory names: characters unsafe in paths become %XX.</summary>
    public static string EscapePathName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static DateTime ToUtc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}

/// <summary>Paths in add/remove actions: relative, URI-encoded (RFC 2396), or absolute URIs.</summary>
public static class DeltaPath
{
    /// <summary>Encodes a relative file system path ('/'-separated) for an action's <c>path</c> field.</summary>
    public static string Encode(string relativePath)
    {
        var builder = new StringBuilder(relativePath.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in relativePath.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "-._~/=+,:@!$&'()*;".Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>The file system location of an action path, resolved against the table root.</summary>
    public static string Resolve(string tableRoot, string actionPath)
    {
        if (actionPath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(actionPath).LocalPath;
        }
        if (actionPath.Contains("://", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"data file '{actionPath}' is not on the local file system");
        }
        var decoded = Uri.UnescapeDataString(actionPath);
        return decoded.StartsWith('/') ? decoded : Path.Combine(tableRoot, decoded);
    }
}
