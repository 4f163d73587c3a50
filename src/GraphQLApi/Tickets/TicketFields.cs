using System.Globalization;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Catalog;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Models.Tickets;

namespace OneMap.GraphQLApi.Tickets;

/// <summary>
/// Tickets and the closed loop: a ticket's state, full event history, elapsed time against its deadline, whether it
/// is overdue, its escalation path and the department handling it (fields added to the <c>tickets</c> row type, so
/// they work on the generic connection too); rates by department, grid, category and level; and the four-quadrant
/// evaluation of departments by response speed and resolution.
/// </summary>
public sealed class TicketFields : ISchemaContributor
{
    public const string TicketsDataset = "tickets";
    public const string EventsDataset = "ticket_events";

    /// <summary>The TicketGrouping value that puts every ticket in one group (not a column).</summary>
    private const string CityWide = "all";

    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        if (datasets[TicketsDataset] is not { } tickets)
        {
            return;
        }
        var events = datasets[EventsDataset];
        var t = tickets.TypeName;
        schema.Object("EscalationStep", o => o.Description("A dispatch or escalation: where the ticket went, when, and the deadline it got.")
            .Field("kind", "String!", f => f.Description("dispatch or escalate."))
            .Field("at", "DateTime!").Field("level", "String").Field("department", "DepartmentRef").Field("dueAt", "DateTime"));
        schema.Object(t, o =>
        {
            if (events is not null)
            {
                o.Field("events", $"[{events.TypeName}!]!", f => f.Description("The ticket's full history, in order.")
                    .Metadata(SchemaMetadata.Reads, new[] { EventsDataset }).Metadata(RowQuery.NeedsColumns, new[] { "ticket_id" })
                    .Resolve(Resolvers.Of(EventsAsync)));
                o.Field("escalationPath", "[EscalationStep!]!", f => f.Description("Dispatches and escalations, in order (grid → community → street → district → city).")
                    .Metadata(SchemaMetadata.Reads, new[] { EventsDataset }).Metadata(RowQuery.NeedsColumns, new[] { "ticket_id" })
                    .Resolve(Resolvers.Of(EscalationAsync)));
            }
            o.Field("elapsedHours", "Float", f => f.Description("Hours from report to close (or to `at`, default now, while open).")
                .Argument("at", "DateTime").Metadata(RowQuery.NeedsColumns, new[] { "reported_at", "closed_at" })
                .Resolve(Resolvers.Of((c, r) => Hours(Value<DateTimeOffset?>(c, "reported_at"), Value<DateTimeOffset?>(c, "closed_at") ?? At(c, r)))));
            o.Field("deadlineHours", "Float", f => f.Description("Hours from report to the deadline of the level now holding it.")
                .Metadata(RowQuery.NeedsColumns, new[] { "reported_at", "due_at" })
                .Resolve(Resolvers.Of((c, _) => Hours(Value<DateTimeOffset?>(c, "reported_at"), Value<DateTimeOffset?>(c, "due_at")))));
            o.Field("remainingHours", "Float", f => f.Description("Hours left before the deadline at `at` (default now); negative when late; null once handled.")
                .Argument("at", "DateTime").Metadata(RowQuery.NeedsColumns, new[] { "due_at", "handled_at", "closed_at" })
                .Resolve(Resolvers.Of((c, r) => Handled(c) is null ? Hours(At(c, r), Value<DateTimeOffset?>(c, "due_at")) : null)));
            o.Field("overdue", "Boolean", f => f.Description("Missed its deadline: handled (or, without a handling report, closed) after it, or not handled although it has passed (as of `at`, default now).")
                .Argument("at", "DateTime").Metadata(RowQuery.NeedsColumns, new[] { "due_at", "handled_at", "closed_at" })
                .Resolve(Resolvers.Of((c, r) => Value<DateTimeOffset?>(c, "due_at") is { } due
                    ? (object?)(Handled(c) is { } handled ? handled > due : At(c, r) > due)
                    : null)));
            o.Field("handlingDepartment", "DepartmentRef", f => f.Description("The department handling it.")
                .Metadata(RowQuery.NeedsColumns, new[] { "department_code" })
                .Resolve(Resolvers.Of((c, r) => Value<string>(c, "department_code") is { } code
                    ? new Dictionary<string, object?> { ["code"] = code, ["name"] = Departments.Name(r, code) }
                    : null)));
        });

