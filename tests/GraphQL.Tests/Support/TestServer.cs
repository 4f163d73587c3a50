using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Transport;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Support;

/// <summary>
/// A real Kestrel server on a free loopback port (real clients need a real socket) serving a schema at /graphql,
/// with WebSockets and GraphiQL at /graphiql. Stopped on dispose.
/// </summary>
public sealed class GraphQLTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GraphQLTestServer(WebApplication app, GraphQLEngine engine, GraphQLServerOptions options)
    {
        _app = app;
        Engine = engine;
        Options = options;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public Uri BaseAddress { get; }

    public Uri GraphQLUri => new(BaseAddress, "/graphql");

    public Uri WebSocketUri => new UriBuilder(GraphQLUri) { Scheme = "ws" }.Uri;

    public GraphQLEngine Engine { get; }

    public GraphQLServerOptions Options { get; }

    public static async Task<GraphQLTestServer> StartAsync(Schema schema, Action<GraphQLServerOptions>? configure = null, GraphQLEngineOptions? engineOptions = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var engine = new GraphQLEngine(schema, engineOptions);
        var options = new GraphQLServerOptions();
        configure?.Invoke(options);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGraphQL("/graphql", engine, options);
        app.MapGraphiQL("/graphiql", "/graphql", "GraphiQL test");
        await app.StartAsync();
        return new GraphQLTestServer(app, engine, options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
