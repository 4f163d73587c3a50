namespace OneMap.GraphQL.Types;

/// <summary>
/// What a caller may see of a schema (per role): predicates over types, fields, arguments, input fields and enum
/// values. A null predicate lets everything through. Used by <see cref="Schema.Filter"/>.
/// </summary>
public sealed class SchemaFilter
{
    public Func<NamedType, bool>? Types { get; init; }

    public Func<ComplexType, FieldDefinition, bool>? Fields { get; init; }

    public Func<FieldDefinition, InputValueDefinition, bool>? Arguments { get; init; }

    public Func<InputObjectType, InputValueDefinition, bool>? InputFields { get; init; }

    public Func<EnumType, EnumValueDefinition, bool>? EnumValues { get; init; }
}

/// <summary>Builds the filtered copy of a schema, dropping whatever would be left dangling or empty.</summary>
internal static class SchemaFiltering
{
    public static Schema Apply(Schema schema, SchemaFilter filter)
    {
        var visible = new HashSet<string>(schema.Types.Where(t => t.IsBuiltIn || IsRoot(schema, t) || filter.Types?.Invoke(t) != false).Select(t => t.Name),
            StringComparer.Ordinal);
        // Hiding a type can empty another (an object whose every field returned it): repeat until nothing changes.
        bool changed;
        do
        {
            changed = false;
            foreach (var type in schema.Types)
            {
                if (type.IsBuiltIn || IsRoot(schema, type) || !visible.Contains(type.Name))
                {
                    continue;
                }
                if (!HasContent(type, filter, visible))
                {
                    visible.Remove(type.Name);
                    changed = true;
                }
            }
        }
        while (changed);

        var copies = new Dictionary<string, NamedType>(StringComparer.Ordinal);
        foreach (var type in schema.Types)
        {
            if (visible.Contains(type.Name))
            {
                copies[type.Name] = type.IsBuiltIn ? type : Shell(type);
            }
        }
        foreach (var type in schema.Types)
        {
            if (visible.Contains(type.Name) && !type.IsBuiltIn)
            {
                Fill(type, copies[type.Name], filter, visible, copies);
            }
        }
        // A mutation or subscription root left without fields is dropped (a root type must have fields); the query root stays.
        var mutation = schema.Mutation is null ? null : (ObjectType)copies[schema.Mutation.Name];
        var subscription = schema.Subscription is null ? null : (ObjectType)copies[schema.Subscription.Name];
        if (mutation is { Fields.Count: 0 })
        {
            mutation = null;
        }
        if (subscription is { Fields.Count: 0 })
        {
            subscription = null;
        }
        var ordered = schema.Types.Where(t => visible.Contains(t.Name))
            .Select(t => copies[t.Name])
            .Where(t => !(t is ObjectType { Fields.Count: 0 } && (t.Name == schema.Mutation?.Name || t.Name == schema.Subscription?.Name)))
            .ToList();
        return new Schema((ObjectType)copies[schema.Query.Name], mutation, subscription, ordered, schema.Directives, schema.Description);
    }

    private static bool IsRoot(Schema schema, NamedType type) => type == schema.Query || type == schema.Mutation || type == schema.Subscription;

    private static bool HasContent(NamedType type, SchemaFilter filter, HashSet<string> visible) => type switch
    {
        ComplexType complex => VisibleFields(complex, filter, visible).Any(),
        UnionType union => union.Types.Any(t => visible.Contains(t.Name)),
        EnumType enumType => enumType.Values.Any(v => filter.EnumValues?.Invoke(enumType, v) != false),
        InputObjectType input => input.Fields.Any(f => Keeps(input, f, filter, visible))
            && input.Fields.All(f => !f.IsRequired || Keeps(input, f, filter, visible)),
        _ => true,
    };

    private static bool Keeps(InputObjectType owner, InputValueDefinition field, SchemaFilter filter, HashSet<string> visible) =>
        visible.Contains(field.Type.Named.Name) && filter.InputFields?.Invoke(owner, field) != false;

