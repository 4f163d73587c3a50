using System.Globalization;
using System.Text;
using System.Text.Json;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// Conversions between caller values, statistics JSON values and the CLR types of Delta primitive types, and a total
/// order on those values (strings in UTF-8 byte order, as Parquet and Delta statistics use).
/// </summary>
internal static class TypedValues
{
    /// <summary>Converts a caller-supplied value to the CLR type used for <paramref name="type"/>.</summary>
    public static object? Coerce(object? value, DeltaType type, string column)
    {
        if (value is null or DBNull)
        {
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        try
        {
            return type switch
            {
                PrimitiveType { Name: "string" } => value as string ?? Convert.ToString(value, inv),
                PrimitiveType { Name: "long" } => Convert.ToInt64(value, inv),
                PrimitiveType { Name: "integer" } => Convert.ToInt32(value, inv),
                PrimitiveType { Name: "short" } => Convert.ToInt16(value, inv),
                PrimitiveType { Name: "byte" } => Convert.ToSByte(value, inv),
                PrimitiveType { Name: "double" } => Convert.ToDouble(value, inv),
                PrimitiveType { Name: "float" } => Convert.ToSingle(value, inv),
                DecimalType => Convert.ToDecimal(value, inv),
                PrimitiveType { Name: "boolean" } => Convert.ToBoolean(value, inv),
                PrimitiveType { Name: "date" } => value switch
                {
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime),
                    string s => DateOnly.Parse(s, inv),
                    _ => throw new InvalidCastException(),
                },
                PrimitiveType { Name: "timestamp" } => value switch
                {
                    DateTimeOffset t => t.UtcDateTime,
                    DateTime { Kind: DateTimeKind.Local } t => t.ToUniversalTime(),
                    DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
                    string s => PartitionValues.ParseTimestamp(s),
                    _ => throw new InvalidCastException(),
                },
                PrimitiveType { Name: "timestamp_ntz" } => value switch
                {
                    DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
                    DateTimeOffset t => t.DateTime,
                    string s => DateTime.Parse(s, inv),
                    _ => throw new InvalidCastException(),
                },
                PrimitiveType { Name: "binary" } => value as byte[] ?? throw new InvalidCastException(),
                _ => throw new InvalidCastException(),
            };
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"value '{value}' ({value.GetType().Name}) cannot be compared with column '{column}' of type {type}", nameof(value), e);
        }
    }

    /// <summary>A statistics value (JSON) as the CLR type of <paramref name="type"/>, or null when it cannot be used.</summary>
    public static object? FromStats(JsonElement element, DeltaType type, bool isMax)
    {
        try
        {
            switch (type)
            {
                case PrimitiveType { Name: "long" or "integer" or "short" or "byte" } when element.ValueKind == JsonValueKind.Number:
                    return Coerce(element.GetInt64(), type, "");
                case PrimitiveType { Name: "double" or "float" } when element.ValueKind == JsonValueKind.Number:
                    return Coerce(element.GetDouble(), type, "");
                case DecimalType when element.ValueKind == JsonValueKind.Number:
                    return element.GetDecimal();
                case PrimitiveType { Name: "string" } when element.ValueKind == JsonValueKind.String:
                    return element.GetString();
                case PrimitiveType { Name: "date" } when element.ValueKind == JsonValueKind.String:
                    return DateOnly.Parse(element.GetString()!, CultureInfo.InvariantCulture);
                case PrimitiveType { Name: "timestamp" } when element.ValueKind == JsonValueKind.String:
                    var instant = PartitionValues.ParseTimestamp(element.GetString()!);
                    // Timestamp statistics are truncated to milliseconds, so a maximum only bounds values below +1 ms.
                    return isMax ? instant.AddMilliseconds(1) : instant;
                case PrimitiveType { Name: "timestamp_ntz" } when element.ValueKind == JsonValueKind.String:
                    var local = DateTime.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                    return isMax ? local.AddMilliseconds(1) : local;
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Compares two non-null values of the same Delta type.</summary>
    public static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => CompareUtf8(x, y),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (IComparable x, _) => x.CompareTo(b),
        _ => throw new InvalidOperationException($"cannot compare {a.GetType().Name} with {b.GetType().Name}"),
    };

    /// <summary>Orders strings by code point, which is the UTF-8 byte order of Parquet statistics.</summary>
    public static int CompareUtf8(string x, string y)
    {
        var ex = x.EnumerateRunes();
        var ey = y.EnumerateRunes();
        while (true)
        {
            var hx = ex.MoveNext();
            var hy = ey.MoveNext();
            if (!hx || !hy)
            {
                return hx == hy ? 0 : hx ? 1 : -1;
            }
            var c = ex.Current.Value.CompareTo(ey.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    /// <summary>The first <paramref name="runes"/> code points of a string (statistics keep string prefixes only).</summary>
    public static string Prefix(string value, int runes)
    {
        var builder = new StringBuilder();
        var count = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count++ == runes)
            {
                break;
            }
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }
}
