using Microsoft.AspNetCore.Http;
using OneMap.GraphQL.Execution;

namespace OneMap.GraphQL.Transport;

/// <summary>How the GraphQL endpoint serves HTTP, WebSocket and server-sent event requests.</summary>
public sealed class GraphQLServerOptions
{
    /// <summary>
    /// Builds each request's execution options from its HTTP context: the schema the caller may see (filtered per
    /// role), limits, the root value. Default: the authenticated user, the request services, the engine's schema.
    /// </summary>
    public Func<HttpContext, ValueTask<ExecutionOptions>>? ConfigureRequest { get; set; }

    /// <summary>Accept queries by GET (never mutations); default true.</summary>
    public bool AllowGet { get; set; } = true;

    /// <summary>Serve subscriptions over WebSocket with the graphql-transport-ws protocol; default true.</summary>
    public bool AllowWebSockets { get; set; } = true;

    /// <summary>Serve operations as server-sent events when the client asks for text/event-stream; default true.</summary>
    public bool AllowServerSentEvents { get; set; } = true;

    /// <summary>Apollo's automatic persisted queries; default on with an in-memory store of 10 000 documents.</summary>
    public PersistedQueryOptions PersistedQueries { get; set; } = new();

    /// <summary>Largest request body read; default 1 MiB. Bigger bodies are refused with 413.</summary>
    public long MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>How long a WebSocket client has to send connection_init before the socket is closed (4408); default 3 s.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Decides whether a WebSocket connection may start, given its connection_init payload; false closes the socket
    /// with 4403 Forbidden. Default: every connection is accepted.
    /// </summary>
    public Func<HttpContext, IReadOnlyDictionary<string, object?>?, ValueTask<bool>>? AuthorizeWebSocket { get; set; }
}

/// <summary>Automatic persisted queries (Apollo's protocol): clients send a SHA-256 hash instead of the document.</summary>
public sealed class PersistedQueryOptions
{
    /// <summary>Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where documents are kept; default an in-memory store of 10 000 documents.</summary>
    public IPersistedQueryStore Store { get; set; } = new InMemoryPersistedQueryStore(10_000);

    /// <summary>
    /// Only run documents already in the store (a trusted-documents allow list); clients cannot register new ones.
    /// Default false.
    /// </summary>
    public bool RequirePersisted { get; set; }
}
