using System.Collections.Concurrent;
using System.Security.Claims;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// Everything one request's resolvers share: the schema it runs against (possibly filtered for the caller's role),
/// the document and operation, coerced variables, the user, the services, the cancellation token (client gone or
/// time limit reached), free-form items and the request's batch loaders.
/// </summary>
public sealed class RequestContext
{
    private readonly ConcurrentDictionary<string, object> _loaders = new(StringComparer.Ordinal);

    internal RequestContext(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables,
        ExecutionOptions options, CancellationToken cancellationToken)
    {
        Schema = schema;
        Document = document;
        Operation = operation;
        Variables = variables;
        RootValue = options.RootValue;
        User = options.User;
        Services = options.Services;
        Items = options.Items ?? new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
        CancellationToken = cancellationToken;
        Options = options;
    }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    public OperationDefinitionNode Operation { get; }

    /// <summary>The operation's variables after coercion (defaults applied).</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; }

    public object? RootValue { get; }

    /// <summary>The caller, when the transport authenticated one.</summary>
    public ClaimsPrincipal? User { get; }

    public IServiceProvider? Services { get; }

    /// <summary>Signalled when the client goes away or the request's time limit is reached.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Free-form per-request state (e.g. a database session opened by the first resolver that needs it).</summary>
    public IDictionary<string, object?> Items { get; }

    public ExecutionOptions Options { get; }

    internal BatchScheduler Scheduler { get; } = new();

    internal Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>The request's batch loader named <paramref name="name"/>, created on first use.</summary>
    public BatchLoader<TKey, TValue> BatchLoader<TKey, TValue>(string name, BatchLoadFunction<TKey, TValue> load, int maxBatchSize = 1000)
        where TKey : notnull
    {
        var loader = _loaders.GetOrAdd(name, static (_, state) => new BatchLoader<TKey, TValue>(state.Scheduler, state.load, state.maxBatchSize, state.CancellationToken),
            (Scheduler, load, maxBatchSize, CancellationToken));
        return loader as BatchLoader<TKey, TValue>
            ?? throw new InvalidOperationException($"batch loader \"{name}\" exists with other key/value types ({loader.GetType()})");
    }
}