        schema.Enum("TicketGrouping", e => e.Description("What ticket rates are grouped by.")
            .Value("DEPARTMENT", "department_code").Value("GRID", "grid_code").Value("CATEGORY", "category_code").Value("SUB_CATEGORY", "sub_category_code")
            .Value("LEVEL", "level").Value("SOURCE", "source")
            .Value("ALL", CityWide, v => v.Description("One group of every ticket (within the caller's rows): the city-wide rates, key `all`.")));
        schema.Object("TicketRate", o => o.Description("Closed-loop rates of a group of tickets (reported in the period).")
            .Field("key", "String", f => f.Description("The department, grid, category, level or source code."))
            .Field("name", "String", f => f.Description("Its name, when known."))
            .Field("tickets", "Long!").Field("closed", "Long!").Field("open", "Long!")
            .Field("overdue", "Long!", f => f.Description("Tickets that missed their deadline (as of `at`)."))
            .Field("onTimeClosureRate", "Float", f => f.Description("Closed tickets handled by their deadline / closed tickets."))
            .Field("meanHoursToAccept", "Float", f => f.Description("Mean hours from report to acceptance."))
            .Field("meanHoursToClose", "Float", f => f.Description("Mean hours from report to close, over closed tickets."))
            .Field("reopenRate", "Float", f => f.Description("Tickets reopened at least once / tickets."))
            .Field("satisfaction", "Float", f => f.Description("Mean rating 1…5 of the rated tickets."))
            .Field("rated", "Long!", f => f.Description("Tickets with a rating.")));
        schema.Enum("Quadrant", e => e.Description("The four-quadrant evaluation of a department: response speed × resolution.")
            .Value("FAST_AND_RESOLVING", "fast_resolving", v => v.Description("Responds faster than the median and resolves more."))
            .Value("FAST_NOT_RESOLVING", "fast_unresolved", v => v.Description("Responds fast but resolves less than the median."))
            .Value("SLOW_BUT_RESOLVING", "slow_resolving", v => v.Description("Resolves well but responds slowly."))
            .Value("SLOW_NOT_RESOLVING", "slow_unresolved", v => v.Description("Slow and resolves less: needs attention.")));
        schema.Object("DepartmentScore", o => o.Description("A department's response speed and resolution over the period.")
            .Field("department", "DepartmentRef!")
            .Field("tickets", "Long!", f => f.Description("Tickets dispatched to it."))
            .Field("meanResponseHours", "Float", f => f.Description("Mean hours from its dispatch to its first handling report."))
            .Field("resolutionRate", "Float", f => f.Description("Its tickets closed / its tickets."))
            .Field("onTimeRate", "Float", f => f.Description("Its tickets handled by the deadline / its handled tickets."))
            .Field("satisfaction", "Float")
            .Field("quadrant", "Quadrant"));
        schema.Object("DepartmentEvaluation", o => o.Description("Departments placed in four quadrants; the axes split at the medians over departments.")
            .Field("responseHoursMedian", "Float").Field("resolutionRateMedian", "Float").Field("departments", "[DepartmentScore!]!"));

