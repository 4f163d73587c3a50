using OneMap.GraphQL.Execution;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Exports;

/// <summary>
/// Resolves a dataset's export field: builds the SELECT under the caller's rules now (columns, rows, filter, order,
/// version) and hands back a link; the rows are streamed when the caller downloads it.
/// </summary>
public static class ExportQuery
{
    public static Task<object?> PrepareAsync(ResolveContext context, ApiRequest request, DatasetModel dataset)
    {
        var lake = request.Get<LakeQueries>();
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        if (!access.CanReadRows)
        {
            throw new ApiForbiddenException($"the {request.Caller.Role.Name()} role may not export rows of {dataset.FieldName}");
        }
        var format = context.Argument<string>("format") ?? "csv";
        var version = DatasetSource.ResolveVersion(lake, dataset, context.Arguments.GetValueOrDefault("asOf"))
            ?? throw new ApiUnavailableException($"{dataset.FieldName} has no data yet");
        var columns = access.Columns.ToList();
        if (context.Arguments.GetValueOrDefault("columns") is { } chosen)
        {
            var names = FilterCompiler.AsList(chosen, "columns").OfType<string>().ToHashSet(StringComparer.Ordinal);
            columns = columns.Where(c => names.Contains(c.Name)).ToList();
        }
        if (columns.Count == 0)
        {
            throw new ApiArgumentException("columns", "there is no column to export");
        }
        var sql = new SqlBuilder();
        var select = columns.Select(c => c.Kind == ColumnKind.Geometry && format == "csv"
            ? $"st_astext({SqlBuilder.Column("t", c.Name)}) AS {SqlBuilder.Identifier(c.Name)}"
            : SqlBuilder.Column("t", c.Name));
        sql.Append("SELECT ").Append(string.Join(", ", select))
            .Append(" FROM ").Append(DatasetSource.Relation(sql, lake, access, version))
            .Append(" WHERE ").Append(new FilterCompiler(access, sql).Compile(context.Arguments.GetValueOrDefault("filter")))
            .Append(" ORDER BY ").Append(RowQuery.OrderBy(context.Arguments.GetValueOrDefault("orderBy"), access));
        var ticket = request.Get<ExportRegistry>().Add(request.Caller.RateKey, dataset.Name, format, sql.Build(), columns, version);
        var clock = request.Get<CityClock>();
        return Task.FromResult<object?>(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["url"] = ExportEndpoint.PathFor(ticket.Token),
            ["format"] = format,
            ["dataset"] = dataset.FieldName,
            ["version"] = version,
            ["expiresAt"] = clock.ToLocal(ticket.ExpiresAt),
        });
    }
}
