using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Models;
using OneMap.Models.Crs;
using OneMap.Models.Spatial;

namespace OneMap.Ingest.Feeds.Mapping;

/// <summary>
/// Builds the WGS84 WKB of a row's geometry from lon/lat fields, WKT or GeoJSON in any coordinate system OneMap
/// converts, and checks it against the city's bounds. Failures are reasons for quarantine, not exceptions.
/// </summary>
public sealed class GeometryBuilder(GeometrySpec spec, CrsId crs, GeoBounds? bounds)
{
    /// <summary>A parsed coordinate pair waiting for conversion (empty when the row has no coordinates).</summary>
    public readonly record struct PendingPoint(bool IsEmpty, double X, double Y);

    public GeometrySpec Spec => spec;

    /// <summary>The coordinate system actually used (the contract's, or the one the file declares).</summary>
    public CrsId Crs => crs;

    /// <summary>WKB of a point at (x, y) in the input system; null on success, else the reason.</summary>
    public string? FromXy(in FieldValue x, in FieldValue y, out byte[]? wkb)
    {
        wkb = null;
        if (ParseXy(x, y, out var point) is { } error)
        {
            return error;
        }
        return point.IsEmpty ? null : FromPoint(point.X, point.Y, out wkb);
    }

    /// <summary>The numbers of a lon/lat (or x/y) pair, unconverted; an empty pair is allowed when the geometry is optional.</summary>
    public string? ParseXy(in FieldValue x, in FieldValue y, out PendingPoint point)
    {
        point = new PendingPoint(true, 0, 0);
        if (x.IsEmpty && y.IsEmpty)
        {
            return spec.Required ? $"no coordinates ('{spec.X}' and '{spec.Y}' are empty)" : null;
        }
        if (ValueParsers.Double(x, out var xv) is { } xError)
        {
            return $"{spec.X}: {xError}";
        }
        if (ValueParsers.Double(y, out var yv) is { } yError)
        {
            return $"{spec.Y}: {yError}";
        }
        point = new PendingPoint(false, xv, yv);
        return null;
    }

    /// <summary>Converts a parsed pair to WGS84 and checks the bounds (pure: safe on any thread).</summary>
    public string? FromPoint(double xv, double yv, out byte[]? wkb)
    {
        wkb = null;
        double lon, lat;
        try
        {
            (lon, lat) = CoordinateConverter.ToWgs84(crs, xv, yv);
        }
        catch (ModelException e)
        {
            return e.Message;
        }
        return FromWgs84Point(lon, lat, out wkb);
    }

    /// <summary>Checks a converted (WGS84) point against the bounds and makes its WKB (pure: safe on any thread).</summary>
    public string? FromWgs84Point(double lon, double lat, out byte[]? wkb)
    {
        wkb = null;
        if (OutOfBounds(lon, lat) is { } outside)
        {
            return outside;
        }
        wkb = PointWkb(lon, lat);
        return null;
    }

    /// <summary>WKB of a WKT or GeoJSON geometry in the input system.</summary>
    public string? FromField(in FieldValue field, out byte[]? wkb)
    {
        wkb = null;
        if (field.IsEmpty)
        {
            return spec.Required ? $"no geometry ('{spec.From}' is empty)" : null;
        }
        Geometry geometry;
        try
        {
            if (spec.Kind == GeometrySourceKind.Wkt)
            {
                if (field.Kind != FieldKind.Text)
                {
                    return $"{spec.From}: {field.Display()} is not WKT text";
                }
                geometry = Geo.FromWkt(field.Text.Trim().ToString());
            }
            else
            {
                geometry = field.Kind == FieldKind.Json ? GeoJson.ReadGeometry(field.Json) : GeoJson.Parse(field.Text.ToString());
            }
        }
        catch (ModelException e)
        {
            return $"{spec.From}: {e.Message}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return $"{spec.From}: not a geometry: {e.Message}";
        }
        return Finish(geometry, out wkb);
    }

    /// <summary>WKB of a GeoJSON feature's geometry.</summary>
    public string? FromFeature(JsonElement? geometry, out byte[]? wkb)
    {
        wkb = null;
        if (geometry is null || geometry.Value.ValueKind == JsonValueKind.Null)
        {
            return spec.Required ? "the feature has no geometry" : null;
        }
        Geometry parsed;
        try
        {
            parsed = GeoJson.ReadGeometry(geometry.Value);
        }
        catch (ModelException e)
        {
            return $"geometry: {e.Message}";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return $"geometry: {e.Message}";
        }
        return Finish(parsed, out wkb);
    }

    private string? Finish(Geometry geometry, out byte[]? wkb)
    {
        wkb = null;
        if (geometry.IsEmpty)
        {
            return spec.Required ? "the geometry is empty" : null;
        }
        try
        {
            if (crs.Kind != CrsKind.Wgs84 && crs.Kind != CrsKind.Cgcs2000)
            {
                geometry = CoordinateConverter.ToWgs84(geometry, crs);
            }
            else
            {
                foreach (var c in geometry.Coordinates)
                {
                    CoordinateConverter.ToWgs84(crs, c.X, c.Y);
                }
            }
        }
        catch (ModelException e)
        {
            return e.Message;
        }
        var envelope = geometry.EnvelopeInternal;
        if ((OutOfBounds(envelope.MinX, envelope.MinY) ?? OutOfBounds(envelope.MaxX, envelope.MaxY)) is { } outside)
        {
            return outside;
        }
        wkb = Geo.ToWkb(geometry);
        return null;
    }

    private string? OutOfBounds(double lon, double lat)
    {
        if (bounds is null || bounds.Contains(lon, lat))
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"({lon:0.######}, {lat:0.######}) after conversion from {crs} is outside the city's bounds {bounds}");
    }

    /// <summary>ISO WKB of a 2D point, little-endian (21 bytes), without going through a geometry object.</summary>
    public static byte[] PointWkb(double longitude, double latitude)
    {
        var wkb = new byte[21];
        wkb[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(wkb.AsSpan(1), 1);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(5), longitude);
        BinaryPrimitives.WriteDoubleLittleEndian(wkb.AsSpan(13), latitude);
        return wkb;
    }
}
