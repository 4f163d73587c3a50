using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace OneMap.Models.Spatial;

/// <summary>
/// GeoJSON (RFC 7946) geometry reading and writing over System.Text.Json (NetTopologySuite.IO.GeoJSON does not
/// restore here). Geometries are read with SRID 4326 as the RFC requires; files in other coordinate systems name
/// them in the legacy <c>crs</c> member, which <see cref="ReadCrsName"/> returns so the caller can convert.
/// </summary>
public static class GeoJson
{
    /// <summary>Writes a geometry as a GeoJSON geometry object; coordinates rounded to <paramref name="decimals"/> when given.</summary>
    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int? decimals = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(geometry);
        writer.WriteStartObject();
        switch (geometry)
        {
            case Point point:
                writer.WriteString("type", "Point");
                writer.WritePropertyName("coordinates");
                WritePosition(writer, point.Coordinate, decimals);
                break;
            case LineString line:
                writer.WriteString("type", "LineString");
                writer.WritePropertyName("coordinates");
                WritePositions(writer, line.Coordinates, decimals);
                break;
            case Polygon polygon:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygonRings(writer, polygon, decimals);
                break;
            case MultiPoint multiPoint:
                writer.WriteString("type", "MultiPoint");
                writer.WritePropertyName("coordinates");
                WritePositions(writer, multiPoint.Coordinates, decimals);
                break;
            case MultiLineString multiLine:
                writer.WriteString("type", "MultiLineString");
                writer.WritePropertyName("coordinates");
                writer.WriteStartArray();
                foreach (var part in multiLine.Geometries)
                {
                    WritePositions(writer, part.Coordinates, decimals);
                }
                writer.WriteEndArray();
                break;
            case MultiPolygon multiPolygon:
                writer.WriteString("type", "MultiPolygon");
                writer.WritePropertyName("coordinates");
                writer.WriteStartArray();
                foreach (var part in multiPolygon.Geometries)
                {
                    WritePolygonRings(writer, (Polygon)part, decimals);
                }
                writer.WriteEndArray();
                break;
            case GeometryCollection collection:
                writer.WriteString("type", "GeometryCollection");
                writer.WritePropertyName("geometries");
                writer.WriteStartArray();
                foreach (var part in collection.Geometries)
                {
                    WriteGeometry(writer, part, decimals);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new GeometryFormatException($"cannot write {geometry.GeometryType} as GeoJSON");
        }
        writer.WriteEndObject();
    }

