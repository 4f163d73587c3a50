using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Tables;

namespace OneMap.GraphQLApi.Catalog;

/// <summary>
/// A dataset's <c>extent</c>: the first and last value of each time column the caller may see and the bbox of its
/// geometries — what an analyst asks before querying ("does this reach back to 2023? does it cover Xiuyu?"). Read from
/// the lake's file statistics when the caller sees every row (no data file is opened); under a row rule (a department
/// seeing its own tickets) computed by SQL over the caller's rows, so it tells nothing about rows the caller may not read.
/// </summary>
internal static class DatasetExtentField
{
    public static void Declare(SchemaBuilder schema)
    {
        schema.Object("TimeExtent", o => o.Description("The first and last value of a time column.")
            .Field("column", "String!").Field("from", "DateTime").Field("to", "DateTime"));
        schema.Object("DatasetExtent", o => o.Description("How far a dataset's data reaches, in time and space.")
            .Field("time", "[TimeExtent!]!", f => f.Description("Each visible timestamp column's range (from file statistics: to the millisecond)."))
            .Field("bbox", "[Float!]", f => f.Description("West, south, east, north (WGS84) of the primary geometry column; null without one.")));
    }

    public static async Task<object?> ResolveAsync(ResolveContext context, ApiRequest request)
    {
        var dataset = (DatasetModel)((Dictionary<string, object?>)context.Parent!)["$dataset"]!;
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        var clock = request.Get<CityClock>();
        var times = access.Columns.Where(c => c.Kind == ColumnKind.Timestamp).ToList();
        var geometry = dataset.PrimaryGeometry is { } g && access.CanSee(g.Name) ? g : null;
        var lake = request.Get<Lake>();
        var table = lake.Table(dataset.Name);
        if (!table.Exists)
        {
            return Extent([], null);
        }
        var snapshot = await table.GetSnapshotAsync(context.CancellationToken).ConfigureAwait(false);
        if (request.Limits.MinGroupSize is { } minimum && (snapshot.RowCount ?? 0) < minimum)
        {
            // Too few rows to describe to a role that sees only groups of a minimum size.
            return Extent([], null);
        }
        if (access.RowFilter is null)
        {
            var ranges = times.Select(c => (c.Name, Range: SnapshotExtent.Range(snapshot, c.Name)))
                .Select(r => Time(r.Name, r.Range?.Min as DateTimeOffset?, r.Range?.Max as DateTimeOffset?, clock)).ToList();
            var box = geometry is null ? null : SnapshotExtent.Bbox(snapshot, dataset.BboxColumn!);
            return Extent(ranges, box is { } b ? [b.XMin, b.YMin, b.XMax, b.YMax] : null);
        }
        return await FromRowsAsync(context, request, access, times, geometry, snapshot.Version, clock).ConfigureAwait(false);
    }

    private static async Task<object?> FromRowsAsync(ResolveContext context, ApiRequest request, DatasetAccess access, List<ColumnModel> times,
        ColumnModel? geometry, long version, CityClock clock)
    {
        var items = times.SelectMany(c => new[] { $"min({SqlBuilder.Column("t", c.Name)})", $"max({SqlBuilder.Column("t", c.Name)})" }).ToList();
        if (geometry is not null)
        {
            var bbox = SqlBuilder.Column("t", access.Dataset.BboxColumn!);
            items.AddRange([$"min({bbox}.xmin)", $"min({bbox}.ymin)", $"max({bbox}.xmax)", $"max({bbox}.ymax)"]);
        }
        if (items.Count == 0)
        {
            return Extent([], null);
        }
        var lake = request.Get<LakeQueries>();
        var sql = new SqlBuilder();
        sql.Append("SELECT ").Append(string.Join(", ", items)).Append(" FROM ").Append(DatasetSource.Relation(sql, lake, access, version));
        var row = (await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false)).Rows[0];
        var ranges = times.Select((c, i) => Time(c.Name, row[2 * i] as DateTimeOffset?, row[2 * i + 1] as DateTimeOffset?, clock)).ToList();
        var at = 2 * times.Count;
        double[]? box = geometry is not null && row[at] is double west ? [west, (double)row[at + 1]!, (double)row[at + 2]!, (double)row[at + 3]!] : null;
        return Extent(ranges, box);
    }

    private static Dictionary<string, object?> Time(string column, DateTimeOffset? from, DateTimeOffset? to, CityClock clock) =>
        new(StringComparer.Ordinal)
        {
            ["column"] = column,
            ["from"] = from is { } f ? clock.ToLocal(f) : null,
            ["to"] = to is { } t ? clock.ToLocal(t) : null,
        };

    private static Dictionary<string, object?> Extent(List<Dictionary<string, object?>> time, double[]? bbox) =>
        new(StringComparer.Ordinal) { ["time"] = time, ["bbox"] = bbox?.Cast<object?>().ToList() };
}
