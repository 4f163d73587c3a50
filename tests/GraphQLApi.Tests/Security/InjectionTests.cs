using System.Text.Json.Nodes;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>
/// A corpus of SQL injection attempts through every argument that reaches SQL: each request is answered (with no rows
/// or a clear error), no answer shows SQL or engine internals or a hidden column, and the lake is byte for byte what
/// it was (values are parameters; names come only from the catalog).
/// </summary>
public sealed class InjectionTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    public static readonly string[] Payloads =
    [
        "' OR '1'='1",
        "' OR 1=1 --",
        "'; DROP TABLE tickets; --",
        "\"; DROP TABLE tickets; --",
        "x' UNION SELECT reporter_phone FROM tickets --",
        "') UNION ALL SELECT reporter_name, reporter_phone FROM \"tickets\" --",
        "%' OR '%'='",
        "1; DELETE FROM tickets",
        "$1",
        "?",
        "/* */ SELECT 1 /*",
        "x'); COPY (SELECT * FROM tickets) TO '/tmp/onemap-pwned.csv'; --",
        "'; ATTACH '/tmp/onemap-pwned.duckdb' AS pwn; --",
        "read_parquet('/etc/passwd')",
        "tickets@v0",
        "\"tickets@v0\"",
        "ʼ OR ʼ1ʼ=ʼ1",
        "\u0000' OR 1=1",
        "\\'; DROP TABLE tickets; --",
        new string('\'', 5000),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every argument that reaches SQL, each taking the payload as a variable.</summary>
    public static readonly (string Name, string Query)[] Arguments =
    [
        ("filter eq", "query($p: String) { tickets(filter: { ticket_id: { eq: $p } }) { totalCount nodes { ticket_id title } } }"),
        ("filter ne", "query($p: String) { tickets(first: 1, filter: { ticket_id: { ne: $p } }) { totalCount } }"),
        ("filter in", "query($p: String!) { tickets(filter: { title: { in: [$p, \"x\"] } }) { totalCount nodes { title } } }"),
        ("filter like", "query($p: String) { tickets(filter: { address: { like: $p } }) { totalCount } }"),
        ("filter ilike", "query($p: String) { tickets(filter: { title: { ilike: $p } }) { totalCount } }"),
        ("filter range", "query($p: String!) { tickets(filter: { ticket_id: { between: { from: $p, to: $p } }, title: { gt: $p } }) { totalCount } }"),
        ("filter or/not", "query($p: String) { tickets(filter: { or: [{ grid_code: { eq: $p } }, { not: { address: { lte: $p } } }] }) { totalCount } }"),
        ("after cursor", "query($p: String) { tickets(first: 2, after: $p) { nodes { ticket_id } } }"),
        ("before cursor", "query($p: String) { tickets(last: 2, before: $p) { nodes { ticket_id } } }"),
        ("aggregate filter", "query($p: String) { tickets_aggregate(filter: { department_code: { eq: $p } }) { groups { count } } }"),
        ("export filter", "query($p: String) { tickets_export(format: CSV, filter: { title: { eq: $p } }) { url } }"),
        ("ticket id", "query($p: String!) { ticket(id: $p) { ticket_id } }"),
        ("station id", "query($p: String!) { station(id: $p) { id } }"),
        ("station ids and kind", "query($p: String!) { stations(ids: [$p], kind: $p) { id } }"),
        ("series indicator", "query($p: String!) { stations(ids: [\"WQS-001\"]) { series(indicator: $p, from: \"2024-06-06T00:00:00+08:00\", to: \"2024-06-07T00:00:00+08:00\") { value } } }"),
        ("manhole id", "query($p: String!) { manhole(id: $p) { id } }"),
        ("grid code", "query($p: String!) { grid(code: $p) { code } grids(codes: [$p], parentCode: $p) { code } }"),
        ("alert filter", "query($p: String!) { alerts(filter: { subjectId: $p, kinds: [$p], department: $p }) { id } }"),
        ("alert id", "query($p: String!) { alert(id: $p) { id } }"),
        ("catalog name", "query($p: String!) { catalog { dataset(name: $p) { name } } }"),
        ("GeoJSON type", "query($p: String!) { tickets(filter: { geom: { intersects: { type: $p, coordinates: [119.0, 25.4] } } }) { totalCount } }"),
        ("as-of time", "query($p: DateTime) { tickets(asOf: { time: $p }) { totalCount } }"),
    ];

    [Fact]
    public async Task no_payload_through_any_argument_changes_the_lake_or_leaks_anything()
    {
        var before = Fingerprint();
        var personal = LakeFiles.Query(city.LakeRoot, "tickets", "SELECT reporter_phone FROM {t} WHERE reporter_phone IS NOT NULL LIMIT 200").Select(r => (string)r[0]!).ToHashSet();
        var answered = 0;
        foreach (var (name, query) in Arguments)
        {
            foreach (var payload in Payloads)
            {
                var result = await city.Server.QueryAsync(city.Keys.Analyst, query, new { p = payload }, Ct);
                var context = $"{name} with {payload[..Math.Min(payload.Length, 40)]}: {result.Text[..Math.Min(result.Text.Length, 400)]}";
                Assert.True(result.Status is 200 or 400, context);
                foreach (var leak in new[] { "SELECT", "Binder Error", "Parser Error", "Catalog Error", "Conversion Error", "syntax error", "DuckDB", "read_parquet", "INTERNAL_SERVER_ERROR" })
                {
                    Assert.False(result.Text.Contains(leak, StringComparison.OrdinalIgnoreCase) && !payload.Contains(leak, StringComparison.OrdinalIgnoreCase), $"{leak} in {context}");
                }
                Assert.DoesNotContain(personal, phone => result.Text.Contains(phone, StringComparison.Ordinal));
                if (result.Data is JsonObject data && data["tickets"]?["totalCount"] is JsonValue count && name is "filter eq" or "filter in" or "filter range" or "aggregate filter")
                {
                    // A payload is a value like any other: no tautology widens an equality.
                    Assert.Equal(0L, (long)count);
                }
                answered++;
            }
        }
        Assert.Equal(Arguments.Length * Payloads.Length, answered);
        Assert.Equal(before, Fingerprint());
        Assert.False(File.Exists("/tmp/onemap-pwned.csv"));
        Assert.False(File.Exists("/tmp/onemap-pwned.duckdb"));
        // The data is intact: every table still answers with its rows.
        Assert.Equal(LakeFiles.Count(city.LakeRoot, "tickets"),
            (long)(await city.Server.QueryAsync(city.Keys.Analyst, "{ tickets(first: 0) { totalCount } }", cancellationToken: Ct)).Ok()["tickets"]!["totalCount"]!);
    }

    [Fact]
    public async Task payloads_in_admin_and_mutation_arguments_are_kept_and_matched_as_plain_values()
    {
        var tickets = LakeFiles.Count(city.LakeRoot, "tickets");
        // Text that is stored (a key's name, a note) or looked up (an audit caller, an alert id): the NUL byte is
        // refused by JSON readers on the way in, so it is left to the read-only corpus above.
        foreach (var payload in Payloads.Where(p => !p.Contains('\u0000', StringComparison.Ordinal)))
        {
            var audit = await city.Server.QueryAsync(city.Keys.Admin, "query($p: String) { audit(callerId: $p, limit: 5) { callerId } }", new { p = payload }, Ct);
            Assert.Empty(audit.Ok()["audit"]!.AsArray());
            var create = await city.Server.QueryAsync(city.Keys.Admin, "mutation($p: String!) { createApiKey(name: $p, role: PUBLIC) { apiKey { id name } } }", new { p = payload }, Ct);
            if (payload.Length > 200)
            {
                create.Fails("name: must be 1 to 200 characters");
            }
            else
            {
                var created = create.Ok()["createApiKey"]!["apiKey"]!;
                Assert.Equal(payload, (string?)created["name"]);
                var listed = (await city.Server.QueryAsync(city.Keys.Admin, "{ apiKeys { id name } }", cancellationToken: Ct)).Ok()["apiKeys"]!.AsArray();
                Assert.Equal(payload, (string?)Assert.Single(listed, k => (string?)k!["id"] == (string?)created["id"])!["name"]);
            }
            var acknowledged = await city.Server.QueryAsync(city.Keys.EcologyDepartment, "mutation($p: String!) { acknowledgeAlert(id: $p, note: $p) { id } }", new { p = payload }, Ct);
            Assert.Contains(acknowledged.Messages, m => m.Contains("no alert", StringComparison.Ordinal));
            // The message names the id given (the payload itself), and nothing of the engine.
            Assert.False(acknowledged.Text.Contains("DuckDB", StringComparison.OrdinalIgnoreCase) && !payload.Contains("duckdb", StringComparison.OrdinalIgnoreCase), acknowledged.Text);
        }
        Assert.Equal(tickets, LakeFiles.Count(city.LakeRoot, "tickets"));
        Assert.Equal(tickets, (long)(await city.Server.QueryAsync(city.Keys.Admin, "{ tickets(first: 0) { totalCount } }", cancellationToken: Ct)).Ok()["tickets"]!["totalCount"]!);
    }

    [Fact]
    public async Task names_cannot_be_injected_because_they_are_enums_from_the_catalog()
    {
        foreach (var query in new[]
                 {
                     "{ tickets(orderBy: [{ column: \"ticket_id; DROP TABLE tickets\" }]) { totalCount } }",
                     "{ tickets_aggregate(groupBy: [reporter_phone]) { groups { count } } }",
                     "{ tickets_aggregate(timeBucket: { column: title, unit: HOUR }) { groups { count } } }",
                     "{ tickets(orderBy: [{ column: nonexistent }]) { totalCount } }",
                     "{ tickets_export(format: \"csv'; --\") { url } }",
                 })
        {
            var result = await city.Server.QueryAsync(city.Keys.Analyst, query, cancellationToken: Ct);
            Assert.Equal(400, result.Status == 200 && result.Errors is null ? 200 : 400);
            Assert.NotNull(result.Errors);
            Assert.Equal("GRAPHQL_VALIDATION_FAILED", (string?)result.Errors![0]!["extensions"]!["code"]);
        }
    }

    private List<(string, long)> Fingerprint() =>
        LakeFiles.Snapshot(city.LakeRoot).Select(f => (f, new FileInfo(Path.Combine(city.LakeRoot, f)).Length)).ToList();
}