    /// <summary>The GeoJSON text of a geometry.</summary>
    public static string ToJson(Geometry geometry, int? decimals = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteGeometry(writer, geometry, decimals);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a GeoJSON geometry from its text.</summary>
    public static Geometry Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadGeometry(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new GeometryFormatException($"invalid GeoJSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a GeoJSON geometry object. Coordinates are taken as they are (lon/lat unless the file's <c>crs</c> says
    /// otherwise); the result has SRID 4326, so convert projected inputs before relying on it.
    /// </summary>
    public static Geometry ReadGeometry(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new GeometryFormatException($"a GeoJSON geometry must be an object, not {element.ValueKind}");
        }
        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new GeometryFormatException("GeoJSON geometry has no \"type\"");
        }
        var type = typeElement.GetString()!;
        var factory = Geo.Factory;
        if (type == "GeometryCollection")
        {
            if (!element.TryGetProperty("geometries", out var parts) || parts.ValueKind != JsonValueKind.Array)
            {
                throw new GeometryFormatException("GeometryCollection has no \"geometries\" array");
            }
            return factory.CreateGeometryCollection(parts.EnumerateArray().Select(ReadGeometry).ToArray());
        }
        if (!element.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array)
        {
            throw new GeometryFormatException($"{type} has no \"coordinates\" array");
        }
        return type switch
        {
            "Point" => c.GetArrayLength() == 0 ? factory.CreatePoint() : factory.CreatePoint(ReadPosition(c)),
            "LineString" => factory.CreateLineString(ReadPositions(c)),
            "Polygon" => ReadPolygon(c),
            "MultiPoint" => factory.CreateMultiPointFromCoords(ReadPositions(c)),
            "MultiLineString" => factory.CreateMultiLineString(
                c.EnumerateArray().Select(p => factory.CreateLineString(ReadPositions(p))).ToArray()),
            "MultiPolygon" => factory.CreateMultiPolygon(c.EnumerateArray().Select(ReadPolygon).ToArray()),
            _ => throw new GeometryFormatException($"unknown GeoJSON geometry type \"{type}\""),
        };
    }

    /// <summary>
    /// The coordinate-system name in a legacy GeoJSON <c>crs</c> member (<c>{"type":"name","properties":{"name":…}}</c>),
    /// or null when the object has none (RFC 7946: then it is WGS84 lon/lat).
    /// </summary>
    public static string? ReadCrsName(JsonElement featureCollection)
    {
        if (featureCollection.ValueKind == JsonValueKind.Object &&
            featureCollection.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object &&
            crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object &&
            properties.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return name.GetString();
        }
        return null;
    }

    /// <summary>Writes a number the way GeoJSON files carry coordinates: invariant, shortest round-trip or rounded.</summary>
    public static void WriteCoordinateValue(Utf8JsonWriter writer, double value, int? decimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (decimals is { } d)
        {
            writer.WriteRawValue(Math.Round(value, d, MidpointRounding.AwayFromZero).ToString("0.#########", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static void WritePosition(Utf8JsonWriter writer, Coordinate coordinate, int? decimals)
    {
        writer.WriteStartArray();
        WriteCoordinateValue(writer, coordinate.X, decimals);
        WriteCoordinateValue(writer, coordinate.Y, decimals);
        writer.WriteEndArray();
    }

    private static void WritePositions(Utf8JsonWriter writer, Coordinate[] coordinates, int? decimals)
    {
        writer.WriteStartArray();
        foreach (var coordinate in coordinates)
        {
            WritePosition(writer, coordinate, decimals);
        }
        writer.WriteEndArray();
    }

    // RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise.
    private static void WritePolygonRings(Utf8JsonWriter writer, Polygon polygon, int? decimals)
    {
        writer.WriteStartArray();
        if (!polygon.IsEmpty)
        {
            var shell = polygon.ExteriorRing.Coordinates;
            WritePositions(writer, NetTopologySuite.Algorithm.Orientation.IsCCW(shell) ? shell : shell.Reverse().ToArray(), decimals);
            foreach (var hole in polygon.InteriorRings)
            {
                var ring = hole.Coordinates;
                WritePositions(writer, NetTopologySuite.Algorithm.Orientation.IsCCW(ring) ? ring.Reverse().ToArray() : ring, decimals);
            }
        }
        writer.WriteEndArray();
    }

    private static Coordinate ReadPosition(JsonElement position)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
        {
            throw new GeometryFormatException($"a GeoJSON position needs at least two numbers, got {position.GetRawText()}");
        }
        var x = position[0];
        var y = position[1];
        if (x.ValueKind != JsonValueKind.Number || y.ValueKind != JsonValueKind.Number)
        {
            throw new GeometryFormatException($"a GeoJSON position holds numbers, got {position.GetRawText()}");
        }
        return new Coordinate(x.GetDouble(), y.GetDouble());
    }

    private static Coordinate[] ReadPositions(JsonElement positions)
    {
        if (positions.ValueKind != JsonValueKind.Array)
        {
            throw new GeometryFormatException($"expected an array of positions, got {positions.ValueKind}");
        }
        return positions.EnumerateArray().Select(ReadPosition).ToArray();
    }

    private static Polygon ReadPolygon(JsonElement rings)
    {
        if (rings.ValueKind != JsonValueKind.Array)
        {
            throw new GeometryFormatException($"expected an array of rings, got {rings.ValueKind}");
        }
        var linearRings = new List<LinearRing>();
        foreach (var ring in rings.EnumerateArray())
        {
            var coordinates = ReadPositions(ring);
            if (coordinates.Length < 4 || !coordinates[0].Equals2D(coordinates[^1]))
            {
                throw new GeometryFormatException("a GeoJSON polygon ring needs at least four positions and must be closed");
            }
            linearRings.Add(Geo.Factory.CreateLinearRing(coordinates));
        }
        return linearRings.Count == 0
            ? Geo.Factory.CreatePolygon()
            : Geo.Factory.CreatePolygon(linearRings[0], linearRings.Skip(1).ToArray());
    }
}
