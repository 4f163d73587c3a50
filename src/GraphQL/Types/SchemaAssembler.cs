using OneMap.GraphQL.Introspection;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>Turns a <see cref="SchemaBuilder"/>'s definitions into an immutable, validated <see cref="Schema"/>.</summary>
internal sealed class SchemaAssembler
{
    private readonly SchemaBuilder _builder;
    private readonly List<string> _problems;
    private readonly Dictionary<string, NamedType> _types = new(StringComparer.Ordinal);
    private readonly List<NamedType> _ordered = [];
    private readonly List<(InputValueBuilder Source, InputValueDefinition Target, string Owner)> _defaults = [];

    private SchemaAssembler(SchemaBuilder builder)
    {
        _builder = builder;
        _problems = [.. builder.Problems];
    }

    public static Schema Assemble(SchemaBuilder builder) => new SchemaAssembler(builder).Run();

    private Schema Run()
    {
        foreach (var type in _builder.TypeBuilders)
        {
            CollectBuilderProblems(type);
            var shell = CreateShell(type);
            _types[shell.Name] = shell;
            _ordered.Add(shell);
        }
        foreach (var type in _builder.TypeBuilders)
        {
            Fill(type, _types[type.Name]);
        }
        // Custom directives first, then the specification's, as schemas built from SDL list them elsewhere too.
        var directives = new List<DirectiveDefinition>();
        foreach (var directive in _builder.DirectiveBuilders)
        {
            directives.Add(BuildDirective(directive));
        }
        directives.AddRange(BuiltInDirectives.All);
        ComputeDefaults();

        var query = RootType(_builder.QueryTypeName ?? (_types.ContainsKey("Query") && !_builder.SchemaDefined ? "Query" : null), "query", required: true);
        var mutation = RootType(_builder.MutationTypeName ?? (_types.ContainsKey("Mutation") && !_builder.SchemaDefined ? "Mutation" : null), "mutation", required: false);
        var subscription = RootType(_builder.SubscriptionTypeName ?? (_types.ContainsKey("Subscription") && !_builder.SchemaDefined ? "Subscription" : null), "subscription", required: false);

        var all = OrderTypes(_ordered, directives);

        if (query is null)
        {
            throw new SchemaException(_problems.Count > 0 ? _problems : ["Query root type must be provided."]);
        }
        var schema = new Schema(query, mutation, subscription, all, directives, _builder.SchemaDescription);
        _problems.AddRange(SchemaValidator.Validate(schema));
        if (_problems.Count > 0)
        {
            throw new SchemaException(_problems.Distinct().ToList());
        }
        return schema;
    }

    /// <summary>
    /// The schema's type list: the declared types in order, each followed by the built-in scalars it is the first to
    /// reference, then the introspection types (and any built-in scalar only they reference) in reference order. This
    /// is the order introspection reports and the reference implementation uses, so both list types alike.
    /// </summary>
    private static List<NamedType> OrderTypes(List<NamedType> declared, List<DirectiveDefinition> directives)
    {
        var placed = new HashSet<NamedType>(declared);
        var ordered = new List<NamedType>();
        foreach (var type in declared)
        {
            ordered.Add(type);
            foreach (var referenced in DirectReferences(type))
            {
                if (placed.Add(referenced))
                {
                    ordered.Add(referenced);
                }
            }
        }
        foreach (var argument in directives.SelectMany(d => d.Arguments))
        {
            Visit(argument.Type.Named);
        }
        Visit(IntrospectionTypes.SchemaType);
        return ordered;

        void Visit(NamedType type)
        {
            if (!placed.Add(type))
            {
                return;
            }
            ordered.Add(type);
            foreach (var referenced in DirectReferences(type))
            {
                Visit(referenced);
            }
        }
    }

    private static IEnumerable<NamedType> DirectReferences(NamedType type)
    {
        switch (type)
        {
            case UnionType union:
                foreach (var member in union.Types)
                {
                    yield return member;
                }
                break;
            case ComplexType complex:
                foreach (var iface in complex.Interfaces)
                {
                    yield return iface;
                }
                foreach (var field in complex.Fields)
                {
                    yield return field.Type.Named;
                    foreach (var argument in field.Arguments)
                    {
                        yield return argument.Type.Named;
                    }
                }
                break;
            case InputObjectType input:
                foreach (var field in input.Fields)
                {
                    yield return field.Type.Named;
                }
                break;
        }
    }

    private void CollectBuilderProblems(TypeBuilder type)
    {
        switch (type)
        {
            case ObjectTypeBuilder o:
                _problems.AddRange(o.Problems);
                _problems.AddRange(o.FieldList.SelectMany(f => f.Problems));
                break;
            case InterfaceTypeBuilder i:
                _problems.AddRange(i.Problems);
                _problems.AddRange(i.FieldList.SelectMany(f => f.Problems));
                break;
            case EnumTypeBuilder e:
                _problems.AddRange(e.Problems);
                break;
            case InputObjectTypeBuilder input:
                _problems.AddRange(input.Problems);
                break;
        }
    }

