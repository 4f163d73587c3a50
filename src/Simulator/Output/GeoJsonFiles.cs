using System.Text.Json;
using NetTopologySuite.Geometries;
using OneMap.Models.Crs;
using OneMap.Models.Spatial;

namespace OneMap.Simulator.Output;

/// <summary>
/// GeoJSON feature collections as GIS desktops export them: WGS84 per RFC 7946, or projected coordinates with the
/// legacy <c>crs</c> member naming the EPSG code (what ArcGIS and QGIS write for CGCS2000 Gauss-Krüger layers).
/// </summary>
public static class GeoJsonFiles
{
    public static byte[] FeatureCollection<T>(IEnumerable<T> items, Func<T, Geometry> geometry, Action<Utf8JsonWriter, T> properties,
        CrsId crs, string name)
    {
        var decimals = crs.IsProjected ? 3 : (int?)null;
        return Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteString("name", name);
            if (crs != CrsId.Wgs84)
            {
                w.WriteStartObject("crs");
                w.WriteString("type", "name");
                w.WriteStartObject("properties");
                w.WriteString("name", $"urn:ogc:def:crs:EPSG::{crs.Epsg}");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteStartArray("features");
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteStartObject("properties");
                properties(w, item);
                w.WriteEndObject();
                w.WritePropertyName("geometry");
                var g = geometry(item);
                GeoJson.WriteGeometry(w, crs == CrsId.Wgs84 ? g : CoordinateConverter.FromWgs84(g, crs), decimals);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, indented: false);
    }
}