    private static IEnumerable<FieldDefinition> VisibleFields(ComplexType type, SchemaFilter filter, HashSet<string> visible) =>
        type.Fields.Where(f => visible.Contains(f.Type.Named.Name)
            && filter.Fields?.Invoke(type, f) != false
            // A field whose required argument is hidden could not be queried: hide the field.
            && f.Arguments.All(a => (!a.IsRequired || filter.Arguments?.Invoke(f, a) != false) && (!a.IsRequired || visible.Contains(a.Type.Named.Name))));

    private static NamedType Shell(NamedType type)
    {
        NamedType copy = type switch
        {
            ObjectType o => new ObjectType(o.Name, o.Description) { ClrType = o.ClrType, IsTypeOf = o.IsTypeOf },
            InterfaceType i => new InterfaceType(i.Name, i.Description) { ResolveType = i.ResolveType },
            UnionType u => new UnionType(u.Name, u.Description) { ResolveType = u.ResolveType },
            EnumType e => new EnumType(e.Name, e.Description),
            InputObjectType input => new InputObjectType(input.Name, input.Description) { IsOneOf = input.IsOneOf },
            _ => type,
        };
        if (copy != type)
        {
            copy.SyntaxNode = type.SyntaxNode;
            copy.Metadata = type.Metadata;
        }
        return copy;
    }

    private static void Fill(NamedType source, NamedType target, SchemaFilter filter, HashSet<string> visible, Dictionary<string, NamedType> copies)
    {
        switch (source)
        {
            case ComplexType complex:
                var targetComplex = (ComplexType)target;
                targetComplex.Fields = VisibleFields(complex, filter, visible).Select(f => new FieldDefinition(f.Name, Map(f.Type, copies))
                {
                    Description = f.Description,
                    DeprecationReason = f.DeprecationReason,
                    Arguments = f.Arguments.Where(a => visible.Contains(a.Type.Named.Name) && filter.Arguments?.Invoke(f, a) != false).Select(a => Copy(a, copies)).ToList(),
                    Resolver = f.Resolver,
                    Subscriber = f.Subscriber,
                    Cost = f.Cost,
                    Metadata = f.Metadata,
                    SyntaxNode = f.SyntaxNode,
                    DeclaringType = targetComplex,
                }).ToList();
                // Keep an interface only while the type still has every field the (filtered) interface has.
                targetComplex.Interfaces = complex.Interfaces
                    .Where(i => visible.Contains(i.Name) && VisibleFields(i, filter, visible).All(f => targetComplex.HasField(f.Name)))
                    .Select(i => (InterfaceType)copies[i.Name]).ToList();
                break;
            case UnionType union:
                ((UnionType)target).Types = union.Types.Where(t => visible.Contains(t.Name)).Select(t => (ObjectType)copies[t.Name]).ToList();
                break;
            case EnumType enumType:
                ((EnumType)target).Values = enumType.Values.Where(v => filter.EnumValues?.Invoke(enumType, v) != false).ToList();
                break;
            case InputObjectType input:
                ((InputObjectType)target).Fields = input.Fields.Where(f => Keeps(input, f, filter, visible)).Select(f => Copy(f, copies)).ToList();
                break;
        }
    }

    private static InputValueDefinition Copy(InputValueDefinition value, Dictionary<string, NamedType> copies) =>
        new(value.Name, Map(value.Type, copies))
        {
            Description = value.Description,
            HasDefaultValue = value.HasDefaultValue,
            DefaultValue = value.DefaultValue,
            DefaultValueLiteral = value.DefaultValueLiteral,
            DeprecationReason = value.DeprecationReason,
            Metadata = value.Metadata,
            SyntaxNode = value.SyntaxNode,
        };

    private static GraphQLType Map(GraphQLType type, Dictionary<string, NamedType> copies) => type switch
    {
        NonNullType nonNull => new NonNullType(Map(nonNull.OfType, copies)),
        ListType list => new ListType(Map(list.OfType, copies)),
        NamedType named => copies.GetValueOrDefault(named.Name) ?? named,
        _ => type,
    };
}
