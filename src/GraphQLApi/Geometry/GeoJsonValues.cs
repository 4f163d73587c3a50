using System.Buffers;
using System.Text.Json;

using NetTopologySuite.Geometries;

using OneMap.Models;
using OneMap.Models.Spatial;

using NtsGeometry = NetTopologySuite.Geometries.Geometry;

namespace OneMap.GraphQLApi.Geometry;

/// <summary>GeoJSON in and out of the API: WKB from the lake to GeoJSON objects, request GeoJSON to checked geometries.</summary>
public static class GeoJsonValues
{
    /// <summary>Coordinates are written with at most this many decimals (about 0.1 mm).</summary>
    public const int Decimals = 9;

    /// <summary>A stored geometry (WKB) as a GeoJSON geometry object.</summary>
    public static JsonElement FromWkb(byte[] wkb) => ToElement(Geo.FromWkb(wkb));

    public static JsonElement ToElement(NtsGeometry geometry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            GeoJson.WriteGeometry(writer, geometry, Decimals);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Writes a stored geometry (WKB) as GeoJSON, or null.</summary>
    public static void WriteWkb(Utf8JsonWriter writer, byte[]? wkb)
    {
        if (wkb is null)
        {
            writer.WriteNullValue();
            return;
        }
        GeoJson.WriteGeometry(writer, Geo.FromWkb(wkb), Decimals);
    }

    /// <summary>
    /// A geometry given in a request, as GeoJSON text or as a decoded JSON object: parsed, checked to be valid WGS84
    /// lon/lat, and returned. Throws <see cref="GeometryInputException"/> naming the problem.
    /// </summary>
    public static NtsGeometry Parse(object value)
    {
        string json;
        try
        {
            json = value switch
            {
                string text => text,
                JsonElement element => element.GetRawText(),
                _ => JsonSerializer.Serialize(value),
            };
        }
        catch (NotSupportedException e)
        {
            throw new GeometryInputException("is not a GeoJSON geometry object", e);
        }
        NtsGeometry geometry;
        try
        {
            geometry = GeoJson.Parse(json);
        }
        catch (GeometryFormatException e)
        {
            throw new GeometryInputException(e.Message, e);
        }
        foreach (var coordinate in geometry.Coordinates)
        {
            if (!Geo.IsValidLonLat(coordinate.X, coordinate.Y))
            {
                throw new GeometryInputException(FormattableString.Invariant($"has a position ({coordinate.X}, {coordinate.Y}) outside longitude [-180, 180] and latitude [-90, 90]"));
            }
        }
        if (geometry.IsEmpty)
        {
            throw new GeometryInputException("is empty");
        }
        if (geometry is IPolygonal && !geometry.IsValid)
        {
            throw new GeometryInputException("is not a valid polygon (rings must close and must not cross themselves)");
        }
        return geometry;
    }
}

/// <summary>A GeoJSON value from a request that is not a usable geometry.</summary>
public sealed class GeometryInputException(string problem, Exception? inner = null) : Exception("GeoJSON geometry " + problem, inner);
