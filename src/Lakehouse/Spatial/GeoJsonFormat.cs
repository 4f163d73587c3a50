using System.Globalization;
using System.Text;
using System.Text.Json;

using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// GeoJSON geometry objects (RFC 7946) in and out, with PostGIS's ST_AsGeoJSON / ST_GeomFromGeoJSON behaviour: at most
/// 9 decimal digits by default, no CRS member for EPSG:4326, empty geometries as empty coordinate arrays.
/// </summary>
public static class GeoJsonFormat
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

    /// <summary>
    /// A number as PostGIS prints it: the shortest round-trip decimal, rounded half-to-even to
    /// <paramref name="digits"/> decimals, trailing zeros dropped; exponent form at or below 1e-8 and from 1e15.
    /// </summary>
    internal static string FormatNumber(double value, int digits)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }
        var (mantissa, point) = ShortestDigits(Math.Abs(value));
        var sign = value < 0 ? "-" : "";
        var magnitude = Math.Abs(value);
        if (magnitude <= 1e-8 || magnitude >= 1e15)
        {
            // One digit before the point, then at most `digits` decimals.
            var (rounded, carried) = RoundDigits(mantissa, 1 + digits);
            var exponent = point - 1 + carried;
            var fraction = rounded.Length > 1 ? "." + rounded[1..] : "";
            return $"{sign}{rounded[0]}{fraction}e{(exponent >= 0 ? "+" : "-")}{Math.Abs(exponent).ToString(CultureInfo.InvariantCulture)}";
        }
        var keep = point + digits;
        if (keep <= 0 && !(keep == 0 && IsAboveHalf(mantissa, 0)))
        {
            return "0";
        }
        string kept;
        if (keep == 0)
        {
            // Rounds up to one unit of the last decimal.
            kept = "1";
            point += 1;
        }
        else
        {
            var (rounded, carried) = RoundDigits(mantissa, keep);
            kept = rounded;
            point += carried;
        }
        var integer = point <= 0 ? "0" : kept.Length >= point ? kept[..point] : kept + new string('0', point - kept.Length);
        var decimals = point >= kept.Length ? "" : point < 0 ? new string('0', -point) + kept : kept[point..];
        decimals = decimals.TrimEnd('0');
        var text = decimals.Length == 0 ? integer : $"{integer}.{decimals}";
        return text == "0" ? "0" : sign + text;
    }

    /// <summary>Significant digits of the shortest round-trip form and the position of the decimal point in them.</summary>
    private static (string Digits, int Point) ShortestDigits(double magnitude)
    {
        var text = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? text.Length : dot) + exponent;
        var digits = text.Replace(".", "", StringComparison.Ordinal);
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point - leading);
    }

    private static bool IsAboveHalf(string digits, int keep) =>
        string.CompareOrdinal(digits[keep..].PadRight(1, '0'), "5") > 0;

    /// <summary>Keeps the first <paramref name="keep"/> digits, rounding half-to-even; returns whether a carry added a digit.</summary>
    private static (string Digits, int Carried) RoundDigits(string digits, int keep)
    {
        if (keep >= digits.Length)
        {
            return (digits, 0);
        }
        var head = digits[..keep].ToCharArray();
        var rest = digits[keep..];
        var up = rest[0] > '5' || (rest[0] == '5' && (rest.Length > 1 || (head[^1] - '0') % 2 == 1));
        if (!up)
        {
            return (new string(head).TrimEnd('0') is { Length: > 0 } t ? t : "0", 0);
        }
        for (var i = head.Length - 1; i >= 0; i--)
        {
            if (head[i] == '9')
            {
                head[i] = '0';
                continue;
            }
            head[i]++;
            return (new string(head).TrimEnd('0'), 0);
        }
        return ("1", 1);
    }
}
