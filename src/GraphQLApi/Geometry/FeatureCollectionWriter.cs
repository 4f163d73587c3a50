using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

using OneMap.GraphQL.Execution;

namespace OneMap.GraphQLApi.Geometry;

/// <summary>Writes rows as a GeoJSON FeatureCollection (RFC 7946): one feature per row, its other values as properties.</summary>
public static class FeatureCollectionWriter
{
    /// <summary>
    /// The collection as a JSON value. <paramref name="geometry"/> reads a row's WKB (null for no geometry);
    /// <paramref name="properties"/> lists a row's property names and values.
    /// </summary>
    public static JsonNode Write<TRow>(IEnumerable<TRow> rows, Func<TRow, byte[]?> geometry, Func<TRow, IEnumerable<KeyValuePair<string, object?>>> properties,
        string? idProperty = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        // The response writer's options: Chinese text stays as it is rather than \u-escaped (a third of the time and size).
        using (var writer = new Utf8JsonWriter(buffer, ResultJsonWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WritePropertyName("features");
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                var values = properties(row);
                if (idProperty is not null && values.FirstOrDefault(p => p.Key == idProperty).Value is { } id)
                {
                    writer.WritePropertyName("id");
                    JsonValueWriter.Write(writer, id);
                }
                writer.WritePropertyName("geometry");
                GeoJsonValues.WriteWkb(writer, geometry(row));
                writer.WritePropertyName("properties");
                writer.WriteStartObject();
                foreach (var (name, value) in values)
                {
                    writer.WritePropertyName(name);
                    JsonValueWriter.Write(writer, value);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        // Handed to the response writer as it was written: no parse into a document and no second pass over it.
        return JsonValue.Create(new RawJson(buffer.WrittenMemory), RawJson.TypeInfo)!; // null only for a null value
    }

    /// <summary>JSON text already written (by OneMap, so known to be valid), written out as it is.</summary>
    private sealed record RawJson(ReadOnlyMemory<byte> Utf8)
    {
        public static readonly JsonTypeInfo<RawJson> TypeInfo = JsonMetadataServices.CreateValueInfo<RawJson>(new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }, new Converter());

        private sealed class Converter : JsonConverter<RawJson>
        {
            public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("raw JSON is only written");

            public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
                writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
        }
    }
}
