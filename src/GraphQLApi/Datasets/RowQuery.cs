using System.Globalization;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Types;
using OneMap.GraphQL.Execution;
using OneMap.GraphQLApi.Geometry;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// Resolves a dataset's connection field: filter, order, Relay cursor pagination over one table version, the total
/// count and the page as GeoJSON, reading only the columns the selection asks for.
/// </summary>
public static class RowQuery
{
    /// <summary>Metadata key of a field added to a dataset's row type: the columns it needs from the row (string array).</summary>
    public const string NeedsColumns = "onemap.needs";

    public static async Task<object?> ResolveConnectionAsync(ResolveContext context, ApiRequest request, DatasetModel dataset)
    {
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        if (!access.CanReadRows)
        {
            throw new ApiForbiddenException($"the {request.Caller.Role.Name()} role may not list rows of {dataset.FieldName}; use {dataset.FieldName}_aggregate");
        }
        var page = Page.From(context, request, lake, dataset);
        var selection = Selection.Of(context, dataset, access);

        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["version"] = page.Version ?? -1 };
        long? total = null;
        if (selection.TotalCount || page.NeedsTotal)
        {
            var count = new SqlBuilder();
            count.Append("SELECT count(*) FROM ").Append(DatasetSource.Relation(count, lake, access, page.Version))
                .Append(" WHERE ").Append(new FilterCompiler(access, count).Compile(context.Arguments.GetValueOrDefault("filter")));
            var counted = await lake.QueryAsync(count.Build(), context.CancellationToken).ConfigureAwait(false);
            total = Convert.ToInt64(counted.Rows[0][0], CultureInfo.InvariantCulture);
            result["totalCount"] = total;
        }
        var (start, limit) = page.Window(total);
        var rows = new List<Dictionary<string, object?>>();
        var more = false;
        var rowCount = 0;
        // Only the feature collection (no nodes or edges): written straight from the result chunks.
        var direct = selection.FeatureCollection && !selection.NodesOrEdges && request.Get<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.DirectJson;
        if (direct)
        {
            var sql = PageStatement(context, lake, access, page, selection.Columns, start, limit);
            var properties = selection.Columns.Select((c, i) => (Column: c, Ordinal: i)).Where(c => c.Column.Kind != ColumnKind.Geometry)
                .Select(c => new FeatureCollectionChunks.Property(c.Column.FieldName, c.Ordinal, c.Column.Kind)).ToList();
            var geometry = dataset.PrimaryGeometry;
            var geometryOrdinal = geometry is null ? -1 : selection.Columns.ToList().FindIndex(c => c.Name == geometry.Name);
            var written = limit <= 0
                ? FeatureCollectionChunks.Empty
                : await lake.ReadAsync(sql, (reader, cancellationToken) =>
                {
                    var duckReader = (DuckDbDataReader)reader;
                    // The general path reads a geometry as WKB bytes; a column of any other type gives features no geometry.
                    var wkbOrdinal = geometryOrdinal >= 0 && duckReader.GetColumnType(geometryOrdinal).Id is DuckDbTypeId.Blob or DuckDbTypeId.Geometry ? geometryOrdinal : -1;
                    return FeatureCollectionChunks.Write(duckReader, wkbOrdinal, properties, limit, clock, cancellationToken);
                }, context.CancellationToken).ConfigureAwait(false);
            request.Get<DirectJsonCounts>().CountWritten();
            result["featureCollection"] = written.Collection;
            rowCount = written.Features;
            more = written.More;
        }
        else if (limit > 0 && (selection.Rows || selection.PageInfo))
        {
            var columns = selection.Columns;
            var read = await lake.QueryAsync(PageStatement(context, lake, access, page, columns, start, limit), context.CancellationToken).ConfigureAwait(false);
            more = read.Rows.Count > limit;
            foreach (var raw in read.Rows.Take((int)limit))
            {
                var row = new Dictionary<string, object?>(columns.Count + 1, StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    row[columns[i].FieldName] = RowValues.Convert(raw[i], columns[i].Kind, clock);
                }
                rows.Add(row);
            }
            rowCount = rows.Count;
        }
        request.CountRows(rowCount);
        var version = page.Version ?? -1;
        var edges = rows.Select((row, i) => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["cursor"] = new Cursor(version, start + i).ToString(),
            ["node"] = row,
        }).ToList();
        result["edges"] = edges;
        result["nodes"] = rows;
        result["pageInfo"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["hasNextPage"] = more || (total is { } t && start + rowCount < t && page.HasBefore),
            ["hasPreviousPage"] = start > 0,
            ["startCursor"] = rowCount > 0 ? new Cursor(version, start).ToString() : null,
            ["endCursor"] = rowCount > 0 ? new Cursor(version, start + rowCount - 1).ToString() : null,
        };
        if (selection.FeatureCollection && !direct)
        {
            var geometry = dataset.PrimaryGeometry;
            var properties = selection.Columns.Where(c => c.Kind != ColumnKind.Geometry).ToList();
            result["featureCollection"] = FeatureCollectionWriter.Write(rows,
                row => geometry is not null && row.GetValueOrDefault(geometry.FieldName) is byte[] wkb ? wkb : null,
                row => properties.Select(c => new KeyValuePair<string, object?>(c.FieldName, row.GetValueOrDefault(c.FieldName))));
        }
        return result;
    }

    /// <summary>The page's statement: the selected columns through the caller's relation, filtered, in a total order, one row past the page.</summary>
    private static SqlCommand PageStatement(ResolveContext context, LakeQueries lake, DatasetAccess access, Page page, IReadOnlyList<ColumnModel> columns, long start, long limit)
    {
        var sql = new SqlBuilder();
        sql.Append("SELECT ").Append(columns.Count == 0 ? "1" : string.Join(", ", columns.Select(c => SqlBuilder.Column("t", c.Name))))
            .Append(" FROM ").Append(DatasetSource.Relation(sql, lake, access, page.Version))
            .Append(" WHERE ").Append(new FilterCompiler(access, sql).Compile(context.Arguments.GetValueOrDefault("filter")))
            .Append(" ORDER BY ").Append(OrderBy(context.Arguments.GetValueOrDefault("orderBy"), access))
            .Append(" LIMIT ").Append(sql.Param(limit + 1)).Append(" OFFSET ").Append(sql.Param(start));
        return sql.Build();
    }

    /// <summary>ORDER BY from the orderBy argument, then the key columns (or every scalar column) so the order is total.</summary>
    public static string OrderBy(object? orderBy, DatasetAccess access, string alias = "t")
    {
        var terms = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (orderBy is not null)
        {
            var items = FilterCompiler.AsList(orderBy, "orderBy");
            for (var i = 0; i < items.Count; i++)
            {
                var item = FilterCompiler.AsMap(items[i], $"orderBy[{i}]");
                var name = item.GetValueOrDefault("column") as string ?? throw new ApiArgumentException($"orderBy[{i}].column", "is required");
                var column = access.Dataset.Column(name);
                if (column is null || !access.CanSee(name) || !column.IsScalar)
                {
                    throw new ApiArgumentException($"orderBy[{i}].column", $"cannot order {access.Dataset.FieldName} by '{name}'");
                }
                var descending = item.GetValueOrDefault("direction") as string == "DESC";
                var nulls = item.GetValueOrDefault("nullsFirst") is true ? " NULLS FIRST" : " NULLS LAST";
                if (used.Add(name))
                {
                    terms.Add(SqlBuilder.Column(alias, name) + (descending ? " DESC" : " ASC") + nulls);
                }
            }
        }
        var tiebreak = access.Dataset.KeyColumns.Where(access.CanSee).ToList();
        if (tiebreak.Count == 0)
        {
            tiebreak = access.Columns.Where(c => c.IsScalar).Select(c => c.Name).ToList();
        }
        foreach (var name in tiebreak.Where(used.Add))
        {
            terms.Add(SqlBuilder.Column(alias, name) + " ASC NULLS LAST");
        }
        return terms.Count == 0 ? "1" : string.Join(", ", terms);
    }

    /// <summary>What the selection below a connection field asks for.</summary>
    private sealed record Selection(bool TotalCount, bool PageInfo, bool Rows, bool NodesOrEdges, bool FeatureCollection, IReadOnlyList<ColumnModel> Columns)
    {
        public static Selection Of(ResolveContext context, DatasetModel dataset, DatasetAccess access)
        {
            bool total = false, pageInfo = false, rows = false, nodesOrEdges = false, features = false;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in context.SelectedFields)
            {
                switch (field.Name)
                {
                    case "totalCount":
                        total = true;
                        break;
                    case "pageInfo":
                        pageInfo = true;
                        break;
                    case "featureCollection":
                        features = true;
                        rows = true;
                        foreach (var column in access.Columns)
                        {
                            names.Add(column.Name);
                        }
                        break;
                    case "nodes":
                        rows = true;
                        nodesOrEdges = true;
                        AddNodeFields(field.SelectedFields, dataset, names);
                        break;
                    case "edges":
                        rows = true;
                        nodesOrEdges = true;
                        foreach (var edgeField in field.SelectedFields.Where(f => f.Name == "node"))
                        {
                            AddNodeFields(edgeField.SelectedFields, dataset, names);
                        }
                        break;
                }
            }
            foreach (var key in dataset.KeyColumns)
            {
                names.Add(key);
            }
            var columns = access.Columns.Where(c => names.Contains(c.Name)).ToList();
            return new Selection(total, pageInfo, rows, nodesOrEdges, features, columns);
        }

        private static void AddNodeFields(IReadOnlyList<SelectedField> fields, DatasetModel dataset, HashSet<string> names)
        {
            foreach (var field in fields)
            {
                if (dataset.ColumnByField(field.Name) is { } column)
                {
                    names.Add(column.Name);
                }
                else if (field.Definition.Metadata.GetValueOrDefault(NeedsColumns) is IEnumerable<string> needs)
                {
                    foreach (var need in needs)
                    {
                        names.Add(need);
                    }
                }
            }
        }
    }

    /// <summary>The requested window: first/after or last/before, and the version the cursors pin.</summary>
    private sealed class Page
    {
        private int? first;
        private int? last;
        private long? afterOffset;
        private long? beforeOffset;

        public long? Version { get; private set; }

        public bool HasBefore => beforeOffset is not null;

        /// <summary>last without before counts back from the end, which needs the total.</summary>
        public bool NeedsTotal => last is not null && beforeOffset is null;

        public static Page From(ResolveContext context, ApiRequest request, LakeQueries lake, DatasetModel dataset)
        {
            var max = request.Limits.MaxPageSize ?? request.Get<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.MaxPageSize;
            var defaultSize = request.Get<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.DefaultPageSize;
            var page = new Page
            {
                first = context.Argument<int?>("first"),
                last = context.Argument<int?>("last"),
            };
            foreach (var (name, size) in new[] { ("first", page.first), ("last", page.last) })
            {
                if (size is < 0)
                {
                    throw new ApiArgumentException(name, "must not be negative");
                }
                if (size > max)
                {
                    throw new ApiArgumentException(name, $"at most {max} rows per page for the {request.Caller.Role.Name()} role (page on with after, or export)");
                }
            }
            if (page.first is not null && page.last is not null)
            {
                throw new ApiArgumentException("last", "give first or last, not both");
            }
            if (page.first is null && page.last is null)
            {
                page.first = Math.Min(defaultSize, max);
            }
            long? cursorVersion = null;
            foreach (var name in new[] { "after", "before" })
            {
                if (context.Argument<string>(name) is { } text)
                {
                    var cursor = Cursor.Parse(text, name);
                    if (cursorVersion is { } seen && seen != cursor.Version)
                    {
                        throw new ApiArgumentException(name, "after and before come from different versions of the table");
                    }
                    cursorVersion = cursor.Version;
                    if (name == "after")
                    {
                        page.afterOffset = cursor.Offset;
                    }
                    else
                    {
                        page.beforeOffset = cursor.Offset;
                    }
                }
            }
            var asOf = context.Arguments.GetValueOrDefault("asOf");
            page.Version = asOf is null && cursorVersion is { } pinned && pinned >= 0 ? pinned : DatasetSource.ResolveVersion(lake, dataset, asOf);
            return page;
        }

        public (long Start, long Limit) Window(long? total)
        {
            var start = afterOffset is { } a ? a + 1 : 0;
            var end = beforeOffset ?? long.MaxValue;
            if (last is { } l)
            {
                end = Math.Min(end, total ?? end);
                start = Math.Max(start, end - l);
            }
            var limit = first is { } f ? Math.Min(f, end - start) : end - start;
            return (start, Math.Max(0, limit));
        }
    }
}
