using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;

namespace OneMap.Models.Spatial;

/// <summary>
/// Lets System.Text.Json serialize <see cref="Geometry"/> properties (and properties of its subtypes such as
/// <see cref="Point"/>) as GeoJSON geometry objects: add it to <see cref="JsonSerializerOptions.Converters"/>.
/// </summary>
public sealed class GeoJsonGeometryConverter(int? decimals = null) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeof(Geometry).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), decimals)!;

    private sealed class Converter<T>(int? decimals) : JsonConverter<T>
        where T : Geometry
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }
            using var document = JsonDocument.ParseValue(ref reader);
            var geometry = GeoJson.ReadGeometry(document.RootElement);
            return geometry as T ?? throw new GeometryFormatException($"expected a {typeof(T).Name}, got a {geometry.GeometryType}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            GeoJson.WriteGeometry(writer, value, decimals);
    }
}
