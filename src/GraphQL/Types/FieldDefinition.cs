using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;

namespace OneMap.GraphQL.Types;

/// <summary>
/// A field of an object or interface type: its type, arguments, description, deprecation, resolver, subscription
/// source and cost hint.
/// </summary>
public sealed class FieldDefinition
{
    private Dictionary<string, InputValueDefinition>? _argumentsByName;

    internal FieldDefinition(string name, GraphQLType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public string? Description { get; internal init; }

    public GraphQLType Type { get; internal set; }

    /// <summary>Arguments in declaration order.</summary>
    public IReadOnlyList<InputValueDefinition> Arguments { get; internal init; } = [];

    /// <summary>Why clients should stop using this field; null when it is not deprecated.</summary>
    public string? DeprecationReason { get; internal init; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>Produces the field's value; null means the default resolver (property, dictionary entry, JSON member).</summary>
    public FieldResolver? Resolver { get; internal init; }

    /// <summary>For subscription root fields: the source of events.</summary>
    public SubscriptionSource? Subscriber { get; internal init; }

    /// <summary>How much the field costs in cost analysis; null means the defaults of <see cref="RequestLimits"/>.</summary>
    public CostHint? Cost { get; internal init; }

    /// <summary>Free-form facts an application attaches to the field (e.g. the column it reads); never shown to clients.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; internal init; } = NamedType.EmptyMetadata;

    public FieldDefinitionNode? SyntaxNode { get; internal init; }

    /// <summary>The type that declares the field (for messages such as <c>Query.station</c>).</summary>
    public ComplexType DeclaringType { get; internal set; } = null!;

    public InputValueDefinition? GetArgument(string name)
    {
        if (Arguments.Count == 0)
        {
            return null;
        }
        _argumentsByName ??= Arguments.ToDictionary(a => a.Name, StringComparer.Ordinal);
        return _argumentsByName.GetValueOrDefault(name);
    }

    public override string ToString() => $"{DeclaringType?.Name}.{Name}";
}

/// <summary>An argument, an input object field or a directive argument (<c>__InputValue</c>).</summary>
public sealed class InputValueDefinition
{
    internal InputValueDefinition(string name, GraphQLType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public string? Description { get; internal init; }

    public GraphQLType Type { get; internal set; }

    /// <summary>True when a default value is defined (it may be null).</summary>
    public bool HasDefaultValue { get; internal set; }

    /// <summary>The default value, coerced to its internal form.</summary>
    public object? DefaultValue { get; internal set; }

    /// <summary>The default as a literal, for introspection and SDL.</summary>
    public ValueNode? DefaultValueLiteral { get; internal set; }

    public string? DeprecationReason { get; internal init; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>True when the value must be given: a non-null type without a default.</summary>
    public bool IsRequired => Type is NonNullType && !HasDefaultValue;

    public IReadOnlyDictionary<string, object?> Metadata { get; internal init; } = NamedType.EmptyMetadata;

    public InputValueDefinitionNode? SyntaxNode { get; internal init; }

    public override string ToString() => Name;
}
