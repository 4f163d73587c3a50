using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// The one place a dataset is read from: a subquery over the table's view (or a version of it) that projects only
/// the columns the caller may see and keeps only the rows a row rule leaves it. Queries, aggregates, exports and
/// curated fields all select from this relation, so a hidden column cannot be named and a hidden row cannot be
/// reached, whatever the rest of the SQL says.
/// </summary>
public static class DatasetSource
{
    /// <summary>Appends <c>(SELECT visible columns FROM view WHERE row rule) AS alias</c>.</summary>
    public static string Relation(SqlBuilder sql, LakeQueries lake, DatasetAccess access, long? version, string alias = "t")
    {
        var dataset = access.Dataset;
        var columns = access.Columns.Select(c => SqlBuilder.Identifier(c.Name)).ToList();
        if (dataset.BboxColumn is { } bbox && dataset.PrimaryGeometry is { } geometry && access.CanSee(geometry.Name))
        {
            columns.Add(SqlBuilder.Identifier(bbox));
        }
        if (columns.Count == 0)
        {
            // Nothing visible: the relation still counts rows (for a public count) but exposes no value.
            columns.Add("1 AS \"_row\"");
        }
        var text = $"(SELECT {string.Join(", ", columns)} FROM {lake.Relation(dataset.Name, version)}";
        if (access.RowFilter is { } rule)
        {
            text += rule.Column.Length == 0
                ? " WHERE FALSE"
                : $" WHERE {SqlBuilder.Identifier(rule.Column)} = {sql.Param(rule.Value)}";
        }
        return text + ") AS " + alias;
    }

    /// <summary>The version to read: as of a version or a time when asked, else the view's current one.</summary>
    public static long? ResolveVersion(LakeQueries lake, DatasetModel dataset, object? asOf, string argument = "asOf")
    {
        if (asOf is null)
        {
            return lake.CurrentVersion(dataset.Name);
        }
        var map = FilterCompiler.AsMap(asOf, argument);
        if (map.GetValueOrDefault("version") is { } v)
        {
            var version = v is long l ? l : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture);
            var current = lake.CurrentVersion(dataset.Name) ?? -1;
            if (version < 0 || version > current)
            {
                throw new ApiArgumentException(argument + ".version", $"{dataset.Name} has versions 0 to {current}");
            }
            return version;
        }
        if (map.GetValueOrDefault("time") is DateTimeOffset time)
        {
            try
            {
                return lake.VersionAt(dataset.Name, time);
            }
            catch (Lakehouse.LakehouseException e)
            {
                throw new ApiArgumentException(argument + ".time", $"{dataset.Name} has no version at {time:O}", e);
            }
        }
        throw new ApiArgumentException(argument, "give a version or a time");
    }
}
