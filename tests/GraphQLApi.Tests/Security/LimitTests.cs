using System.Net;

using OneMap.GraphQLApi.Tests.Support;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>Cost and depth budgets per role, page sizes per role, and the rate limit per key.</summary>
public sealed class LimitTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_rate_limit_refuses_a_burst_beyond_the_keys_allowance_with_retry_after()
    {
        var created = (await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey, "mutation { createApiKey(name: \"busy portal\", role: PUBLIC) { key } }",
            cancellationToken: Ct)).Ok();
        var key = (string)created["createApiKey"]!["key"]!;
        using var client = city.Server.ClientWith(key);
        var statuses = new List<int>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < IsolatedCity.PublicBurst + 3; i++)
        {
            using var content = new StringContent("{\"query\":\"{ me { role } }\"}", System.Text.Encoding.UTF8, "application/json");
            var response = await client.PostAsync("/graphql", content, Ct);
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }
        // The burst passes (the bucket refills at 0.5/s, so at most one more), then requests are refused.
        Assert.All(statuses.Take(IsolatedCity.PublicBurst), s => Assert.Equal(200, s));
        Assert.Contains(429, statuses);
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // Another key of the same role has its own bucket.
        Assert.Equal(200, (await city.Server.QueryAsync(city.Keys.Public, "{ me { role } }", cancellationToken: Ct)).Status);
    }

    [Fact]
    public async Task depth_budgets_differ_by_role()
    {
        // stations → upstream → station → … → id: 1 + 2n + 1 levels. The analyst's budget is 15, the admin's 25.
        static string Nested(int n) => "{ stations(ids: [\"WQS-010\"]) { " + string.Concat(Enumerable.Repeat("upstream(maxKm: 5) { station { ", n)) + "id"
            + string.Concat(Enumerable.Repeat(" } }", n)) + " } }";
        (await city.Server.QueryAsync(city.Keys.Analyst, Nested(6), cancellationToken: Ct)).Ok();
        var refused = await city.Server.QueryAsync(city.Keys.Analyst, Nested(7), cancellationToken: Ct);
        refused.Fails("16 deep");
        Assert.Equal("DEPTH_LIMIT_EXCEEDED", (string?)refused.Errors![0]!["extensions"]!["code"]);
        (await city.Server.QueryAsync(city.Keys.Admin, Nested(7), cancellationToken: Ct)).Ok();
    }

    [Fact]
    public async Task cost_budgets_bound_page_sizes_times_selections_per_role()
    {
        // A page of 10,000 rows costs about 10,000 per object level below it: within an analyst's budget of 2,000,000 …
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ tickets(first: 10000) { nodes { ticket_id } } }", cancellationToken: Ct)).Ok();
        // … sixty such pages with four object fields per row (60 × 10,000 × 4 ≈ 2,400,000) are not, and nothing runs.
        var huge = "{ " + string.Join(" ", Enumerable.Range(0, 60).Select(i =>
            $"t{i}: tickets(first: 10000) {{ edges {{ node {{ ticket_id events {{ seq }} escalationPath {{ kind }} handlingDepartment {{ name }} }} }} }}")) + " }";
        var refused = await city.Server.QueryAsync(city.Keys.Analyst, huge, cancellationToken: Ct);
        refused.Fails("cost");
        Assert.Equal("COST_LIMIT_EXCEEDED", (string?)refused.Errors![0]!["extensions"]!["code"]);
        // The public role's budget is 20,000: thirty aggregates of up to 1,000 groups exceed it, not an admin's.
        var publicHeavy = "{ " + string.Join(" ", Enumerable.Range(0, 30).Select(i => $"g{i}: tickets_aggregate(limit: 1000) {{ groups {{ key {{ level }} count }} }}")) + " }";
        (await city.Server.QueryAsync(city.Keys.Public, publicHeavy, cancellationToken: Ct)).Fails("cost");
        (await city.Server.QueryAsync(city.Keys.Admin, publicHeavy, cancellationToken: Ct)).Ok();
    }
}
