using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>The kinds of type introspection reports (<c>__TypeKind</c>).</summary>
public enum TypeKind
{
    SCALAR,
    OBJECT,
    INTERFACE,
    UNION,
    ENUM,
    INPUT_OBJECT,
    LIST,
    NON_NULL,
}

/// <summary>Any GraphQL type: a named type or a list / non-null wrapper around one.</summary>
public abstract class GraphQLType
{
    public abstract TypeKind Kind { get; }

    /// <summary>The named type under any list and non-null wrappers.</summary>
    public abstract NamedType Named { get; }

    /// <summary>True for scalars, enums, input objects and wrappers of those (§3.4.2 IsInputType).</summary>
    public bool IsInputType => Named is ScalarType or EnumType or InputObjectType;

    /// <summary>True for scalars, objects, interfaces, unions, enums and wrappers of those (§3.4.2 IsOutputType).</summary>
    public bool IsOutputType => Named is not InputObjectType;

    /// <summary>This type without a non-null wrapper.</summary>
    public GraphQLType Nullable => this is NonNullType nonNull ? nonNull.OfType : this;

    /// <summary>Structural equality of type references (same wrappers around the same named type).</summary>
    public static bool AreEqual(GraphQLType a, GraphQLType b) => a switch
    {
        ListType la => b is ListType lb && AreEqual(la.OfType, lb.OfType),
        NonNullType na => b is NonNullType nb && AreEqual(na.OfType, nb.OfType),
        _ => ReferenceEquals(a, b),
    };
}

/// <summary>A list of another type.</summary>
public sealed class ListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType;

    public override TypeKind Kind => TypeKind.LIST;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"[{OfType}]";
}

/// <summary>A non-null wrapper around a nullable type.</summary>
public sealed class NonNullType : GraphQLType
{
    public NonNullType(GraphQLType ofType)
    {
        if (ofType is NonNullType)
        {
            throw new ArgumentException($"a non-null type cannot wrap another non-null type ({ofType})", nameof(ofType));
        }
        OfType = ofType;
    }

    public GraphQLType OfType { get; }

    public override TypeKind Kind => TypeKind.NON_NULL;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"{OfType}!";
}

/// <summary>A type with a name: scalar, object, interface, union, enum or input object.</summary>
public abstract class NamedType : GraphQLType
{
    private protected NamedType(string name, string? description)
    {
        Name = name;
        Description = description;
    }

    public string Name { get; }

    public string? Description { get; internal set; }

    /// <summary>The definition this type was built from, when it came from SDL.</summary>
    public TypeDefinitionNode? SyntaxNode { get; internal set; }

    /// <summary>Free-form facts an application attaches to the type (e.g. the table it maps); never shown to clients.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; internal set; } = EmptyMetadata;

    public sealed override NamedType Named => this;

    /// <summary>True for the built-in scalars and the introspection types, which SDL printing leaves out.</summary>
    public bool IsBuiltIn { get; internal init; }

    public override string ToString() => Name;

    internal static readonly IReadOnlyDictionary<string, object?> EmptyMetadata = new Dictionary<string, object?>();
}

/// <summary>An object or interface type: a type with fields.</summary>
public abstract class ComplexType : NamedType
{
    private Dictionary<string, FieldDefinition> _fieldsByName = new(StringComparer.Ordinal);
    private IReadOnlyList<FieldDefinition> _fields = [];

    private protected ComplexType(string name, string? description) : base(name, description)
    {
    }

    /// <summary>Fields in declaration order.</summary>
    public IReadOnlyList<FieldDefinition> Fields
    {
        get => _fields;
        internal set
        {
            _fields = value;
            _fieldsByName = new Dictionary<string, FieldDefinition>(value.Count, StringComparer.Ordinal);
            foreach (var item in value)
            {
                _fieldsByName.TryAdd(item.Name, item);
            }
        }
    }

    /// <summary>Interfaces this type declares it implements.</summary>
    public IReadOnlyList<InterfaceType> Interfaces { get; internal set; } = [];

    public FieldDefinition? GetField(string name) => _fieldsByName.GetValueOrDefault(name);

    public bool HasField(string name) => _fieldsByName.ContainsKey(name);
}

/// <summary>Classifications of types the specification names (composite, abstract, leaf).</summary>
public static class TypeExtensions
{
    public static bool IsCompositeType(this GraphQLType type) => type is ObjectType or InterfaceType or UnionType;

    public static bool IsAbstractType(this GraphQLType type) => type is InterfaceType or UnionType;

    public static bool IsLeafType(this GraphQLType type) => type.Named is ScalarType or EnumType;
}
