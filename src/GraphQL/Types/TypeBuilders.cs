using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Protection;

namespace OneMap.GraphQL.Types;

/// <summary>What every type builder has: a name, a description, application metadata.</summary>
public abstract class TypeBuilder
{
    private protected TypeBuilder(string name, TypeKind kind)
    {
        if (!Lexer.IsValidName(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid GraphQL name (letters, digits and _, not starting with a digit)", nameof(name));
        }
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public TypeKind Kind { get; }

    internal string? DescriptionText { get; set; }

    internal Dictionary<string, object?> MetadataValues { get; } = new(StringComparer.Ordinal);

    internal TypeDefinitionNode? Syntax { get; set; }

    /// <summary>Where the builder was first defined (for duplicate-definition messages).</summary>
    internal bool Defined { get; set; }
}

/// <summary>Builds an object or interface type.</summary>
public abstract class ComplexTypeBuilder<TSelf> : TypeBuilder where TSelf : ComplexTypeBuilder<TSelf>
{
    private protected ComplexTypeBuilder(string name, TypeKind kind) : base(name, kind)
    {
    }

    internal List<FieldBuilder> FieldList { get; } = [];

    internal List<string> InterfaceNames { get; } = [];

    internal List<string> Problems { get; } = [];

    public TSelf Description(string? description)
    {
        DescriptionText = description;
        return (TSelf)this;
    }

    public TSelf Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return (TSelf)this;
    }

    /// <summary>Declares the interfaces this type implements (by name).</summary>
    public TSelf Implements(params string[] interfaceNames)
    {
        foreach (var name in interfaceNames)
        {
            if (!InterfaceNames.Contains(name))
            {
                InterfaceNames.Add(name);
            }
            else
            {
                Problems.Add($"Type {Name} can only implement {name} once.");
            }
        }
        return (TSelf)this;
    }

    /// <summary>
    /// Adds a field of type <paramref name="type"/> (a type reference such as <c>[Station!]!</c>), or redefines it.
    /// Without a resolver the field reads the parent's property, dictionary entry or JSON member of the same name.
    /// </summary>
    public TSelf Field(string name, string type, Action<FieldBuilder>? configure = null)
    {
        var field = FindField(name);
        if (field is null)
        {
            field = new FieldBuilder(this.Name, name);
            FieldList.Add(field);
        }
        field.Type(type);
        configure?.Invoke(field);
        return (TSelf)this;
    }

    /// <summary>Configures a field defined earlier (e.g. from SDL): attach a resolver, a cost hint, metadata.</summary>
    public TSelf Field(string name, Action<FieldBuilder> configure)
    {
        var field = FindField(name) ?? throw new ArgumentException($"{Name} has no field \"{name}\" yet; give its type to define it", nameof(name));
        configure(field);
        return (TSelf)this;
    }

    /// <summary>Adds a field with a synchronous resolver.</summary>
    public TSelf Field(string name, string type, Func<ResolveContext, object?> resolve, string? description = null) =>
        Field(name, type, f => f.Description(description).Resolve(resolve));

    /// <summary>The names of the fields defined so far, in order.</summary>
    public IReadOnlyList<string> FieldNames => FieldList.Select(f => f.Name).ToList();

    internal FieldBuilder? FindField(string name) => FieldList.Find(f => f.Name == name);

    internal FieldBuilder AddParsedField(FieldBuilder field)
    {
        if (FindField(field.Name) is not null)
        {
            Problems.Add($"Field \"{Name}.{field.Name}\" can only be defined once.");
        }
        else
        {
            FieldList.Add(field);
        }
        return field;
    }
}

/// <summary>Builds an object type.</summary>
public sealed class ObjectTypeBuilder : ComplexTypeBuilder<ObjectTypeBuilder>
{
    internal ObjectTypeBuilder(string name) : base(name, TypeKind.OBJECT)
    {
    }

    internal Type? ClrTypeValue { get; private set; }

