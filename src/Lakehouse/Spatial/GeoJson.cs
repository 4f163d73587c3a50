using System.Globalization;
using System.Text;
using System.Text.Json;

using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// GeoJSON geometry objects (RFC 7946) in and out, with PostGIS's ST_AsGeoJSON / ST_GeomFromGeoJSON behaviour: at most
/// 9 decimal digits by default, no CRS member for EPSG:4326, empty geometries as empty coordinate arrays.
/// </summary>
public static class GeoJson
{
    /// <summary>PostGIS's default number of decimal digits in ST_AsGeoJSON.</summary>
    public const int DefaultMaxDecimalDigits = 9;

    /// <summary>Reads one GeoJSON geometry object (Point … GeometryCollection); Feature objects are refused as PostGIS does.</summary>
    public static Geometry Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadGeometry(document.RootElement, "$");
        }
        catch (JsonException e)
        {
            throw new InvalidGeometryException("GeoJSON", $"not JSON: {e.Message}", e);
        }
    }

    private static Geometry ReadGeometry(JsonElement element, string path)
    {
        var factory = GeometryCodec.Factory;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"expected a geometry object, found {element.ValueKind}");
        }
        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, "has no \"type\" string");
        }
        var type = typeElement.GetString()!;
        if (type == "GeometryCollection")
        {
            if (!element.TryGetProperty("geometries", out var members) || members.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(path, "GeometryCollection has no \"geometries\" array");
            }
            var geometries = members.EnumerateArray().Select((m, i) => ReadGeometry(m, $"{path}.geometries[{i}]")).ToArray();
            return factory.CreateGeometryCollection(geometries);
        }
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            throw type is "Feature" or "FeatureCollection"
                ? Invalid(path, $"\"{type}\" is not a geometry object (pass its \"geometry\" member)")
                : Invalid(path, $"{type} has no \"coordinates\" array");
        }
        var at = $"{path}.coordinates";
        return type switch
        {
            "Point" => coordinates.GetArrayLength() == 0 ? factory.CreatePoint() : factory.CreatePoint(Position(coordinates, at)),
            "LineString" => factory.CreateLineString(Positions(coordinates, at)),
            "Polygon" => PolygonFrom(coordinates, at),
            "MultiPoint" => factory.CreateMultiPoint(coordinates.EnumerateArray()
                .Select((p, i) => factory.CreatePoint(Position(p, $"{at}[{i}]"))).ToArray()),
            "MultiLineString" => factory.CreateMultiLineString(coordinates.EnumerateArray()
                .Select((l, i) => factory.CreateLineString(Positions(l, $"{at}[{i}]"))).ToArray()),
            "MultiPolygon" => factory.CreateMultiPolygon(coordinates.EnumerateArray()
                .Select((p, i) => PolygonFrom(p, $"{at}[{i}]")).ToArray()),
            _ => throw Invalid(path, $"unknown geometry type \"{type}\""),
        };
    }

    private static Polygon PolygonFrom(JsonElement rings, string path)
    {
        var factory = GeometryCodec.Factory;
        if (rings.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "expected an array of rings");
        }
        if (rings.GetArrayLength() == 0)
        {
            return factory.CreatePolygon();
        }
        var linearRings = rings.EnumerateArray().Select((r, i) =>
        {
            var positions = Positions(r, $"{path}[{i}]");
            try
            {
                return factory.CreateLinearRing(positions);
            }
            catch (ArgumentException e)
            {
                throw Invalid($"{path}[{i}]", $"not a closed ring of at least 4 positions ({e.Message})");
            }
        }).ToArray();
        return factory.CreatePolygon(linearRings[0], linearRings[1..]);
    }

    private static Coordinate[] Positions(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "expected an array of positions");
        }
        return array.EnumerateArray().Select((p, i) => Position(p, $"{path}[{i}]")).ToArray();
    }

    private static Coordinate Position(JsonElement position, string path)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
        {
            throw Invalid(path, "a position needs at least two numbers");
        }
        var x = position[0];
        var y = position[1];
        if (x.ValueKind != JsonValueKind.Number || y.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(path, "position members must be numbers");
        }
        if (position.GetArrayLength() > 2 && position[2].ValueKind == JsonValueKind.Number)
        {
            return new CoordinateZ(x.GetDouble(), y.GetDouble(), position[2].GetDouble());
        }
        return new Coordinate(x.GetDouble(), y.GetDouble());
    }

    private static InvalidGeometryException Invalid(string path, string message) => new("GeoJSON", $"{path}: {message}");

    /// <summary>Writes a geometry as a GeoJSON geometry object, numbers rounded to <paramref name="maxDecimalDigits"/>.</summary>
    public static string Write(Geometry geometry, int maxDecimalDigits = DefaultMaxDecimalDigits)
    {
        if (maxDecimalDigits is < 0 or > 15)
        {
            throw new SpatialArgumentException("ST_AsGeoJSON", "maxdecimaldigits", $"must be within [0, 15], was {maxDecimalDigits}");
        }
        var json = new StringBuilder();
        WriteGeometry(json, geometry, maxDecimalDigits);
        return json.ToString();
    }

    private static void WriteGeometry(StringBuilder json, Geometry geometry, int digits)
    {
        json.Append("{\"type\":\"").Append(geometry.GeometryType).Append('"');
        if (geometry is GeometryCollection collection and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            json.Append(",\"geometries\":[");
            for (var i = 0; i < collection.NumGeometries; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }
                WriteGeometry(json, collection.GetGeometryN(i), digits);
            }
            json.Append("]}");
            return;
        }
        json.Append(",\"coordinates\":");
        switch (geometry)
        {
            case Point point when point.IsEmpty:
                json.Append("[]");
                break;
            case Point point:
                AppendPosition(json, point.X, point.Y, digits);
                break;
            case LineString line:
                AppendSequence(json, line.CoordinateSequence, digits);
                break;
            case Polygon polygon:
                AppendPolygon(json, polygon, digits);
                break;
            default:
                json.Append('[');
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    if (i > 0)
                    {
                        json.Append(',');
                    }
                    switch (geometry.GetGeometryN(i))
                    {
                        case Point p:
                            AppendPosition(json, p.X, p.Y, digits);
                            break;
                        case LineString l:
                            AppendSequence(json, l.CoordinateSequence, digits);
                            break;
                        case Polygon p:
                            AppendPolygon(json, p, digits);
                            break;
                    }
                }
                json.Append(']');
                break;
        }
        json.Append('}');
    }

    private static void AppendPolygon(StringBuilder json, Polygon polygon, int digits)
    {
        json.Append('[');
        if (!polygon.IsEmpty)
        {
            AppendSequence(json, polygon.ExteriorRing.CoordinateSequence, digits);
            foreach (var hole in polygon.InteriorRings)
            {
                json.Append(',');
                AppendSequence(json, hole.CoordinateSequence, digits);
            }
        }
        json.Append(']');
    }

    private static void AppendSequence(StringBuilder json, CoordinateSequence sequence, int digits)
    {
        json.Append('[');
        for (var i = 0; i < sequence.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            AppendPosition(json, sequence.GetX(i), sequence.GetY(i), digits);
        }
        json.Append(']');
    }

    private static void AppendPosition(StringBuilder json, double x, double y, int digits) =>
        json.Append('[').Append(FormatNumber(x, digits)).Append(',').Append(FormatNumber(y, digits)).Append(']');

    /// <summary>A number rounded to <paramref name="digits"/> decimals with trailing zeros dropped, as PostGIS prints it.</summary>
    internal static string FormatNumber(double value, int digits)
    {
        var rounded = Math.Round(value, digits, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            return "0";
        }
        var text = rounded.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }
        return text;
    }
}
