using System.Text.Json.Nodes;
using OneMap.GraphQL.Tests.Support;
using OneMap.GraphQL.Transport;

namespace OneMap.GraphQL.Tests.Transport;

/// <summary>Real clients from npm (graphql-request, urql with persisted queries, graphql-ws, graphql-sse) against Kestrel.</summary>
public sealed class RealClientTests : IAsyncLifetime
{
    private GraphQLTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GraphQLTestServer.StartAsync(ServerSchema.Build(),
        options => options.ConfigureRequest = context => ValueTask.FromResult(new GraphQL.Execution.ExecutionOptions
        {
            RootValue = new Types.SampleQuery(Types.SampleSchema.Stations),
            User = context.User,
        }));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task graphql_request_runs_a_plain_query_and_sees_validation_errors()
    {
        NodeTools.Require();
        var output = JsonNode.Parse(await NodeTools.RunAsync("clients.mjs",
            ["request", _server.GraphQLUri.ToString(), "query Q($limit: Int) { manhole_alerts(limit: $limit) { id grid open } station(code: \"MLR-01\") { name class } }"],
            TestContext.Current.CancellationToken))!;
        Assert.Equal("""{"manhole_alerts":[{"id":"a1","grid":"G-12","open":true}],"station":{"name":"Mulan River Bridge","class":"CLASS_II"}}""",
            output["data"]!.ToJsonString());
        // graphql-request asks for application/graphql-response+json, so a validation error is a 400 with the errors.
        Assert.Equal(400, (int)output["invalid"]!["status"]!);
        Assert.Contains("nope", (string)output["invalid"]!["errors"]![0]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task urql_sends_an_automatic_persisted_query_by_hash_then_registers_it()
    {
        NodeTools.Require();
        const string query = "query Stations { stations { code name } }";
        var output = JsonNode.Parse(await NodeTools.RunAsync("clients.mjs", ["persisted", _server.GraphQLUri.ToString(), query],
            TestContext.Current.CancellationToken))!;
        var expected = """{"stations":[{"code":"MLR-01","name":"Mulan River Bridge"},{"code":"MLR-02","name":"Estuary"}]}""";
        Assert.True(output["first"]?["data"] is JsonObject, output.ToJsonString());
        Assert.Equal(expected, output["first"]!["data"]!.ToJsonString());
        Assert.Equal(expected, output["second"]!["data"]!.ToJsonString());
        var sent = output["sent"]!.AsArray();
        // First a GET with only the hash (not found), then the document, then (second client) the hash alone suffices.
        Assert.Equal("GET", (string)sent[0]!["method"]!);
        Assert.DoesNotContain("query=", (string)sent[0]!["url"]!, StringComparison.Ordinal);
        Assert.Contains(sent.Skip(1), s => ((string?)s!["body"] ?? (string)s["url"]!).Contains("stations", StringComparison.Ordinal));
        Assert.Equal("GET", (string)sent[^1]!["method"]!);
        Assert.DoesNotContain("query=", (string)sent[^1]!["url"]!, StringComparison.Ordinal);
        // urql hashes its own printing of the document; the server registered that text under that hash.
        var firstUrl = new Uri((string)sent[0]!["url"]!);
        var extensions = JsonNode.Parse(System.Web.HttpUtility.ParseQueryString(firstUrl.Query)["extensions"]!)!;
        var hash = (string)extensions["persistedQuery"]!["sha256Hash"]!;
        var store = (InMemoryPersistedQueryStore)_server.Options.PersistedQueries.Store;
        var registered = await store.GetAsync(hash, TestContext.Current.CancellationToken);
        Assert.NotNull(registered);
        Assert.Equal(hash, PersistedQueryHash.Of(registered));
        Assert.Contains("stations", registered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task graphql_ws_receives_a_subscription_a_query_and_an_error()
    {
        NodeTools.Require();
        var output = JsonNode.Parse(await NodeTools.RunAsync("clients.mjs", ["ws", _server.WebSocketUri.ToString(), "subscription { ticks(count: 3) }", "3"],
            TestContext.Current.CancellationToken))!;
        Assert.Equal("""[{"data":{"ticks":1}},{"data":{"ticks":2}},{"data":{"ticks":3}}]""", output["events"]!.ToJsonString());
        Assert.Equal("""[{"data":{"__typename":"Query"}}]""", output["single"]!.ToJsonString());
        Assert.Contains("nope", (string)output["invalid"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task graphql_sse_receives_a_subscription_as_server_sent_events()
    {
        NodeTools.Require();
        var output = JsonNode.Parse(await NodeTools.RunAsync("clients.mjs", ["sse", _server.GraphQLUri.ToString(), "subscription { ticks(count: 4) }", "0"],
            TestContext.Current.CancellationToken))!;
        Assert.Equal("""[{"data":{"ticks":1}},{"data":{"ticks":2}},{"data":{"ticks":3}},{"data":{"ticks":4}}]""", output["events"]!.ToJsonString());
    }
}
