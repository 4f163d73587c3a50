using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Builds a <see cref="Schema"/> code-first, at run time: types and fields are declared by name with type references
/// as strings (<c>"[Station!]!"</c>), so an application can generate them from a catalog. SDL can be mixed in
/// (<see cref="AddSdl"/>) and resolvers attached to its fields afterwards. <see cref="Build"/> validates the whole
/// schema against the type system rules and throws <see cref="SchemaException"/> listing every problem.
/// </summary>
public sealed class SchemaBuilder
{
    private readonly List<TypeBuilder> _types = [];
    private readonly Dictionary<string, TypeBuilder> _typesByName = new(StringComparer.Ordinal);
    private readonly List<DirectiveBuilder> _directives = [];
    private readonly List<string> _problems = [];
    private readonly List<TypeDefinitionNode> _pendingExtensions = [];
    private bool _schemaDefined;

    internal string? QueryTypeName { get; private set; }

    internal string? MutationTypeName { get; private set; }

    internal string? SubscriptionTypeName { get; private set; }

    internal string? SchemaDescription { get; private set; }

    internal IReadOnlyList<TypeBuilder> TypeBuilders => _types;

    internal IReadOnlyList<DirectiveBuilder> DirectiveBuilders => _directives;

    internal List<string> Problems => _problems;

    /// <summary>A builder holding the definitions of an SDL document (attach resolvers, then <see cref="Build"/>).</summary>
    public static SchemaBuilder FromSdl(string sdl) => new SchemaBuilder().AddSdl(sdl);

    public SchemaBuilder Description(string? description)
    {
        SchemaDescription = description;
        return this;
    }

    /// <summary>Defines or extends the query root type (named <c>Query</c> unless <see cref="RootTypes"/> says otherwise).</summary>
    public SchemaBuilder Query(Action<ObjectTypeBuilder> configure)
    {
        QueryTypeName ??= "Query";
        return Object(QueryTypeName, configure);
    }

    public SchemaBuilder Mutation(Action<ObjectTypeBuilder> configure)
    {
        MutationTypeName ??= "Mutation";
        return Object(MutationTypeName, configure);
    }

    public SchemaBuilder Subscription(Action<ObjectTypeBuilder> configure)
    {
        SubscriptionTypeName ??= "Subscription";
        return Object(SubscriptionTypeName, configure);
    }

    /// <summary>Names the root operation types explicitly.</summary>
    public SchemaBuilder RootTypes(string query, string? mutation = null, string? subscription = null)
    {
        QueryTypeName = query;
        MutationTypeName = mutation;
        SubscriptionTypeName = subscription;
        return this;
    }

