using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneMap.GraphQL.Execution;

/// <summary>Writes responses and result values as JSON (§7 serialization format).</summary>
public static class ResultJsonWriter
{
    /// <summary>Writer settings for responses: compact, non-ASCII text kept as is.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static void WriteResult(Utf8JsonWriter writer, ExecutionResult result)
    {
        writer.WriteStartObject();
        if (result.Errors is not null)
        {
            writer.WritePropertyName("errors");
            WriteErrors(writer, result.Errors);
        }
        if (result.HasData)
        {
            writer.WritePropertyName("data");
            WriteValue(writer, result.Data);
        }
        if (result.Extensions is { Count: > 0 })
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, result.Extensions);
        }
        writer.WriteEndObject();
    }

    public static void WriteErrors(Utf8JsonWriter writer, IReadOnlyList<GraphQLError> errors)
    {
        writer.WriteStartArray();
        foreach (var error in errors)
        {
            WriteError(writer, error);
        }
        writer.WriteEndArray();
    }

    public static void WriteError(Utf8JsonWriter writer, GraphQLError error)
    {
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        if (error.Locations is not null)
        {
            writer.WriteStartArray("locations");
            foreach (var location in error.Locations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", location.Line);
                writer.WriteNumber("column", location.Column);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (error.Path is not null)
        {
            writer.WriteStartArray("path");
            foreach (var segment in error.Path)
            {
                if (segment is int index)
                {
                    writer.WriteNumberValue(index);
                }
                else
                {
                    writer.WriteStringValue(segment.ToString());
                }
            }
            writer.WriteEndArray();
        }
        if (error.Extensions is { Count: > 0 })
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, error.Extensions);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes a result value: maps, lists, strings, numbers, booleans, null, JSON elements and nodes.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case ResultMap map:
                writer.WriteStartObject();
                var values = map.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    writer.WritePropertyName(map.EncodedKeyAt(i));
                    WriteValue(writer, values[i]);
                }
                writer.WriteEndObject();
                return;
            case SerializedValue serialized:
                writer.WriteRawValue(serialized.Utf8Json.Span, skipInputValidation: true);
                return;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case double d:
                WriteDouble(writer, d);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case float f:
                WriteDouble(writer, f);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
            case JsonNode node:
                node.WriteTo(writer);
                return;
            case IReadOnlyDictionary<string, object?> dictionary:
                writer.WriteStartObject();
                foreach (var (key, item) in dictionary)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                return;
            case IDictionary legacy:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in legacy)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteValue(writer, entry.Value);
                }
                writer.WriteEndObject();
                return;
            case IEnumerable enumerable:
                writer.WriteStartArray();
                foreach (var item in enumerable)
                {
                    WriteValue(writer, item);
                }
                writer.WriteEndArray();
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                return;
            case DateTime dt:
                writer.WriteStringValue(dt);
                return;
            case Guid g:
                writer.WriteStringValue(g);
                return;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            // Whole numbers print without a fraction, as JavaScript clients print them.
            if (Math.Floor(value) == value && Math.Abs(value) < 9007199254740992d)
            {
                writer.WriteNumberValue((long)value);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