    private ObjectType? RootType(string? name, string operation, bool required)
    {
        if (name is null)
        {
            if (required)
            {
                _problems.Add("Query root type must be provided.");
            }
            return null;
        }
        switch (_types.GetValueOrDefault(name))
        {
            case ObjectType root:
                return root;
            case null:
                _problems.Add($"The {operation} root type \"{name}\" is not defined.");
                return null;
            case var other:
                _problems.Add($"The {operation} root type must be an object type, not {other.Kind} \"{name}\".");
                return null;
        }
    }

    private static NamedType CreateShell(TypeBuilder type)
    {
        NamedType shell = type switch
        {
            ObjectTypeBuilder o => new ObjectType(o.Name, o.DescriptionText) { ClrType = o.ClrTypeValue, IsTypeOf = o.IsTypeOfPredicate },
            InterfaceTypeBuilder i => new InterfaceType(i.Name, i.DescriptionText) { ResolveType = i.TypeResolverValue },
            UnionTypeBuilder u => new UnionType(u.Name, u.DescriptionText) { ResolveType = u.TypeResolverValue },
            EnumTypeBuilder e => new EnumType(e.Name, e.DescriptionText),
            InputObjectTypeBuilder input => new InputObjectType(input.Name, input.DescriptionText) { IsOneOf = input.IsOneOfValue },
            ScalarTypeBuilder s when s.Instance is { } instance && instance.Name == s.Name => instance,
            ScalarTypeBuilder s => new ScalarType(s.Name, s.DescriptionText, s.SerializeValue ?? (s.Instance is { } i ? i.Serialize : null),
                s.ParseValueValue ?? (s.Instance is { } p ? p.ParseValue : null),
                s.ParseLiteralValue ?? (s.Instance is { } l ? l.ParseLiteral : null), s.SpecifiedByValue),
            _ => throw new InvalidOperationException($"unknown builder {type.GetType().Name}"),
        };
        if (shell is not ScalarType { IsBuiltIn: true })
        {
            shell.Description = type.DescriptionText ?? shell.Description;
            shell.SyntaxNode = type.Syntax;
            shell.Metadata = type.MetadataValues.Count > 0 ? new Dictionary<string, object?>(type.MetadataValues) : NamedType.EmptyMetadata;
        }
        if (shell is ScalarType scalar && type is ScalarTypeBuilder scalarBuilder && scalarBuilder.SpecifiedByValue is { } url)
        {
            scalar.SpecifiedByUrl = url;
        }
        return shell;
    }

    private void Fill(TypeBuilder builder, NamedType type)
    {
        switch (builder)
        {
            case ObjectTypeBuilder o:
                FillComplex((ComplexType)type, o.FieldList, o.InterfaceNames);
                break;
            case InterfaceTypeBuilder i:
                FillComplex((ComplexType)type, i.FieldList, i.InterfaceNames);
                break;
            case UnionTypeBuilder u:
                var members = new List<ObjectType>();
                foreach (var name in u.MemberNames)
                {
                    switch (_types.GetValueOrDefault(name) ?? Scalars.BuiltIn.FirstOrDefault(s => s.Name == name))
                    {
                        case ObjectType member:
                            members.Add(member);
                            break;
                        case null:
                            _problems.Add($"Union {u.Name} refers to unknown type \"{name}\".");
                            break;
                        case var other:
                            _problems.Add($"Union type {u.Name} can only include Object types, it cannot include {other.Kind} \"{name}\".");
                            break;
                    }
                }
                ((UnionType)type).Types = members;
                break;
            case EnumTypeBuilder e:
                ((EnumType)type).Values = e.ValueList.Select(v => new EnumValueDefinition(v.Name, v.InternalValue)
                {
                    Description = v.DescriptionText,
                    DeprecationReason = v.DeprecationReason,
                    Metadata = v.MetadataValues.Count > 0 ? new Dictionary<string, object?>(v.MetadataValues) : NamedType.EmptyMetadata,
                }).ToList();
                break;
            case InputObjectTypeBuilder input:
                ((InputObjectType)type).Fields = input.FieldList.Select(f => BuildInputValue(f, $"{input.Name}.{f.Name}")).ToList();
                break;
        }
    }

