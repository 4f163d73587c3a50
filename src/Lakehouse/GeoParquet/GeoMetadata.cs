using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OneMap.Lakehouse.GeoParquet;

/// <summary>What one file holds in one geometry column: the geometry types present and their combined envelope.</summary>
public sealed record GeometryColumnSummary(string Column, IReadOnlyCollection<string> GeometryTypes, Envelope Bbox, string? CoveringColumn);

/// <summary>
/// The GeoParquet 1.1 <c>geo</c> file metadata OneMap writes into every data file with geometry: encoding WKB, the
/// geometry types present, the CRS as PROJJSON (OGC:CRS84, i.e. EPSG:4326 in longitude/latitude order), the file's
/// bbox, and the per-row bbox covering column.
/// </summary>
public static class GeoMetadata
{
    public const string Version = "1.1.0";

    /// <summary>The key of the Parquet key/value metadata entry.</summary>
    public const string Key = "geo";

    /// <summary>The covering column OneMap adds for a geometry column: <c>bbox</c> for the primary one.</summary>
    public static string CoveringColumnFor(string geometryColumn, bool primary) => primary ? "bbox" : geometryColumn + "_bbox";

    public static string Build(string primaryColumn, IEnumerable<GeometryColumnSummary> columns)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("version", Version);
            writer.WriteString("primary_column", primaryColumn);
            writer.WriteStartObject("columns");
            foreach (var column in columns)
            {
                writer.WriteStartObject(column.Column);
                writer.WriteString("encoding", "WKB");
                writer.WriteStartArray("geometry_types");
                foreach (var type in column.GeometryTypes.Distinct().Order(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(type);
                }
                writer.WriteEndArray();
                writer.WritePropertyName("crs");
                WriteCrs84(writer);
                writer.WriteString("edges", "planar");
                if (!column.Bbox.IsEmpty)
                {
                    writer.WriteStartArray("bbox");
                    writer.WriteNumberValue(column.Bbox.XMin);
                    writer.WriteNumberValue(column.Bbox.YMin);
                    writer.WriteNumberValue(column.Bbox.XMax);
                    writer.WriteNumberValue(column.Bbox.YMax);
                    writer.WriteEndArray();
                }
                if (column.CoveringColumn is { } covering)
                {
                    writer.WriteStartObject("covering");
                    writer.WriteStartObject("bbox");
                    foreach (var field in new[] { "xmin", "ymin", "xmax", "ymax" })
                    {
                        writer.WriteStartArray(field);
                        writer.WriteStringValue(covering);
                        writer.WriteStringValue(field);
                        writer.WriteEndArray();
                    }
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The PROJJSON of OGC:CRS84 as given in the GeoParquet 1.1 specification.</summary>
    public static void WriteCrs84(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://proj.org/schemas/v0.5/projjson.schema.json");
        writer.WriteString("type", "GeographicCRS");
        writer.WriteString("name", "WGS 84 longitude-latitude");
        writer.WriteStartObject("datum");
        writer.WriteString("type", "GeodeticReferenceFrame");
        writer.WriteString("name", "World Geodetic System 1984");
        writer.WriteStartObject("ellipsoid");
        writer.WriteString("name", "WGS 84");
        writer.WriteNumber("semi_major_axis", 6378137);
        writer.WriteNumber("inverse_flattening", 298.257223563);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("coordinate_system");
        writer.WriteString("subtype", "ellipsoidal");
        writer.WriteStartArray("axis");
        WriteAxis(writer, "Geodetic longitude", "Lon", "east");
        WriteAxis(writer, "Geodetic latitude", "Lat", "north");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("id");
        writer.WriteString("authority", "OGC");
        writer.WriteString("code", "CRS84");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAxis(Utf8JsonWriter writer, string name, string abbreviation, string direction)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("abbreviation", abbreviation);
        writer.WriteString("direction", direction);
        writer.WriteString("unit", "degree");
        writer.WriteEndObject();
    }
}
