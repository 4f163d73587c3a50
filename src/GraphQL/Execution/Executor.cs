using System.Collections;
using System.Text.Json;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// Executes one operation (§6.2–§6.4): root fields in parallel for queries and serially for mutations, values
/// completed against their types, field errors recorded with path and locations, nulls propagated to the nearest
/// nullable parent. Stays synchronous while resolvers return completed value tasks.
/// </summary>
internal sealed class Executor
{
    private readonly RequestContext _request;
    private readonly ExecutionPlan _plan;
    private readonly Schema _schema;
    private readonly bool _includeExceptionDetails;
    private readonly CancellationToken _cancellationToken;
    private readonly Lock _errorsLock = new();
    private List<GraphQLError>? _errors;

    public Executor(RequestContext request, ExecutionPlan plan)
    {
        _request = request;
        _plan = plan;
        _schema = request.Schema;
        _includeExceptionDetails = request.Options.IncludeExceptionDetails;
        _cancellationToken = request.CancellationToken;
    }

    public List<GraphQLError>? Errors => _errors;

    /// <summary>ExecuteQuery / ExecuteMutation (§6.2.1, §6.2.2): the data map, or null when a non-null root field failed.</summary>
    public async Task<ExecutionResult> ExecuteOperationAsync(ObjectType rootType, object? rootValue)
    {
        var fields = _plan.Root(rootType, _request.Operation.SelectionSet);
        object? data;
        try
        {
            var execution = _request.Operation.Operation == OperationType.Mutation
                ? ExecuteFieldsSerially(rootType, rootValue, fields, null)
                : ExecuteFields(rootType, rootValue, fields, null);
            data = execution.IsCompletedSuccessfully && !_request.Scheduler.HasPending
                ? execution.Result
                : await _request.Scheduler.RunAsync(execution).ConfigureAwait(false);
        }
        catch (PropagatedNull)
        {
            data = null;
        }
        return new ExecutionResult(data, SortedErrors());
    }

    /// <summary>Runs the selection set of a subscription event with the event as the root field's value (§6.2.3.2).</summary>
    public async Task<ExecutionResult> ExecuteEventAsync(ObjectType rootType, CollectedField rootField, object? rootValue, object? eventValue)
    {
        object? data;
        try
        {
            var path = new ResultPath(null, rootField.ResponseKey);
            ValueTask<object?> completion;
            if (rootField.Definition.Resolver is not null)
            {
                // A resolver on the subscription field maps the event (its parent) to the field's value.
                completion = ExecuteField(rootType, eventValue, rootField, null);
            }
            else
            {
                completion = CompleteField(rootField.Definition.Type, rootField, path, eventValue);
            }
            var values = new object?[] { completion.IsCompletedSuccessfully ? completion.Result : await _request.Scheduler.RunAsync(completion).ConfigureAwait(false) };
            data = new ResultMap([rootField], values);
        }
        catch (PropagatedNull)
        {
            data = null;
        }
        return new ExecutionResult(data, SortedErrors());
    }

    private IReadOnlyList<GraphQLError>? SortedErrors()
    {
        lock (_errorsLock)
        {
            return _errors?.ToList();
        }
    }

    // ---- selection sets

    private ValueTask<object?> ExecuteFields(ObjectType type, object? source, CollectedField[] fields, ResultPath? path)
    {
        var values = new object?[fields.Length];
        List<(int Index, ValueTask<object?> Pending)>? pending = null;
        for (var i = 0; i < fields.Length; i++)
        {
            ValueTask<object?> value;
            try
            {
                value = ExecuteField(type, source, fields[i], path);
            }
            catch (PropagatedNull) when (pending is not null)
            {
                // Let the fields already running finish (their errors belong to this response), then propagate.
                return AwaitThenPropagate(pending);
            }
            if (value.IsCompletedSuccessfully)
            {
                values[i] = value.Result;
            }
            else
            {
                (pending ??= []).Add((i, value));
            }
        }
        var map = new ResultMap(fields, values);
        return pending is null ? new ValueTask<object?>(map) : AwaitFields(map, pending);
    }

    private static async ValueTask<object?> AwaitFields(ResultMap map, List<(int Index, ValueTask<object?> Pending)> pending)
    {
        PropagatedNull? propagated = null;
        foreach (var (index, task) in pending)
        {
            try
            {
                map.Values[index] = await task.ConfigureAwait(false);
            }
            catch (PropagatedNull e)
            {
                propagated ??= e;
            }
        }
        if (propagated is not null)
        {
            throw propagated;
        }
        return map;
    }

