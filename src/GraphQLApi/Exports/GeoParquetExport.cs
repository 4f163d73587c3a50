using System.Globalization;

using OneMap.DuckDb;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Querying;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.GraphQLApi.Exports;

/// <summary>
/// The GeoParquet 1.1 <c>geo</c> metadata of a Parquet export holding geometry columns, so GeoPandas, QGIS, GDAL and
/// DuckDB's spatial extension open the download as a layer rather than as bytes: WKB encoding, OGC:CRS84, the
/// geometry types present and the bbox of what was exported (the same document the lake's own data files carry).
/// </summary>
internal static class GeoParquetExport
{
    /// <summary>The metadata for the rows in <paramref name="table"/>, or null when no exported column is a geometry.</summary>
    public static string? Metadata(DuckDbConnection connection, string table, IReadOnlyList<ColumnModel> columns)
    {
        var geometries = columns.Where(c => c.Kind == ColumnKind.Geometry).ToList();
        if (geometries.Count == 0)
        {
            return null;
        }
        var summaries = new List<GeometryColumnSummary>();
        foreach (var geometry in geometries)
        {
            var column = SqlBuilder.Identifier(geometry.Name);
            // One walk of each value's WKB header and coordinates (the lake's own function): envelope and ISO type code.
            using var reader = connection.Query(
                $"SELECT min(i.bbox.xmin), min(i.bbox.ymin), max(i.bbox.xmax), max(i.bbox.ymax), list(DISTINCT i.type) FILTER (WHERE i.type IS NOT NULL) " +
                $"FROM (SELECT {WkbFunctions.Info}({column}) AS i FROM {table} WHERE {column} IS NOT NULL)");
            reader.Read();
            var bbox = reader.IsDBNull(0)
                ? Envelope.Empty
                : new Envelope(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
            var types = reader.IsDBNull(4)
                ? []
                : ((System.Collections.IEnumerable)reader.GetValue(4)).Cast<object?>().OfType<object>()
                    .Select(t => Wkb.TypeName(Convert.ToInt32(t, CultureInfo.InvariantCulture))).ToList();
            summaries.Add(new GeometryColumnSummary(geometry.Name, types, bbox, CoveringColumn: null));
        }
        return GeoMetadata.Build(geometries[0].Name, summaries);
    }
}