    private void FillComplex(ComplexType type, List<FieldBuilder> fields, List<string> interfaceNames)
    {
        var interfaces = new List<InterfaceType>();
        foreach (var name in interfaceNames)
        {
            switch (_types.GetValueOrDefault(name) ?? Scalars.BuiltIn.FirstOrDefault(s => s.Name == name))
            {
                case InterfaceType iface:
                    interfaces.Add(iface);
                    break;
                case null:
                    _problems.Add($"Type {type.Name} implements unknown interface \"{name}\".");
                    break;
                case var other:
                    _problems.Add($"Type {type.Name} must only implement Interface types, it cannot implement {other.Kind} \"{name}\".");
                    break;
            }
        }
        type.Interfaces = interfaces;
        var definitions = new List<FieldDefinition>(fields.Count);
        foreach (var field in fields)
        {
            var owner = $"{type.Name}.{field.Name}";
            if (field.TypeRef is null)
            {
                _problems.Add($"Field {owner} has no type.");
                continue;
            }
            var fieldType = ResolveTypeRef(field.TypeRef, owner) ?? Scalars.String;
            definitions.Add(new FieldDefinition(field.Name, fieldType)
            {
                Description = field.DescriptionText,
                DeprecationReason = field.DeprecationReason,
                Arguments = field.ArgumentList.Select(a => BuildInputValue(a, $"{owner}({a.Name}:)")).ToList(),
                Resolver = field.ResolverValue,
                Subscriber = field.SubscriberValue,
                Cost = field.CostValue,
                Metadata = field.MetadataValues.Count > 0 ? new Dictionary<string, object?>(field.MetadataValues) : NamedType.EmptyMetadata,
                SyntaxNode = field.Syntax,
                DeclaringType = type,
            });
        }
        type.Fields = definitions;
    }

    private InputValueDefinition BuildInputValue(InputValueBuilder source, string owner)
    {
        var type = ResolveTypeRef(source.TypeRef, owner) ?? Scalars.String;
        var target = new InputValueDefinition(source.Name, type)
        {
            Description = source.DescriptionText,
            DeprecationReason = source.DeprecationReason,
            Metadata = source.MetadataValues.Count > 0 ? new Dictionary<string, object?>(source.MetadataValues) : NamedType.EmptyMetadata,
            SyntaxNode = source.Syntax,
        };
        if (source.HasDefault)
        {
            _defaults.Add((source, target, owner));
        }
        return target;
    }

    private DirectiveDefinition BuildDirective(DirectiveBuilder builder)
    {
        _problems.AddRange(builder.Problems);
        if (builder.LocationList.Count == 0)
        {
            _problems.Add($"Directive @{builder.Name} must name at least one location.");
        }
        return new DirectiveDefinition(builder.Name, [.. builder.LocationList])
        {
            Description = builder.DescriptionText,
            IsRepeatable = builder.IsRepeatable,
            DeprecationReason = builder.DeprecationReason,
            Arguments = builder.ArgumentList.Select(a => BuildInputValue(a, $"@{builder.Name}({a.Name}:)")).ToList(),
        };
    }

    private GraphQLType? ResolveTypeRef(TypeNode node, string owner)
    {
        switch (node)
        {
            case NonNullTypeNode nonNull:
                var inner = ResolveTypeRef(nonNull.Type, owner);
                return inner is null ? null : new NonNullType(inner);
            case ListTypeNode list:
                var item = ResolveTypeRef(list.Type, owner);
                return item is null ? null : new ListType(item);
            case NamedTypeNode named:
                var name = named.Name.Value;
                if (_types.TryGetValue(name, out var type))
                {
                    return type;
                }
                var builtIn = Scalars.BuiltIn.FirstOrDefault(s => s.Name == name);
                if (builtIn is not null)
                {
                    return builtIn;
                }
                _problems.Add($"{owner} refers to unknown type \"{name}\".");
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Coerces default values once every type is complete: input object fields first, in dependency order, so a
    /// default that omits a nested field picks up that field's own default.
    /// </summary>
    private void ComputeDefaults()
    {
        var done = new HashSet<InputValueDefinition>();
        var inputTypes = _ordered.OfType<InputObjectType>().ToList();
        var visiting = new HashSet<InputObjectType>();
        foreach (var type in inputTypes)
        {
            ComputeInputTypeDefaults(type, visiting, done);
        }
        foreach (var item in _defaults)
        {
            ComputeDefault(item, done);
        }
    }

    private void ComputeInputTypeDefaults(InputObjectType type, HashSet<InputObjectType> visiting, HashSet<InputValueDefinition> done)
    {
        if (!visiting.Add(type))
        {
            return;
        }
        foreach (var field in type.Fields)
        {
            if (field.Type.Named is InputObjectType nested)
            {
                ComputeInputTypeDefaults(nested, visiting, done);
            }
            var item = _defaults.Find(d => d.Target == field);
            if (item.Target is not null)
            {
                ComputeDefault(item, done);
            }
        }
    }

    private void ComputeDefault((InputValueBuilder Source, InputValueDefinition Target, string Owner) item, HashSet<InputValueDefinition> done)
    {
        var (source, target, owner) = item;
        if (!done.Add(target))
        {
            return;
        }
        try
        {
            var literal = source.DefaultLiteral ?? InputCoercion.ToLiteral(source.DefaultInternal, target.Type)
                ?? throw new ValueCoercionException($"{Scalars.Show(source.DefaultInternal)} cannot be written as a {target.Type} literal");
            var value = InputCoercion.CoerceLiteral(literal, target.Type, null);
            target.HasDefaultValue = true;
            target.DefaultValue = value;
            target.DefaultValueLiteral = InputCoercion.ToLiteral(value, target.Type) ?? literal;
        }
        catch (ValueCoercionException e)
        {
            _problems.Add($"The default value of {owner} is invalid: {e.Message}.");
        }
    }
}