    internal Func<object, bool>? IsTypeOfPredicate { get; private set; }

    /// <summary>Values of this CLR type (or a subclass) are of this GraphQL type when an abstract type is resolved.</summary>
    public ObjectTypeBuilder ClrType(Type type)
    {
        ClrTypeValue = type;
        return this;
    }

    /// <summary>Says whether a value belongs to this type, for interfaces and unions without a type resolver.</summary>
    public ObjectTypeBuilder IsTypeOf(Func<object, bool> predicate)
    {
        IsTypeOfPredicate = predicate;
        return this;
    }
}

/// <summary>Builds an interface type.</summary>
public sealed class InterfaceTypeBuilder : ComplexTypeBuilder<InterfaceTypeBuilder>
{
    internal InterfaceTypeBuilder(string name) : base(name, TypeKind.INTERFACE)
    {
    }

    internal TypeResolver? TypeResolverValue { get; private set; }

    /// <summary>Names the object type of a value; without one, <c>__typename</c>, CLR types and IsTypeOf decide.</summary>
    public InterfaceTypeBuilder ResolveType(TypeResolver resolver)
    {
        TypeResolverValue = resolver;
        return this;
    }
}

/// <summary>Builds a union type.</summary>
public sealed class UnionTypeBuilder : TypeBuilder
{
    internal UnionTypeBuilder(string name) : base(name, TypeKind.UNION)
    {
    }

    internal List<string> MemberNames { get; } = [];

    internal TypeResolver? TypeResolverValue { get; private set; }

    public UnionTypeBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    public UnionTypeBuilder Members(params string[] objectTypeNames)
    {
        MemberNames.AddRange(objectTypeNames);
        return this;
    }

    public UnionTypeBuilder ResolveType(TypeResolver resolver)
    {
        TypeResolverValue = resolver;
        return this;
    }

    public UnionTypeBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }
}

/// <summary>Builds an enum type.</summary>
public sealed class EnumTypeBuilder : TypeBuilder
{
    internal EnumTypeBuilder(string name) : base(name, TypeKind.ENUM)
    {
    }

    internal List<EnumValueBuilder> ValueList { get; } = [];

    internal List<string> Problems { get; } = [];

    public EnumTypeBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    /// <summary>Adds a value; <paramref name="value"/> is what resolvers return and arguments receive (default: the name).</summary>
    public EnumTypeBuilder Value(string name, object? value = null, Action<EnumValueBuilder>? configure = null)
    {
        if (ValueList.Exists(v => v.Name == name))
        {
            Problems.Add($"Enum value \"{Name}.{name}\" can only be defined once.");
            return this;
        }
        var builder = new EnumValueBuilder(name, value ?? name);
        configure?.Invoke(builder);
        ValueList.Add(builder);
        return this;
    }

    public EnumTypeBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }
}

/// <summary>Builds one enum value.</summary>
public sealed class EnumValueBuilder
{
    internal EnumValueBuilder(string name, object? value)
    {
        if (!Lexer.IsValidName(name) || name is "true" or "false" or "null")
        {
            throw new ArgumentException($"\"{name}\" cannot name an enum value", nameof(name));
        }
        Name = name;
        InternalValue = value;
    }

    public string Name { get; }

    internal object? InternalValue { get; }

    internal string? DescriptionText { get; private set; }

    internal string? DeprecationReason { get; private set; }

    internal Dictionary<string, object?> MetadataValues { get; } = new(StringComparer.Ordinal);

    public EnumValueBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    public EnumValueBuilder Deprecated(string reason = BuiltInDirectives.DefaultDeprecationReason)
    {
        DeprecationReason = reason;
        return this;
    }

    public EnumValueBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }
}

/// <summary>Builds an input object type.</summary>
public sealed class InputObjectTypeBuilder : TypeBuilder
{
    internal InputObjectTypeBuilder(string name) : base(name, TypeKind.INPUT_OBJECT)
    {
    }

