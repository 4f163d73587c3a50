using System.Collections;
using System.Globalization;

using NetTopologySuite.Geometries;

using OneMap.GraphQLApi.Geometry;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Security;
using OneMap.Models.Spatial;

using NtsGeometry = NetTopologySuite.Geometries.Geometry;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// Turns a dataset filter (column conditions combined with and/or/not) into a SQL condition. Column names come from
/// the dataset model (the catalog) and must be visible to the caller; every value becomes a parameter.
/// </summary>
public sealed class FilterCompiler(DatasetAccess access, SqlBuilder sql, string alias = "t")
{
    private const int MaxDepth = 32;
    private const int MaxConditions = 2_000;
    private const int MaxListValues = 10_000;
    private int conditions;

    /// <summary>The SQL condition of a filter (<c>TRUE</c> for none).</summary>
    public string Compile(object? filter, string argument = "filter") => filter is null ? "TRUE" : Node(AsMap(filter, argument), argument, 0);

    private string Node(IReadOnlyDictionary<string, object?> filter, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ApiArgumentException(path, $"filters nest more than {MaxDepth} levels deep");
        }
        var parts = new List<string>();
        foreach (var (key, value) in filter)
        {
            var at = path + "." + key;
            switch (key)
            {
                case "and":
                    if (value is not null)
                    {
                        var items = AsList(value, at).Select((item, i) => Node(AsMap(item, $"{at}[{i}]"), $"{at}[{i}]", depth + 1)).ToList();
                        parts.Add(items.Count == 0 ? "TRUE" : "(" + string.Join(" AND ", items) + ")");
                    }
                    break;
                case "or":
                    if (value is not null)
                    {
                        var items = AsList(value, at).Select((item, i) => Node(AsMap(item, $"{at}[{i}]"), $"{at}[{i}]", depth + 1)).ToList();
                        parts.Add(items.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", items) + ")");
                    }
                    break;
                case "not":
                    if (value is not null)
                    {
                        parts.Add("(NOT COALESCE(" + Node(AsMap(value, at), at, depth + 1) + ", FALSE))");
                    }
                    break;
                default:
                    if (value is not null)
                    {
                        parts.Add(Column(key, AsMap(value, at), at));
                    }
                    break;
            }
        }
        return parts.Count == 0 ? "TRUE" : parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Column(string fieldName, IReadOnlyDictionary<string, object?> conditionsOnColumn, string path)
    {
        var column = access.Dataset.ColumnByField(fieldName);
        if (column is null || !access.CanSee(column.Name))
        {
            // The schema offers only visible columns; asking for another means the request bypassed it.
            throw new ApiArgumentException(path, $"'{fieldName}' is not a column of {access.Dataset.FieldName} you may filter on");
        }
        var target = SqlBuilder.Column(alias, column.Name);
        var parts = new List<string>();
        foreach (var (op, value) in conditionsOnColumn)
        {
            if (value is null)
            {
                continue;
            }
            if (++conditions > MaxConditions)
            {
                throw new ApiArgumentException(path, $"a filter may hold at most {MaxConditions} conditions");
            }
            var at = path + "." + op;
            parts.Add(column.Kind == ColumnKind.Geometry ? Spatial(column, target, op, value, at) : Comparison(column, target, op, value, at));
        }
        return parts.Count == 0 ? "TRUE" : parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Comparison(ColumnModel column, string target, string op, object value, string path)
    {
        switch (op)
        {
            case "isNull":
                return (bool)value ? target + " IS NULL" : target + " IS NOT NULL";
            case "eq":
                return $"{target} = {Value(column, value, path)}";
            case "ne":
                return $"{target} <> {Value(column, value, path)}";
            case "gt":
                return $"{target} > {Value(column, value, path)}";
            case "gte":
                return $"{target} >= {Value(column, value, path)}";
            case "lt":
                return $"{target} < {Value(column, value, path)}";
            case "lte":
                return $"{target} <= {Value(column, value, path)}";
            case "in":
                var values = AsList(value, path);
                if (values.Count > MaxListValues)
                {
                    throw new ApiArgumentException(path, $"at most {MaxListValues} values");
                }
                return values.Count == 0 ? "FALSE" : $"{target} IN ({string.Join(", ", values.Select((v, i) => Value(column, v, $"{path}[{i}]")))})";
            case "between":
                var range = AsMap(value, path);
                return $"{target} BETWEEN {Value(column, range.GetValueOrDefault("from"), path + ".from")} AND {Value(column, range.GetValueOrDefault("to"), path + ".to")}";
            case "like":
                return $"{target} LIKE {sql.Param(Text(value, path))}";
            case "ilike":
                return $"{target} ILIKE {sql.Param(Text(value, path))}";
            case "contains" when column.Kind == ColumnKind.StringList:
                return $"list_contains({target}, {sql.Param(Text(value, path))})";
            default:
                throw new ApiArgumentException(path, $"'{op}' is not a condition for {column.FieldName}");
        }
    }

    private string Spatial(ColumnModel column, string target, string op, object value, string path)
    {
        var bbox = column == access.Dataset.PrimaryGeometry && access.Dataset.BboxColumn is { } b ? SqlBuilder.Column(alias, b) : null;
        switch (op)
        {
            case "isNull":
                return (bool)value ? target + " IS NULL" : target + " IS NOT NULL";
            case "intersects":
                var geometry = value as NtsGeometry ?? GeoJsonValues.Parse(value);
                var envelope = geometry.EnvelopeInternal;
                return Pruned(bbox, envelope, $"st_intersects({target}, {sql.Param(Geo.ToWkb(geometry))})");
            case "withinBbox":
                var box = AsMap(value, path);
                var west = Number(box.GetValueOrDefault("west"), path + ".west");
                var south = Number(box.GetValueOrDefault("south"), path + ".south");
                var east = Number(box.GetValueOrDefault("east"), path + ".east");
                var north = Number(box.GetValueOrDefault("north"), path + ".north");
                if (west > east || south > north || !Geo.IsValidLonLat(west, south) || !Geo.IsValidLonLat(east, north))
                {
                    throw new ApiArgumentException(path, "must have west ≤ east and south ≤ north, within longitude [-180, 180] and latitude [-90, 90]");
                }
                var rectangle = new Envelope(west, east, south, north);
                return Pruned(bbox, rectangle,
                    $"st_intersects({target}, st_makeenvelope({sql.Param(west)}, {sql.Param(south)}, {sql.Param(east)}, {sql.Param(north)}))");
            case "withinDistance":
                var distance = AsMap(value, path);
                var point = AsMap(distance.GetValueOrDefault("point") ?? throw new ApiArgumentException(path + ".point", "is required"), path + ".point");
                var lon = Number(point.GetValueOrDefault("lon"), path + ".point.lon");
                var lat = Number(point.GetValueOrDefault("lat"), path + ".point.lat");
                var meters = Number(distance.GetValueOrDefault("meters"), path + ".meters");
                if (!Geo.IsValidLonLat(lon, lat))
                {
                    throw new ApiArgumentException(path + ".point", "must be within longitude [-180, 180] and latitude [-90, 90]");
                }
                if (meters is < 0 or > 20_000_000)
                {
                    throw new ApiArgumentException(path + ".meters", "must be between 0 and 20,000,000");
                }
                // A box that surely holds the circle prunes rows before the exact spheroid distance.
                var dLat = meters / 110_000 + 1e-6;
                var dLon = Math.Abs(lat) > 89 ? 180 : meters / (110_000 * Math.Cos(lat * Math.PI / 180)) + 1e-6;
                var around = new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat);
                return Pruned(bbox, around, $"st_dwithin({target}, st_point({sql.Param(lon)}, {sql.Param(lat)}), {sql.Param(meters)})");
            default:
                throw new ApiArgumentException(path, $"'{op}' is not a spatial condition");
        }
    }

