using System.Globalization;

using Microsoft.Extensions.Options;

using OneMap.DuckDb.Data;

using OneMap.GraphQL.Execution;
using OneMap.GraphQLApi.Geometry;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// Resolves a dataset's aggregate field: count, sum, avg, min, max, stddev, median, percentiles and distinct counts,
/// grouped by columns, by a time bucket of the city's calendar and by administrative unit, in one SQL statement
/// that computes exactly the aggregates the selection asks for.
/// </summary>
public static class AggregateQuery
{
    /// <summary>Functions over numeric columns (the <c>…Numbers</c> type).</summary>
    public static readonly IReadOnlyList<string> NumericFunctions = ["sum", "avg", "stddev", "median", "percentile"];

    /// <summary>Functions over any comparable column (the <c>…Values</c> type).</summary>
    public static readonly IReadOnlyList<string> ExtremeFunctions = ["min", "max"];

    public static async Task<object?> ResolveAsync(ResolveContext context, ApiRequest request, DatasetModel dataset)
    {
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var options = request.Get<IOptions<ApiOptions>>().Value;
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        var version = DatasetSource.ResolveVersion(lake, dataset, context.Arguments.GetValueOrDefault("asOf"));
        var sql = new SqlBuilder();
        var source = DatasetSource.Relation(sql, lake, access, version);
        var where = new FilterCompiler(access, sql).Compile(context.Arguments.GetValueOrDefault("filter"));

        var keys = new List<Key>();
        if (context.Arguments.GetValueOrDefault("groupBy") is { } groupBy)
        {
            var names = FilterCompiler.AsList(groupBy, "groupBy");
            for (var i = 0; i < names.Count; i++)
            {
                var grouped = Visible(access, names[i] as string, $"groupBy[{i}]", scalarOnly: true);
                if (keys.All(k => k.Column != grouped))
                {
                    keys.Add(new Key("k" + keys.Count.ToString(CultureInfo.InvariantCulture), SqlBuilder.Column("t", grouped.Name), grouped));
                }
            }
        }
        if (context.Arguments.GetValueOrDefault("timeBucket") is { } bucketArgument)
        {
            keys.Add(new Key("kb", TimeBucket(sql, access, FilterCompiler.AsMap(bucketArgument, "timeBucket"), clock), null, Bucket: true));
        }
        string? unitLevel = null;
        if (context.Arguments.GetValueOrDefault("spatialUnit") is string level)
        {
            var geometry = dataset.PrimaryGeometry is { } g && access.CanSee(g.Name)
                ? g
                : throw new ApiArgumentException("spatialUnit", $"{dataset.FieldName} has no geometry you may use");
            var index = await request.Get<SpatialUnits>().IndexAsync(level, context.CancellationToken).ConfigureAwait(false);
            unitLevel = level;
            keys.Add(new Key("ku", $"st_index_first({sql.Param(index)}, {SqlBuilder.Column("t", geometry.Name)})", null, Unit: true));
        }

        var aggregates = new List<Aggregate>();
        var wantsFeatures = false;
        foreach (var field in context.SelectedFields)
        {
            if (field.Name == "featureCollection")
            {
                wantsFeatures = true;
            }
            if (field.Name is not ("groups" or "featureCollection"))
            {
                continue;
            }
            foreach (var groupField in field.Name == "groups" ? field.SelectedFields : [])
            {
                AddAggregates(groupField, access, aggregates);
            }
        }
        if (wantsFeatures && unitLevel is null)
        {
            throw new ApiArgumentException("featureCollection", "aggregates are features only when grouped by spatialUnit");
        }

        var select = keys.Select(k => $"{k.Sql} AS {k.Alias}").Append("count(*) AS c").Concat(aggregates.Select(a => $"{a.Sql} AS {a.Alias}"));
        var groupClause = keys.Count == 0 ? "" : " GROUP BY " + string.Join(", ", keys.Select(k => k.Alias));
        var orderClause = context.Arguments.GetValueOrDefault("orderByCount") is string direction
            ? " ORDER BY c " + (direction == "DESC" ? "DESC" : "ASC") + string.Concat(keys.Select(k => ", " + k.Alias + " ASC NULLS LAST"))
            : keys.Count == 0 ? "" : " ORDER BY " + string.Join(", ", keys.Select(k => k.Alias + " ASC NULLS LAST"));
        var limit = Math.Min(context.Argument<int?>("limit") ?? options.MaxGroups, options.MaxGroups);
        if (limit < 0)
        {
            throw new ApiArgumentException("limit", "must not be negative");
        }
        var inner = $"SELECT {string.Join(", ", select)} FROM {source} WHERE {where}{groupClause}{orderClause} LIMIT {sql.Param(limit)}";
        if (unitLevel is not null)
        {
            var units = request.Get<SpatialUnits>().Dataset;
            var unitVersion = lake.CurrentVersion(units);
            sql.Append("SELECT g.*, u.name AS unit_name").Append(wantsFeatures ? ", u.geom AS unit_geom" : "")
                .Append(" FROM (").Append(inner).Append(") g LEFT JOIN (SELECT CAST(code AS VARCHAR) AS code, CAST(name AS VARCHAR) AS name")
                .Append(wantsFeatures ? ", geom" : "").Append(" FROM ").Append(lake.Relation(units, unitVersion)).Append(" WHERE level = ")
                .Append(sql.Param(unitLevel)).Append(") u ON u.code = g.ku");
            sql.Append(orderClause.Replace("ORDER BY c", "ORDER BY g.c", StringComparison.Ordinal));
        }
        else
        {
            sql.Append(inner);
        }

        var minimum = request.Limits.MinGroupSize ?? 1;
        if (unitLevel is null && options.DirectJson && DirectGroupsPlan(context, keys, aggregates) is { } plan)
        {
            // The same statement, its groups written as JSON from the result chunks; null when a value needs the general path.
            var written = await lake.ReadAsync(sql.Build(), (reader, cancellationToken) => plan.Write((DuckDbDataReader)reader, minimum, clock, cancellationToken),
                context.CancellationToken).ConfigureAwait(false);
            var counts = request.Get<DirectJsonCounts>();
            if (written is null)
            {
                counts.CountFellBack();
            }
            else
            {
                counts.CountWritten();
                request.CountRows(written.Count);
                return new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["groups"] = written.Groups,
                    ["suppressedGroups"] = written.Withheld,
                    ["version"] = version ?? -1,
                };
            }
        }
        // Names shared by every group: key and count under their field names (the engine's default resolver reads them,
        // no resolver call per group), then one slot per aggregate response key (aliases may ask for several
        // percentiles), each holding its columns under their field names.
        var keyNames = keys.Select(k => k.Column?.FieldName ?? (k.Bucket ? "bucket" : "unit")).ToArray();
        var slotNames = aggregates.Select(a => GroupSlot(a.FunctionKey)).Distinct(StringComparer.Ordinal).ToList();
        var groupNames = new[] { "key", "count" }.Concat(slotNames).ToArray();
        var slotColumns = slotNames.Select(slot => aggregates.Where(a => GroupSlot(a.FunctionKey) == slot).Select(a => a.Column.FieldName).Distinct(StringComparer.Ordinal).ToArray()).ToArray();
        var placement = aggregates.Select(a =>
        {
            var slot = slotNames.IndexOf(GroupSlot(a.FunctionKey));
            return (Slot: slot, Column: Array.IndexOf(slotColumns[slot], a.Column.FieldName));
        }).ToArray();
        var built = await lake.ReadAsync(sql.Build(), (reader, cancellationToken) =>
        {
            var column = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
            var keyIndexes = keys.Select(k => column[k.Alias]).ToArray();
            var aggregateIndexes = aggregates.Select(a => column[a.Alias]).ToArray();
            var countIndex = column["c"];
            var unitNameIndex = unitLevel is null ? -1 : column["unit_name"];
            var unitGeometryIndex = wantsFeatures ? column["unit_geom"] : -1;
            var groups = new List<NamedValues>();
            // Every group stays alive until the response is written, so repeated values (station ids, bucket starts,
            // small counts) are shared rather than boxed again per group: fewer live objects, less for the GC to copy.
            var shared = new Dictionary<object, object>();
            object Share(object value)
            {
                if (!shared.TryGetValue(value, out var existing))
                {
                    existing = value;
                    if (shared.Count < 100_000)
                    {
                        shared[value] = value;
                    }
                }
                return existing;
            }
            object? ShareScalar(object? value) => value is string or DateTimeOffset or DateOnly or long or int or bool ? Share(value) : value;
            var features = new List<(byte[]? Geometry, List<KeyValuePair<string, object?>> Properties)>();
            var withheld = 0;
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = reader.GetInt64(countIndex);
                if (count < minimum)
                {
                    withheld++;
                    continue;
                }
                var keyValues = new object?[keys.Count];
                for (var k = 0; k < keys.Count; k++)
                {
                    var value = reader.IsDBNull(keyIndexes[k]) ? null : reader.GetValue(keyIndexes[k]);
                    var definition = keys[k];
                    keyValues[k] = definition.Column is { } c ? ShareScalar(RowValues.Convert(value, c.Kind, clock))
                        : definition.Bucket ? ShareScalar(RowValues.Convert(value, ColumnKind.Timestamp, clock))
                        : value is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["code"] = value,
                            ["name"] = reader.IsDBNull(unitNameIndex) ? null : reader.GetValue(unitNameIndex),
                            ["level"] = unitLevel,
                        };
                }
                var key = new NamedValues(keyNames, keyValues);
                var groupValues = new object?[groupNames.Length];
                groupValues[0] = key;
                groupValues[1] = count < 1024 ? Share(count) : count;
                for (var s = 0; s < slotNames.Count; s++)
                {
                    groupValues[2 + s] = new NamedValues(slotColumns[s], new object?[slotColumns[s].Length]);
                }
                // Feature properties are only gathered when a feature collection was asked for (large groupings skip it).
                var properties = wantsFeatures ? new List<KeyValuePair<string, object?>>() : null;
                if (properties is not null)
                {
                    foreach (var (name, value) in key)
                    {
                        properties.Add(new(name, value is Dictionary<string, object?> unit ? unit["code"] : value));
                    }
                    if (unitLevel is not null && key.GetValueOrDefault("unit") is Dictionary<string, object?> u)
                    {
                        properties.Add(new("unit_name", u["name"]));
                    }
                    properties.Add(new("count", count));
                }
                for (var a = 0; a < aggregates.Count; a++)
                {
                    var value = RowValues.Convert(reader.IsDBNull(aggregateIndexes[a]) ? null : reader.GetValue(aggregateIndexes[a]), aggregates[a].Column.Kind, clock);
                    // Every alias of one column in one function holds the same value.
                    ((NamedValues)groupValues[2 + placement[a].Slot]!).Set(placement[a].Column, value);
                    properties?.Add(new(aggregates[a].FunctionKey + "_" + aggregates[a].ColumnKey, value));
                }
                groups.Add(new NamedValues(groupNames, groupValues));
                if (properties is not null)
                {
                    features.Add((reader.IsDBNull(unitGeometryIndex) ? null : reader.GetValue(unitGeometryIndex) as byte[], properties));
                }
            }
            return (Groups: groups, Features: features, Withheld: withheld);
        }, context.CancellationToken).ConfigureAwait(false);
        var (groups, features, withheld) = built;
        request.CountRows(groups.Count);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["groups"] = groups,
            ["suppressedGroups"] = withheld,
            ["version"] = version ?? -1,
        };
        if (wantsFeatures)
        {
            result["featureCollection"] = FeatureCollectionWriter.Write(features, f => f.Geometry, f => f.Properties);
        }
        return result;
    }

    /// <summary>
    /// The direct writer's plan when the selection asks for groups once (an alias asking twice, with different fields,
    /// would read the one value the resolver returns), or null.
    /// </summary>
    private static GroupsJson? DirectGroupsPlan(ResolveContext context, IReadOnlyList<Key> keys, IReadOnlyList<Aggregate> aggregates)
    {
        var groups = context.SelectedFields.Where(f => f.Name == "groups").ToList();
        return groups.Count == 1 ? GroupsJson.Plan(groups[0], keys, aggregates) : null;
    }

    /// <summary>Reads a group's aggregate under its response key (aliases may ask for several percentiles).</summary>
    public static object? GroupValue(ResolveContext context) =>
        context.Parent is IReadOnlyDictionary<string, object?> group ? group.GetValueOrDefault(GroupSlot(context.ResponseKey)) : null;

    /// <summary>The entry of an aggregate in its group: its response key, moved aside when an alias takes a key or count name.</summary>
    private static string GroupSlot(string responseKey) => responseKey switch
    {
        "key" => "$key",
        "count" => "$count",
        _ => responseKey,
    };

    private static void AddAggregates(SelectedField groupField, DatasetAccess access, List<Aggregate> aggregates)
    {
        var function = groupField.Name;
        if (function is "key" or "count" or "__typename")
        {
            return;
        }
        double? p = null;
        if (function == "percentile")
        {
            var argument = groupField.Arguments.GetValueOrDefault("p");
            p = argument switch
            {
                double d => d,
                long l => l,
                int i => i,
                _ => null,
            };
            if (p is not { } value || !double.IsFinite(value) || value < 0 || value > 1)
            {
                throw new ApiArgumentException(groupField.ResponseKey + ".p", "must be a number from 0 to 1");
            }
        }
        foreach (var columnField in groupField.SelectedFields)
        {
            if (columnField.Name == "__typename")
            {
                continue;
            }
            var column = access.Dataset.ColumnByField(columnField.Name);
            if (column is null || !access.CanSee(column.Name))
            {
                throw new ApiArgumentException(groupField.ResponseKey + "." + columnField.ResponseKey, "is not a column you may aggregate");
            }
            var target = SqlBuilder.Column("t", column.Name);
            var sql = function switch
            {
                "countDistinct" => $"count(DISTINCT {target})",
                "sum" => $"CAST(sum({target}) AS DOUBLE)",
                "avg" => $"avg({target})",
                "stddev" => $"stddev_samp({target})",
                "min" => $"min({target})",
                "max" => $"max({target})",
                "median" => $"quantile_cont({target}, 0.5)",
                // DuckDB wants the quantile as a constant: a number checked above and printed by OneMap, not request text.
                "percentile" => $"quantile_cont({target}, {p!.Value.ToString("R", CultureInfo.InvariantCulture)})",
                _ => throw new ApiArgumentException(groupField.ResponseKey, $"'{function}' is not an aggregate"),
            };
            var resultColumn = function is "countDistinct" ? column with { Kind = ColumnKind.Integer } : function is "min" or "max" ? column : column with { Kind = ColumnKind.Float };
            aggregates.Add(new Aggregate("a" + aggregates.Count.ToString(CultureInfo.InvariantCulture), sql, groupField.ResponseKey, columnField.ResponseKey, resultColumn));
        }
    }

    private static string TimeBucket(SqlBuilder sql, DatasetAccess access, IReadOnlyDictionary<string, object?> bucket, CityClock clock)
    {
        var column = Visible(access, bucket.GetValueOrDefault("column") as string, "timeBucket.column", scalarOnly: true);
        if (!column.IsTemporal)
        {
            throw new ApiArgumentException("timeBucket.column", $"{column.FieldName} is not a date or time");
        }
        var unit = bucket.GetValueOrDefault("unit") as string ?? throw new ApiArgumentException("timeBucket.unit", "is required");
        var size = bucket.GetValueOrDefault("size") switch
        {
            null => 1,
            int i => i,
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            _ => 0,
        };
        if (size is < 1 or > 10_000)
        {
            throw new ApiArgumentException("timeBucket.size", "must be from 1 to 10000");
        }
        var target = SqlBuilder.Column("t", column.Name);
        if (column.Kind == ColumnKind.Timestamp)
        {
            return TimeBuckets.OfTimestamp(sql, target, unit, size, clock);
        }
        // Dates are calendar days already: bucket them as local midnights.
        if (!TimeBuckets.Units.Contains(unit))
        {
            throw new ApiArgumentException("timeBucket.unit", $"'{unit}' is not a time unit");
        }
        var zone = sql.Param(clock.ZoneId);
        var day = $"CAST({target} AS TIMESTAMP)";
        var bucketed = size == 1 ? $"date_trunc('{unit}', {day})" : $"time_bucket(to_days({sql.Param(unit == "week" ? 7 * size : size)}), {day})";
        if (size > 1 && unit is not ("day" or "week"))
        {
            throw new ApiArgumentException("timeBucket.size", "date columns take sizes above 1 in days or weeks only");
        }
        return $"timezone({zone}, CAST({bucketed} AS TIMESTAMP))";
    }

    private static ColumnModel Visible(DatasetAccess access, string? name, string argument, bool scalarOnly)
    {
        var column = name is null ? null : access.Dataset.Column(name);
        if (column is null || !access.CanSee(column.Name) || (scalarOnly && !column.IsScalar))
        {
            throw new ApiArgumentException(argument, $"'{name}' is not a column of {access.Dataset.FieldName} you may group by");
        }
        return column;
    }

    internal sealed record Key(string Alias, string Sql, ColumnModel? Column, bool Bucket = false, bool Unit = false);

    internal sealed record Aggregate(string Alias, string Sql, string FunctionKey, string ColumnKey, ColumnModel Column);
}
