using System.Text;
using System.Text.Json;

namespace OneMap.Lakehouse.Delta;

/// <summary>Reads and writes the <c>schemaString</c> of a metaData action (Spark's JSON schema representation).</summary>
public static class SchemaJson
{
    public static StructType Parse(string schemaString)
    {
        using var document = JsonDocument.Parse(schemaString);
        return ParseType(document.RootElement) as StructType
            ?? throw new FormatException("the table schema is not a struct type");
    }

    public static string Serialize(StructType schema)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteType(writer, schema);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static DeltaType ParseType(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return DeltaType.ParsePrimitive(element.GetString()!);
        }
        var kind = element.GetProperty("type").GetString();
        switch (kind)
        {
            case "struct":
                var fields = new List<StructField>();
                foreach (var field in element.GetProperty("fields").EnumerateArray())
                {
                    var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    if (field.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in meta.EnumerateObject())
                        {
                            metadata[property.Name] = property.Value.Clone();
                        }
                    }
                    fields.Add(new StructField(
                        field.GetProperty("name").GetString()!,
                        ParseType(field.GetProperty("type")),
                        !field.TryGetProperty("nullable", out var nullable) || nullable.GetBoolean(),
                        metadata));
                }
                return new StructType(fields);
            case "array":
                return new ArrayType(
                    ParseType(element.GetProperty("elementType")),
                    !element.TryGetProperty("containsNull", out var containsNull) || containsNull.GetBoolean());
            case "map":
                return new MapType(
                    ParseType(element.GetProperty("keyType")),
                    ParseType(element.GetProperty("valueType")),
                    !element.TryGetProperty("valueContainsNull", out var valueContainsNull) || valueContainsNull.GetBoolean());
            default:
                throw new FormatException($"unknown Delta type '{kind}'");
        }
    }

    private static void WriteType(Utf8JsonWriter writer, DeltaType type)
    {
        switch (type)
        {
            case PrimitiveType or DecimalType:
                writer.WriteStringValue(type.ToString());
                break;
            case StructType structType:
                writer.WriteStartObject();
                writer.WriteString("type", "struct");
                writer.WriteStartArray("fields");
                foreach (var field in structType.Fields)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", field.Name);
                    writer.WritePropertyName("type");
                    WriteType(writer, field.Type);
                    writer.WriteBoolean("nullable", field.Nullable);
                    writer.WriteStartObject("metadata");
                    foreach (var (key, value) in field.Metadata)
                    {
                        writer.WritePropertyName(key);
                        value.WriteTo(writer);
                    }
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case ArrayType arrayType:
                writer.WriteStartObject();
                writer.WriteString("type", "array");
                writer.WritePropertyName("elementType");
                WriteType(writer, arrayType.ElementType);
                writer.WriteBoolean("containsNull", arrayType.ContainsNull);
                writer.WriteEndObject();
                break;
            case MapType mapType:
                writer.WriteStartObject();
                writer.WriteString("type", "map");
                writer.WritePropertyName("keyType");
                WriteType(writer, mapType.KeyType);
                writer.WritePropertyName("valueType");
                WriteType(writer, mapType.ValueType);
                writer.WriteBoolean("valueContainsNull", mapType.ValueContainsNull);
                writer.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"cannot serialize Delta type {type}");
        }
    }
}
