using System.Security.Claims;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>What a client sends (GraphQL over HTTP's request parameters).</summary>
public sealed class GraphQLRequest
{
    /// <summary>The document text; may be absent for a persisted query known by its hash.</summary>
    public string? Query { get; init; }

    public string? OperationName { get; init; }

    /// <summary>Variable values as plain data (decoded JSON: maps, lists, strings, numbers, booleans, null).</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>Protocol extensions, e.g. <c>persistedQuery</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}

/// <summary>
/// What the server decides per request: the schema the caller may see (e.g. filtered for a role), the user, the
/// services, the root value, limits, whether introspection is allowed.
/// </summary>
public sealed class ExecutionOptions
{
    /// <summary>The schema to run against; null means the engine's. Pass a role-filtered schema to hide what a role may not query.</summary>
    public Schema? Schema { get; init; }

    public object? RootValue { get; init; }

    public ClaimsPrincipal? User { get; init; }

    public IServiceProvider? Services { get; init; }

    /// <summary>Initial per-request items (see <see cref="RequestContext.Items"/>).</summary>
    public IDictionary<string, object?>? Items { get; init; }

    /// <summary>Limits for this request; null means the engine's defaults.</summary>
    public RequestLimits? Limits { get; init; }

    /// <summary>Whether <c>__schema</c>/<c>__type</c> may be queried; null means the engine's setting.</summary>
    public bool? AllowIntrospection { get; init; }

    /// <summary>Operation kinds this request may run (GET requests may not mutate); null allows all.</summary>
    public IReadOnlySet<OperationType>? AllowedOperations { get; init; }

    /// <summary>Show resolver exception messages to the client (development only); default false masks them.</summary>
    public bool IncludeExceptionDetails { get; init; }

    public static ExecutionOptions Default { get; } = new();
}

/// <summary>Engine-wide settings.</summary>
public sealed record GraphQLEngineOptions
{
    /// <summary>How many parsed and validated documents to keep; default 1 000.</summary>
    public int DocumentCacheSize { get; init; } = 1_000;

    /// <summary>Limits for requests that set none; default <see cref="RequestLimits.Default"/>.</summary>
    public RequestLimits Limits { get; init; } = RequestLimits.Default;

    /// <summary>Whether introspection is allowed unless a request says otherwise; default true.</summary>
    public bool AllowIntrospection { get; init; } = true;

    /// <summary>Where failed resolvers (their real exception, which clients do not see) and timeouts are logged; default none.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
