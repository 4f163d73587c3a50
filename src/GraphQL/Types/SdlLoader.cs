using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>Reads type system definitions and extensions (§3) into a <see cref="SchemaBuilder"/>.</summary>
internal static class SdlLoader
{
    public static void Load(SchemaBuilder builder, DocumentNode document)
    {
        // Directives first: a type may use a directive defined further down the document.
        foreach (var directive in document.Definitions.OfType<DirectiveDefinitionNode>())
        {
            DefineDirective(builder, directive);
        }
        foreach (var directive in document.Definitions.OfType<DirectiveDefinitionNode>())
        {
            CheckDirectives(builder, directive.Directives, DirectiveLocation.DIRECTIVE_DEFINITION, "@" + directive.Name.Value);
        }
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case SchemaDefinitionNode schema:
                    CheckDirectives(builder, schema.Directives, DirectiveLocation.SCHEMA, "schema");
                    builder.DefineSchema(schema);
                    break;
                case TypeDefinitionNode { IsExtension: true } extension:
                    builder.DeferExtension(extension);
                    break;
                case TypeDefinitionNode type:
                    Define(builder, type);
                    break;
                case ExecutableDefinitionNode executable:
                    builder.AddProblem($"A schema document cannot contain operations or fragments ({executable.Name?.Value ?? "anonymous operation"}).");
                    break;
            }
        }
        foreach (var extension in builder.TakeExtensions())
        {
            Extend(builder, extension);
        }
    }

    private static void Define(SchemaBuilder builder, TypeDefinitionNode node)
    {
        var name = node.Name.Value;
        if (Scalars.IsBuiltIn(name) || name.StartsWith("__", StringComparison.Ordinal))
        {
            builder.AddProblem($"Type \"{name}\" is built in and cannot be redefined.");
            return;
        }
        var existing = builder.GetTypeBuilder(name);
        if (existing is { Defined: true })
        {
            builder.AddProblem($"There can be only one type named \"{name}\".");
            return;
        }
        if (existing is not null && existing.Kind != KindOf(node))
        {
            builder.AddProblem($"Type \"{name}\" is defined as {existing.Kind} and as {KindOf(node)}.");
            return;
        }
        var type = Create(builder, node);
        type.Defined = true;
        type.Syntax = node;
        type.DescriptionText = node.Description?.Value ?? type.DescriptionText;
        Fill(builder, type, node);
    }

    private static void Extend(SchemaBuilder builder, TypeDefinitionNode node)
    {
        var name = node.Name.Value;
        var existing = builder.GetTypeBuilder(name);
        if (existing is null)
        {
            builder.AddProblem($"Cannot extend type \"{name}\" because it is not defined.");
            return;
        }
        if (existing.Kind != KindOf(node))
        {
            builder.AddProblem($"Cannot extend non-{KindOf(node)} type \"{name}\" (it is {existing.Kind}).");
            return;
        }
        Fill(builder, existing, node);
    }

    private static TypeKind KindOf(TypeDefinitionNode node) => node switch
    {
        ScalarTypeDefinitionNode => TypeKind.SCALAR,
        ObjectTypeDefinitionNode => TypeKind.OBJECT,
        InterfaceTypeDefinitionNode => TypeKind.INTERFACE,
        UnionTypeDefinitionNode => TypeKind.UNION,
        EnumTypeDefinitionNode => TypeKind.ENUM,
        _ => TypeKind.INPUT_OBJECT,
    };

    private static TypeBuilder Create(SchemaBuilder builder, TypeDefinitionNode node)
    {
        var name = node.Name.Value;
        return node switch
        {
            ScalarTypeDefinitionNode => builder.GetOrAdd(name, n => new ScalarTypeBuilder(n)),
            ObjectTypeDefinitionNode => builder.GetOrAdd(name, n => new ObjectTypeBuilder(n)),
            InterfaceTypeDefinitionNode => builder.GetOrAdd(name, n => new InterfaceTypeBuilder(n)),
            UnionTypeDefinitionNode => builder.GetOrAdd(name, n => new UnionTypeBuilder(n)),
            EnumTypeDefinitionNode => builder.GetOrAdd(name, n => new EnumTypeBuilder(n)),
            _ => (TypeBuilder)builder.GetOrAdd(name, n => new InputObjectTypeBuilder(n)),
        };
    }

    private static void Fill(SchemaBuilder builder, TypeBuilder type, TypeDefinitionNode node)
    {
        switch (node)
        {
            case ScalarTypeDefinitionNode scalarNode:
                CheckDirectives(builder, scalarNode.Directives, DirectiveLocation.SCALAR, type.Name);
                if (FindDirective(scalarNode.Directives, "specifiedBy") is { } specifiedBy
                    && specifiedBy.Arguments.FirstOrDefault(a => a.Name.Value == "url")?.Value is StringValueNode url)
                {
                    ((ScalarTypeBuilder)type).SpecifiedBy(url.Value);
                }
                break;
            case ObjectTypeDefinitionNode objectNode:
                CheckDirectives(builder, objectNode.Directives, DirectiveLocation.OBJECT, type.Name);
                var obj = (ObjectTypeBuilder)type;
                obj.Implements([.. objectNode.Interfaces.Select(i => i.Name.Value)]);
                foreach (var field in objectNode.Fields)
                {
                    obj.AddParsedField(ToField(builder, type.Name, field));
                }
                break;
            case InterfaceTypeDefinitionNode interfaceNode:
                CheckDirectives(builder, interfaceNode.Directives, DirectiveLocation.INTERFACE, type.Name);
                var iface = (InterfaceTypeBuilder)type;
                iface.Implements([.. interfaceNode.Interfaces.Select(i => i.Name.Value)]);
                foreach (var field in interfaceNode.Fields)
                {
                    iface.AddParsedField(ToField(builder, type.Name, field));
                }
                break;
            case UnionTypeDefinitionNode unionNode:
                CheckDirectives(builder, unionNode.Directives, DirectiveLocation.UNION, type.Name);
                var union = (UnionTypeBuilder)type;
                foreach (var member in unionNode.Types)
                {
                    if (union.MemberNames.Contains(member.Name.Value))
                    {
                        builder.AddProblem($"Union type {type.Name} can only include type {member.Name.Value} once.");
                    }
                    else
                    {
                        union.Members(member.Name.Value);
                    }
                }
                break;
            case EnumTypeDefinitionNode enumNode:
                CheckDirectives(builder, enumNode.Directives, DirectiveLocation.ENUM, type.Name);
                var enumBuilder = (EnumTypeBuilder)type;
                foreach (var value in enumNode.Values)
                {
                    CheckDirectives(builder, value.Directives, DirectiveLocation.ENUM_VALUE, $"{type.Name}.{value.Name.Value}");
                    var reason = DeprecationReason(value.Directives);
                    enumBuilder.Value(value.Name.Value, value.Name.Value, v =>
                    {
                        v.Description(value.Description?.Value);
                        if (reason is not null)
                        {
                            v.Deprecated(reason);
                        }
                    });
                }
                break;
            case InputObjectTypeDefinitionNode inputNode:
                CheckDirectives(builder, inputNode.Directives, DirectiveLocation.INPUT_OBJECT, type.Name);
                var input = (InputObjectTypeBuilder)type;
                if (FindDirective(inputNode.Directives, "oneOf") is not null)
                {
                    input.OneOf();
                }
                foreach (var field in inputNode.Fields)
                {
                    input.AddParsed(ToInputValue(builder, $"{type.Name}.{field.Name.Value}", field, DirectiveLocation.INPUT_FIELD_DEFINITION));
                }
                break;
        }
    }

    private static FieldBuilder ToField(SchemaBuilder builder, string typeName, FieldDefinitionNode node)
    {
        var field = new FieldBuilder(typeName, node.Name.Value) { Syntax = node };
        field.Type(node.Type).Description(node.Description?.Value);
        CheckDirectives(builder, node.Directives, DirectiveLocation.FIELD_DEFINITION, $"{typeName}.{node.Name.Value}");
        if (DeprecationReason(node.Directives) is { } reason)
        {
            field.Deprecated(reason);
        }
        foreach (var argument in node.Arguments)
        {
            field.AddParsedArgument(ToInputValue(builder, $"{typeName}.{node.Name.Value}({argument.Name.Value}:)", argument, DirectiveLocation.ARGUMENT_DEFINITION));
        }
        foreach (var problem in field.Problems)
        {
            builder.AddProblem(problem);
        }
        field.Problems.Clear();
        return field;
    }

    private static InputValueBuilder ToInputValue(SchemaBuilder builder, string owner, InputValueDefinitionNode node, DirectiveLocation location)
    {
        var value = new InputValueBuilder(node.Name.Value, node.Type) { Syntax = node };
        value.Description(node.Description?.Value);
        CheckDirectives(builder, node.Directives, location, owner);
        if (node.DefaultValue is not null)
        {
            value.DefaultLiteralNode(node.DefaultValue);
        }
        if (DeprecationReason(node.Directives) is { } reason)
        {
            value.Deprecated(reason);
        }
        return value;
    }

    private static void DefineDirective(SchemaBuilder builder, DirectiveDefinitionNode node)
    {
        var name = node.Name.Value;
        if (BuiltInDirectives.IsBuiltIn(name))
        {
            builder.AddProblem($"Directive \"@{name}\" already exists in the schema. It cannot be redefined.");
            return;
        }
        if (builder.FindDirective(name) is not null)
        {
            builder.AddProblem($"There can be only one directive named \"@{name}\".");
            return;
        }
        var directive = builder.AddDirective(name);
        directive.Description(node.Description?.Value).Repeatable(node.Repeatable);
        if (DeprecationReason(node.Directives) is { } reason)
        {
            directive.Deprecated(reason);
        }
        foreach (var location in node.Locations)
        {
            if (DirectiveLocations.TryParse(location.Value, out var parsed))
            {
                directive.Locations(parsed);
            }
        }
        foreach (var argument in node.Arguments)
        {
            directive.AddArgument(ToInputValue(builder, $"@{name}({argument.Name.Value}:)", argument, DirectiveLocation.ARGUMENT_DEFINITION));
        }
    }

    private static DirectiveNode? FindDirective(IReadOnlyList<DirectiveNode> directives, string name) =>
        directives.FirstOrDefault(d => d.Name.Value == name);

    private static string? DeprecationReason(IReadOnlyList<DirectiveNode> directives)
    {
        var deprecated = FindDirective(directives, "deprecated");
        if (deprecated is null)
        {
            return null;
        }
        var reason = deprecated.Arguments.FirstOrDefault(a => a.Name.Value == "reason")?.Value;
        return reason is StringValueNode text ? text.Value : BuiltInDirectives.DefaultDeprecationReason;
    }

    /// <summary>Applied directives must exist, be allowed where they stand, and not repeat unless repeatable.</summary>
    private static void CheckDirectives(SchemaBuilder builder, IReadOnlyList<DirectiveNode> directives, DirectiveLocation location, string owner)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            var builtIn = BuiltInDirectives.All.FirstOrDefault(d => d.Name == name);
            var custom = builder.FindDirective(name);
            IReadOnlyList<DirectiveLocation>? locations = builtIn?.Locations ?? custom?.LocationList;
            var repeatable = builtIn?.IsRepeatable ?? custom?.IsRepeatable ?? false;
            if (locations is null)
            {
                // Custom directives may be defined after their use; unknown ones are reported at build.
                builder.AddProblem($"Unknown directive \"@{name}\" on {owner}.");
                continue;
            }
            if (!locations.Contains(location))
            {
                builder.AddProblem($"Directive \"@{name}\" may not be used on {location} ({owner}).");
            }
            if (!repeatable && !seen.Add(name))
            {
                builder.AddProblem($"The directive \"@{name}\" can only be used once at this location ({owner}).");
            }
        }
    }
}
