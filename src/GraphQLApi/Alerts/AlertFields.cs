using System.Runtime.CompilerServices;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Catalog;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Lakehouse.Alerts;

namespace OneMap.GraphQLApi.Alerts;

/// <summary>
/// Alerts: query them with filters, subscribe to <c>alertRaised(filter)</c>, acknowledge and resolve them (recorded
/// with who and when). A department sees the alerts addressed to it (the row rule on <c>alerts</c>), for queries
/// and subscriptions alike.
/// </summary>
public sealed class AlertFields : ISchemaContributor
{
    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        schema.Object("AlertSuspect", o => o.Description("A candidate source upstream of a pollution alert.")
            .Field("rank", "Int!").Field("kind", "String!").Field("id", "String!").Field("name", "String")
            .Field("riverKm", "Float").Field("travelHours", "Float").Field("score", "Float").Field("explanation", "String"));
        schema.Object("Alert", o => o.Description("One alert per incident.")
            .Field("id", "String!").Field("kind", "String!", f => f.Description("pollution, sensor_fault or manhole_fault."))
            .Field("subjectKind", "String!", f => f.Description("station or manhole.")).Field("subjectId", "String!")
            .Field("indicators", "[String!]!").Field("start", "DateTime!").Field("end", "DateTime")
            .Field("severity", "String!").Field("score", "Float!").Field("explanation", "String")
            .Field("status", "String!", f => f.Description("open, acknowledged or resolved."))
            .Field("department", "DepartmentRef", f => f.Description("The department expected to act."))
            .Field("location", "GeoJSON")
            .Field("suspects", "[AlertSuspect!]!", f => f.Description("Upstream suspects, likeliest first."))
            .Field("acknowledgedBy", "String").Field("acknowledgedAt", "DateTime")
            .Field("resolvedBy", "String").Field("resolvedAt", "DateTime").Field("note", "String")
            .Field("raisedAt", "DateTime!").Field("updatedAt", "DateTime!"));
        schema.Object("AlertEvent", o => o.Description("An alert that was raised or changed.")
            .Field("change", "String!", f => f.Description("raised, updated, acknowledged or resolved."))
            .Field("alert", "Alert!"));
        schema.InputObject("AlertFilter", i => i.Description("Which alerts; all given conditions must hold.")
            .Field("kinds", "[String!]").Field("statuses", "[String!]").Field("severities", "[String!]")
            .Field("subjectId", "String").Field("department", "String")
            .Field("from", "DateTime", f => f.Description("Started at or after.")).Field("to", "DateTime", f => f.Description("Started before."))
            .Field("changes", "[String!]", f => f.Description("Subscriptions only: which changes to receive (default raised and updated).")));

