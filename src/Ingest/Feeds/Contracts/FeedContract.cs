using System.Text;
using OneMap.Models.Crs;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Feeds.Contracts;

/// <summary>How a feed's rows reach its table.</summary>
public enum FeedMode
{
    /// <summary>Rows are added (events, readings); a file already ingested is recognised by its content hash and skipped.</summary>
    Append,

    /// <summary>Rows replace the stored row with the same key, others are inserted (registers, current-state lists).</summary>
    Upsert,
}

/// <summary>The file formats a feed may send.</summary>
public enum FeedFormatKind
{
    /// <summary>Comma (or other delimiter) separated values with a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    JsonLines,

    /// <summary>A JSON array of objects, at the top level or at <see cref="FeedFormat.RecordsPath"/> inside an envelope.</summary>
    Json,

    /// <summary>A GeoJSON FeatureCollection; columns map feature properties, the geometry is the feature's.</summary>
    GeoJson,
}

/// <summary>How the geometry of a row is given.</summary>
public enum GeometrySourceKind
{
    /// <summary>Two numeric fields, longitude/easting and latitude/northing.</summary>
    LonLat,

    /// <summary>A field holding WKT text.</summary>
    Wkt,

    /// <summary>A field holding a GeoJSON geometry (object or text).</summary>
    GeoJson,

    /// <summary>The GeoJSON feature's own geometry (GeoJSON format only).</summary>
    Feature,
}

/// <summary>A feed: where its files come from, how to read them and how they map onto a dataset of the lake.</summary>
/// <param name="Feed">The feed's id (lower case letters, digits, '-', '_').</param>
/// <param name="Dataset">The target table (snake_case).</param>
/// <param name="Owner">The owner department's code.</param>
/// <param name="Title">A human title for the catalog.</param>
/// <param name="Description">What the dataset holds, for the catalog.</param>
/// <param name="Mode">Append or upsert by <paramref name="Key"/>.</param>
/// <param name="Key">Columns identifying a row; required values.</param>
/// <param name="PartitionBy">Partition columns of the table.</param>
/// <param name="Source">Drop folder or HTTP URL.</param>
/// <param name="Format">File format and encoding.</param>
/// <param name="TimeZone">Zone of timestamps written without an offset; default Asia/Shanghai.</param>
/// <param name="Bounds">Where converted coordinates must fall (the city's extent); null accepts the whole world.</param>
/// <param name="Geometry">How the geometry column is built, if the dataset has one.</param>
/// <param name="Columns">The table's non-geometry columns and where their values come from.</param>
/// <param name="Freshness">How often the owner promises new data (catalog), if stated.</param>
/// <param name="ContractPath">The contract file it was read from.</param>
public sealed record FeedContract(
    string Feed,
    string Dataset,
    string Owner,
    string? Title,
    string? Description,
    FeedMode Mode,
    IReadOnlyList<string> Key,
    IReadOnlyList<string> PartitionBy,
    FeedSource Source,
    FeedFormat Format,
    TimeZoneInfo TimeZone,
    GeoBounds? Bounds,
    GeometrySpec? Geometry,
    IReadOnlyList<ColumnSpec> Columns,
    TimeSpan? Freshness,
    string ContractPath)
{
    /// <summary>Every table column in table order: the mapped columns, then the geometry column.</summary>
    public IEnumerable<string> ColumnNames =>
        Geometry is null ? Columns.Select(c => c.Name) : Columns.Select(c => c.Name).Append(Geometry.Column);
}

/// <summary>Where a feed's files come from: a drop folder, or a URL polled on a schedule.</summary>
/// <param name="Folder">The drop folder (relative paths resolve against the ingest drop root).</param>
/// <param name="Pattern">File name pattern within the folder, e.g. <c>*.csv</c>.</param>
/// <param name="Url">An HTTP(S) URL answering with one file.</param>
/// <param name="Every">Poll interval for <paramref name="Url"/>.</param>
/// <param name="Headers">Extra request headers (e.g. an API key name; values may be <c>${ENV_VAR}</c>).</param>
public sealed record FeedSource(string? Folder, string Pattern, Uri? Url, TimeSpan Every, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsFolder => Folder is not null;
}

/// <summary>How the bytes of a file are read.</summary>
/// <param name="Kind">The format.</param>
/// <param name="Encoding">Text encoding (UTF-8, GB18030, GBK).</param>
/// <param name="Delimiter">CSV field delimiter.</param>
/// <param name="Quote">CSV quote character.</param>
/// <param name="HeaderLine">1-based line of the CSV header (lines above it are titles and are skipped).</param>
/// <param name="RecordsPath">Dotted path of the records array inside a JSON envelope (e.g. <c>data.items</c>); empty for a top-level array.</param>
public sealed record FeedFormat(FeedFormatKind Kind, Encoding Encoding, char Delimiter, char Quote, int HeaderLine, string RecordsPath);

/// <summary>A rectangle in WGS84 degrees.</summary>
public sealed record GeoBounds(double West, double South, double East, double North)
{
    public bool Contains(double longitude, double latitude) =>
        longitude >= West && longitude <= East && latitude >= South && latitude <= North;

    public override string ToString() =>
        FormattableString.Invariant($"[{West}, {South}, {East}, {North}]");
}

/// <summary>A table column and where its value comes from.</summary>
/// <param name="Name">Column name (snake_case).</param>
/// <param name="From">The source field (CSV header, JSON property path, GeoJSON property); null for derived and constant columns.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Required">Whether a row without a value is quarantined (always true for key columns).</param>
/// <param name="Formats">Date/timestamp formats tried in order (.NET custom formats, or <c>iso</c>, <c>unix</c>, <c>unix_ms</c>).</param>
/// <param name="Values">A code list: source text → stored value (unlisted texts are rejected).</param>
/// <param name="DerivedFrom">For a date column: the timestamp column whose local date it holds.</param>
/// <param name="Constant">A fixed value for every row.</param>
/// <param name="Description">For the catalog.</param>
/// <param name="Unit">Unit of numeric values, for the catalog.</param>
/// <param name="Sensitivity">Who may see values; personal values are stored masked.</param>
/// <param name="HashInto">For personal columns: a further column holding the salted hash (HMAC) of the clear value, for counting repeats.</param>
/// <param name="ListSeparator">Separator of string lists given as text.</param>
/// <param name="TimeZone">Zone of this column's timestamps when it differs from the feed's.</param>
public sealed record ColumnSpec(
    string Name,
    string? From,
    ColumnType Type,
    bool Required,
    IReadOnlyList<string> Formats,
    IReadOnlyDictionary<string, string?>? Values,
    string? DerivedFrom,
    string? Constant,
    string? Description,
    string? Unit,
    Sensitivity Sensitivity,
    string? HashInto,
    char ListSeparator,
    TimeZoneInfo? TimeZone);

/// <summary>How the geometry column is built.</summary>
/// <param name="Column">The geometry column's name (default <c>geom</c>).</param>
/// <param name="Kind">Lon/lat fields, WKT, GeoJSON, or the feature's geometry.</param>
/// <param name="X">Longitude or easting field (LonLat).</param>
/// <param name="Y">Latitude or northing field (LonLat).</param>
/// <param name="From">The WKT or GeoJSON field.</param>
/// <param name="Crs">Coordinate system of the input; converted to WGS84.</param>
/// <param name="Required">Whether a row without a geometry is quarantined (default true).</param>
/// <param name="Description">For the catalog.</param>
public sealed record GeometrySpec(string Column, GeometrySourceKind Kind, string? X, string? Y, string? From, CrsId Crs, bool Required, string? Description);
