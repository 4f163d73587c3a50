using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;

namespace OneMap.GraphQLApi.Schema;

/// <summary>Types every dataset shares: comparison filters per kind of column, spatial filters, paging, time travel, buckets.</summary>
public static class CommonTypes
{
    public const string PageInfo = "PageInfo";
    public const string AsOf = "AsOf";
    public const string SortDirection = "SortDirection";
    public const string TimeUnit = "TimeUnit";
    public const string AdminLevel = "AdminLevel";
    public const string AdminUnitRef = "AdminUnitRef";
    public const string ExportFormat = "ExportFormat";
    public const string Export = "Export";

    public static void Add(SchemaBuilder schema)
    {
        foreach (var scalar in ApiScalars.All)
        {
            schema.Scalar(scalar);
        }
        schema.Enum(SortDirection, e => e.Description("Sort order.").Value("ASC", "ASC").Value("DESC", "DESC"));
        schema.Enum(TimeUnit, e => e.Description("A calendar unit of the city's time zone (weeks start on Monday).")
            .Value("MINUTE", "minute").Value("HOUR", "hour").Value("DAY", "day").Value("WEEK", "week").Value("MONTH", "month")
            .Value("QUARTER", "quarter").Value("YEAR", "year"));
        schema.Enum(AdminLevel, e => e.Description("A level of the administrative units aggregates can be grouped by.")
            .Value("DISTRICT", "district").Value("TOWN", "town").Value("COMMUNITY", "community").Value("GRID", "grid").Value("MICRO_GRID", "micro_grid"));
        schema.Enum(ExportFormat, e => e.Description("File format of an export.")
            .Value("CSV", "csv", v => v.Description("UTF-8 CSV with a header row; geometries as WKT."))
            .Value("PARQUET", "parquet", v => v.Description("Parquet; geometries as WKB.")));

        schema.Object(PageInfo, o => o.Description("Where a page lies in the whole result (Relay cursor connections).")
            .Field("hasNextPage", "Boolean!")
            .Field("hasPreviousPage", "Boolean!")
            .Field("startCursor", "String")
            .Field("endCursor", "String"));
        schema.Object(AdminUnitRef, o => o.Description("An administrative unit (district, town, community, grid).")
            .Field("code", "String!")
            .Field("name", "String")
            .Field("level", "String!"));
        schema.Object(Export, o => o.Description("A prepared export: download it from `url` with the same credentials before it expires.")
            .Field("url", "String!", f => f.Description("Path of the download, relative to the server."))
            .Field("format", ExportFormat + "!")
            .Field("dataset", "String!")
            .Field("version", "Long!", f => f.Description("The table version the export reads."))
            .Field("expiresAt", "DateTime!"));

        schema.InputObject(AsOf, i => i.OneOf().Description("Time travel: read a table as of a version, or as of the version current at a time.")
            .Field("version", "Long")
            .Field("time", "DateTime"));

        AddComparisons(schema, "String", "String", like: true);
        AddComparisons(schema, "Long", "Long", like: false);
        AddComparisons(schema, "Float", "Float", like: false);
        AddComparisons(schema, "Date", "Date", like: false);
        AddComparisons(schema, "DateTime", "DateTime", like: false);
        schema.InputObject("BooleanFilter", i => i.Description("Conditions on a Boolean column (all given must hold).")
            .Field("eq", "Boolean").Field("ne", "Boolean").Field("isNull", "Boolean"));
        schema.InputObject("StringListFilter", i => i.Description("Conditions on a list-of-strings column.")
            .Field("contains", "String", f => f.Description("The list holds this value."))
            .Field("isNull", "Boolean"));
        schema.InputObject("BBox", i => i.Description("A rectangle in WGS84 degrees.")
            .Field("west", "Float!").Field("south", "Float!").Field("east", "Float!").Field("north", "Float!"));
        schema.InputObject("PointInput", i => i.Description("A WGS84 position.").Field("lon", "Float!").Field("lat", "Float!"));
        schema.InputObject("DistanceFilter", i => i.Description("Within a distance (metres on the WGS84 spheroid) of a point.")
            .Field("point", "PointInput!").Field("meters", "Float!"));
        schema.InputObject("GeometryFilter", i => i.Description("Spatial conditions on a geometry column (all given must hold).")
            .Field("intersects", "GeoJSON", f => f.Description("Shares at least a point with this GeoJSON geometry."))
            .Field("withinBbox", "BBox", f => f.Description("Intersects this rectangle."))
            .Field("withinDistance", "DistanceFilter", f => f.Description("Lies within this many metres of a point."))
            .Field("isNull", "Boolean"));
    }

    /// <summary>The filter input type for a column of a kind.</summary>
    public static string FilterType(ColumnKind kind) => kind switch
    {
        ColumnKind.String => "StringFilter",
        ColumnKind.Integer => "LongFilter",
        ColumnKind.Float or ColumnKind.Decimal => "FloatFilter",
        ColumnKind.Boolean => "BooleanFilter",
        ColumnKind.Date => "DateFilter",
        ColumnKind.Timestamp => "DateTimeFilter",
        ColumnKind.Geometry => "GeometryFilter",
        ColumnKind.StringList => "StringListFilter",
        _ => "",
    };

    /// <summary>The output type of a column of a kind.</summary>
    public static string OutputType(ColumnKind kind) => kind switch
    {
        ColumnKind.String => "String",
        ColumnKind.Integer => "Long",
        ColumnKind.Float or ColumnKind.Decimal => "Float",
        ColumnKind.Boolean => "Boolean",
        ColumnKind.Date => "Date",
        ColumnKind.Timestamp => "DateTime",
        ColumnKind.Geometry => "GeoJSON",
        ColumnKind.StringList => "[String]",
        _ => "JSON",
    };

    private static void AddComparisons(SchemaBuilder schema, string prefix, string scalar, bool like)
    {
        schema.InputObject(prefix + "Range", i => i.Description($"An inclusive range of {scalar} values.")
            .Field("from", scalar + "!").Field("to", scalar + "!"));
        schema.InputObject(prefix + "Filter", i =>
        {
            i.Description($"Conditions on a {scalar} column (all given must hold).")
                .Field("eq", scalar, f => f.Description("Equal to."))
                .Field("ne", scalar, f => f.Description("Not equal to (rows with no value are not returned)."))
                .Field("in", $"[{scalar}!]", f => f.Description("One of."))
                .Field("gt", scalar).Field("gte", scalar).Field("lt", scalar).Field("lte", scalar)
                .Field("between", prefix + "Range", f => f.Description("From and to, both included."))
                .Field("isNull", "Boolean", f => f.Description("true: no value; false: has a value."));
            if (like)
            {
                i.Field("like", "String", f => f.Description("SQL LIKE pattern: % any text, _ one character."))
                    .Field("ilike", "String", f => f.Description("LIKE ignoring case."));
            }
        });
    }
}
