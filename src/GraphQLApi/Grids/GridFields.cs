using System.Globalization;

using Microsoft.Extensions.Options;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Grids;

/// <summary>
/// Grids (the smallest management areas): households and population, the tickets reported in them (open and overdue),
/// the governance elements inside them (stations, manholes, enterprises, outfalls… by point in polygon), and a
/// red / yellow / green status from open and overdue tickets.
/// </summary>
public sealed class GridFields(IOptions<ApiOptions> options) : ISchemaContributor
{
    public const string TicketsDataset = "tickets";

    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        var units = options.Value.AdminUnitsDataset;
        if (datasets[units] is null)
        {
            return;
        }
        var hasTickets = datasets[TicketsDataset] is not null;
        schema.Enum("GridStatus", e => e.Description("A grid's colour from its open and overdue tickets.")
            .Value("RED", "red", v => v.Description($"At least {options.Value.Grids.RedOverdueTickets} open overdue ticket(s)."))
            .Value("YELLOW", "yellow", v => v.Description($"At least {options.Value.Grids.YellowOpenTickets} open ticket(s), none overdue."))
            .Value("GREEN", "green", v => v.Description("Otherwise.")));
        schema.Object("GridTickets", o => o.Description("Tickets located in a grid.")
            .Field("total", "Long!").Field("open", "Long!").Field("overdue", "Long!", f => f.Description("Open tickets past their deadline."))
            .Field("closed", "Long!"));
        schema.Object("ElementCount", o => o.Field("kind", "String!", f => f.Description("The dataset the elements come from.")).Field("count", "Long!"));
        schema.Object("GridElements", o => o.Description("Governance elements inside a grid.")
            .Field("total", "Long!").Field("byKind", "[ElementCount!]!"));
        schema.Object("Grid", o =>
        {
            o.Description("A grid (网格): at most 500 households, with a grid member.")
                .Field("code", "String!").Field("name", "String").Field("parentCode", "String", f => f.Description("Its community."))
                .Field("households", "Long").Field("population", "Long").Field("geometry", "GeoJSON")
                .Field("elements", "GridElements!", f => f.Resolve(Resolvers.Of(ElementsAsync)));
            if (hasTickets)
            {
                o.Field("tickets", "GridTickets!", f => f.Description("Tickets reported in the grid (as of `at` given to the grids field)."))
                    .Field("status", "GridStatus!");
            }
        });
        schema.Query(q => q
            .Field("grids", "[Grid!]!", f => f.Description("Grids with their tickets, elements and status.")
                .Argument("codes", "[String!]").Argument("status", "GridStatus").Argument("parentCode", "String")
                .Argument("at", "DateTime", a => a.Description("Overdue and open as of this time (default now)."))
                .Metadata(SchemaMetadata.Aggregates, hasTickets ? new[] { units, TicketsDataset } : [units])
                .Cost(new OneMap.GraphQL.Protection.CostHint(20, AssumedSize: 1400))
                .Resolve(Resolvers.Of(GridsAsync)))
            .Field("grid", "Grid", f => f.Argument("code", "String!").Argument("at", "DateTime")
                .Metadata(SchemaMetadata.Aggregates, hasTickets ? new[] { units, TicketsDataset } : [units])
                .Resolve(Resolvers.Of(async (c, r) => ((List<Dictionary<string, object?>>)(await GridsAsync(c, r).ConfigureAwait(false))!).FirstOrDefault()))));
    }

    private async Task<object?> GridsAsync(ResolveContext context, ApiRequest request)
    {
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var units = request.Dataset(options.Value.AdminUnitsDataset);
        var unitAccess = request.Get<AccessPolicy>().For(request.Caller, units);
        var at = context.Argument<DateTimeOffset?>("at") ?? clock.Now;
        var sql = new SqlBuilder();
        string Col(string name) => unitAccess.CanSee(name) ? SqlBuilder.Column("g", name) : "NULL";
        var codes = context.Arguments.GetValueOrDefault("codes") is { } given ? FilterCompiler.AsList(given, "codes").OfType<string>().ToList() : null;
        if (context.Argument<string>("code") is { } single)
        {
            codes = [single];
        }
        var tickets = request.Datasets[TicketsDataset];
        var ticketJoin = "";
        var ticketColumns = "0, 0, 0, 0";
        if (tickets is not null)
        {
            var ticketAccess = request.Get<AccessPolicy>().For(request.Caller, tickets);
            var atParam = sql.Param(at.ToUniversalTime());
            ticketJoin = $"""
                 LEFT JOIN (SELECT t.grid_code, count(*) AS total,
                                   count(*) FILTER (WHERE t.closed_at IS NULL) AS open,
                                   count(*) FILTER (WHERE t.closed_at IS NULL AND t.handled_at IS NULL AND {atParam} > t.due_at) AS overdue,
                                   count(*) FILTER (WHERE t.closed_at IS NOT NULL) AS closed
                            FROM {DatasetSource.Relation(sql, lake, ticketAccess, lake.CurrentVersion(tickets.Name))}
                            WHERE t.reported_at <= {atParam} GROUP BY t.grid_code) k ON k.grid_code = g.code
                """;
            ticketColumns = "COALESCE(k.total, 0), COALESCE(k.open, 0), COALESCE(k.overdue, 0), COALESCE(k.closed, 0)";
        }
        sql.Append($"SELECT g.code, {Col("name")}, {Col("parent_code")}, {Col("households")}, {Col("population")}, {Col("geom")}, {ticketColumns} FROM ")
            .Append(DatasetSource.Relation(sql, lake, unitAccess, lake.CurrentVersion(units.Name), "g"))
            .Append(ticketJoin)
            .Append(" WHERE g.level = ").Append(sql.Param("grid"));
        if (codes is not null)
        {
            sql.Append($" AND g.code IN ({(codes.Count == 0 ? "NULL" : string.Join(", ", codes.Select(c => sql.Param(c))))})");
        }
        if (context.Argument<string>("parentCode") is { } parent)
        {
            sql.Append(" AND g.parent_code = ").Append(sql.Param(parent));
        }
        sql.Append(" ORDER BY g.code");
        var rows = await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        var rules = options.Value.Grids;
        var wanted = context.Argument<string>("status");
        var result = new List<Dictionary<string, object?>>();
        foreach (var r in rows.Rows)
        {
            long L(int i) => Convert.ToInt64(r[i] ?? 0L, CultureInfo.InvariantCulture);
            var open = L(7);
            var overdue = L(8);
            var status = overdue >= rules.RedOverdueTickets ? "red" : open >= rules.YellowOpenTickets ? "yellow" : "green";
            if (wanted is not null && wanted != status)
            {
                continue;
            }
            result.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["code"] = r[0],
                ["name"] = r[1],
                ["parentCode"] = r[2],
                ["households"] = r[3],
                ["population"] = r[4],
                ["geometry"] = r[5],
                ["tickets"] = new Dictionary<string, object?> { ["total"] = L(6), ["open"] = open, ["overdue"] = overdue, ["closed"] = L(9) },
                ["status"] = status,
            });
        }
        request.CountRows(result.Count);
        return result;
    }

    private async Task<object?> ElementsAsync(ResolveContext context, ApiRequest request)
    {
        var code = (string)((Dictionary<string, object?>)context.Parent!)["code"]!;
        var loader = context.BatchLoader<string, Dictionary<string, object?>>("grid-elements", (codes, token) => LoadElementsAsync(request, codes, token));
        return await loader.LoadAsync(code).ConfigureAwait(false) ?? new Dictionary<string, object?> { ["total"] = 0L, ["byKind"] = Array.Empty<object>() };
    }

    /// <summary>Counts the points of every element dataset per grid with the grids' point-in-polygon index (one pass per dataset).</summary>
    private async ValueTask<IReadOnlyDictionary<string, Dictionary<string, object?>>> LoadElementsAsync(ApiRequest request, IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var lake = request.Get<LakeQueries>();
        var index = await request.Get<SpatialUnits>().IndexAsync("grid", cancellationToken).ConfigureAwait(false);
        var counts = codes.ToDictionary(c => c, _ => new List<(string Kind, long Count)>(), StringComparer.Ordinal);
        foreach (var name in options.Value.Grids.ElementDatasets)
        {
            if (request.Datasets[name] is not { PrimaryGeometry: { } geometry } dataset)
            {
                continue;
            }
            var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
            if (!access.CanSee(geometry.Name))
            {
                continue;
            }
            var sql = new SqlBuilder();
            sql.Append($"SELECT u, count(*) FROM (SELECT st_index_first({sql.Param(index)}, {SqlBuilder.Column("t", geometry.Name)}) AS u FROM ")
                .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(dataset.Name)))
                .Append($" WHERE {SqlBuilder.Column("t", geometry.Name)} IS NOT NULL) WHERE u IN ({string.Join(", ", codes.Select(c => sql.Param(c)))}) GROUP BY u");
            var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
            foreach (var r in rows.Rows)
            {
                counts[(string)r[0]!].Add((dataset.Name, Convert.ToInt64(r[1], CultureInfo.InvariantCulture)));
            }
        }
        return counts.ToDictionary(c => c.Key, c => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["total"] = c.Value.Sum(v => v.Count),
            ["byKind"] = c.Value.Select(v => new Dictionary<string, object?> { ["kind"] = v.Kind, ["count"] = v.Count }).ToList(),
        }, StringComparer.Ordinal);
    }
}