    /// <summary>Defines an object type, or configures it further when it exists.</summary>
    public SchemaBuilder Object(string name, Action<ObjectTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new ObjectTypeBuilder(n)));
        return this;
    }

    public SchemaBuilder Interface(string name, Action<InterfaceTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new InterfaceTypeBuilder(n)));
        return this;
    }

    public SchemaBuilder Union(string name, Action<UnionTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new UnionTypeBuilder(n)));
        return this;
    }

    public SchemaBuilder Enum(string name, Action<EnumTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new EnumTypeBuilder(n)));
        return this;
    }

    /// <summary>An enum type from a CLR enum: member names in UPPER_SNAKE_CASE, the members as internal values.</summary>
    public SchemaBuilder Enum<TEnum>(string? name = null, Action<EnumTypeBuilder>? configure = null) where TEnum : struct, System.Enum
    {
        ClrTypes.AddEnum(this, typeof(TEnum), name);
        if (configure is not null)
        {
            Enum(name ?? typeof(TEnum).Name, configure);
        }
        return this;
    }

    public SchemaBuilder InputObject(string name, Action<InputObjectTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new InputObjectTypeBuilder(n)));
        return this;
    }

    /// <summary>Defines a custom scalar with its coercions.</summary>
    public SchemaBuilder Scalar(string name, Action<ScalarTypeBuilder> configure)
    {
        configure(GetOrAdd(name, n => new ScalarTypeBuilder(n)));
        return this;
    }

    /// <summary>Adds a ready-made scalar such as <see cref="Scalars.Json"/>.</summary>
    public SchemaBuilder Scalar(ScalarType scalar)
    {
        if (Scalars.IsBuiltIn(scalar.Name))
        {
            return this;
        }
        GetOrAdd(scalar.Name, n => new ScalarTypeBuilder(n, scalar)).Use(scalar);
        return this;
    }

    public SchemaBuilder Directive(string name, Action<DirectiveBuilder> configure)
    {
        var directive = _directives.Find(d => d.Name == name);
        if (directive is null)
        {
            directive = new DirectiveBuilder(name);
            _directives.Add(directive);
        }
        configure(directive);
        return this;
    }

    /// <summary>Attaches a resolver to a field defined earlier (for example in SDL).</summary>
    public SchemaBuilder Resolve(string typeName, string fieldName, FieldResolver resolver)
    {
        FindField(typeName, fieldName).Resolve(resolver);
        return this;
    }

    /// <summary>Attaches a synchronous resolver to a field defined earlier.</summary>
    public SchemaBuilder Resolve(string typeName, string fieldName, Func<ResolveContext, object?> resolver)
    {
        FindField(typeName, fieldName).Resolve(resolver);
        return this;
    }

    /// <summary>Attaches an event source to a subscription field defined earlier.</summary>
    public SchemaBuilder Subscribe(string typeName, string fieldName, Func<ResolveContext, IAsyncEnumerable<object?>> subscribe)
    {
        FindField(typeName, fieldName).Subscribe(subscribe);
        return this;
    }

    /// <summary>Configures a field defined earlier (resolver, cost hint, metadata).</summary>
    public SchemaBuilder ConfigureField(string typeName, string fieldName, Action<FieldBuilder> configure)
    {
        configure(FindField(typeName, fieldName));
        return this;
    }

    /// <summary>Sets how an interface or union names the object type of a value.</summary>
    public SchemaBuilder ResolveType(string abstractTypeName, TypeResolver resolver)
    {
        switch (_typesByName.GetValueOrDefault(abstractTypeName))
        {
            case InterfaceTypeBuilder i:
                i.ResolveType(resolver);
                break;
            case UnionTypeBuilder u:
                u.ResolveType(resolver);
                break;
            default:
                throw new ArgumentException($"no interface or union named {abstractTypeName}", nameof(abstractTypeName));
        }
        return this;
    }

    /// <summary>
    /// Adds an object type (and the types it refers to) from a CLR class: public properties become fields, methods
    /// marked <see cref="GraphQLFieldAttribute"/> become fields with arguments. Descriptions come from
    /// <see cref="System.ComponentModel.DescriptionAttribute"/> or the assembly's XML documentation file.
    /// </summary>
    public SchemaBuilder AddClrType<T>(string? name = null) => AddClrType(typeof(T), name);

    public SchemaBuilder AddClrType(Type type, string? name = null)
    {
        ClrTypes.AddObject(this, type, name);
        return this;
    }

    /// <summary>True when a type of that name has been defined.</summary>
    public bool HasType(string name) => _typesByName.ContainsKey(name);

    /// <summary>Merges the definitions and extensions of an SDL document.</summary>
    public SchemaBuilder AddSdl(string sdl)
    {
        var document = Parser.Parse(sdl);
        SdlLoader.Load(this, document);
        return this;
    }

    /// <summary>Validates and builds the schema.</summary>
    public Schema Build() => SchemaAssembler.Assemble(this);

    internal T GetOrAdd<T>(string name, Func<string, T> create) where T : TypeBuilder
    {
        if (_typesByName.TryGetValue(name, out var existing))
        {
            return existing as T ?? throw new ArgumentException($"{name} is already defined as {existing.Kind}, not {typeof(T).Name.Replace("Builder", "", StringComparison.Ordinal)}", nameof(name));
        }
        var builder = create(name);
        _types.Add(builder);
        _typesByName[name] = builder;
        return builder;
    }

    internal TypeBuilder? GetTypeBuilder(string name) => _typesByName.GetValueOrDefault(name);

    internal void AddProblem(string problem) => _problems.Add(problem);

    internal void DefineSchema(SchemaDefinitionNode node)
    {
        if (!node.IsExtension)
        {
            if (_schemaDefined)
            {
                _problems.Add("Must provide only one schema definition.");
                return;
            }
            _schemaDefined = true;
            SchemaDescription = node.Description?.Value ?? SchemaDescription;
            QueryTypeName = null;
            MutationTypeName = null;
            SubscriptionTypeName = null;
        }
        var seen = new HashSet<OperationType>();
        foreach (var operation in node.OperationTypes)
        {
            var name = operation.Type.Name.Value;
            if (!seen.Add(operation.Operation))
            {
                _problems.Add($"There can be only one {operation.Operation.ToString().ToLowerInvariant()} type in schema.");
                continue;
            }
            var current = operation.Operation switch
            {
                OperationType.Query => QueryTypeName,
                OperationType.Mutation => MutationTypeName,
                _ => SubscriptionTypeName,
            };
            if (node.IsExtension && current is not null)
            {
                _problems.Add($"Type for {operation.Operation.ToString().ToLowerInvariant()} already defined in the schema. It cannot be redefined.");
                continue;
            }
            switch (operation.Operation)
            {
                case OperationType.Query:
                    QueryTypeName = name;
                    break;
                case OperationType.Mutation:
                    MutationTypeName = name;
                    break;
                default:
                    SubscriptionTypeName = name;
                    break;
            }
        }
    }

    internal bool SchemaDefined => _schemaDefined;

    internal void DeferExtension(TypeDefinitionNode extension) => _pendingExtensions.Add(extension);

    internal List<TypeDefinitionNode> TakeExtensions()
    {
        var pending = _pendingExtensions.ToList();
        _pendingExtensions.Clear();
        return pending;
    }

    internal DirectiveBuilder? FindDirective(string name) => _directives.Find(d => d.Name == name);

    internal DirectiveBuilder AddDirective(string name)
    {
        var directive = new DirectiveBuilder(name);
        _directives.Add(directive);
        return directive;
    }

    private FieldBuilder FindField(string typeName, string fieldName)
    {
        var field = _typesByName.GetValueOrDefault(typeName) switch
        {
            ObjectTypeBuilder o => o.FindField(fieldName),
            InterfaceTypeBuilder i => i.FindField(fieldName),
            null => throw new ArgumentException($"no type named {typeName}", nameof(typeName)),
            var other => throw new ArgumentException($"{typeName} is {other.Kind}, which has no fields", nameof(typeName)),
        };
        return field ?? throw new ArgumentException($"type {typeName} has no field \"{fieldName}\"", nameof(fieldName));
    }
}