    internal List<InputValueBuilder> FieldList { get; } = [];

    internal bool IsOneOfValue { get; private set; }

    internal List<string> Problems { get; } = [];

    public InputObjectTypeBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    public InputObjectTypeBuilder Field(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        if (FieldList.Exists(f => f.Name == name))
        {
            Problems.Add($"Input field \"{Name}.{name}\" can only be defined once.");
            return this;
        }
        var field = new InputValueBuilder(name, type);
        configure?.Invoke(field);
        FieldList.Add(field);
        return this;
    }

    /// <summary>Makes this a OneOf input object: a value must set exactly one field, to a non-null value.</summary>
    public InputObjectTypeBuilder OneOf(bool oneOf = true)
    {
        IsOneOfValue = oneOf;
        return this;
    }

    public InputObjectTypeBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }

    internal void AddParsed(InputValueBuilder field)
    {
        if (FieldList.Exists(f => f.Name == field.Name))
        {
            Problems.Add($"Input field \"{Name}.{field.Name}\" can only be defined once.");
            return;
        }
        FieldList.Add(field);
    }
}

/// <summary>Builds a custom scalar from delegates, or adopts a ready-made <see cref="ScalarType"/>.</summary>
public sealed class ScalarTypeBuilder : TypeBuilder
{
    internal ScalarTypeBuilder(string name, ScalarType? instance = null) : base(name, TypeKind.SCALAR)
    {
        Instance = instance;
        DescriptionText = instance?.Description;
        SpecifiedByValue = instance?.SpecifiedByUrl;
    }

    internal ScalarType? Instance { get; set; }

    internal Func<object, object?>? SerializeValue { get; private set; }

    internal Func<object, object?>? ParseValueValue { get; private set; }

    internal Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? ParseLiteralValue { get; private set; }

    internal string? SpecifiedByValue { get; private set; }

    public ScalarTypeBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    /// <summary>Result coercion: internal value to what the response carries. Throw <see cref="ValueCoercionException"/> to refuse.</summary>
    public ScalarTypeBuilder Serialize(Func<object, object?> serialize)
    {
        SerializeValue = serialize;
        return this;
    }

    /// <summary>Input coercion of a variable's JSON value. Throw <see cref="ValueCoercionException"/> to refuse.</summary>
    public ScalarTypeBuilder ParseValue(Func<object, object?> parse)
    {
        ParseValueValue = parse;
        return this;
    }

    /// <summary>Input coercion of a literal. Throw <see cref="ValueCoercionException"/> to refuse.</summary>
    public ScalarTypeBuilder ParseLiteral(Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?> parse)
    {
        ParseLiteralValue = parse;
        return this;
    }

    /// <summary>The URL of the scalar's specification (<c>@specifiedBy</c>).</summary>
    public ScalarTypeBuilder SpecifiedBy(string url)
    {
        SpecifiedByValue = url;
        return this;
    }

    /// <summary>Uses a ready-made scalar implementation (its coercions) under this builder's name.</summary>
    public ScalarTypeBuilder Use(ScalarType scalar)
    {
        Instance = scalar;
        return this;
    }
}