        var needs = events is null ? new[] { TicketsDataset } : [TicketsDataset, EventsDataset];
        schema.Query(q => q
            .Field("ticket", t, f => f.Description("One ticket with its history.").Argument("id", "String!")
                .Metadata(SchemaMetadata.Reads, new[] { TicketsDataset }).Resolve(Resolvers.Of(TicketAsync)))
            .Field("ticketRates", "[TicketRate!]!", f => f.Description("On-time closure, time to accept and close, reopen rate and satisfaction, by group.")
                .Argument("groupBy", "TicketGrouping!").Argument("from", "DateTime", a => a.Description("Reported at or after."))
                .Argument("to", "DateTime", a => a.Description("Reported before.")).Argument("at", "DateTime", a => a.Description("Overdue as of (default now)."))
                .Metadata(SchemaMetadata.Aggregates, needs).Resolve(Resolvers.Of(RatesAsync)))
            .Field("departmentEvaluation", "DepartmentEvaluation!", f => f.Description("The four-quadrant evaluation of departments (response speed × resolution).")
                .Argument("from", "DateTime").Argument("to", "DateTime").Argument("at", "DateTime")
                .Metadata(SchemaMetadata.Aggregates, needs).Resolve(Resolvers.Of(EvaluationAsync))));
    }

    private static T? Value<T>(ResolveContext context, string field) =>
        context.Parent is IReadOnlyDictionary<string, object?> row && row.GetValueOrDefault(field) is T value ? value : default;

    /// <summary>When the ticket was handled; sources that report no handling step (Open311) give only the close time.</summary>
    private static DateTimeOffset? Handled(ResolveContext context) => Value<DateTimeOffset?>(context, "handled_at") ?? Value<DateTimeOffset?>(context, "closed_at");

    private static DateTimeOffset At(ResolveContext context, ApiRequest request) => context.Argument<DateTimeOffset?>("at") ?? request.Get<CityClock>().Now;

    private static object? Hours(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? (b - a).TotalHours : null;

    private static async Task<object?> TicketAsync(ResolveContext context, ApiRequest request)
    {
        var dataset = request.Dataset(TicketsDataset);
        var access = Readable(request, dataset);
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var sql = new SqlBuilder();
        sql.Append("SELECT ").Append(string.Join(", ", access.Columns.Select(c => SqlBuilder.Column("t", c.Name)))).Append(" FROM ")
            .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(dataset.Name)))
            .Append(" WHERE t.ticket_id = ").Append(sql.Param(context.Argument<string>("id")!));
        var rows = await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        request.CountRows(rows.Rows.Count);
        return rows.Rows.Count == 0 ? null : Row(access.Columns, rows.Rows[0], clock);
    }

    private static Dictionary<string, object?> Row(IReadOnlyList<ColumnModel> columns, object?[] values, CityClock clock)
    {
        var row = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            row[columns[i].FieldName] = RowValues.Convert(values[i], columns[i].Kind, clock);
        }
        return row;
    }

    private static async Task<object?> EventsAsync(ResolveContext context, ApiRequest request)
    {
        var id = Value<string>(context, "ticket_id");
        if (id is null)
        {
            return Array.Empty<object>();
        }
        var loader = context.BatchLoader<string, List<Dictionary<string, object?>>>("ticket-events", (ids, token) => LoadEventsAsync(request, ids, token));
        return await loader.LoadAsync(id).ConfigureAwait(false) ?? [];
    }

    private static async ValueTask<IReadOnlyDictionary<string, List<Dictionary<string, object?>>>> LoadEventsAsync(ApiRequest request, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        var dataset = request.Dataset(EventsDataset);
        var access = Readable(request, dataset);
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var sql = new SqlBuilder();
        sql.Append("SELECT ").Append(string.Join(", ", access.Columns.Select(c => SqlBuilder.Column("t", c.Name)))).Append(" FROM ")
            .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(dataset.Name)))
            .Append($" WHERE t.ticket_id IN ({string.Join(", ", ids.Select(i => sql.Param(i)))}) ORDER BY t.ticket_id, t.seq");
        var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        request.CountRows(rows.Rows.Count);
        var idIndex = access.Columns.ToList().FindIndex(c => c.Name == "ticket_id");
        return rows.Rows.GroupBy(r => (string)r[idIndex]!).ToDictionary(g => g.Key, g => g.Select(r => Row(access.Columns, r, clock)).ToList(), StringComparer.Ordinal);
    }

    private static async Task<object?> EscalationAsync(ResolveContext context, ApiRequest request)
    {
        var id = Value<string>(context, "ticket_id");
        if (id is null)
        {
            return Array.Empty<object>();
        }
        var loader = context.BatchLoader<string, List<Dictionary<string, object?>>>("ticket-events", (ids, token) => LoadEventsAsync(request, ids, token));
        var events = await loader.LoadAsync(id).ConfigureAwait(false) ?? [];
        return events.Where(e => e.GetValueOrDefault("kind") as string is "dispatch" or "escalate").Select(e => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = e["kind"],
            ["at"] = e.GetValueOrDefault("at"),
            ["level"] = e.GetValueOrDefault("level"),
            ["department"] = e.GetValueOrDefault("department_code") is string code ? new Dictionary<string, object?> { ["code"] = code, ["name"] = Departments.Name(request, code) } : null,
            ["dueAt"] = e.GetValueOrDefault("due_at"),
        }).ToList();
    }

    /// <summary>Per-ticket facts from the events (acceptance, reopenings, the department's first handling) joined to the tickets.</summary>
    private static string PerTicket(SqlBuilder sql, ApiRequest request, DateTimeOffset? from, DateTimeOffset? to)
    {
        var lake = request.Get<LakeQueries>();
        var tickets = request.Dataset(TicketsDataset);
        var ticketAccess = request.Get<AccessPolicy>().For(request.Caller, tickets);
        var events = request.Datasets[EventsDataset];
        var where = new List<string> { "TRUE" };
        if (from is { } f)
        {
            where.Add("t.reported_at >= " + sql.Param(f.ToUniversalTime()));
        }
        if (to is { } u)
        {
            where.Add("t.reported_at < " + sql.Param(u.ToUniversalTime()));
        }
        var ticketSource = DatasetSource.Relation(sql, lake, ticketAccess, lake.CurrentVersion(tickets.Name));
        if (events is null)
        {
            return $"SELECT t.*, NULL::TIMESTAMPTZ AS accepted_at, 0 AS reopens, NULL::TIMESTAMPTZ AS dispatched_at, NULL::TIMESTAMPTZ AS first_handled_at FROM {ticketSource} WHERE {string.Join(" AND ", where)}";
        }
        var eventAccess = request.Get<AccessPolicy>().For(request.Caller, events);
        var eventSource = DatasetSource.Relation(sql, lake, eventAccess, lake.CurrentVersion(events.Name), "t");
        return $"""
            SELECT t.*, e.accepted_at, COALESCE(e.reopens, 0) AS reopens, e.dispatched_at, e.first_handled_at
            FROM {ticketSource}
            LEFT JOIN (SELECT t.ticket_id,
                              min(t.at) FILTER (WHERE t.kind = 'accept') AS accepted_at,
                              count(*) FILTER (WHERE t.kind = 'reopen') AS reopens,
                              min(t.at) FILTER (WHERE t.kind = 'dispatch' AND t.department_code IS NOT NULL) AS dispatched_at,
                              min(t.at) FILTER (WHERE t.kind = 'handle') AS first_handled_at
                       FROM {eventSource} GROUP BY t.ticket_id) e ON e.ticket_id = t.ticket_id
            WHERE {string.Join(" AND ", where)}
            """;
    }

    private static async Task<object?> RatesAsync(ResolveContext context, ApiRequest request)
    {
        var key = context.Argument<string>("groupBy")!;
        var at = At(context, request);
        var sql = new SqlBuilder();
        var atParam = sql.Param(at.ToUniversalTime());
        var perTicket = PerTicket(sql, request, context.Argument<DateTimeOffset?>("from"), context.Argument<DateTimeOffset?>("to"));
        var group = key == CityWide ? "'all'" : $"CAST(p.{SqlBuilder.Identifier(key)} AS VARCHAR)";
        sql.Append($"""
            SELECT {group} AS k,
                   count(*) AS tickets,
                   count(*) FILTER (WHERE p.closed_at IS NOT NULL) AS closed,
                   count(*) FILTER (WHERE p.closed_at IS NULL) AS open,
                   count(*) FILTER (WHERE CASE WHEN COALESCE(p.handled_at, p.closed_at) IS NOT NULL THEN COALESCE(p.handled_at, p.closed_at) > p.due_at ELSE {atParam} > p.due_at END) AS overdue,
                   count(*) FILTER (WHERE p.closed_at IS NOT NULL AND COALESCE(p.handled_at, p.closed_at) <= p.due_at) AS closed_on_time,
                   avg(epoch(p.accepted_at - p.reported_at)) / 3600.0 AS hours_to_accept,
                   avg(epoch(p.closed_at - p.reported_at)) FILTER (WHERE p.closed_at IS NOT NULL) / 3600.0 AS hours_to_close,
                   count(*) FILTER (WHERE p.reopens > 0) AS reopened,
                   avg(p.satisfaction) AS satisfaction,
                   count(p.satisfaction) AS rated
            FROM ({perTicket}) p
            GROUP BY 1 ORDER BY 1 NULLS LAST
            """);
        var rows = await request.Get<LakeQueries>().QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        var minimum = request.Limits.MinGroupSize ?? 1;
        var result = new List<Dictionary<string, object?>>();
        foreach (var r in rows.Rows)
        {
            long L(int i) => Convert.ToInt64(r[i] ?? 0L, CultureInfo.InvariantCulture);
            if (L(1) < minimum)
            {
                continue;
            }
            var code = r[0] as string;
            result.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["key"] = code,
                ["name"] = NameOf(request, key, code),
                ["tickets"] = L(1),
                ["closed"] = L(2),
                ["open"] = L(3),
                ["overdue"] = L(4),
                ["onTimeClosureRate"] = L(2) == 0 ? null : (double)L(5) / L(2),
                ["meanHoursToAccept"] = r[6],
                ["meanHoursToClose"] = r[7],
                ["reopenRate"] = L(1) == 0 ? null : (double)L(8) / L(1),
                ["satisfaction"] = r[9],
                ["rated"] = L(10),
            });
        }
        request.CountRows(result.Count);
        return result;
    }

    private static string? NameOf(ApiRequest request, string grouping, string? code)
    {
        if (code is null)
        {
            return null;
        }
        return grouping switch
        {
            "department_code" => Departments.Name(request, code),
            "category_code" => TicketTaxonomy.Categories.FirstOrDefault(c => c.Code == code)?.Name,
            "sub_category_code" => TicketTaxonomy.SubCategories.FirstOrDefault(c => c.Code == code)?.Name,
            CityWide => "全市 (whole city)",
            _ => null,
        };
    }

    private static async Task<object?> EvaluationAsync(ResolveContext context, ApiRequest request)
    {
        var at = At(context, request);
        var sql = new SqlBuilder();
        var atParam = sql.Param(at.ToUniversalTime());
        var perTicket = PerTicket(sql, request, context.Argument<DateTimeOffset?>("from"), context.Argument<DateTimeOffset?>("to"));
        sql.Append($"""
            SELECT p.department_code,
                   count(*) AS tickets,
                   avg(epoch(p.first_handled_at - p.dispatched_at)) FILTER (WHERE p.first_handled_at >= p.dispatched_at) / 3600.0 AS response_hours,
                   count(*) FILTER (WHERE p.closed_at IS NOT NULL) AS closed,
                   count(*) FILTER (WHERE COALESCE(p.handled_at, p.closed_at) <= p.due_at) AS on_time,
                   count(*) FILTER (WHERE COALESCE(p.handled_at, p.closed_at) IS NOT NULL) AS handled,
                   avg(p.satisfaction) AS satisfaction,
                   {atParam} AS at
            FROM ({perTicket}) p
            WHERE p.department_code IS NOT NULL
            GROUP BY 1 ORDER BY 1
            """);
        var rows = await request.Get<LakeQueries>().QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
        var minimum = request.Limits.MinGroupSize ?? 1;
        var scores = rows.Rows.Where(r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture) >= minimum).Select(r =>
        {
            var tickets = Convert.ToInt64(r[1], CultureInfo.InvariantCulture);
            var closed = Convert.ToInt64(r[3], CultureInfo.InvariantCulture);
            var handled = Convert.ToInt64(r[5], CultureInfo.InvariantCulture);
            return (Code: (string)r[0]!, Tickets: tickets, Response: r[2] as double?, Resolution: tickets == 0 ? (double?)null : (double)closed / tickets,
                OnTime: handled == 0 ? (double?)null : Convert.ToInt64(r[4], CultureInfo.InvariantCulture) / (double)handled, Satisfaction: r[6] as double?);
        }).ToList();
        var responseMedian = Median(scores.Select(s => s.Response));
        var resolutionMedian = Median(scores.Select(s => s.Resolution));
        request.CountRows(scores.Count);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["responseHoursMedian"] = responseMedian,
            ["resolutionRateMedian"] = resolutionMedian,
            ["departments"] = scores.Select(s => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["department"] = new Dictionary<string, object?> { ["code"] = s.Code, ["name"] = Departments.Name(request, s.Code) },
                ["tickets"] = s.Tickets,
                ["meanResponseHours"] = s.Response,
                ["resolutionRate"] = s.Resolution,
                ["onTimeRate"] = s.OnTime,
                ["satisfaction"] = s.Satisfaction,
                ["quadrant"] = s.Response is { } response && s.Resolution is { } resolution && responseMedian is { } rm && resolutionMedian is { } sm
                    ? (response <= rm ? "fast" : "slow") + (resolution >= sm ? "_resolving" : "_unresolved")
                    : null,
            }).ToList(),
        };
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static DatasetAccess Readable(ApiRequest request, DatasetModel dataset)
    {
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        return access.CanReadRows ? access : throw new ApiForbiddenException($"your role may not read {dataset.FieldName} rows");
    }
}
