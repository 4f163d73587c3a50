using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OneMap.GraphQL.Tests.Support;
using OneMap.GraphQL.Transport;

namespace OneMap.GraphQL.Tests.Transport;

/// <summary>GraphQL over HTTP as the graphql-over-http specification describes it, checked with a plain HTTP client.</summary>
public sealed class HttpProtocolTests : IAsyncLifetime
{
    private GraphQLTestServer _server = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await GraphQLTestServer.StartAsync(ServerSchema.Build(), options =>
        {
            options.MaxRequestBytes = 4096;
            options.ConfigureRequest = context => ValueTask.FromResult(new GraphQL.Execution.ExecutionOptions
            {
                RootValue = new Types.SampleQuery(Types.SampleSchema.Stations),
            });
        });
        _client = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string? MediaType, JsonNode? Body)> PostAsync(string json, string? accept = "application/graphql-response+json",
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        using var response = await _client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task post_returns_graphql_response_json()
    {
        var (status, media, body) = await PostAsync("""{"query":"query Q($c: String!) { station(code: $c) { name } }","variables":{"c":"MLR-02"},"operationName":"Q"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/graphql-response+json", media);
        Assert.Equal("""{"data":{"station":{"name":"Estuary"}}}""", body!.ToJsonString());
    }

    [Fact]
    public async Task a_response_says_its_length_rather_than_coming_in_chunks()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ station(code: \"MLR-02\") { name } }"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var body = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal("""{"data":{"station":{"name":"Estuary"}}}""", Encoding.UTF8.GetString(body));
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
    }

    [Fact]
    public async Task validation_errors_are_400_with_graphql_response_json_and_200_with_legacy_json()
    {
        var (status, _, body) = await PostAsync("""{"query":"{ nope }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(body!["data"]);
        Assert.Equal("FieldsOnCorrectType", (string)body["errors"]![0]!["extensions"]!["rule"]!);

        var (legacyStatus, legacyMedia, legacyBody) = await PostAsync("""{"query":"{ nope }"}""", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, legacyStatus);
        Assert.Equal("application/json", legacyMedia);
        Assert.NotNull(legacyBody!["errors"]);
    }

    [Fact]
    public async Task missing_accept_header_is_treated_as_application_json()
    {
        var (status, media, body) = await PostAsync("""{"query":"{ __typename }"}""", accept: null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", media);
        Assert.Equal("Query", (string)body!["data"]!["__typename"]!);
    }

    [Fact]
    public async Task unacceptable_media_types_get_406()
    {
        var (status, _, _) = await PostAsync("""{"query":"{ __typename }"}""", accept: "text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, status);
    }

    [Fact]
    public async Task get_runs_queries_but_not_mutations()
    {
        using var query = await _client.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q($l: Int) { tickets(limit: $l) { id status } }")
            + "&variables=" + Uri.EscapeDataString("""{"l":1}"""), Cancel);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("""{"data":{"tickets":[{"id":"t1","status":"open"}]}}""", await query.Content.ReadAsStringAsync(Cancel));

        using var mutation = await _client.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { echo(text: \"x\") }"), Cancel);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow.Concat(mutation.Headers.Select(h => string.Join(",", h.Value))));
    }

    [Fact]
    public async Task post_runs_mutations()
    {
        var (status, _, body) = await PostAsync("""{"query":"mutation { echo(text: \"hello\") }"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello", (string)body!["data"]!["echo"]!);
    }

    [Fact]
    public async Task wrong_content_type_gets_415_and_bad_json_gets_400()
    {
        var (wrongType, _, _) = await PostAsync("""{"query":"{ __typename }"}""", contentType: "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType);
        var (badJson, _, badBody) = await PostAsync("""{"query": """);
        Assert.Equal(HttpStatusCode.BadRequest, badJson);
        Assert.Contains("not valid JSON", (string)badBody!["errors"]![0]!["message"]!, StringComparison.Ordinal);
        var (wrongShape, _, shapeBody) = await PostAsync("""{"query":"{ __typename }","variables":[1]}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongShape);
        Assert.Contains("variables", (string)shapeBody!["errors"]![0]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task oversized_bodies_get_413()
    {
        var (status, _, _) = await PostAsync("{\"query\":\"{ __typename }\",\"extensions\":{\"pad\":\"" + new string('x', 5000) + "\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task persisted_query_protocol_not_found_then_registered_then_mismatch()
    {
        const string query = "{ tickets { id } }";
        var hash = PersistedQueryHash.Of(query);
        var extensions = "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}";
        var (notFoundStatus, _, notFound) = await PostAsync("{\"extensions\":" + extensions + "}");
        Assert.Equal(HttpStatusCode.OK, notFoundStatus);
        Assert.Equal("PersistedQueryNotFound", (string)notFound!["errors"]![0]!["message"]!);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", (string)notFound["errors"]![0]!["extensions"]!["code"]!);

        var (registeredStatus, _, registered) = await PostAsync("{\"query\":\"" + query + "\",\"extensions\":" + extensions + "}");
        Assert.Equal(HttpStatusCode.OK, registeredStatus);
        Assert.Equal("t1", (string)registered!["data"]!["tickets"]![0]!["id"]!);

        var (byHashStatus, _, byHash) = await PostAsync("{\"extensions\":" + extensions + "}");
        Assert.Equal(HttpStatusCode.OK, byHashStatus);
        Assert.Equal("t1", (string)byHash!["data"]!["tickets"]![0]!["id"]!);

        var (mismatchStatus, _, mismatch) = await PostAsync("{\"query\":\"{ __typename }\",\"extensions\":" + extensions + "}");
        Assert.Equal(HttpStatusCode.BadRequest, mismatchStatus);
        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", (string)mismatch!["errors"]![0]!["extensions"]!["code"]!);
    }

    [Fact]
    public async Task a_query_as_server_sent_events_is_one_next_event_then_complete()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ tickets { id } }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _client.SendAsync(request, Cancel);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal("event: next\ndata: {\"data\":{\"tickets\":[{\"id\":\"t1\"}]}}\n\nevent: complete\ndata: \n\n", text);
    }

    [Fact]
    public async Task validation_errors_over_server_sent_events_arrive_as_a_next_event()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"subscription { nope }"}""", Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.StartsWith("event: next\ndata: {\"errors\":", text, StringComparison.Ordinal);
        Assert.EndsWith("event: complete\ndata: \n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task subscriptions_over_plain_http_are_refused_with_a_hint()
    {
        var (status, _, body) = await PostAsync("""{"query":"subscription { ticks(count: 2) }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", (string)body!["errors"]![0]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task other_methods_get_405()
    {
        using var response = await _client.PutAsync("/graphql", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
