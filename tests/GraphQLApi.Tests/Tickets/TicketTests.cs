using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Tickets;

/// <summary>
/// Tickets and the closed loop: state, history, deadlines, overdue (against the sample's ground truth), escalation
/// path and handling department; rates by group; and the four-quadrant evaluation of departments.
/// </summary>
public sealed class TicketTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    private async Task<JsonNode> Query(string query, object? variables = null) => (await city.Server.QueryAsync(city.Keys.Analyst, query, variables, Ct)).Ok();

    private static JsonElement GroundTruth() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleCity.DataSamples, "ground-truth", "tickets.json"))).RootElement;

    [Fact]
    public async Task a_ticket_shows_its_state_its_full_history_and_its_escalation_path()
    {
        var escalated = LakeFiles.Query(Lake, "ticket_events", "SELECT ticket_id FROM {t} WHERE kind = 'escalate' ORDER BY ticket_id LIMIT 3").Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(escalated);
        foreach (var id in escalated)
        {
            var ticket = (await Query("""
                query($id: String!) { ticket(id: $id) { ticket_id status level department_code handlingDepartment { code name }
                  events { seq kind at level department_code due_at } escalationPath { kind level at dueAt department { code } } } }
                """, new { id }))["ticket"]!;
            var events = LakeFiles.Query(Lake, "ticket_events", "SELECT seq, kind, \"at\", level, due_at FROM {t} WHERE ticket_id = $1 ORDER BY seq", id);
            var status = LakeFiles.Query(Lake, "tickets", "SELECT status, level FROM {t} WHERE ticket_id = $1", id)[0];
            Assert.Equal((string)status[0]!, (string?)ticket["status"]);
            Assert.Equal((string)status[1]!, (string?)ticket["level"]);
            Assert.Equal(events.Select(e => (long)e[0]!), ticket["events"]!.AsArray().Select(e => (long)e!["seq"]!));
            Assert.Equal(events.Select(e => (string)e[1]!), ticket["events"]!.AsArray().Select(e => (string)e!["kind"]!));
            Assert.Equal(events.Select(e => (DateTimeOffset)e[2]!), ticket["events"]!.AsArray().Select(e => DateTimeOffset.Parse((string)e!["at"]!, CultureInfo.InvariantCulture)));
            var path = events.Where(e => (string)e[1]! is "dispatch" or "escalate").ToList();
            Assert.Equal(path.Select(e => (string)e[1]!), ticket["escalationPath"]!.AsArray().Select(e => (string)e!["kind"]!));
            Assert.Equal(path.Select(e => (string)e[3]!), ticket["escalationPath"]!.AsArray().Select(e => (string)e!["level"]!));
            Assert.Contains(ticket["escalationPath"]!.AsArray(), e => (string?)e!["kind"] == "escalate");
        }
    }

    [Fact]
    public async Task overdue_at_export_time_matches_the_ground_truth()
    {
        var truth = GroundTruth().GetProperty("overdue_at_export").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        Assert.Equal(66, truth.Count);
        var data = await Query("query($at: DateTime!) { tickets(first: 10000) { nodes { ticket_id source overdue(at: $at) remainingHours(at: $at) elapsedHours(at: $at) deadlineHours } } }",
            new { at = SampleCity.ExportTime });
        var nodes = data["tickets"]!["nodes"]!.AsArray();
        var overdue = nodes.Where(n => (bool?)n!["overdue"] == true).ToList();
        // Hotline and grid tickets carry their handling time: the set is exactly the ground truth's.
        Assert.Equal(truth.Where(t => !t.StartsWith("APP", StringComparison.Ordinal)).Order(),
            overdue.Where(n => (string)n!["source"]! != "citizen_app").Select(n => (string)n!["ticket_id"]!).Order());
        // Open311 reports no handling step, only the close: the API judges by the close, which catches every late one.
        Assert.Subset(overdue.Where(n => (string)n!["source"]! == "citizen_app").Select(n => (string)n!["ticket_id"]!).ToHashSet(),
            truth.Where(t => t.StartsWith("APP", StringComparison.Ordinal)).ToHashSet());
        Assert.All(nodes.Where(n => n!["remainingHours"] is JsonValue), n => Assert.Equal((double)n!["deadlineHours"]! - (double)n["elapsedHours"]!, (double)n["remainingHours"]!, 6));
    }

    [Fact]
    public async Task the_street_light_cluster_is_handled_by_the_lighting_office()
    {
        var cluster = GroundTruth().GetProperty("street_light_cluster");
        var ids = cluster.GetProperty("ticket_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
        var data = await Query("query($ids: [String!]) { tickets(filter: { ticket_id: { in: $ids } }, first: 100) { nodes { ticket_id handlingDepartment { code name } } } }", new { ids });
        var nodes = data["tickets"]!["nodes"]!.AsArray();
        Assert.Equal(ids.Count, nodes.Count);
        // The 12345 platform names the department; Open311 (the app's tickets) does not, so those show none.
        var hotline = nodes.Where(n => !((string)n!["ticket_id"]!).StartsWith("APP", StringComparison.Ordinal)).ToList();
        Assert.True(hotline.Count >= 25);
        Assert.All(hotline, n => Assert.Equal(cluster.GetProperty("handled_by").GetString(), (string?)n!["handlingDepartment"]!["code"]));
        Assert.All(hotline, n => Assert.False(string.IsNullOrEmpty((string?)n!["handlingDepartment"]!["name"])));
    }

    [Fact]
    public async Task rates_by_department_match_the_tickets_and_their_events()
    {
        var data = await Query("query($at: DateTime!) { ticketRates(groupBy: DEPARTMENT, at: $at) { key name tickets closed open overdue onTimeClosureRate meanHoursToAccept meanHoursToClose reopenRate satisfaction rated } }",
            new { at = SampleCity.ExportTime });
        var tickets = LakeFiles.Query(Lake, "tickets", "SELECT ticket_id, department_code, reported_at, due_at, handled_at, closed_at, satisfaction FROM {t}");
        var events = LakeFiles.Query(Lake, "ticket_events", "SELECT ticket_id, kind, \"at\" FROM {t}").GroupBy(e => (string)e[0]!).ToDictionary(g => g.Key, g => g.ToList());
        var rates = data["ticketRates"]!.AsArray();
        Assert.Equal(tickets.Select(t => t[1] as string).Distinct().Count(), rates.Count);
        foreach (var rate in rates)
        {
            var department = (string?)rate!["key"];
            var mine = tickets.Where(t => (string?)t[1] == department).ToList();
            Assert.Equal(mine.Count, (long)rate["tickets"]!);
            var closed = mine.Where(t => t[5] is not null).ToList();
            Assert.Equal(closed.Count, (long)rate["closed"]!);
            Assert.Equal(mine.Count - closed.Count, (long)rate["open"]!);
            if (closed.Count > 0)
            {
                var onTime = closed.Count(t => ((DateTimeOffset?)t[4] ?? (DateTimeOffset)t[5]!) <= (DateTimeOffset)t[3]!);
                Assert.Equal((double)onTime / closed.Count, (double)rate["onTimeClosureRate"]!, 9);
                Assert.Equal(closed.Average(t => ((DateTimeOffset)t[5]! - (DateTimeOffset)t[2]!).TotalHours), (double)rate["meanHoursToClose"]!, 6);
            }
            var accepted = mine.Select(t => events.GetValueOrDefault((string)t[0]!)?.Where(e => (string)e[1]! == "accept").Select(e => (DateTimeOffset?)e[2]).Min() is { } at
                ? (at - (DateTimeOffset)t[2]!).TotalHours : (double?)null).OfType<double>().ToList();
            if (accepted.Count > 0)
            {
                Assert.Equal(accepted.Average(), (double)rate["meanHoursToAccept"]!, 6);
            }
            var reopened = mine.Count(t => events.GetValueOrDefault((string)t[0]!)?.Any(e => (string)e[1]! == "reopen") == true);
            Assert.Equal((double)reopened / mine.Count, (double)rate["reopenRate"]!, 9);
            var ratings = mine.Where(t => t[6] is not null).Select(t => (double)(long)t[6]!).ToList();
            Assert.Equal(ratings.Count, (long)rate["rated"]!);
            if (ratings.Count > 0)
            {
                Assert.Equal(ratings.Average(), (double)rate["satisfaction"]!, 9);
            }
        }
        Assert.Contains(rates, r => (string?)r!["key"] == "D11" && ((string?)r["name"])?.Contains("住房", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task rates_group_by_grid_category_and_level_and_sum_to_the_whole()
    {
        var total = LakeFiles.Count(Lake, "tickets");
        foreach (var grouping in new[] { "GRID", "CATEGORY", "SUB_CATEGORY", "LEVEL", "SOURCE" })
        {
            var data = await Query($"{{ ticketRates(groupBy: {grouping}) {{ key name tickets }} }}");
            var rates = data["ticketRates"]!.AsArray();
            Assert.Equal(total, rates.Sum(r => (long)r!["tickets"]!));
            if (grouping == "CATEGORY")
            {
                Assert.All(rates, r => Assert.False(string.IsNullOrEmpty((string?)r!["name"])));
            }
        }
    }

    [Fact]
    public async Task city_wide_rates_are_one_group_of_every_ticket()
    {
        var data = await Query("query($at: DateTime!) { ticketRates(groupBy: ALL, at: $at) { key name tickets closed open onTimeClosureRate } }",
            new { at = SampleCity.ExportTime });
        var tickets = LakeFiles.Query(Lake, "tickets", "SELECT due_at, handled_at, closed_at FROM {t}");

        var all = Assert.Single(data["ticketRates"]!.AsArray())!;
        Assert.Equal("all", (string?)all["key"]);
        Assert.Contains("全市", (string?)all["name"], StringComparison.Ordinal);
        Assert.Equal(tickets.Count, (long)all["tickets"]!);
        var closed = tickets.Where(t => t[2] is not null).ToList();
        Assert.Equal(closed.Count, (long)all["closed"]!);
        Assert.Equal(tickets.Count - closed.Count, (long)all["open"]!);
        var onTime = closed.Count(t => ((DateTimeOffset?)t[1] ?? (DateTimeOffset)t[2]!) <= (DateTimeOffset)t[0]!);
        Assert.Equal((double)onTime / closed.Count, (double)all["onTimeClosureRate"]!, 9);
    }

    [Fact]
    public async Task departments_fall_in_quadrants_by_response_speed_and_resolution_around_the_medians()
    {
        var data = await Query("query($at: DateTime!) { departmentEvaluation(at: $at) { responseHoursMedian resolutionRateMedian departments { department { code name } tickets meanResponseHours resolutionRate onTimeRate quadrant } } }",
            new { at = SampleCity.ExportTime });
        var evaluation = data["departmentEvaluation"]!;
        var departments = evaluation["departments"]!.AsArray();
        Assert.True(departments.Count >= 20);
        var responseMedian = (double)evaluation["responseHoursMedian"]!;
        var resolutionMedian = (double)evaluation["resolutionRateMedian"]!;
        var responses = departments.Select(d => (double?)d!["meanResponseHours"]).OfType<double>().Order().ToList();
        Assert.Equal(responses.Count % 2 == 1 ? responses[responses.Count / 2] : (responses[(responses.Count / 2) - 1] + responses[responses.Count / 2]) / 2, responseMedian, 9);
        foreach (var department in departments.Where(d => d!["quadrant"] is not null))
        {
            var fast = (double)department!["meanResponseHours"]! <= responseMedian;
            var resolving = (double)department["resolutionRate"]! >= resolutionMedian;
            var expected = (fast, resolving) switch
            {
                (true, true) => "FAST_AND_RESOLVING",
                (true, false) => "FAST_NOT_RESOLVING",
                (false, true) => "SLOW_BUT_RESOLVING",
                _ => "SLOW_NOT_RESOLVING",
            };
            Assert.Equal(expected, (string?)department["quadrant"]);
        }
        Assert.Equal(4, departments.Select(d => (string?)d!["quadrant"]).OfType<string>().Distinct().Count());
        // A department's resolution is its closed tickets over its tickets, from the table.
        var housing = departments.Single(d => (string?)d!["department"]!["code"] == "D11")!;
        Assert.Equal((double)LakeFiles.Count(Lake, "tickets", "department_code = 'D11' AND closed_at IS NOT NULL") / LakeFiles.Count(Lake, "tickets", "department_code = 'D11'"),
            (double)housing["resolutionRate"]!, 9);
    }
}
