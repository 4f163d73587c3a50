using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Introspection;

/// <summary>
/// The introspection system (§4): <c>__Schema</c>, <c>__Type</c>, <c>__Field</c>, <c>__InputValue</c>,
/// <c>__EnumValue</c>, <c>__Directive</c> and their enums, with the working draft's additions (<c>isOneOf</c>,
/// <c>specifiedByURL</c>, <c>isRepeatable</c>, deprecated arguments and input fields). Shared by every schema: they
/// read the schema of the request they run in, so a filtered schema introspects as filtered.
/// </summary>
public static class IntrospectionTypes
{
    private static readonly NonNullType NonNullString = new(Scalars.String);
    private static readonly NonNullType NonNullBoolean = new(Scalars.Boolean);

    static IntrospectionTypes()
    {
        TypeKindEnum = new EnumType("__TypeKind", "An enum describing what kind of type a given `__Type` is.") { IsBuiltIn = true };
        TypeKindEnum.Values = Enum.GetValues<TypeKind>().Select(k => new EnumValueDefinition(k.ToString(), k) { Description = TypeKindDescription(k) }).ToList();
        DirectiveLocationEnum = new EnumType("__DirectiveLocation", "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.") { IsBuiltIn = true };
        DirectiveLocationEnum.Values = Enum.GetValues<DirectiveLocation>().Select(l => new EnumValueDefinition(l.ToString(), l)
        {
            Description = LocationDescription(l),
        }).ToList();

        SchemaType = new ObjectType("__Schema", "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.") { IsBuiltIn = true };
        TypeType = new ObjectType("__Type", "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.") { IsBuiltIn = true };
        FieldType = new ObjectType("__Field", "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.") { IsBuiltIn = true };
        InputValueType = new ObjectType("__InputValue", "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.") { IsBuiltIn = true };
        EnumValueType = new ObjectType("__EnumValue", "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.") { IsBuiltIn = true };
        DirectiveType = new ObjectType("__Directive", "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.") { IsBuiltIn = true };

        var typeRef = new NonNullType(TypeType);
        SchemaType.Fields =
        [
            Field(SchemaType, "description", Scalars.String, c => ((Schema)c.Parent!).Description),
            Field(SchemaType, "types", List(TypeType), c => ((Schema)c.Parent!).Types, "A list of all types supported by this server."),
            Field(SchemaType, "queryType", typeRef, c => ((Schema)c.Parent!).Query, "The type that query operations will be rooted at."),
            Field(SchemaType, "mutationType", TypeType, c => ((Schema)c.Parent!).Mutation, "If this server supports mutation, the type that mutation operations will be rooted at."),
            Field(SchemaType, "subscriptionType", TypeType, c => ((Schema)c.Parent!).Subscription, "If this server support subscription, the type that subscription operations will be rooted at."),
            Field(SchemaType, "directives", List(DirectiveType), c => ((Schema)c.Parent!).Directives.Where(d => IncludeDeprecated(c) || !d.IsDeprecated).ToList(),
                "A list of all directives supported by this server.",
                [new InputValueDefinition("includeDeprecated", NonNullBoolean) { HasDefaultValue = true, DefaultValue = false, DefaultValueLiteral = new BooleanValueNode(false) }]),
        ];

        TypeType.Fields =
        [
            Field(TypeType, "kind", new NonNullType(TypeKindEnum), c => ((GraphQLType)c.Parent!).Kind),
            Field(TypeType, "name", Scalars.String, c => (c.Parent as NamedType)?.Name),
            Field(TypeType, "description", Scalars.String, c => (c.Parent as NamedType)?.Description),
            Field(TypeType, "specifiedByURL", Scalars.String, c => (c.Parent as ScalarType)?.SpecifiedByUrl),
            Field(TypeType, "fields", new ListType(new NonNullType(FieldType)), c => c.Parent is ComplexType complex
                ? complex.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToList()
                : null, arguments: [IncludeDeprecatedArgument()]),
            Field(TypeType, "interfaces", new ListType(typeRef), c => (c.Parent as ComplexType)?.Interfaces),
            Field(TypeType, "possibleTypes", new ListType(typeRef), c => c.Parent is InterfaceType or UnionType
                ? c.Request.Schema.GetPossibleTypes((NamedType)c.Parent)
                : null),
            Field(TypeType, "enumValues", new ListType(new NonNullType(EnumValueType)), c => c.Parent is EnumType enumType
                ? enumType.Values.Where(v => IncludeDeprecated(c) || !v.IsDeprecated).ToList()
                : null, arguments: [IncludeDeprecatedArgument()]),
            Field(TypeType, "inputFields", new ListType(new NonNullType(InputValueType)), c => c.Parent is InputObjectType input
                ? input.Fields.Where(f => IncludeDeprecated(c) || !f.IsDeprecated).ToList()
                : null, arguments: [IncludeDeprecatedArgument()]),
            Field(TypeType, "ofType", TypeType, c => c.Parent switch
            {
                ListType list => list.OfType,
                NonNullType nonNull => nonNull.OfType,
                _ => null,
            }),
            Field(TypeType, "isOneOf", Scalars.Boolean, c => c.Parent is InputObjectType input ? input.IsOneOf : null),
        ];

        FieldType.Fields =
        [
            Field(FieldType, "name", NonNullString, c => ((FieldDefinition)c.Parent!).Name),
            Field(FieldType, "description", Scalars.String, c => ((FieldDefinition)c.Parent!).Description),
            Field(FieldType, "args", List(InputValueType), c => ((FieldDefinition)c.Parent!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToList(),
                arguments: [IncludeDeprecatedArgument()]),
            Field(FieldType, "type", typeRef, c => ((FieldDefinition)c.Parent!).Type),
            Field(FieldType, "isDeprecated", NonNullBoolean, c => ((FieldDefinition)c.Parent!).IsDeprecated),
            Field(FieldType, "deprecationReason", Scalars.String, c => ((FieldDefinition)c.Parent!).DeprecationReason),
        ];

        InputValueType.Fields =
        [
            Field(InputValueType, "name", NonNullString, c => ((InputValueDefinition)c.Parent!).Name),
            Field(InputValueType, "description", Scalars.String, c => ((InputValueDefinition)c.Parent!).Description),
            Field(InputValueType, "type", typeRef, c => ((InputValueDefinition)c.Parent!).Type),
            Field(InputValueType, "defaultValue", Scalars.String, c => ((InputValueDefinition)c.Parent!).DefaultValueLiteral is { } literal ? Printer.Print(literal) : null,
                "A GraphQL-formatted string representing the default value for this input value."),
            Field(InputValueType, "isDeprecated", NonNullBoolean, c => ((InputValueDefinition)c.Parent!).IsDeprecated),
            Field(InputValueType, "deprecationReason", Scalars.String, c => ((InputValueDefinition)c.Parent!).DeprecationReason),
        ];

        EnumValueType.Fields =
        [
            Field(EnumValueType, "name", NonNullString, c => ((EnumValueDefinition)c.Parent!).Name),
            Field(EnumValueType, "description", Scalars.String, c => ((EnumValueDefinition)c.Parent!).Description),
            Field(EnumValueType, "isDeprecated", NonNullBoolean, c => ((EnumValueDefinition)c.Parent!).IsDeprecated),
            Field(EnumValueType, "deprecationReason", Scalars.String, c => ((EnumValueDefinition)c.Parent!).DeprecationReason),
        ];

        DirectiveType.Fields =
        [
            Field(DirectiveType, "name", NonNullString, c => ((DirectiveDefinition)c.Parent!).Name),
            Field(DirectiveType, "description", Scalars.String, c => ((DirectiveDefinition)c.Parent!).Description),
            Field(DirectiveType, "isRepeatable", NonNullBoolean, c => ((DirectiveDefinition)c.Parent!).IsRepeatable),
            Field(DirectiveType, "locations", new NonNullType(new ListType(new NonNullType(DirectiveLocationEnum))), c => ((DirectiveDefinition)c.Parent!).Locations),
            Field(DirectiveType, "args", List(InputValueType), c => ((DirectiveDefinition)c.Parent!).Arguments.Where(a => IncludeDeprecated(c) || !a.IsDeprecated).ToList(),
                arguments: [IncludeDeprecatedArgument()]),
            Field(DirectiveType, "isDeprecated", NonNullBoolean, c => ((DirectiveDefinition)c.Parent!).IsDeprecated),
            Field(DirectiveType, "deprecationReason", Scalars.String, c => ((DirectiveDefinition)c.Parent!).DeprecationReason),
        ];

        var metaOwner = SchemaType;
        SchemaField = Field(metaOwner, "__schema", new NonNullType(SchemaType), c => c.Request.Schema, "Access the current type schema of this server.");
        TypeField = Field(metaOwner, "__type", TypeType, c => c.Request.Schema.GetType((string)c.Arguments["name"]!), "Request the type information of a single type.",
            [new InputValueDefinition("name", NonNullString)]);
        TypeNameField = Field(metaOwner, "__typename", NonNullString, c => c.ParentType.Name, "The name of the current Object type at runtime.");

        All = [SchemaType, TypeType, TypeKindEnum, FieldType, InputValueType, EnumValueType, DirectiveType, DirectiveLocationEnum];
    }

    public static ObjectType SchemaType { get; }

    public static ObjectType TypeType { get; }

    public static ObjectType FieldType { get; }

    public static ObjectType InputValueType { get; }

    public static ObjectType EnumValueType { get; }

    public static ObjectType DirectiveType { get; }

    public static EnumType TypeKindEnum { get; }

    public static EnumType DirectiveLocationEnum { get; }

    /// <summary><c>__schema</c> on the query root.</summary>
    public static FieldDefinition SchemaField { get; }

    /// <summary><c>__type(name:)</c> on the query root.</summary>
    public static FieldDefinition TypeField { get; }

    /// <summary><c>__typename</c> on every composite type.</summary>
    public static FieldDefinition TypeNameField { get; }

    /// <summary>The introspection types, in the order schemas list them.</summary>
    public static IReadOnlyList<NamedType> All { get; }

    public static bool IsIntrospectionType(NamedType type) => type.Name.StartsWith("__", StringComparison.Ordinal);

    private static NonNullType List(NamedType item) => new(new ListType(new NonNullType(item)));

    private static bool IncludeDeprecated(ResolveContext context) => context.Arguments.TryGetValue("includeDeprecated", out var value) && value is true;

    private static InputValueDefinition IncludeDeprecatedArgument() => new("includeDeprecated", Scalars.Boolean)
    {
        HasDefaultValue = true,
        DefaultValue = false,
        DefaultValueLiteral = new BooleanValueNode(false),
    };

    private static FieldDefinition Field(ComplexType owner, string name, GraphQLType type, Func<ResolveContext, object?> resolve, string? description = null,
        IReadOnlyList<InputValueDefinition>? arguments = null) =>
        new(name, type)
        {
            Description = description,
            Resolver = context => new ValueTask<object?>(resolve(context)),
            Arguments = arguments ?? [],
            DeclaringType = owner,
        };

    private static string LocationDescription(DirectiveLocation location) => "Location adjacent to " + location switch
    {
        DirectiveLocation.QUERY => "a query operation.",
        DirectiveLocation.MUTATION => "a mutation operation.",
        DirectiveLocation.SUBSCRIPTION => "a subscription operation.",
        DirectiveLocation.FIELD => "a field.",
        DirectiveLocation.FRAGMENT_DEFINITION => "a fragment definition.",
        DirectiveLocation.FRAGMENT_SPREAD => "a fragment spread.",
        DirectiveLocation.INLINE_FRAGMENT => "an inline fragment.",
        DirectiveLocation.VARIABLE_DEFINITION => "a variable definition.",
        DirectiveLocation.SCHEMA => "a schema definition.",
        DirectiveLocation.SCALAR => "a scalar definition.",
        DirectiveLocation.OBJECT => "an object type definition.",
        DirectiveLocation.FIELD_DEFINITION => "a field definition.",
        DirectiveLocation.ARGUMENT_DEFINITION => "an argument definition.",
        DirectiveLocation.INTERFACE => "an interface definition.",
        DirectiveLocation.UNION => "a union definition.",
        DirectiveLocation.ENUM => "an enum definition.",
        DirectiveLocation.ENUM_VALUE => "an enum value definition.",
        DirectiveLocation.INPUT_OBJECT => "an input object type definition.",
        DirectiveLocation.INPUT_FIELD_DEFINITION => "an input object field definition.",
        _ => "a directive definition.",
    };

    private static string TypeKindDescription(TypeKind kind) => kind switch
    {
        TypeKind.SCALAR => "Indicates this type is a scalar.",
        TypeKind.OBJECT => "Indicates this type is an object. `fields` and `interfaces` are valid fields.",
        TypeKind.INTERFACE => "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields.",
        TypeKind.UNION => "Indicates this type is a union. `possibleTypes` is a valid field.",
        TypeKind.ENUM => "Indicates this type is an enum. `enumValues` is a valid field.",
        TypeKind.INPUT_OBJECT => "Indicates this type is an input object. `inputFields` is a valid field.",
        TypeKind.LIST => "Indicates this type is a list. `ofType` is a valid field.",
        _ => "Indicates this type is a non-null. `ofType` is a valid field.",
    };
}
