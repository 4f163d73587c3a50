using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>
/// The roles, one test per role per kind of access (introspection, rows, aggregates, exports, curated fields,
/// mutations): public sees aggregates of public columns, analysts everything but personal columns, a department its
/// own datasets and rows in full and the rest as an analyst, admins everything. Exports per role are in ExportTests,
/// subscriptions per role in AlertTests.
/// </summary>
public sealed partial class RoleTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    private Task<GqlResult> As(string key, string query) => city.Server.QueryAsync(key, query, cancellationToken: Ct);

    private async Task<HashSet<string>> FieldsOf(string key, string type)
    {
        var data = (await As(key, $"{{ __type(name: \"{type}\") {{ fields {{ name }} }} }}")).Ok();
        return data["__type"] is JsonObject t ? t["fields"]!.AsArray().Select(f => (string)f!["name"]!).ToHashSet() : [];
    }

    // ---- public

    [Fact]
    public async Task public_introspection_shows_only_aggregates_of_public_columns()
    {
        var root = await FieldsOf(city.Keys.Public, "Query");
        Assert.Contains("tickets_aggregate", root);
        Assert.DoesNotContain("tickets", root);
        Assert.DoesNotContain("tickets_export", root);
        Assert.DoesNotContain("stations", root);
        Assert.DoesNotContain("alerts", root);
        Assert.DoesNotContain("apiKeys", root);
        Assert.All(root.Where(f => f.EndsWith("_export", StringComparison.Ordinal)), f => Assert.Fail($"public sees {f}"));
        var keyFields = await FieldsOf(city.Keys.Public, "TicketsGroupKey");
        Assert.Contains("level", keyFields);
        Assert.DoesNotContain("description", keyFields);
        Assert.DoesNotContain("reporter_phone", keyFields);
        Assert.DoesNotContain("reporter_key", keyFields);
        Assert.DoesNotContain("output_value_10k_yuan", await FieldsOf(city.Keys.Public, "EnterprisesNumbers"));
        var schema = (await As(city.Keys.Public, "{ __schema { mutationType { name } subscriptionType { name } } }")).Ok();
        Assert.Null(schema["__schema"]!["mutationType"]);
        Assert.Null(schema["__schema"]!["subscriptionType"]);
    }

    [Fact]
    public async Task public_rows_queries_are_refused_by_validation()
    {
        (await As(city.Keys.Public, "{ tickets(first: 1) { nodes { ticket_id } } }")).Fails("Field \"tickets\" is not defined");
        (await As(city.Keys.Public, "{ stations { id } }")).Fails("Field \"stations\" is not defined");
        (await As(city.Keys.Public, "{ ticket(id: \"x\") { ticket_id } }")).Fails("is not defined");
    }

    [Fact]
    public async Task public_aggregates_work_over_public_columns_only()
    {
        var data = (await As(city.Keys.Public, "{ enterprises_aggregate(groupBy: [district_code]) { groups { key { district_code } count avg { employees } } } }")).Ok();
        Assert.NotEmpty(data["enterprises_aggregate"]!["groups"]!.AsArray());
        (await As(city.Keys.Public, "{ enterprises_aggregate { groups { sum { output_value_10k_yuan } } } }")).Fails("output_value_10k_yuan");
        (await As(city.Keys.Public, "{ tickets_aggregate(groupBy: [description]) { groups { count } } }")).Fails("description");
    }

    [Fact]
    public async Task public_cannot_export() =>
        (await As(city.Keys.Public, "{ tickets_export(format: CSV) { url } }")).Fails("Field \"tickets_export\" is not defined");

    [Fact]
    public async Task public_curated_fields_are_the_aggregate_ones()
    {
        var data = (await As(city.Keys.Public, "{ ticketRates(groupBy: LEVEL, at: \"2024-06-08T00:00:00+08:00\") { key tickets overdue } }")).Ok();
        Assert.NotEmpty(data["ticketRates"]!.AsArray());
        var catalog = (await As(city.Keys.Public, "{ catalog { dataset(name: \"tickets\") { columns { name sensitivity } } } }")).Ok();
        var columns = catalog["catalog"]!["dataset"]!["columns"]!.AsArray();
        Assert.All(columns, c => Assert.Equal("PUBLIC", (string?)c!["sensitivity"]));
        Assert.DoesNotContain(columns, c => (string?)c!["name"] == "reporter_name");
    }

    // ---- analyst

    [Fact]
    public async Task analyst_introspection_hides_personal_columns_only()
    {
        var tickets = await FieldsOf(city.Keys.Analyst, "Tickets");
        Assert.Contains("description", tickets);
        Assert.Contains("reporter_key", tickets);
        Assert.DoesNotContain("reporter_name", tickets);
        Assert.DoesNotContain("reporter_phone", tickets);
        var vessels = await FieldsOf(city.Keys.Analyst, "Vessels");
        Assert.DoesNotContain("owner_name", vessels);
        Assert.DoesNotContain("owner_phone", vessels);
        var filter = (await As(city.Keys.Analyst, "{ __type(name: \"TicketsFilter\") { inputFields { name } } }")).Ok()["__type"]!["inputFields"]!.AsArray()
            .Select(f => (string)f!["name"]!).ToList();
        Assert.DoesNotContain("reporter_phone", filter);
        Assert.DoesNotContain("apiKeys", await FieldsOf(city.Keys.Analyst, "Query"));
    }

    [Fact]
    public async Task analyst_rows_queries_see_every_row_but_no_personal_column()
    {
        var data = (await As(city.Keys.Analyst, "{ tickets(first: 0) { totalCount } }")).Ok();
        Assert.Equal(LakeFiles.Count(Lake, "tickets"), (long)data["tickets"]!["totalCount"]!);
        (await As(city.Keys.Analyst, "{ tickets(first: 1) { nodes { reporter_phone } } }")).Fails("reporter_phone");
        (await As(city.Keys.Analyst, "{ tickets(first: 1, filter: { reporter_name: { like: \"%\" } }) { totalCount } }")).Fails("reporter_name");
        (await As(city.Keys.Analyst, "{ tickets(first: 1, orderBy: [{ column: reporter_phone }]) { totalCount } }")).Fails("reporter_phone");
    }

    [Fact]
    public async Task analyst_aggregates_include_internal_columns()
    {
        var data = (await As(city.Keys.Analyst, "{ enterprises_aggregate { groups { sum { output_value_10k_yuan } } } }")).Ok();
        Assert.True((double)data["enterprises_aggregate"]!["groups"]![0]!["sum"]!["output_value_10k_yuan"]! > 0);
        (await As(city.Keys.Analyst, "{ vessels_aggregate(groupBy: [owner_phone]) { groups { count } } }")).Fails("owner_phone");
    }

    [Fact]
    public async Task analyst_curated_fields_and_no_mutations()
    {
        var data = (await As(city.Keys.Analyst, "{ stations(ids: [\"WQS-001\"]) { id current { indicator } } }")).Ok();
        Assert.Single(data["stations"]!.AsArray());
        (await As(city.Keys.Analyst, "mutation { createApiKey(name: \"x\", role: ADMIN) { key } }")).Fails("mutation");
    }

    // ---- department

    [Fact]
    public async Task department_rows_are_its_own_tickets_in_full()
    {
        var data = (await As(city.Keys.HousingDepartment, "{ tickets(first: 10000) { totalCount nodes { department_code reporter_phone reporter_name } } }")).Ok();
        var own = LakeFiles.Count(Lake, "tickets", "department_code = 'D11'");
        Assert.True(own > 100);
        Assert.Equal(own, (long)data["tickets"]!["totalCount"]!);
        var nodes = data["tickets"]!["nodes"]!.AsArray();
        Assert.All(nodes, n => Assert.Equal(RoleKeys.Housing, (string?)n!["department_code"]));
        Assert.Contains(nodes, n => ((string?)n!["reporter_phone"])?.Contains('*', StringComparison.Ordinal) == true);
        var events = (await As(city.Keys.HousingDepartment, "{ ticket_events(first: 0) { totalCount } }")).Ok();
        Assert.Equal(LakeFiles.Count(Lake, "ticket_events", "department_code = 'D11'"), (long)events["ticket_events"]!["totalCount"]!);
        // Another department's ticket is not there at all.
        var foreign = (string)LakeFiles.Query(Lake, "tickets", "SELECT ticket_id FROM {t} WHERE department_code = 'D05' LIMIT 1")[0][0]!;
        Assert.Null((await As(city.Keys.HousingDepartment, $"{{ ticket(id: \"{foreign}\") {{ ticket_id }} }}")).Ok()["ticket"]);
    }

    [Fact]
    public async Task department_aggregates_count_only_its_own_rows()
    {
        var data = (await As(city.Keys.HousingDepartment, "{ tickets_aggregate(groupBy: [department_code]) { groups { key { department_code } count } } }")).Ok();
        var groups = data["tickets_aggregate"]!["groups"]!.AsArray();
        var only = Assert.Single(groups);
        Assert.Equal(RoleKeys.Housing, (string?)only!["key"]!["department_code"]);
        Assert.Equal(LakeFiles.Count(Lake, "tickets", "department_code = 'D11'"), (long)only["count"]!);
        var rates = (await As(city.Keys.HousingDepartment, "{ ticketRates(groupBy: DEPARTMENT) { key tickets } whole: ticketRates(groupBy: ALL) { tickets } }")).Ok();
        Assert.Equal(RoleKeys.Housing, (string?)Assert.Single(rates["ticketRates"]!.AsArray())!["key"]);
        // The city-wide group is the department's own tickets too: row rules hold for every grouping.
        Assert.Equal((long)rates["ticketRates"]![0]!["tickets"]!, (long)Assert.Single(rates["whole"]!.AsArray())!["tickets"]!);
    }

    [Fact]
    public async Task department_sees_its_own_dataset_in_full_and_others_as_an_analyst()
    {
        var fisheries = (await As(city.Keys.FisheriesDepartment, "{ vessels(first: 100) { nodes { vessel_id owner_name owner_phone } } }")).Ok();
        var vessels = fisheries["vessels"]!["nodes"]!.AsArray();
        Assert.Equal(LakeFiles.Count(Lake, "vessels"), vessels.Count);
        Assert.All(vessels, v => Assert.Contains("*", (string?)v!["owner_phone"] ?? "*", StringComparison.Ordinal));
        (await As(city.Keys.HousingDepartment, "{ vessels(first: 1) { nodes { owner_phone } } }")).Fails("owner_phone");
        var housing = (await As(city.Keys.HousingDepartment, "{ enterprises_aggregate { groups { sum { output_value_10k_yuan } } } }")).Ok();
        Assert.NotNull(housing["enterprises_aggregate"]!["groups"]![0]!["sum"]!["output_value_10k_yuan"]);
        Assert.Contains("owner_phone", await FieldsOf(city.Keys.FisheriesDepartment, "Vessels"));
        Assert.DoesNotContain("owner_phone", await FieldsOf(city.Keys.HousingDepartment, "Vessels"));
    }

    // ---- admin

    [Fact]
    public async Task admin_sees_every_column_every_row_and_administration()
    {
        var tickets = await FieldsOf(city.Keys.Admin, "Tickets");
        Assert.Contains("reporter_phone", tickets);
        var data = (await As(city.Keys.Admin, "{ tickets(first: 0) { totalCount } apiKeys { id role } }")).Ok();
        Assert.Equal(LakeFiles.Count(Lake, "tickets"), (long)data["tickets"]!["totalCount"]!);
        Assert.Contains(data["apiKeys"]!.AsArray(), k => (string?)k!["role"] == "PUBLIC");
    }

    [Fact]
    public async Task admin_aggregates_reach_personal_columns()
    {
        var data = (await As(city.Keys.Admin, "{ tickets_aggregate(groupBy: [level]) { groups { key { level } count countDistinct { reporter_phone } } } }")).Ok();
        var expected = LakeFiles.Query(Lake, "tickets", "SELECT level, count(*), count(DISTINCT reporter_phone) FROM {t} GROUP BY level")
            .ToDictionary(r => (string)r[0]!, r => (Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture)));
        var groups = data["tickets_aggregate"]!["groups"]!.AsArray();
        Assert.Equal(expected.Count, groups.Count);
        Assert.All(groups, g => Assert.Equal(expected[(string)g!["key"]!["level"]!], ((long)g["count"]!, (long)g["countDistinct"]!["reporter_phone"]!)));
        (await As(city.Keys.Analyst, "{ tickets_aggregate { groups { countDistinct { reporter_phone } } } }")).Fails("reporter_phone");
    }

    [Fact]
    public async Task personal_data_never_leaves_in_clear_text_even_for_admins()
    {
        // Clear phone numbers and names as the 12345 platform exported them.
        var clear = new HashSet<string>(StringComparer.Ordinal);
        using (var stream = new GZipStream(File.OpenRead(Path.Combine(SampleCity.DataSamples, "tickets", "hotline-12345.jsonl.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(stream))
        {
            string? line;
            while ((line = await reader.ReadLineAsync(Ct)) is not null && clear.Count < 400)
            {
                using var record = JsonDocument.Parse(line);
                if (record.RootElement.TryGetProperty("callerPhone", out var phone) && phone.ValueKind == JsonValueKind.String && Phone().IsMatch(phone.GetString()!))
                {
                    clear.Add(phone.GetString()!);
                }
                if (record.RootElement.TryGetProperty("callerName", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Length >= 3)
                {
                    clear.Add(name.GetString()!);
                }
            }
        }
        Assert.True(clear.Count > 100, "the export holds callers' names and phones");
        foreach (var key in new[] { city.Keys.Admin, city.Keys.HousingDepartment, city.Keys.Analyst })
        {
            var text = (await As(key, "{ tickets(first: 10000) { edges { node { ticket_id } } } } ")).Text
                + (await As(key, "{ ticket_events(first: 10000) { nodes { ticket_id } } }")).Text;
            var full = key == city.Keys.Analyst
                ? (await As(key, "{ tickets(first: 10000) { nodes { title description address } } }")).Text
                : (await As(key, "{ tickets(first: 10000) { nodes { reporter_name reporter_phone description address } } }")).Text;
            Assert.DoesNotContain(clear, phone => full.Contains(phone, StringComparison.Ordinal) || text.Contains(phone, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Phone();
}