/// <summary>Builds a field: type, arguments, description, deprecation, resolver, cost, metadata.</summary>
public sealed class FieldBuilder
{
    internal FieldBuilder(string typeName, string name)
    {
        if (!Lexer.IsValidName(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid GraphQL field name", nameof(name));
        }
        TypeName = typeName;
        Name = name;
    }

    internal string TypeName { get; }

    public string Name { get; }

    internal TypeNode? TypeRef { get; private set; }

    internal string? DescriptionText { get; private set; }

    internal string? DeprecationReason { get; private set; }

    internal List<InputValueBuilder> ArgumentList { get; } = [];

    internal FieldResolver? ResolverValue { get; private set; }

    internal SubscriptionSource? SubscriberValue { get; private set; }

    internal CostHint? CostValue { get; private set; }

    internal Dictionary<string, object?> MetadataValues { get; } = new(StringComparer.Ordinal);

    internal FieldDefinitionNode? Syntax { get; set; }

    internal List<string> Problems { get; } = [];

    /// <summary>Sets the field's type from a type reference such as <c>[Station!]!</c>.</summary>
    public FieldBuilder Type(string type)
    {
        TypeRef = ParseTypeReference(type, $"{TypeName}.{Name}");
        return this;
    }

    internal FieldBuilder Type(TypeNode type)
    {
        TypeRef = type;
        return this;
    }

    public FieldBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    public FieldBuilder Deprecated(string reason = BuiltInDirectives.DefaultDeprecationReason)
    {
        DeprecationReason = reason;
        return this;
    }

    /// <summary>Adds an argument; <paramref name="configure"/> can set its default value, description, deprecation.</summary>
    public FieldBuilder Argument(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        if (ArgumentList.Exists(a => a.Name == name))
        {
            Problems.Add($"Argument \"{TypeName}.{Name}({name}:)\" can only be defined once.");
            return this;
        }
        var argument = new InputValueBuilder(name, type);
        configure?.Invoke(argument);
        ArgumentList.Add(argument);
        return this;
    }

    /// <summary>Adds an argument with a default value given as its internal value (e.g. <c>10</c>, <c>"asc"</c>).</summary>
    public FieldBuilder Argument(string name, string type, object? defaultValue, string? description = null) =>
        Argument(name, type, a => a.DefaultValue(defaultValue).Description(description));

    internal void AddParsedArgument(InputValueBuilder argument)
    {
        if (ArgumentList.Exists(a => a.Name == argument.Name))
        {
            Problems.Add($"Argument \"{TypeName}.{Name}({argument.Name}:)\" can only be defined once.");
            return;
        }
        ArgumentList.Add(argument);
    }

    /// <summary>The resolver: any synchronous or asynchronous code producing the field's value.</summary>
    public FieldBuilder Resolve(FieldResolver resolver)
    {
        ResolverValue = resolver;
        return this;
    }

    /// <summary>A synchronous resolver.</summary>
    public FieldBuilder Resolve(Func<ResolveContext, object?> resolve)
    {
        ResolverValue = context => new ValueTask<object?>(resolve(context));
        return this;
    }

    /// <summary>An asynchronous resolver returning a task.</summary>
    public FieldBuilder ResolveAsync<T>(Func<ResolveContext, Task<T>> resolve)
    {
        ResolverValue = async context => await resolve(context).ConfigureAwait(false);
        return this;
    }

    /// <summary>The event source of a subscription field; each event becomes the field's value (or the parent of <see cref="Resolve(FieldResolver)"/>).</summary>
    public FieldBuilder Subscribe(Func<ResolveContext, IAsyncEnumerable<object?>> subscribe)
    {
        SubscriberValue = context => new ValueTask<IAsyncEnumerable<object?>>(subscribe(context));
        return this;
    }

    public FieldBuilder Subscribe(SubscriptionSource subscribe)
    {
        SubscriberValue = subscribe;
        return this;
    }

    /// <summary>
    /// The field's cost: its own <paramref name="weight"/>, and for list fields the arguments (<c>first</c>,
    /// <c>limit</c>) whose value multiplies the cost of the selection below it.
    /// </summary>
    public FieldBuilder Cost(int weight, params string[] sizeArguments)
    {
        CostValue = new CostHint(weight, sizeArguments.Length > 0 ? sizeArguments : null, CostValue?.AssumedSize);
        return this;
    }

    public FieldBuilder Cost(CostHint hint)
    {
        CostValue = hint;
        return this;
    }

    public FieldBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }

    internal static TypeNode ParseTypeReference(string type, string owner)
    {
        try
        {
            return Parser.ParseType(type);
        }
        catch (GraphQLSyntaxException e)
        {
            throw new ArgumentException($"\"{type}\" is not a type reference (for {owner}): {e.Description}", nameof(type), e);
        }
    }
}

