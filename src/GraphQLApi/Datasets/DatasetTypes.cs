using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Exports;
using OneMap.GraphQLApi.Schema;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// Generates the schema of one dataset from its catalog entry: the row type (columns with their descriptions and
/// units), filter, order and column enums, the connection field, the aggregate field and the export field.
/// Every element standing for a column carries <see cref="ColumnRef"/> metadata, so a role's schema hides exactly
/// the columns it may not see.
/// </summary>
public static class DatasetTypes
{
    public static void Add(SchemaBuilder schema, DatasetModel dataset)
    {
        var t = dataset.TypeName;
        var scalars = dataset.Columns.Where(c => c.IsScalar).ToList();
        var numeric = dataset.Columns.Where(c => c.IsNumeric).ToList();
        var temporal = dataset.Columns.Where(c => c.IsTemporal).ToList();
        ColumnRef Ref(ColumnModel c) => new(dataset.Name, c.Name);

        schema.Object(t, o =>
        {
            o.Description(dataset.SchemaDescription);
            foreach (var column in dataset.Columns)
            {
                var nonNull = !column.Nullable && column.Kind != ColumnKind.StringList ? "!" : "";
                o.Field(column.FieldName, CommonTypes.OutputType(column.Kind) + nonNull, f => f.Description(ColumnDescription(column)).Metadata(SchemaMetadata.Column, Ref(column)));
            }
        });

        if (scalars.Count > 0)
        {
            schema.Enum(t + "Column", e =>
            {
                e.Description($"A column of {dataset.FieldName} to order or group by.");
                foreach (var column in scalars)
                {
                    e.Value(column.FieldName, column.Name, v => v.Description(column.SchemaDescription).Metadata(SchemaMetadata.Column, Ref(column)));
                }
            });
            schema.InputObject(t + "OrderBy", i => i.Description($"An ordering of {dataset.FieldName} rows.")
                .Field("column", t + "Column!")
                .Field("direction", CommonTypes.SortDirection, f => f.DefaultValue("ASC"))
                .Field("nullsFirst", "Boolean", f => f.Description("Rows without a value first (default last).")));
        }
        if (temporal.Count > 0)
        {
            schema.Enum(t + "TimeColumn", e =>
            {
                foreach (var column in temporal)
                {
                    e.Value(column.FieldName, column.Name, v => v.Metadata(SchemaMetadata.Column, Ref(column)));
                }
            });
            schema.InputObject(t + "TimeBucket", i => i.Description("Group by a time bucket of the city's calendar (Asia/Shanghai unless configured).")
                .Field("column", t + "TimeColumn!")
                .Field("unit", CommonTypes.TimeUnit + "!")
                .Field("size", "Int", f => f.Description("Buckets of this many units (default 1: calendar-aligned).")));
        }

        schema.InputObject(t + "Filter", i =>
        {
            i.Description($"Conditions on {dataset.FieldName} rows; all given must hold.")
                .Field("and", $"[{t}Filter!]", f => f.Description("All of these hold."))
                .Field("or", $"[{t}Filter!]", f => f.Description("At least one of these holds."))
                .Field("not", t + "Filter", f => f.Description("This does not hold."));
            foreach (var column in dataset.Columns)
            {
                var filter = CommonTypes.FilterType(column.Kind);
                if (filter.Length > 0)
                {
                    i.Field(column.FieldName, filter, f => f.Description(column.SchemaDescription).Metadata(SchemaMetadata.Column, Ref(column)));
                }
            }
        });

        schema.Object(t + "Edge", o => o.Field("cursor", "String!").Field("node", t + "!"));
        schema.Object(t + "Connection", o => o.Description($"A page of {dataset.FieldName} rows.")
            .Field("totalCount", "Long!", f => f.Description("Rows matching the filter (all pages)."))
            .Field("pageInfo", CommonTypes.PageInfo + "!")
            .Field("edges", $"[{t}Edge!]!")
            .Field("nodes", $"[{t}!]!")
            .Field("version", "Long!", f => f.Description("The table version read."))
            .Field("featureCollection", "JSON", f => f.Description("The page as a GeoJSON FeatureCollection (geometry of the first geometry column; other visible columns as properties).")));

        // Aggregates.
        schema.Object(t + "GroupKey", o =>
        {
            o.Description("The values a group shares.");
            foreach (var column in scalars)
            {
                o.Field(column.FieldName, CommonTypes.OutputType(column.Kind), f => f.Description(column.SchemaDescription).Metadata(SchemaMetadata.Column, Ref(column)));
            }
            o.Field("bucket", "DateTime", f => f.Description("Start of the time bucket (with timeBucket)."));
            if (dataset.PrimaryGeometry is not null)
            {
                o.Field("unit", CommonTypes.AdminUnitRef, f => f.Description("The administrative unit (with spatialUnit).").Metadata(SchemaMetadata.Column, Ref(dataset.PrimaryGeometry)));
            }
        });
        var byResponseKey = Resolvers.Plain(c => c.Parent is IReadOnlyDictionary<string, object?> map ? map.GetValueOrDefault(c.ResponseKey) : null);
        if (numeric.Count > 0)
        {
            schema.Object(t + "Numbers", o =>
            {
                foreach (var column in numeric)
                {
                    o.Field(column.FieldName, "Float", f => f.Description(column.SchemaDescription).Metadata(SchemaMetadata.Column, Ref(column)).Resolve(byResponseKey));
                }
            });
        }
        if (scalars.Count > 0)
        {
            schema.Object(t + "Values", o =>
            {
                foreach (var column in scalars)
                {
                    o.Field(column.FieldName, CommonTypes.OutputType(column.Kind), f => f.Description(column.SchemaDescription).Metadata(SchemaMetadata.Column, Ref(column)).Resolve(byResponseKey));
                }
            });
            schema.Object(t + "Counts", o =>
            {
                foreach (var column in scalars)
                {
                    o.Field(column.FieldName, "Long", f => f.Metadata(SchemaMetadata.Column, Ref(column)).Resolve(byResponseKey));
                }
            });
        }
        var groupValue = Resolvers.Plain(AggregateQuery.GroupValue);
        schema.Object(t + "Group", o =>
        {
            o.Description($"A group of {dataset.FieldName} rows and its aggregates.")
                .Field("key", t + "GroupKey!", f => f.Resolve(groupValue))
                .Field("count", "Long!", f => f.Description("Rows in the group.").Resolve(groupValue));
            if (scalars.Count > 0)
            {
                o.Field("countDistinct", t + "Counts", f => f.Description("Distinct values per column.").Resolve(groupValue))
                    .Field("min", t + "Values", f => f.Resolve(groupValue))
                    .Field("max", t + "Values", f => f.Resolve(groupValue));
            }
            if (numeric.Count > 0)
            {
                o.Field("sum", t + "Numbers", f => f.Resolve(groupValue))
                    .Field("avg", t + "Numbers", f => f.Resolve(groupValue))
                    .Field("stddev", t + "Numbers", f => f.Description("Sample standard deviation.").Resolve(groupValue))
                    .Field("median", t + "Numbers", f => f.Resolve(groupValue))
                    .Field("percentile", t + "Numbers", f => f.Description("The p-quantile (continuous), p from 0 to 1.").Argument("p", "Float!").Resolve(groupValue));
            }
        });
        schema.Object(t + "Aggregate", o => o.Description($"Aggregates of {dataset.FieldName}.")
            .Field("groups", $"[{t}Group!]!")
            .Field("suppressedGroups", "Int!", f => f.Description("Groups withheld because they hold fewer rows than the role's minimum group size."))
            .Field("version", "Long!", f => f.Description("The table version read."))
            .Field("featureCollection", "JSON", f => f.Description("With spatialUnit: the groups as GeoJSON features with the units' boundaries.")));

        var connectionResolver = Resolvers.Of((ResolveContext c, ApiRequest r) => RowQuery.ResolveConnectionAsync(c, r, dataset));
        var aggregateResolver = Resolvers.Of((ResolveContext c, ApiRequest r) => AggregateQuery.ResolveAsync(c, r, dataset));
        var exportResolver = Resolvers.Of((ResolveContext c, ApiRequest r) => ExportQuery.PrepareAsync(c, r, dataset));
        schema.Query(q =>
        {
            q.Field(dataset.FieldName, t + "Connection!", f =>
            {
                f.Description(dataset.SchemaDescription)
                    .Argument("filter", t + "Filter")
                    .Argument("first", "Int", a => a.Description("Rows from the start (after the cursor)."))
                    .Argument("after", "String")
                    .Argument("last", "Int", a => a.Description("Rows from the end (before the cursor)."))
                    .Argument("before", "String")
                    .Argument("asOf", CommonTypes.AsOf, a => a.Description("Read the table as of a version or a time."))
                    .Metadata(SchemaMetadata.Dataset, new DatasetField(dataset.Name, DatasetUse.Rows))
                    .Cost(new CostHint(1, ["first", "last"], SizedFields: ["edges", "nodes"]))
                    .Resolve(connectionResolver);
                if (scalars.Count > 0)
                {
                    f.Argument("orderBy", $"[{t}OrderBy!]", a => a.Description("Order of the rows; ties are broken by the key columns."));
                }
            });
            q.Field(dataset.FieldName + "_aggregate", t + "Aggregate!", f =>
            {
                f.Description($"Aggregates of {dataset.FieldName}: counts, sums, averages, extremes, percentiles and distinct counts, by group.")
                    .Argument("filter", t + "Filter")
                    .Argument("asOf", CommonTypes.AsOf)
                    .Argument("limit", "Int", a => a.Description("Most groups returned."))
                    .Argument("orderByCount", CommonTypes.SortDirection, a => a.Description("Order groups by their count (else by their key)."))
                    .Metadata(SchemaMetadata.Dataset, new DatasetField(dataset.Name, DatasetUse.Aggregate))
                    .Cost(new CostHint(10, ["limit"], SizedFields: ["groups"]))
                    .Resolve(aggregateResolver);
                if (scalars.Count > 0)
                {
                    f.Argument("groupBy", $"[{t}Column!]", a => a.Description("Group by these columns."));
                }
                if (temporal.Count > 0)
                {
                    f.Argument("timeBucket", t + "TimeBucket", a => a.Description("Group by a time bucket."));
                }
                if (dataset.PrimaryGeometry is not null)
                {
                    f.Argument("spatialUnit", CommonTypes.AdminLevel, a => a.Description("Group by the administrative unit the geometry lies in (its centroid for areas)."));
                }
            });
            q.Field(dataset.FieldName + "_export", CommonTypes.Export + "!", f =>
            {
                f.Description($"Prepares a download of the {dataset.FieldName} rows matching the filter, as CSV or Parquet.")
                    .Argument("filter", t + "Filter")
                    .Argument("format", CommonTypes.ExportFormat + "!")
                    .Argument("asOf", CommonTypes.AsOf)
                    .Argument("columns", $"[{t}Column!]", a => a.Description("Only these columns (default: every column you may see)."))
                    .Metadata(SchemaMetadata.Dataset, new DatasetField(dataset.Name, DatasetUse.Export))
                    .Resolve(exportResolver);
                if (scalars.Count > 0)
                {
                    f.Argument("orderBy", $"[{t}OrderBy!]");
                }
            });
        });
    }

    private static string? ColumnDescription(ColumnModel column)
    {
        var sensitivity = column.Sensitivity switch
        {
            Lakehouse.Tables.Sensitivity.Internal => " Internal.",
            Lakehouse.Tables.Sensitivity.Personal => " Personal data (masked).",
            _ => "",
        };
        var text = column.SchemaDescription + sensitivity;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
