using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.GraphiQL;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Transport;

/// <summary>Registers the engine and maps its endpoints.</summary>
public static class GraphQLEndpoints
{
    /// <summary>
    /// Registers a <see cref="GraphQLEngine"/> over the schema <paramref name="schema"/> builds (once, from the
    /// container) and the server options.
    /// </summary>
    public static IServiceCollection AddGraphQL(this IServiceCollection services, Func<IServiceProvider, Schema> schema,
        Func<GraphQLEngineOptions, GraphQLEngineOptions>? configureEngine = null, Action<GraphQLServerOptions>? configureServer = null)
    {
        services.AddSingleton(provider =>
        {
            var engineOptions = new GraphQLEngineOptions { Logger = provider.GetService<ILogger<GraphQLEngine>>() };
            return new GraphQLEngine(schema(provider), configureEngine is null ? engineOptions : configureEngine(engineOptions));
        });
        services.AddSingleton(_ =>
        {
            var serverOptions = new GraphQLServerOptions();
            configureServer?.Invoke(serverOptions);
            return serverOptions;
        });
        return services;
    }

    /// <summary>
    /// Maps the GraphQL endpoint: GET/POST (GraphQL over HTTP, persisted queries, server-sent events) and WebSocket
    /// (graphql-transport-ws). Call <c>app.UseWebSockets()</c> before it for subscriptions over WebSocket.
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql",
        GraphQLEngine? engine = null, GraphQLServerOptions? options = null)
    {
        GraphQLHttpHandler? handler = null;
        return endpoints.Map(pattern, context =>
        {
            handler ??= new GraphQLHttpHandler(engine ?? context.RequestServices.GetRequiredService<GraphQLEngine>(),
                options ?? context.RequestServices.GetService<GraphQLServerOptions>() ?? new GraphQLServerOptions());
            return handler.HandleAsync(context);
        }).WithDisplayName("GraphQL " + pattern);
    }

    /// <summary>Maps the GraphiQL page (and its files, all served from this assembly) at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapGraphiQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphiql", string graphQLEndpoint = "/graphql",
        string title = "GraphiQL")
    {
        var page = new GraphiQLPage(pattern.TrimEnd('/'), graphQLEndpoint, title);
        return endpoints.MapGet(pattern.TrimEnd('/') + "/{**file}", page.HandleAsync).WithDisplayName("GraphiQL " + pattern);
    }
}
