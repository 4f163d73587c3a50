using System.Buffers.Binary;
using System.Globalization;
using System.Text;

using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

using OneMap.Models.Spatial;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// Reads and writes geometries as WKB (what the lake and DuckDB's GEOMETRY hold), WKT and GeoJSON. Coordinates are
/// WGS84 lon/lat (x = longitude, y = latitude), as everywhere in the lake.
/// </summary>
public static class GeometryCodec
{
    /// <summary>SRID every lake geometry carries.</summary>
    public const int Wgs84Srid = Geo.Srid;

    private static readonly NtsGeometryServices Services = new(new PrecisionModel(), Wgs84Srid);

    /// <summary>The factory for lake geometries (Models' one entry point: floating precision, SRID 4326).</summary>
    public static GeometryFactory Factory => Geo.Factory;

    /// <summary>Reads ISO WKB or PostGIS EWKB (either byte order; Z and M are read and kept).</summary>
    public static Geometry ReadWkb(ReadOnlySpan<byte> wkb)
    {
        if (wkb.Length < 5)
        {
            throw new InvalidGeometryException("WKB", $"{wkb.Length} bytes is shorter than a WKB header (5 bytes)");
        }
        if (wkb[0] > 1)
        {
            throw new InvalidGeometryException("WKB", $"byte order marker {wkb[0]} is neither 0 nor 1");
        }
        if (TryReadPoint(wkb, out var x, out var y))
        {
            // Points dominate the lake (readings, tickets, positions); skip the general reader for them.
            return double.IsNaN(x) && double.IsNaN(y) ? Factory.CreatePoint() : Factory.CreatePoint(new Coordinate(x, y));
        }
        Geometry geometry;
        try
        {
            // Strict: an unclosed ring is an error (as in PostGIS), not silently closed.
            geometry = new WKBReader(Services) { HandleSRID = true, IsStrict = true }.Read(wkb.ToArray());
        }
        catch (Exception e) when (e is ParseException or ArgumentException or IOException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidGeometryException("WKB", e.Message, e);
        }
        RequireEnoughPoints("WKB", geometry);
        geometry.SRID = Wgs84Srid;
        return geometry;
    }

