using OneMap.GraphQL.Execution;

namespace OneMap.GraphQL.Types;

/// <summary>An object type (§3.6): named fields, each with a resolver.</summary>
public sealed class ObjectType : ComplexType
{
    internal ObjectType(string name, string? description = null) : base(name, description)
    {
    }

    public override TypeKind Kind => TypeKind.OBJECT;

    /// <summary>The CLR type whose instances are values of this type (used to resolve abstract types).</summary>
    public Type? ClrType { get; internal set; }

    /// <summary>Says whether a value belongs to this type, for interfaces and unions without a type resolver.</summary>
    public Func<object, bool>? IsTypeOf { get; internal set; }
}

/// <summary>An interface (§3.7): fields that each implementing object (or interface) type has.</summary>
public sealed class InterfaceType : ComplexType
{
    internal InterfaceType(string name, string? description = null) : base(name, description)
    {
    }

    public override TypeKind Kind => TypeKind.INTERFACE;

    /// <summary>Names the object type of a value; null falls back to <c>__typename</c>, CLR types and IsTypeOf.</summary>
    public TypeResolver? ResolveType { get; internal set; }
}

/// <summary>A union (§3.8): one of several object types.</summary>
public sealed class UnionType : NamedType
{
    private HashSet<ObjectType> _memberSet = [];
    private IReadOnlyList<ObjectType> _types = [];

    internal UnionType(string name, string? description = null) : base(name, description)
    {
    }

    public override TypeKind Kind => TypeKind.UNION;

    public IReadOnlyList<ObjectType> Types
    {
        get => _types;
        internal set
        {
            _types = value;
            _memberSet = [.. value];
        }
    }

    public TypeResolver? ResolveType { get; internal set; }

    public bool Contains(ObjectType type) => _memberSet.Contains(type);
}

/// <summary>An input object (§3.10): named input fields; with <c>@oneOf</c>, exactly one of them must be given.</summary>
public sealed class InputObjectType : NamedType
{
    private Dictionary<string, InputValueDefinition> _fieldsByName = new(StringComparer.Ordinal);
    private IReadOnlyList<InputValueDefinition> _fields = [];

    internal InputObjectType(string name, string? description = null) : base(name, description)
    {
    }

    public override TypeKind Kind => TypeKind.INPUT_OBJECT;

    public IReadOnlyList<InputValueDefinition> Fields
    {
        get => _fields;
        internal set
        {
            _fields = value;
            _fieldsByName = value.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }
    }

    /// <summary>True for a OneOf input object (<c>@oneOf</c>): exactly one field, not null.</summary>
    public bool IsOneOf { get; internal set; }

    public InputValueDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);
}

/// <summary>An enum (§3.9): a closed set of names, each mapped to an internal value.</summary>
public sealed class EnumType : NamedType
{
    private Dictionary<string, EnumValueDefinition> _byName = new(StringComparer.Ordinal);
    private Dictionary<object, EnumValueDefinition> _byValue = [];
    private IReadOnlyList<EnumValueDefinition> _values = [];

    internal EnumType(string name, string? description = null) : base(name, description)
    {
    }

    public override TypeKind Kind => TypeKind.ENUM;

    public IReadOnlyList<EnumValueDefinition> Values
    {
        get => _values;
        internal set
        {
            _values = value;
            _byName = value.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            _byValue = [];
            foreach (var item in value)
            {
                if (item.Value is not null)
                {
                    _byValue.TryAdd(item.Value, item);
                }
            }
        }
    }

    public EnumValueDefinition? GetValue(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The enum value a resolver's internal value stands for (its value, or its name as a string).</summary>
    public EnumValueDefinition? FindByInternalValue(object value)
    {
        if (_byValue.TryGetValue(value, out var found))
        {
            return found;
        }
        return value is string name ? _byName.GetValueOrDefault(name) : value is Enum e ? _byName.GetValueOrDefault(e.ToString()) : null;
    }
}

/// <summary>One value of an enum type.</summary>
public sealed class EnumValueDefinition
{
    internal EnumValueDefinition(string name, object? value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    /// <summary>What resolvers return and arguments receive for this value; by default the name.</summary>
    public object? Value { get; }

    public string? Description { get; internal init; }

    public string? DeprecationReason { get; internal init; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyDictionary<string, object?> Metadata { get; internal init; } = NamedType.EmptyMetadata;

    public override string ToString() => Name;
}
