using OneMap.GraphQL.Introspection;

namespace OneMap.GraphQL.Types;

/// <summary>
/// A complete, validated schema: root operation types, every named type (the application's, the built-in scalars it
/// uses and the introspection types) and the directives. Immutable and safe to share between requests; build one
/// with <see cref="SchemaBuilder"/>, narrow it per role with <see cref="Filter"/>.
/// </summary>
public sealed class Schema
{
    private readonly Dictionary<string, NamedType> _types;
    private readonly Dictionary<string, DirectiveDefinition> _directives;
    private readonly Dictionary<NamedType, IReadOnlyList<ObjectType>> _possibleTypes = [];
    private readonly Dictionary<InterfaceType, HashSet<NamedType>> _implementations = [];

    internal Schema(ObjectType query, ObjectType? mutation, ObjectType? subscription, IReadOnlyList<NamedType> types,
        IReadOnlyList<DirectiveDefinition> directives, string? description)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = description;
        Types = types;
        Directives = directives;
        _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _directives = directives.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type is ComplexType complex)
            {
                foreach (var implemented in complex.Interfaces)
                {
                    if (!_implementations.TryGetValue(implemented, out var set))
                    {
                        _implementations[implemented] = set = [];
                    }
                    set.Add(complex);
                }
            }
        }
        foreach (var type in types)
        {
            switch (type)
            {
                case UnionType union:
                    _possibleTypes[union] = union.Types;
                    break;
                case InterfaceType iface:
                    _possibleTypes[iface] = _implementations.TryGetValue(iface, out var implementations)
                        ? implementations.OfType<ObjectType>().OrderBy(t => IndexOf(t)).ToList()
                        : [];
                    break;
            }
        }
    }

    public ObjectType Query { get; }

    public ObjectType? Mutation { get; }

    public ObjectType? Subscription { get; }

    public string? Description { get; }

    /// <summary>Every named type, the application's in declaration order, then built-in scalars and introspection types.</summary>
    public IReadOnlyList<NamedType> Types { get; }

    /// <summary>Every directive, the built-in ones first.</summary>
    public IReadOnlyList<DirectiveDefinition> Directives { get; }

    public NamedType? GetType(string name) => _types.GetValueOrDefault(name);

    public DirectiveDefinition? GetDirective(string name) => _directives.GetValueOrDefault(name);

    /// <summary>The root type of an operation kind, or null when the schema has none.</summary>
    public ObjectType? GetRootType(Language.OperationType operation) => operation switch
    {
        Language.OperationType.Query => Query,
        Language.OperationType.Mutation => Mutation,
        _ => Subscription,
    };

    /// <summary>The object types a value of an abstract type can have (union members, interface implementations).</summary>
    public IReadOnlyList<ObjectType> GetPossibleTypes(NamedType abstractType) => abstractType switch
    {
        ObjectType o => [o],
        _ => _possibleTypes.GetValueOrDefault(abstractType) ?? [],
    };

    /// <summary>True when <paramref name="subType"/> is a member of the union or implements the interface.</summary>
    public bool IsSubType(NamedType abstractType, NamedType subType) => abstractType switch
    {
        UnionType union => subType is ObjectType o && union.Contains(o),
        InterfaceType iface => _implementations.TryGetValue(iface, out var set) && set.Contains(subType),
        _ => false,
    };

    /// <summary>True when a value can be of both types (§5.5.2.3 fragment spread is possible).</summary>
    public bool TypesOverlap(NamedType a, NamedType b)
    {
        if (a == b)
        {
            return true;
        }
        if (a.IsAbstractType())
        {
            if (b.IsAbstractType())
            {
                var possible = GetPossibleTypes(b);
                return GetPossibleTypes(a).Any(possible.Contains);
            }
            return IsSubType(a, b);
        }
        return b.IsAbstractType() && IsSubType(b, a);
    }

    /// <summary>
    /// The definition of a field selected on <paramref name="parentType"/>, including the meta fields
    /// <c>__typename</c> (every composite type) and <c>__schema</c>/<c>__type</c> (the query root).
    /// </summary>
    public FieldDefinition? GetFieldDefinition(NamedType parentType, string fieldName)
    {
        if (fieldName.Length > 2 && fieldName[0] == '_' && fieldName[1] == '_')
        {
            switch (fieldName)
            {
                case "__typename" when parentType.IsCompositeType():
                    return IntrospectionTypes.TypeNameField;
                case "__schema" when parentType == Query:
                    return IntrospectionTypes.SchemaField;
                case "__type" when parentType == Query:
                    return IntrospectionTypes.TypeField;
            }
        }
        return parentType is ComplexType complex ? complex.GetField(fieldName) : null;
    }

    /// <summary>The schema in SDL, as <c>printSchema</c> prints it (built-in scalars and directives left out).</summary>
    public string ToSdl() => SchemaPrinter.Print(this);

    /// <summary>
    /// A copy that shows only what <paramref name="filter"/> lets through: hidden types, fields, arguments and enum
    /// values disappear from introspection and from validation alike (a query naming them is invalid). Resolvers are
    /// shared. Cache the result per role: filtering walks the whole schema.
    /// </summary>
    public Schema Filter(SchemaFilter filter) => SchemaFiltering.Apply(this, filter);

    private int IndexOf(NamedType type)
    {
        for (var i = 0; i < Types.Count; i++)
        {
            if (Types[i] == type)
            {
                return i;
            }
        }
        return int.MaxValue;
    }
}