/// <summary>Builds an argument or input field.</summary>
public sealed class InputValueBuilder
{
    internal InputValueBuilder(string name, string type)
        : this(name, FieldBuilder.ParseTypeReference(type, name))
    {
    }

    internal InputValueBuilder(string name, TypeNode type)
    {
        if (!Lexer.IsValidName(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid GraphQL name", nameof(name));
        }
        Name = name;
        TypeRef = type;
    }

    public string Name { get; }

    internal TypeNode TypeRef { get; }

    internal string? DescriptionText { get; private set; }

    internal string? DeprecationReason { get; private set; }

    internal bool HasDefault { get; private set; }

    internal object? DefaultInternal { get; private set; }

    internal ValueNode? DefaultLiteral { get; private set; }

    internal Dictionary<string, object?> MetadataValues { get; } = new(StringComparer.Ordinal);

    internal InputValueDefinitionNode? Syntax { get; set; }

    public InputValueBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    /// <summary>The default as an internal value (what a resolver would receive), e.g. <c>10</c> or an enum's value.</summary>
    public InputValueBuilder DefaultValue(object? value)
    {
        HasDefault = true;
        DefaultInternal = value;
        DefaultLiteral = null;
        return this;
    }

    /// <summary>The default as a GraphQL literal, e.g. <c>{ name: "Fido" }</c>.</summary>
    public InputValueBuilder DefaultLiteralText(string literal)
    {
        HasDefault = true;
        DefaultLiteral = Parser.ParseValue(literal);
        DefaultInternal = null;
        return this;
    }

    internal InputValueBuilder DefaultLiteralNode(ValueNode literal)
    {
        HasDefault = true;
        DefaultLiteral = literal;
        return this;
    }

    public InputValueBuilder Deprecated(string reason = BuiltInDirectives.DefaultDeprecationReason)
    {
        DeprecationReason = reason;
        return this;
    }

    public InputValueBuilder Metadata(string key, object? value)
    {
        MetadataValues[key] = value;
        return this;
    }
}

/// <summary>Builds a custom directive definition.</summary>
public sealed class DirectiveBuilder
{
    internal DirectiveBuilder(string name)
    {
        if (!Lexer.IsValidName(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid GraphQL name", nameof(name));
        }
        Name = name;
    }

    public string Name { get; }

    internal string? DescriptionText { get; private set; }

    internal List<DirectiveLocation> LocationList { get; } = [];

    internal List<InputValueBuilder> ArgumentList { get; } = [];

    internal bool IsRepeatable { get; private set; }

    internal string? DeprecationReason { get; private set; }

    internal List<string> Problems { get; } = [];

    public DirectiveBuilder Deprecated(string reason = BuiltInDirectives.DefaultDeprecationReason)
    {
        DeprecationReason = reason;
        return this;
    }

    public DirectiveBuilder Description(string? description)
    {
        DescriptionText = description;
        return this;
    }

    public DirectiveBuilder Locations(params DirectiveLocation[] locations)
    {
        foreach (var location in locations)
        {
            if (LocationList.Contains(location))
            {
                Problems.Add($"Directive @{Name} lists location {location} twice.");
            }
            else
            {
                LocationList.Add(location);
            }
        }
        return this;
    }

    public DirectiveBuilder Argument(string name, string type, Action<InputValueBuilder>? configure = null)
    {
        var argument = new InputValueBuilder(name, type);
        configure?.Invoke(argument);
        AddArgument(argument);
        return this;
    }

    internal void AddArgument(InputValueBuilder argument)
    {
        if (ArgumentList.Exists(a => a.Name == argument.Name))
        {
            Problems.Add($"Argument \"@{Name}({argument.Name}:)\" can only be defined once.");
            return;
        }
        ArgumentList.Add(argument);
    }

    public DirectiveBuilder Repeatable(bool repeatable = true)
    {
        IsRepeatable = repeatable;
        return this;
    }
}
