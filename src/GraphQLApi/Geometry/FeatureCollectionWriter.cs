using System.Buffers;
using System.Text.Json;

namespace OneMap.GraphQLApi.Geometry;

/// <summary>Writes rows as a GeoJSON FeatureCollection (RFC 7946): one feature per row, its other values as properties.</summary>
public static class FeatureCollectionWriter
{
    /// <summary>
    /// The collection as a JSON value. <paramref name="geometry"/> reads a row's WKB (null for no geometry);
    /// <paramref name="properties"/> lists a row's property names and values.
    /// </summary>
    public static JsonElement Write<TRow>(IEnumerable<TRow> rows, Func<TRow, byte[]?> geometry, Func<TRow, IEnumerable<KeyValuePair<string, object?>>> properties,
        string? idProperty = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WritePropertyName("features");
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                var values = properties(row).ToList();
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
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