    private static async ValueTask<object?> AwaitThenPropagate(List<(int Index, ValueTask<object?> Pending)> pending)
    {
        foreach (var (_, task) in pending)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (PropagatedNull)
            {
                // Already recorded; the parent becomes null either way.
            }
        }
        throw new PropagatedNull();
    }

    private async ValueTask<object?> ExecuteFieldsSerially(ObjectType type, object? source, CollectedField[] fields, ResultPath? path)
    {
        var values = new object?[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var value = ExecuteField(type, source, fields[i], path);
            values[i] = value.IsCompletedSuccessfully ? value.Result : await _request.Scheduler.RunAsync(value).ConfigureAwait(false);
        }
        return new ResultMap(fields, values);
    }

    // ---- fields

    /// <summary>ExecuteField (§6.4): resolve, then complete. Returns the value, or throws/faults with <see cref="PropagatedNull"/>.</summary>
    private ValueTask<object?> ExecuteField(ObjectType parentType, object? source, CollectedField field, ResultPath? parentPath)
    {
        var definition = field.Definition;
        if (ReferenceEquals(definition, Introspection.IntrospectionTypes.TypeNameField))
        {
            return new ValueTask<object?>(parentType.Name);
        }
        var returnType = definition.Type;
        if (definition.Resolver is null && (returnType is NonNullType { OfType: ScalarType or EnumType } || returnType is ScalarType or EnumType))
        {
            return ExecuteDefaultLeafField(returnType, source, field, parentPath);
        }
        var path = new ResultPath(parentPath, field.ResponseKey);
        ValueTask<object?> completion;
        try
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ValueTask<object?> resolved;
            if (definition.Resolver is { } resolver)
            {
                var arguments = field.GetArguments(_request.Variables);
                resolved = resolver(new ResolveContext(_request, _plan, parentType, source, field, arguments, path));
            }
            else
            {
                resolved = new ValueTask<object?>(DefaultResolver.Resolve(source, definition.Name));
            }
            if (!resolved.IsCompletedSuccessfully)
            {
                return AwaitResolved(resolved, returnType, field, path);
            }
            completion = CompleteField(returnType, field, path, resolved.Result);
            if (completion.IsCompletedSuccessfully)
            {
                return completion;
            }
        }
        catch (Exception e)
        {
            return new ValueTask<object?>(HandleFieldError(e, returnType, field, path));
        }
        return AwaitCompletion(completion, returnType, field, path);
    }

    /// <summary>
    /// A leaf read by the default resolver, the bulk of a large result: the same steps as the general path, but
    /// synchronous and without a response path unless an error needs one.
    /// </summary>
    private ValueTask<object?> ExecuteDefaultLeafField(GraphQLType returnType, object? source, CollectedField field, ResultPath? parentPath)
    {
        try
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var value = DefaultResolver.Resolve(source, field.Definition.Name);
            if (returnType is NonNullType nonNull)
            {
                return new ValueTask<object?>(CompleteLeaf((NamedType)nonNull.OfType, value) ?? throw NullForNonNull(field));
            }
            return new ValueTask<object?>(CompleteLeaf((NamedType)returnType, value));
        }
        catch (Exception e)
        {
            return new ValueTask<object?>(HandleFieldError(e, returnType, field, new ResultPath(parentPath, field.ResponseKey)));
        }
    }

    private async ValueTask<object?> AwaitResolved(ValueTask<object?> resolved, GraphQLType returnType, CollectedField field, ResultPath path)
    {
        try
        {
            var value = await resolved.ConfigureAwait(false);
            return await CompleteField(returnType, field, path, value).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return HandleFieldError(e, returnType, field, path);
        }
    }

    private async ValueTask<object?> AwaitCompletion(ValueTask<object?> completion, GraphQLType returnType, CollectedField field, ResultPath path)
    {
        try
        {
            return await completion.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return HandleFieldError(e, returnType, field, path);
        }
    }

    /// <summary>
    /// Handling field errors (§6.4.4): record the error (once), then null for a nullable position or propagate to the
    /// parent for a non-null one.
    /// </summary>
    private object? HandleFieldError(Exception exception, GraphQLType type, CollectedField field, ResultPath path)
    {
        if (exception is not PropagatedNull)
        {
            RecordError(exception, field, path);
        }
        if (type is NonNullType)
        {
            throw exception as PropagatedNull ?? new PropagatedNull();
        }
        return null;
    }

    private void RecordError(Exception exception, CollectedField field, ResultPath path)
    {
        var locations = field.Nodes.Select(n => n.Location?.Start).OfType<SourceLocation>().ToList();
        GraphQLError error;
        switch (exception)
        {
            case FieldError fieldError:
                error = new GraphQLError(fieldError.Message, locations, path.ToList());
                break;
            case GraphQLFieldException graphQLException:
                IReadOnlyDictionary<string, object?>? extensions = graphQLException.Extensions;
                if (graphQLException.Code is not null)
                {
                    var merged = extensions is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(extensions);
                    merged["code"] = graphQLException.Code;
                    extensions = merged;
                }
                error = new GraphQLError(graphQLException.Message, locations, path.ToList(), extensions);
                break;
            case ValueCoercionException coercion:
                error = new GraphQLError(coercion.Message, coercion.Node?.Location is { } at ? [at.Start] : locations, path.ToList());
                break;
            case OperationCanceledException when _cancellationToken.IsCancellationRequested:
                error = new GraphQLError("The request was cancelled before this field was resolved.", locations, path.ToList(),
                    new Dictionary<string, object?> { ["code"] = ErrorCodes.Cancelled });
                break;
            default:
                if (_request.Logger is { } logger)
                {
                    Log.ResolverFailed(logger, exception, $"{field.ParentType.Name}.{field.Definition.Name}", path.ToString());
                }
                var message = _includeExceptionDetails
                    ? exception.Message
                    : $"Unexpected error resolving {field.ParentType.Name}.{field.Definition.Name}.";
                error = new GraphQLError(message, locations, path.ToList(), new Dictionary<string, object?> { ["code"] = ErrorCodes.InternalError });
                break;
        }
        lock (_errorsLock)
        {
            (_errors ??= []).Add(error);
        }
    }

    // ---- value completion (§6.4.3)

    private ValueTask<object?> CompleteField(GraphQLType type, CollectedField field, ResultPath path, object? value)
    {
        if (type is NonNullType nonNull)
        {
            var inner = CompleteValue(nonNull.OfType, field, path, value);
            if (inner.IsCompletedSuccessfully)
            {
                return inner.Result is null ? throw NullForNonNull(field) : inner;
            }
            return AwaitNonNull(inner, field);
        }
        return CompleteValue(type, field, path, value);
    }

    private async ValueTask<object?> AwaitNonNull(ValueTask<object?> inner, CollectedField field) =>
        await inner.ConfigureAwait(false) ?? throw NullForNonNull(field);

    private static FieldError NullForNonNull(CollectedField field) =>
        new($"Cannot return null for non-nullable field {field.ParentType.Name}.{field.Definition.Name}.");

    private ValueTask<object?> CompleteValue(GraphQLType type, CollectedField field, ResultPath path, object? value)
    {
        if (value is JsonElement element)
        {
            value = UnwrapJson(element);
        }
        if (value is null)
        {
            return default;
        }
        if (value is SerializedValue)
        {
            // Completed and serialized by its resolver for this selection (see SerializedValue): taken as it is.
            return new ValueTask<object?>(value);
        }
        switch (type)
        {
            case ScalarType or EnumType:
                return new ValueTask<object?>(CompleteLeaf((NamedType)type, value));
            case ObjectType objectType:
                return ExecuteFields(objectType, value, _plan.Children(field, objectType), path);
            case ListType list:
                return CompleteList(list.OfType, field, path, value);
            case InterfaceType or UnionType:
                var runtimeType = ResolveAbstractType((NamedType)type, field, path, value);
                return ExecuteFields(runtimeType, value, _plan.Children(field, runtimeType), path);
            default:
                throw new FieldError($"{type} is not an output type.");
        }
    }

    /// <summary>CompleteValue for a scalar or enum type: null stays null, anything else is serialized or refused.</summary>
    private static object? CompleteLeaf(NamedType type, object? value)
    {
        if (value is JsonElement element)
        {
            value = UnwrapJson(element);
        }
        if (value is null or SerializedValue)
        {
            return value;
        }
        if (type is ScalarType scalar)
        {
            return scalar.Serialize(value) ?? throw new FieldError($"{scalar.Name} cannot represent value: {Scalars.Show(value)}");
        }
        var enumType = (EnumType)type;
        return enumType.FindByInternalValue(value)?.Name
            ?? throw new FieldError($"Enum \"{enumType.Name}\" cannot represent value: {Scalars.Show(value)}");
    }

    private ValueTask<object?> CompleteList(GraphQLType itemType, CollectedField field, ResultPath path, object value)
    {
        IList? list = value as IList;
        if (list is null)
        {
            if (value is string || value is IDictionary || value is not IEnumerable enumerable || value is IReadOnlyDictionary<string, object?>)
            {
                throw new FieldError($"Expected Iterable, but did not find one for field \"{field.ParentType.Name}.{field.Definition.Name}\".");
            }
            var items = new List<object?>();
            foreach (var item in enumerable)
            {
                items.Add(item);
            }
            list = items;
        }
        var results = new object?[list.Count];
        List<(int Index, ValueTask<object?> Pending)>? pending = null;
        for (var i = 0; i < results.Length; i++)
        {
            var itemPath = new ResultPath(path, i);
            ValueTask<object?> completed;
            try
            {
                completed = CompleteField(itemType, field, itemPath, list[i]);
                if (!completed.IsCompletedSuccessfully)
                {
                    completed = AwaitListItem(completed, itemType, field, itemPath);
                }
            }
            catch (Exception e)
            {
                // A null from below (already recorded) or an error at this item: null in a nullable position,
                // otherwise the whole list becomes null.
                if (e is not PropagatedNull)
                {
                    RecordError(e, field, itemPath);
                }
                if (itemType is NonNullType)
                {
                    if (pending is not null)
                    {
                        return AwaitThenPropagate(pending);
                    }
                    throw e as PropagatedNull ?? new PropagatedNull();
                }
                completed = default;
            }
            if (completed.IsCompletedSuccessfully)
            {
                results[i] = completed.Result;
            }
            else
            {
                (pending ??= []).Add((i, completed));
            }
        }
        return pending is null ? new ValueTask<object?>(results) : AwaitList(results, pending);
    }

    private async ValueTask<object?> AwaitListItem(ValueTask<object?> completion, GraphQLType itemType, CollectedField field, ResultPath itemPath)
    {
        try
        {
            return await completion.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (e is not PropagatedNull)
            {
                RecordError(e, field, itemPath);
            }
            if (itemType is NonNullType)
            {
                throw e as PropagatedNull ?? new PropagatedNull();
            }
            return null;
        }
    }

    private static async ValueTask<object?> AwaitList(object?[] results, List<(int Index, ValueTask<object?> Pending)> pending)
    {
        PropagatedNull? propagated = null;
        foreach (var (index, task) in pending)
        {
            try
            {
                results[index] = await task.ConfigureAwait(false);
            }
            catch (PropagatedNull e)
            {
                propagated ??= e;
            }
        }
        if (propagated is not null)
        {
            throw propagated;
        }
        return results;
    }

    /// <summary>ResolveAbstractType (§6.4.3): the type resolver, then <c>__typename</c>, CLR types, IsTypeOf.</summary>
    private ObjectType ResolveAbstractType(NamedType abstractType, CollectedField field, ResultPath path, object value)
    {
        var resolver = abstractType switch
        {
            InterfaceType i => i.ResolveType,
            UnionType u => u.ResolveType,
            _ => null,
        };
        string? name = null;
        if (resolver is not null)
        {
            var arguments = field.GetArguments(_request.Variables);
            name = resolver(value, new ResolveContext(_request, _plan, field.ParentType, value, field, arguments, path));
        }
        name ??= DefaultResolver.TypeName(value);
        ObjectType? runtimeType = null;
        if (name is not null)
        {
            runtimeType = _schema.GetType(name) as ObjectType
                ?? throw new FieldError($"Abstract type \"{abstractType.Name}\" was resolved to a type \"{name}\" that does not exist inside the schema.");
        }
        else
        {
            foreach (var candidate in _schema.GetPossibleTypes(abstractType))
            {
                if ((candidate.ClrType is { } clr && clr.IsInstanceOfType(value)) || candidate.IsTypeOf?.Invoke(value) == true)
                {
                    runtimeType = candidate;
                    break;
                }
            }
            if (runtimeType is null)
            {
                throw new FieldError($"Abstract type \"{abstractType.Name}\" must resolve to an Object type at runtime for field \"{field.ParentType.Name}.{field.Definition.Name}\": give the type a type resolver, the values a __typename, or the object types a CLR type or IsTypeOf.");
            }
        }
        if (!_schema.IsSubType(abstractType, runtimeType))
        {
            throw new FieldError($"Runtime Object type \"{runtimeType.Name}\" is not a possible type for \"{abstractType.Name}\".");
        }
        return runtimeType;
    }

    private static object? UnwrapJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(e => (object?)e).ToList(),
        _ => element,
    };

    /// <summary>A field error raised by the executor itself (non-null violation, bad list, unresolvable type).</summary>
    private sealed class FieldError(string message) : Exception(message);
}

/// <summary>Signals that a null reached a non-null position and the parent must become null; the error is already recorded.</summary>
internal sealed class PropagatedNull : Exception
{
    public PropagatedNull() : base("A non-null field failed; its parent is null.")
    {
    }
}
