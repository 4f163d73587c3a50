using System.Collections.Concurrent;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Transport;
using OneMap.GraphQLApi.Alerts;
using OneMap.GraphQLApi.Alerts.Producing;
using OneMap.GraphQLApi.Catalog;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Exports;
using OneMap.GraphQLApi.Grids;
using OneMap.GraphQLApi.Manholes;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.GraphQLApi.Stations;
using OneMap.GraphQLApi.Tickets;
using OneMap.Ingest;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts;

namespace OneMap.GraphQLApi.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the OneMap server: the lake (section <c>Lakehouse</c>), the ingest workers when <c>Api:HostIngest</c>
    /// (the embedded default), the query session, the catalog-generated schema with the curated features, security
    /// (section <c>Security</c>), alerts, exports and the GraphQL engine.
    /// </summary>
    public static IServiceCollection AddOneMapApi(this IServiceCollection services, IConfiguration configuration, IHostEnvironment? environment = null)
    {
        services.AddOptions<ApiOptions>().BindConfiguration("Api").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration("Security").ValidateDataAnnotations().ValidateOnStart();
        services.AddLakehouse();
        services.AddSingleton(sp => new StateFolder(sp.GetRequiredService<Lake>()));
        services.AddSingleton(new FirstStartOutput(Console.Out));
        services.AddSingleton<ApiKeyStore>();
        // Before anything serves a request: an admin key exists.
        services.AddHostedService<FirstStart>();

        var hostIngest = configuration.GetValue("Api:HostIngest", true);
        services.ResolveRelativePaths(configuration, hostIngest);
        if (hostIngest)
        {
            services.AddOneMapIngest();
            // Readings wait for the registers they are checked against (a fresh lake ingests both at once).
            RegistersFirst.Install(services);
            // The embedded default needs no configuration: a personal-data key is generated once and kept under the lake.
            services.AddOptions<IngestOptions>().PostConfigure<StateFolder, ILoggerFactory>((options, state, loggers) =>
            {
                if (string.IsNullOrEmpty(options.PersonalDataKey))
                {
                    options.PersonalDataKey = EmbeddedSecrets.PersonalDataKey(state, loggers.CreateLogger("OneMap.GraphQLApi.Hosting"));
                }
            });
        }

        services.AddSingleton<CityClock>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LakeQueries>();
        services.AddSingleton<DirectJsonCounts>();
        services.AddSingleton<SpatialUnits>();
        services.AddSingleton<DatasetRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<DatasetRegistry>());
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<JwtValidator>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<ExportRegistry>();

        services.AddSingleton<IAlertStore>(sp => new LakeAlertStore(sp.GetRequiredService<Lake>()));
        services.AddOneMapAlertProducer(configuration.GetValue("Api:HostIngest", true));
        services.AddSingleton<RiverGraph>();
        services.AddSingleton<StationDirectory>();
        services.AddSingleton<Departments>();

        services.AddSingleton<ISchemaContributor, CallerFields>();
        services.AddSingleton<ISchemaContributor, CatalogFields>();
        services.AddSingleton<ISchemaContributor, StationFields>();
        services.AddSingleton<ISchemaContributor, ManholeFields>();
        services.AddSingleton<ISchemaContributor, TicketFields>();
        services.AddSingleton<ISchemaContributor, GridFields>();
        services.AddSingleton<ISchemaContributor, AlertFields>();
        services.AddSingleton<ISchemaContributor, SecurityFields>();
        services.AddSingleton<ApiSchema>();

        services.AddGraphQL(sp => sp.GetRequiredService<ApiSchema>().Current.Schema,
            configureEngine: null,
            configureServer: server =>
            {
                server.ConfigureRequest = ConfigureRequestAsync;
                server.AuthorizeWebSocket = (context, payload) =>
                    ValueTask.FromResult(context.RequestServices.GetRequiredService<Authenticator>().AuthorizeWebSocket(context, payload));
            });
        return services;
    }

    /// <summary>
    /// Maps the API: <c>/graphql</c> (HTTP, SSE, WebSocket) and <c>/exports/{token}</c> behind authentication, rate
    /// limits and the audit; <c>/graphiql</c>, <c>/health</c> and the ingest workers' <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapOneMapApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/graphql", StringComparison.Ordinal)
                || context.Request.Path.StartsWithSegments("/exports", StringComparison.Ordinal),
            branch => branch.UseMiddleware<ApiAuthentication>());
        app.UseWhen(Geometry.GeoJsonResponses.IsRequested, branch => branch.UseMiddleware<Geometry.GeoJsonResponses>());
        app.MapGraphQL("/graphql");
        app.MapGet(ExportEndpoint.Prefix + "{token}", ExportEndpoint.HandleAsync);
        if (options.GraphiQL)
        {
            app.MapGraphiQL("/graphiql", "/graphql", "OneMap");
        }
        app.MapGet("/health", (DatasetRegistry registry) => Results.Ok(new { status = "ok", datasets = registry.Current.Datasets.Count }));
        if (app.Configuration.GetValue("Api:HostIngest", true))
        {
            app.MapOneMapIngestMetrics();
        }
        return app;
    }

    private static ValueTask<ExecutionOptions> ConfigureRequestAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var caller = Caller.From(context.User)
            ?? throw new InvalidOperationException("a GraphQL request reached the engine without a caller (the authentication middleware must run first)");
        var schema = services.GetRequiredService<ApiSchema>();
        var generation = schema.Current;
        var limits = services.GetRequiredService<Authenticator>().LimitsFor(caller.Role);
        var request = new ApiRequest(caller, generation.Datasets, limits, services);
        context.Items[ApiRequest.ItemKey] = request;
        var apiOptions = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        return ValueTask.FromResult(new ExecutionOptions
        {
            Schema = schema.For(caller, generation),
            User = context.User,
            Services = services,
            Items = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal) { [ApiRequest.ItemKey] = request },
            Limits = new RequestLimits { MaxDepth = limits.MaxDepth, MaxCost = limits.MaxCost, Timeout = limits.Timeout },
            AllowIntrospection = true,
            IncludeExceptionDetails = apiOptions.IncludeExceptionDetails,
        });
    }
}
