using System.Security.Claims;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// What a resolver gets: the parent value, the coerced arguments, the field and its parent type, the response path,
/// the request (user, services, cancellation) and the selection below the field, so a resolver can fetch only the
/// columns the client asked for.
/// </summary>
public sealed class ResolveContext
{
    private readonly ExecutionPlan _plan;
    private readonly CollectedField _field;

    internal ResolveContext(RequestContext request, ExecutionPlan plan, ObjectType parentType, object? parent, CollectedField field,
        IReadOnlyDictionary<string, object?> arguments, ResultPath path)
    {
        Request = request;
        _plan = plan;
        ParentType = parentType;
        Parent = parent;
        _field = field;
        Arguments = arguments;
        Path = path;
    }

    /// <summary>The value of the parent object (the root value for root fields, the event for subscription fields).</summary>
    public object? Parent { get; }

    public ObjectType ParentType { get; }

    public FieldDefinition Field => _field.Definition;

    /// <summary>Arguments after coercion (§6.4.1): defaults applied, variables substituted, absent ones left out.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    public ResultPath Path { get; }

    public RequestContext Request { get; }

    public CancellationToken CancellationToken => Request.CancellationToken;

    public ClaimsPrincipal? User => Request.User;

    public IServiceProvider? Services => Request.Services;

    /// <summary>The key this field has in the response (its alias or name).</summary>
    public string ResponseKey => _field.ResponseKey;

    /// <summary>The field's nodes in the document (several when the same response key is selected more than once).</summary>
    public IReadOnlyList<FieldNode> FieldNodes => _field.Nodes;

    /// <summary>An argument converted to <typeparamref name="T"/>, or <paramref name="fallback"/> when it is absent or null.</summary>
    public T? Argument<T>(string name, T? fallback = default)
    {
        if (!Arguments.TryGetValue(name, out var value) || value is null)
        {
            return fallback;
        }
        return ValueConversion.To<T>(value);
    }

    public bool HasArgument(string name) => Arguments.ContainsKey(name);

    /// <summary>
    /// The fields selected below this one (fragments and skip/include applied). For an interface or union type the
    /// selections of every possible type are merged, first occurrence per response key.
    /// </summary>
    public IReadOnlyList<SelectedField> SelectedFields => SelectedFieldsOf(Field.Type.Named);

    /// <summary>The fields selected below this one when the value is of object type <paramref name="type"/>.</summary>
    public IReadOnlyList<SelectedField> SelectedFieldsOn(ObjectType type) =>
        _plan.Children(_field, type).Select(f => new SelectedField(_plan, f, Request.Variables)).ToList();

    /// <summary>The request's batch loader named <paramref name="name"/> (see <see cref="Execution.BatchLoader{TKey,TValue}"/>).</summary>
    public BatchLoader<TKey, TValue> BatchLoader<TKey, TValue>(string name, BatchLoadFunction<TKey, TValue> load, int maxBatchSize = 1000) where TKey : notnull =>
        Request.BatchLoader(name, load, maxBatchSize);

    private IReadOnlyList<SelectedField> SelectedFieldsOf(NamedType type)
    {
        if (_field.Nodes[0].SelectionSet is null)
        {
            return [];
        }
        var result = new List<SelectedField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var objectType in Request.Schema.GetPossibleTypes(type))
        {
            foreach (var child in _plan.Children(_field, objectType))
            {
                if (seen.Add(child.ResponseKey))
                {
                    result.Add(new SelectedField(_plan, child, Request.Variables));
                }
            }
        }
        return result;
    }
}

/// <summary>A field selected below another: its name, response key, definition, coerced arguments and own selection.</summary>
public sealed class SelectedField
{
    private readonly ExecutionPlan _plan;
    private readonly CollectedField _field;
    private readonly IReadOnlyDictionary<string, object?> _variables;

    internal SelectedField(ExecutionPlan plan, CollectedField field, IReadOnlyDictionary<string, object?> variables)
    {
        _plan = plan;
        _field = field;
        _variables = variables;
    }

    public string Name => _field.Definition.Name;

    public string ResponseKey => _field.ResponseKey;

    public FieldDefinition Definition => _field.Definition;

    /// <summary>The object type the field was selected on.</summary>
    public ObjectType ParentType => _field.ParentType;

    /// <summary>The field's arguments after coercion.</summary>
    public IReadOnlyDictionary<string, object?> Arguments => _field.GetArguments(_variables);

    /// <summary>The fields selected below this one (merged over possible types for interfaces and unions).</summary>
    public IReadOnlyList<SelectedField> SelectedFields
    {
        get
        {
            if (_field.Nodes[0].SelectionSet is null)
            {
                return [];
            }
            var result = new List<SelectedField>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var objectType in _plan.Schema.GetPossibleTypes(_field.Definition.Type.Named))
            {
                foreach (var child in _plan.Children(_field, objectType))
                {
                    if (seen.Add(child.ResponseKey))
                    {
                        result.Add(new SelectedField(_plan, child, _variables));
                    }
                }
            }
            return result;
        }
    }

    public override string ToString() => ResponseKey == Name ? Name : $"{ResponseKey}: {Name}";
}