    /// <summary>PostGIS's parser checks: lines need 2 points, rings 4 (closed).</summary>
    private static void RequireEnoughPoints(string format, Geometry geometry)
    {
        switch (geometry)
        {
            case LinearRing ring when !ring.IsEmpty && ring.NumPoints < 4:
                throw new InvalidGeometryException(format, $"a polygon ring has {ring.NumPoints} points; rings need at least 4");
            case LineString line when !line.IsEmpty && line is not LinearRing && line.NumPoints < 2:
                throw new InvalidGeometryException(format, "a linestring needs at least 2 points");
            case Polygon polygon when !polygon.IsEmpty:
                RequireEnoughPoints(format, polygon.ExteriorRing);
                foreach (var hole in polygon.InteriorRings)
                {
                    RequireEnoughPoints(format, hole);
                }
                break;
            case GeometryCollection collection:
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    RequireEnoughPoints(format, collection.GetGeometryN(i));
                }
                break;
        }
    }

    /// <summary>
    /// Reads a 2D point straight from its 21 WKB bytes; false for anything else (other types, Z/M, SRID-tagged EWKB),
    /// which <see cref="ReadWkb"/> handles. An empty point reads as NaN, NaN.
    /// </summary>
    public static bool TryReadPoint(ReadOnlySpan<byte> wkb, out double x, out double y)
    {
        x = y = double.NaN;
        if (wkb.Length != 21)
        {
            return false;
        }
        var little = wkb[0] == 1;
        var type = little ? BinaryPrimitives.ReadUInt32LittleEndian(wkb[1..]) : BinaryPrimitives.ReadUInt32BigEndian(wkb[1..]);
        if (type != 1)
        {
            return false;
        }
        x = little ? BinaryPrimitives.ReadDoubleLittleEndian(wkb[5..]) : BinaryPrimitives.ReadDoubleBigEndian(wkb[5..]);
        y = little ? BinaryPrimitives.ReadDoubleLittleEndian(wkb[13..]) : BinaryPrimitives.ReadDoubleBigEndian(wkb[13..]);
        return true;
    }

    /// <summary>Writes little-endian 2D ISO WKB (an empty point as NaN coordinates, as PostGIS and DuckDB do).</summary>
    public static byte[] ToWkb(Geometry geometry)
    {
        if (geometry is Point point)
        {
            return PointWkb(point.IsEmpty ? EmptyOrdinate : point.X, point.IsEmpty ? EmptyOrdinate : point.Y);
        }
        return new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false).Write(geometry);
    }

    /// <summary>The positive quiet NaN PostGIS and DuckDB write for the coordinates of POINT EMPTY.</summary>
    public static readonly double EmptyOrdinate = BitConverter.Int64BitsToDouble(0x7FF8000000000000);

    /// <summary>The 21 bytes of a little-endian 2D WKB point.</summary>
    public static byte[] PointWkb(double x, double y)
    {
        var bytes = new byte[21];
        WritePointWkb(bytes, x, y);
        return bytes;
    }

    /// <summary>Writes a little-endian 2D WKB point into <paramref name="destination"/> (21 bytes).</summary>
    public static void WritePointWkb(Span<byte> destination, double x, double y)
    {
        destination[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], 1);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[5..], x);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[13..], y);
    }

    /// <summary>Reads WKT, or PostGIS EWKT with an <c>SRID=n;</c> prefix (the SRID must be 4326 when given).</summary>
    public static Geometry ReadWkt(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        var text = wkt.Trim();
        if (text.StartsWith("SRID=", StringComparison.OrdinalIgnoreCase))
        {
            var semicolon = text.IndexOf(';', StringComparison.Ordinal);
            if (semicolon < 0 || !int.TryParse(text.AsSpan(5, semicolon - 5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var srid))
            {
                throw new InvalidGeometryException("WKT", $"malformed SRID prefix in '{Shorten(text)}'");
            }
            if (srid != Wgs84Srid && srid != 0)
            {
                throw new InvalidGeometryException("WKT", $"SRID {srid} given; lake geometries are EPSG:4326 (use ST_Transform)");
            }
            text = text[(semicolon + 1)..];
        }
        Geometry geometry;
        try
        {
            geometry = new WKTReader(Services).Read(text);
        }
        catch (Exception e) when (e is ParseException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidGeometryException("WKT", $"{e.Message} in '{Shorten(text)}'", e);
        }
        RequireEnoughPoints("WKT", geometry);
        geometry.SRID = Wgs84Srid;
        return geometry;
    }

    /// <summary>
    /// Writes WKT the way DuckDB's own ST_AsText does for its GEOMETRY type (<c>POINT (1 2)</c>, <c>MULTIPOINT (1 2, 3 4)</c>,
    /// shortest round-trip numbers), so the same SQL prints the same text for a WKB blob and a GEOMETRY value.
    /// </summary>
    public static string ToWkt(Geometry geometry)
    {
        var text = new StringBuilder();
        AppendWkt(text, geometry);
        return text.ToString();
    }

    private static void AppendWkt(StringBuilder text, Geometry geometry)
    {
        text.Append(geometry.GeometryType.ToUpperInvariant());
        if (geometry.IsEmpty)
        {
            text.Append(" EMPTY");
            return;
        }
        text.Append(' ');
        switch (geometry)
        {
            case Point point:
                text.Append('(');
                AppendCoordinate(text, point.Coordinate);
                text.Append(')');
                break;
            case LineString line:
                AppendSequence(text, line.CoordinateSequence);
                break;
            case Polygon polygon:
                AppendPolygon(text, polygon);
                break;
            case MultiPoint points:
                text.Append('(');
                for (var i = 0; i < points.NumGeometries; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    var member = (Point)points.GetGeometryN(i);
                    if (member.IsEmpty)
                    {
                        text.Append("EMPTY");
                    }
                    else
                    {
                        AppendCoordinate(text, member.Coordinate);
                    }
                }
                text.Append(')');
                break;
            case MultiLineString or MultiPolygon:
                text.Append('(');
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    var member = geometry.GetGeometryN(i);
                    if (member.IsEmpty)
                    {
                        text.Append("EMPTY");
                    }
                    else if (member is Polygon memberPolygon)
                    {
                        AppendPolygon(text, memberPolygon);
                    }
                    else
                    {
                        AppendSequence(text, ((LineString)member).CoordinateSequence);
                    }
                }
                text.Append(')');
                break;
            default:
                text.Append('(');
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }
                    AppendWkt(text, geometry.GetGeometryN(i));
                }
                text.Append(')');
                break;
        }
    }

    private static void AppendPolygon(StringBuilder text, Polygon polygon)
    {
        text.Append('(');
        AppendSequence(text, polygon.ExteriorRing.CoordinateSequence);
        foreach (var hole in polygon.InteriorRings)
        {
            text.Append(", ");
            AppendSequence(text, hole.CoordinateSequence);
        }
        text.Append(')');
    }

    private static void AppendSequence(StringBuilder text, CoordinateSequence sequence)
    {
        text.Append('(');
        for (var i = 0; i < sequence.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(FormatNumber(sequence.GetX(i))).Append(' ').Append(FormatNumber(sequence.GetY(i)));
        }
        text.Append(')');
    }

    private static void AppendCoordinate(StringBuilder text, Coordinate coordinate) =>
        text.Append(FormatNumber(coordinate.X)).Append(' ').Append(FormatNumber(coordinate.Y));

    /// <summary>Shortest text that reads back to the same double (<c>1e+20</c> style exponents, as DuckDB prints).</summary>
    public static string FormatNumber(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