    /// <summary>The exact predicate behind a cheap test on the bbox column the lake keeps beside the geometry.</summary>
    private string Pruned(string? bbox, Envelope envelope, string predicate) => bbox is null
        ? predicate
        : $"({bbox}.xmax >= {sql.Param(envelope.MinX)} AND {bbox}.xmin <= {sql.Param(envelope.MaxX)} AND {bbox}.ymax >= {sql.Param(envelope.MinY)} AND {bbox}.ymin <= {sql.Param(envelope.MaxY)} AND {predicate})";

    private string Value(ColumnModel column, object? value, string path)
    {
        if (value is null)
        {
            throw new ApiArgumentException(path, "must not be null (use isNull)");
        }
        object parameter = column.Kind switch
        {
            ColumnKind.String => Text(value, path),
            ColumnKind.Integer => value switch
            {
                long l => l,
                int i => (long)i,
                _ => throw new ApiArgumentException(path, "must be an integer"),
            },
            ColumnKind.Float or ColumnKind.Decimal => Number(value, path),
            ColumnKind.Boolean => value is bool b ? b : throw new ApiArgumentException(path, "must be true or false"),
            ColumnKind.Date => value switch
            {
                DateOnly d => d,
                DateTimeOffset t => DateOnly.FromDateTime(t.DateTime),
                _ => throw new ApiArgumentException(path, "must be a date yyyy-MM-dd"),
            },
            ColumnKind.Timestamp => value switch
            {
                DateTimeOffset t => t.ToUniversalTime(),
                DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                _ => throw new ApiArgumentException(path, "must be a date-time with offset"),
            },
            _ => throw new ApiArgumentException(path, $"{column.FieldName} cannot be compared"),
        };
        return sql.Param(parameter);
    }

    private static string Text(object value, string path) => value as string ?? throw new ApiArgumentException(path, "must be a string");

    private static double Number(object? value, string path)
    {
        var number = value switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            decimal m => (double)m,
            _ => throw new ApiArgumentException(path, "must be a number"),
        };
        return double.IsFinite(number) ? number : throw new ApiArgumentException(path, "must be a finite number");
    }

    internal static IReadOnlyDictionary<string, object?> AsMap(object? value, string path) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary legacy => legacy.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => legacy[k]),
        _ => throw new ApiArgumentException(path, "must be an input object"),
    };

    internal static IReadOnlyList<object?> AsList(object value, string path) => value switch
    {
        IReadOnlyList<object?> list => list,
        string => throw new ApiArgumentException(path, "must be a list"),
        IEnumerable items => items.Cast<object?>().ToList(),
        _ => [value],
    };
}
