using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Transport;

namespace OneMap.GraphQL.Tests.Docs;

/// <summary>The example of docs/graphql-engine.md runs, over the engine API and behind ASP.NET Core with AddGraphQL.</summary>
public sealed class DocumentedExampleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task the_catalog_schema_pushes_columns_down_and_batches_relations()
    {
        var lake = new FakeLake();
        var schema = DocumentedExample.BuildSchema(lake, Channel.CreateUnbounded<Dictionary<string, object?>>());
        var engine = new GraphQLEngine(schema);
        var result = await engine.ExecuteAsync("{ stations(limit: 2) { code readings { value } } }", cancellationToken: Cancel);
        Assert.Equal("""{"data":{"stations":[{"code":"MLR-01","readings":[{"value":7.5},{"value":4.2}]},{"code":"MLR-02","readings":[{"value":1.1}]}]}}""", result.ToJson());
        Assert.Equal(["SELECT code FROM stations LIMIT 2", "SELECT * FROM readings WHERE station IN (MLR-01, MLR-02)"], lake.Log);
    }

    [Fact]
    public async Task roles_without_personal_data_cannot_see_or_query_it()
    {
        var schema = DocumentedExample.BuildSchema(new FakeLake(), Channel.CreateUnbounded<Dictionary<string, object?>>());
        var engine = new GraphQLEngine(schema);
        var options = new ExecutionOptions { Schema = DocumentedExample.WithoutPersonalData(schema) };
        var refused = await engine.ExecuteAsync(new GraphQLRequest { Query = "{ stations { operator_phone } }" }, options, Cancel);
        Assert.Equal("FieldsOnCorrectType", refused.Errors![0].Rule);
        var allowed = await engine.ExecuteAsync("{ stations { operator_phone } }", cancellationToken: Cancel);
        Assert.Equal("13800000000", (string)JsonNode.Parse(allowed.ToJson())!["data"]!["stations"]![0]!["operator_phone"]!);
    }

    [Fact]
    public async Task the_server_of_the_example_answers_queries_and_streams_alerts()
    {
        var alerts = Channel.CreateUnbounded<Dictionary<string, object?>>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new FakeLake());
        builder.Services.AddGraphQL(services => DocumentedExample.BuildSchema(services.GetRequiredService<FakeLake>(), alerts), configureServer: server =>
            server.ConfigureRequest = context => ValueTask.FromResult(new ExecutionOptions
            {
                User = context.User,
                Services = context.RequestServices,
                Limits = DocumentedExample.Limits,
            }));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQL("/graphql");
        app.MapGraphiQL("/graphiql");
        await app.StartAsync(Cancel);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address };

        using var response = await client.PostAsJsonAsync("/graphql", new { query = "{ readings(limit: 1) { station value } }" }, Cancel);
        Assert.Equal("""{"data":{"readings":[{"station":"MLR-01","value":7.5}]}}""", await response.Content.ReadAsStringAsync(Cancel));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "subscription { alerts { station message } }" }) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(Cancel));
        await alerts.Writer.WriteAsync(new Dictionary<string, object?> { ["station"] = "MLR-01", ["message"] = "dissolved oxygen below 5 mg/L" }, Cancel);
        Assert.Equal("event: next", await reader.ReadLineAsync(Cancel));
        Assert.Equal("""data: {"data":{"alerts":{"station":"MLR-01","message":"dissolved oxygen below 5 mg/L"}}}""", await reader.ReadLineAsync(Cancel));
        await app.StopAsync(Cancel);
    }
}