        schema.Query(q => q
            .Field("alerts", "[Alert!]!", f => f.Description("Alerts, newest first.").Argument("filter", "AlertFilter").Argument("limit", "Int", 100)
                .Metadata(SchemaMetadata.MinRole, ApiRole.Analyst).Resolve(Resolvers.Of(QueryAsync)))
            .Field("alert", "Alert", f => f.Argument("id", "String!").Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Resolve(Resolvers.Of(async (c, r) =>
                {
                    var alert = await r.Get<IAlertStore>().GetAsync(c.Argument<string>("id")!, c.CancellationToken).ConfigureAwait(false);
                    return alert is not null && Visible(r, alert) ? (object?)Value(alert, r) : null;
                }))));
        schema.Mutation(m => m
            .Field("acknowledgeAlert", "Alert!", f => f.Description("Acknowledges an open alert; records who and when.").Argument("id", "String!").Argument("note", "String")
                .Metadata(SchemaMetadata.MinRole, ApiRole.Department).Resolve(Resolvers.Of((c, r) => HandleAsync(c, r, resolve: false))))
            .Field("resolveAlert", "Alert!", f => f.Description("Resolves an alert; records who and when.").Argument("id", "String!").Argument("note", "String")
                .Metadata(SchemaMetadata.MinRole, ApiRole.Department).Resolve(Resolvers.Of((c, r) => HandleAsync(c, r, resolve: true)))));
        schema.Subscription(s => s
            .Field("alertRaised", "AlertEvent!", f => f.Description("Alerts as they are raised (and, if asked, updated, acknowledged, resolved).")
                .Argument("filter", "AlertFilter").Metadata(SchemaMetadata.MinRole, ApiRole.Analyst)
                .Subscribe(Resolvers.Subscription(Subscribe))
                .Resolve(Resolvers.Of((c, r) => c.Parent is AlertChange change
                    ? new Dictionary<string, object?> { ["change"] = change.Change, ["alert"] = Value(change.Alert, r) }
                    : null))));
    }

    private static async Task<object?> QueryAsync(ResolveContext context, ApiRequest request)
    {
        var filter = Filter(context.Arguments.GetValueOrDefault("filter"));
        var query = filter.Query with { Limit = Math.Clamp(context.Argument<int?>("limit") ?? 100, 0, 10_000) };
        if (RowRule(request) is { } department)
        {
            query = query with { DepartmentCode = department };
        }
        var alerts = await request.Get<IAlertStore>().QueryAsync(query, context.CancellationToken).ConfigureAwait(false);
        request.CountRows(alerts.Count);
        return alerts.Where(a => Visible(request, a)).Select(a => Value(a, request)).ToList();
    }

    private static async Task<object?> HandleAsync(ResolveContext context, ApiRequest request, bool resolve)
    {
        var store = request.Get<IAlertStore>();
        var id = context.Argument<string>("id")!;
        var existing = await store.GetAsync(id, context.CancellationToken).ConfigureAwait(false);
        if (existing is null || !Visible(request, existing))
        {
            throw new ApiNotFoundException($"there is no alert '{id}' you may handle");
        }
        var by = $"{request.Caller.Method}:{request.Caller.Id} ({request.Caller.Name})";
        try
        {
            var change = resolve
                ? await store.ResolveAsync(id, by, context.Argument<string>("note"), context.CancellationToken).ConfigureAwait(false)
                : await store.AcknowledgeAsync(id, by, context.Argument<string>("note"), context.CancellationToken).ConfigureAwait(false);
            return Value(change.Alert, request);
        }
        catch (AlertStateException e)
        {
            throw new ApiArgumentException("id", e.Message, e);
        }
    }

    private static IAsyncEnumerable<object?> Subscribe(ResolveContext context, ApiRequest request)
    {
        var filter = Filter(context.Arguments.GetValueOrDefault("filter"));
        var department = RowRule(request);
        return Stream(request.Get<IAlertStore>(), filter, department, request, context.CancellationToken);
    }

    private static async IAsyncEnumerable<object?> Stream(IAlertStore store, AlertSubscriptionFilter filter, string? department, ApiRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in store.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            // The same rules as queries: the row rule, then the subscriber's own filter.
            if ((department is not null && change.Alert.DepartmentCode != department) || !filter.Matches(change))
            {
                continue;
            }
            request.CountRows(1);
            yield return change;
        }
    }

    /// <summary>The department a row rule on alerts restricts the caller to, if any.</summary>
    private static string? RowRule(ApiRequest request) =>
        request.Get<AccessPolicy>().RuleFor(request.Caller, LakeAlertStore.AlertsTable) is not null ? request.Caller.Department ?? "\u0000" : null;

    private static bool Visible(ApiRequest request, Alert alert) => RowRule(request) is not { } department || alert.DepartmentCode == department;

    private static AlertSubscriptionFilter Filter(object? argument)
    {
        if (argument is null)
        {
            return new AlertSubscriptionFilter(new AlertQuery(), null);
        }
        var map = FilterCompiler.AsMap(argument, "filter");
        IReadOnlyList<string>? List(string name) => map.GetValueOrDefault(name) is { } value ? FilterCompiler.AsList(value, "filter." + name).OfType<string>().ToList() : null;
        return new AlertSubscriptionFilter(new AlertQuery
        {
            Kinds = List("kinds"),
            Statuses = List("statuses"),
            Severities = List("severities"),
            SubjectId = map.GetValueOrDefault("subjectId") as string,
            DepartmentCode = map.GetValueOrDefault("department") as string,
            From = map.GetValueOrDefault("from") as DateTimeOffset?,
            To = map.GetValueOrDefault("to") as DateTimeOffset?,
        }, List("changes"));
    }

    private static Dictionary<string, object?> Value(Alert alert, ApiRequest request)
    {
        var clock = request.Get<CityClock>();
        // Who handled an alert and the note are internal: the same clearance as the alerts table's columns.
        var internalVisible = request.Caller.Role >= ApiRole.Analyst;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = alert.AlertId,
            ["kind"] = alert.Kind,
            ["subjectKind"] = alert.SubjectKind,
            ["subjectId"] = alert.SubjectId,
            ["indicators"] = alert.Indicators,
            ["start"] = clock.ToLocal(alert.Start),
            ["end"] = alert.End is { } end ? clock.ToLocal(end) : null,
            ["severity"] = alert.Severity,
            ["score"] = alert.Score,
            ["explanation"] = internalVisible ? alert.Explanation : null,
            ["status"] = alert.Status,
            ["department"] = alert.DepartmentCode is { } code ? new Dictionary<string, object?> { ["code"] = code, ["name"] = Departments.Name(request, code) } : null,
            ["location"] = alert.Longitude is { } lon && alert.Latitude is { } lat ? Models.Spatial.Geo.Point(lon, lat) : null,
            ["suspects"] = internalVisible ? alert.Suspects.Select(s => new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["rank"] = s.Rank,
                ["kind"] = s.Kind,
                ["id"] = s.Id,
                ["name"] = s.Name,
                ["riverKm"] = s.RiverKm,
                ["travelHours"] = s.TravelHours,
                ["score"] = s.Score,
                ["explanation"] = s.Explanation,
            }).ToList() : [],
            ["acknowledgedBy"] = internalVisible ? alert.AcknowledgedBy : null,
            ["acknowledgedAt"] = alert.AcknowledgedAt is { } ack ? clock.ToLocal(ack) : null,
            ["resolvedBy"] = internalVisible ? alert.ResolvedBy : null,
            ["resolvedAt"] = alert.ResolvedAt is { } res ? clock.ToLocal(res) : null,
            ["note"] = internalVisible ? alert.Note : null,
            ["raisedAt"] = clock.ToLocal(alert.RaisedAt),
            ["updatedAt"] = clock.ToLocal(alert.UpdatedAt),
        };
    }

    /// <summary>A subscriber's filter: the query's conditions plus which kinds of change it wants.</summary>
    private sealed record AlertSubscriptionFilter(AlertQuery Query, IReadOnlyList<string>? Changes)
    {
        public bool Matches(AlertChange change)
        {
            var a = change.Alert;
            var q = Query;
            return (Changes is { Count: > 0 } ? Changes.Contains(change.Change) : change.Change is "raised" or "updated")
                && (q.Kinds is not { Count: > 0 } || q.Kinds.Contains(a.Kind))
                && (q.Statuses is not { Count: > 0 } || q.Statuses.Contains(a.Status))
                && (q.Severities is not { Count: > 0 } || q.Severities.Contains(a.Severity))
                && (q.SubjectId is null || q.SubjectId == a.SubjectId)
                && (q.DepartmentCode is null || q.DepartmentCode == a.DepartmentCode)
                && (q.From is not { } from || a.Start >= from)
                && (q.To is not { } to || a.Start < to);
        }
    }
}
