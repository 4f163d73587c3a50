using System.Runtime.CompilerServices;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;
using OneMap.GraphQL.Types;
using OneMap.GraphQL.Validation;
using OneMap.GraphQL.Validation.Rules;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// Runs GraphQL requests against a schema: parse (with a token limit), validate (cached per document), check limits
/// (depth, aliases, cost), coerce variables, execute with a time limit. Subscriptions return a stream of results.
/// Thread-safe; create one per schema and share it.
/// </summary>
public sealed class GraphQLEngine
{
    private readonly DocumentCache _cache;

    public GraphQLEngine(Schema schema, GraphQLEngineOptions? options = null)
    {
        Schema = schema;
        Options = options ?? new GraphQLEngineOptions();
        _cache = new DocumentCache(Options.DocumentCacheSize);
    }

    public Schema Schema { get; }

    public GraphQLEngineOptions Options { get; }

    /// <summary>How many prepared documents the cache holds.</summary>
    public int CachedDocuments => _cache.Count;

    /// <summary>Runs a query or mutation given as text.</summary>
    public Task<ExecutionResult> ExecuteAsync(string query, IReadOnlyDictionary<string, object?>? variables = null, ExecutionOptions? options = null,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables }, options, cancellationToken);

    /// <summary>
    /// Runs a request. Request errors (syntax, validation, variables, limits) come back as a result without data;
    /// for a subscription the result carries <see cref="ExecutionResult.Stream"/>.
    /// </summary>
    public async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, ExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ExecutionOptions.Default;
        var schema = options.Schema ?? Schema;
        var limits = options.Limits ?? Options.Limits;
        if (string.IsNullOrEmpty(request.Query))
        {
            return ExecutionResult.RequestError(GraphQLError.WithCode("The request has no query document.", ErrorCodes.BadRequest));
        }
        var prepared = Prepare(request.Query, schema, limits);
        if (prepared.SyntaxError is not null)
        {
            return ExecutionResult.RequestError(prepared.SyntaxError);
        }
        var document = prepared.Document!;
        if (limits.MaxTokens is { } maxTokens && document.TokenCount > maxTokens)
        {
            return ExecutionResult.RequestError(GraphQLError.WithCode($"The document has {document.TokenCount} tokens, more than the limit of {maxTokens}.", ErrorCodes.TokenLimit));
        }
        if (prepared.ValidationErrors.Count > 0)
        {
            return ExecutionResult.RequestError(prepared.ValidationErrors);
        }
        if (prepared.UsesIntrospection && !(options.AllowIntrospection ?? Options.AllowIntrospection))
        {
            var errors = DocumentValidator.Validate(schema, document, [new NoIntrospection()]);
            return ExecutionResult.RequestError(errors.Select(e => new GraphQLError(e.Message, e.Locations, null, new Dictionary<string, object?>
            {
                ["code"] = ErrorCodes.IntrospectionDisabled,
            })).ToList());
        }
        var operation = SelectOperation(document, request.OperationName, out var operationError);
        if (operation is null)
        {
            return ExecutionResult.RequestError(operationError!);
        }
        if (options.AllowedOperations is { } allowed && !allowed.Contains(operation.Operation))
        {
            return ExecutionResult.RequestError(GraphQLError.At($"{operation.Operation} operations are not allowed here.", [operation],
                new Dictionary<string, object?> { ["code"] = ErrorCodes.OperationNotAllowed }));
        }
        if (CheckMeasures(prepared, operation, limits) is { } limitError)
        {
            return ExecutionResult.RequestError(limitError);
        }
        var variableErrors = new List<GraphQLError>();
        var variables = VariableCoercion.Coerce(schema, operation, request.Variables, variableErrors);
        if (variableErrors.Count > 0)
        {
            return ExecutionResult.RequestError(variableErrors);
        }
        if (limits.MaxCost is { } maxCost)
        {
            var cost = CostAnalyzer.Compute(schema, document, operation, variables, limits);
            if (cost > maxCost)
            {
                return ExecutionResult.RequestError(new GraphQLError($"The operation's estimated cost {cost} exceeds the limit of {maxCost}.",
                    extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.CostLimit, ["cost"] = cost, ["limit"] = maxCost }));
            }
        }
        var rootType = schema.GetRootType(operation.Operation);
        if (rootType is null)
        {
            return ExecutionResult.RequestError(GraphQLError.At($"The schema has no {operation.Operation.ToString().ToLowerInvariant()} type.", [operation]));
        }
        var plan = prepared.GetPlan(schema, variables, operation);
        if (operation.Operation == OperationType.Subscription)
        {
            return await SubscribeAsync(schema, document, operation, variables, rootType, plan, options, limits, cancellationToken).ConfigureAwait(false);
        }
        return await RunWithLimitsAsync(limits, cancellationToken, token =>
        {
            var context = new RequestContext(schema, document, operation, variables, options, token) { Logger = Options.Logger };
            return new Executor(context, plan).ExecuteOperationAsync(rootType, options.RootValue);
        }).ConfigureAwait(false);
    }

    /// <summary>Parses and validates a document for a schema, or returns the cached result.</summary>
    public PreparedDocument Prepare(string query, Schema? schema = null, RequestLimits? limits = null)
    {
        schema ??= Schema;
        var maxTokens = (limits ?? Options.Limits).MaxTokens;
        var prepared = _cache.GetOrAdd(schema, query, () => PrepareUncached(query, schema, maxTokens));
        return prepared;
    }

    private static PreparedDocument PrepareUncached(string query, Schema schema, int? maxTokens)
    {
        DocumentNode document;
        try
        {
            document = Parser.Parse(new SourceText(query), new ParserOptions { MaxTokens = maxTokens });
        }
        catch (GraphQLSyntaxException e)
        {
            return new PreparedDocument(schema, query, null, e.ToError(), []);
        }
        var errors = DocumentValidator.Validate(schema, document);
        return new PreparedDocument(schema, query, document, null, errors);
    }

    private static OperationDefinitionNode? SelectOperation(DocumentNode document, string? operationName, out GraphQLError? error)
    {
        error = null;
        OperationDefinitionNode? selected = null;
        foreach (var operation in document.Definitions.OfType<OperationDefinitionNode>())
        {
            if (operationName is null)
            {
                if (selected is not null)
                {
                    error = GraphQLError.WithCode("The document has several operations: name the one to run (operationName).", ErrorCodes.OperationNotFound);
                    return null;
                }
                selected = operation;
            }
            else if (operation.Name?.Value == operationName)
            {
                return operation;
            }
        }
        if (selected is null)
        {
            error = GraphQLError.WithCode(operationName is null ? "The document has no operation to run." : $"The document has no operation named \"{operationName}\".",
                ErrorCodes.OperationNotFound);
        }
        return selected;
    }

    private static GraphQLError? CheckMeasures(PreparedDocument prepared, OperationDefinitionNode operation, RequestLimits limits)
    {
        if (limits.MaxDepth is null && limits.MaxAliases is null)
        {
            return null;
        }
        var measures = prepared.GetMeasures(operation);
        if (limits.MaxDepth is { } maxDepth && measures.Depth > maxDepth)
        {
            return new GraphQLError($"The operation nests fields {measures.Depth} deep, more than the limit of {maxDepth}.", [operation.Location!.Start],
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.DepthLimit, ["depth"] = measures.Depth, ["limit"] = maxDepth });
        }
        if (limits.MaxAliases is { } maxAliases && measures.Aliases > maxAliases)
        {
            return new GraphQLError($"The operation uses {measures.Aliases} aliases, more than the limit of {maxAliases}.", [operation.Location!.Start],
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.AliasLimit, ["aliases"] = measures.Aliases, ["limit"] = maxAliases });
        }
        return null;
    }

    /// <summary>Runs execution under the request's time limit; on expiry the result is a TIMEOUT error and resolvers see cancellation.</summary>
    private async Task<ExecutionResult> RunWithLimitsAsync(RequestLimits limits, CancellationToken cancellationToken, Func<CancellationToken, Task<ExecutionResult>> run)
    {
        if (limits.Timeout is not { } timeout)
        {
            return await run(cancellationToken).ConfigureAwait(false);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var execution = run(deadline.Token);
        ExecutionResult result;
        try
        {
            result = execution.IsCompleted ? await execution.ConfigureAwait(false) : await execution.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            ObserveLater(execution);
            return TimedOut(timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            ObserveLater(execution);
            return ExecutionResult.RequestError(GraphQLError.WithCode("The request was cancelled.", ErrorCodes.Cancelled));
        }
        // Execution may finish (its resolvers cancelled) just as the deadline passes: that is still a timeout.
        return deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? TimedOut(timeout) : result;
    }

    private ExecutionResult TimedOut(TimeSpan timeout)
    {
        if (Options.Logger is { } logger)
        {
            Log.RequestTimedOut(logger, timeout.TotalSeconds);
        }
        return ExecutionResult.RequestError(GraphQLError.WithCode($"The request took longer than its time limit of {timeout.TotalSeconds:0.###} s.", ErrorCodes.Timeout));
    }

    /// <summary>Abandoned executions still end (their resolvers see cancellation); make sure their faults are observed.</summary>
    private static void ObserveLater(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    // ---- subscriptions (§6.2.3)

    private async Task<ExecutionResult> SubscribeAsync(Schema schema, DocumentNode document, OperationDefinitionNode operation,
        IReadOnlyDictionary<string, object?> variables, ObjectType rootType, ExecutionPlan plan, ExecutionOptions options, RequestLimits limits,
        CancellationToken cancellationToken)
    {
        var fields = plan.Root(rootType, operation.SelectionSet);
        if (fields.Length != 1)
        {
            return ExecutionResult.RequestError(GraphQLError.At("A subscription must select exactly one top level field.", [operation]));
        }
        var field = fields[0];
        var definition = field.Definition;
        var path = new ResultPath(null, field.ResponseKey);
        var locations = field.Nodes.Select(n => n.Location?.Start).OfType<SourceLocation>().ToList();
        if (definition.Subscriber is null)
        {
            return ExecutionResult.RequestError(new GraphQLError($"Subscription field \"{definition.Name}\" has no event source.", locations, path.ToList()));
        }
        IAsyncEnumerable<object?> source;
        try
        {
            var arguments = field.GetArguments(variables);
            var context = new RequestContext(schema, document, operation, variables, options, cancellationToken) { Logger = Options.Logger };
            source = await definition.Subscriber(new ResolveContext(context, plan, rootType, options.RootValue, field, arguments, path)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (e is not (GraphQLFieldException or ValueCoercionException) && Options.Logger is { } logger)
            {
                Log.SubscriptionFailed(logger, e, $"{rootType.Name}.{definition.Name}");
            }
            var message = e is GraphQLFieldException or ValueCoercionException || options.IncludeExceptionDetails
                ? e.Message
                : $"Unexpected error subscribing to {rootType.Name}.{definition.Name}.";
            return ExecutionResult.RequestError(new GraphQLError(message, locations, path.ToList()));
        }
        return new ExecutionResult(null, null, hasData: false)
        {
            Stream = MapEvents(source, schema, document, operation, variables, rootType, field, plan, options, limits, cancellationToken),
        };
    }

    private async IAsyncEnumerable<ExecutionResult> MapEvents(IAsyncEnumerable<object?> source, Schema schema, DocumentNode document,
        OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables, ObjectType rootType, CollectedField field, ExecutionPlan plan,
        ExecutionOptions options, RequestLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // A fresh request context per event: batch loaders must not serve an earlier event's data.
            yield return await RunWithLimitsAsync(limits, cancellationToken, token =>
            {
                var context = new RequestContext(schema, document, operation, variables, options, token) { Logger = Options.Logger };
                return new Executor(context, plan).ExecuteEventAsync(rootType, field, options.RootValue, item);
            }).ConfigureAwait(false);
        }
    }
}
