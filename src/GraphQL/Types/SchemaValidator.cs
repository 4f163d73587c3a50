namespace OneMap.GraphQL.Types;

/// <summary>The type system's validation rules (§3: type, field, argument, interface and input object rules).</summary>
internal static class SchemaValidator
{
    public static List<string> Validate(Schema schema)
    {
        var problems = new List<string>();
        foreach (var directive in schema.Directives.Where(d => !d.IsBuiltIn))
        {
            CheckName(directive.Name, $"Directive \"@{directive.Name}\"", problems);
            foreach (var argument in directive.Arguments)
            {
                CheckInputValue(argument, $"@{directive.Name}({argument.Name}:)", problems);
            }
        }
        foreach (var type in schema.Types.Where(t => !t.IsBuiltIn))
        {
            CheckName(type.Name, $"Type \"{type.Name}\"", problems);
            switch (type)
            {
                case ComplexType complex:
                    CheckFields(schema, complex, problems);
                    CheckInterfaces(schema, complex, problems);
                    break;
                case UnionType union:
                    if (union.Types.Count == 0)
                    {
                        problems.Add($"Union type {union.Name} must define one or more member types.");
                    }
                    foreach (var duplicate in union.Types.GroupBy(t => t).Where(g => g.Count() > 1))
                    {
                        problems.Add($"Union type {union.Name} can only include type {duplicate.Key.Name} once.");
                    }
                    break;
                case EnumType enumType:
                    if (enumType.Values.Count == 0)
                    {
                        problems.Add($"Enum type {enumType.Name} must define one or more values.");
                    }
                    break;
                case InputObjectType input:
                    CheckInputObject(input, problems);
                    break;
            }
        }
        CheckInputCycles(schema, problems);
        return problems;
    }

    private static void CheckName(string name, string what, List<string> problems)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            problems.Add($"{what} must not begin with \"__\", which is reserved by GraphQL introspection.");
        }
    }

    private static void CheckFields(Schema schema, ComplexType type, List<string> problems)
    {
        if (type.Fields.Count == 0)
        {
            problems.Add($"Type {type.Name} must define one or more fields.");
        }
        foreach (var field in type.Fields)
        {
            var owner = $"{type.Name}.{field.Name}";
            CheckName(field.Name, $"Field {owner}", problems);
            if (!field.Type.IsOutputType)
            {
                problems.Add($"The type of {owner} must be an output type but got: {field.Type}.");
            }
            foreach (var argument in field.Arguments)
            {
                CheckInputValue(argument, $"{owner}({argument.Name}:)", problems);
            }
            if (field.Subscriber is not null && type != schema.Subscription)
            {
                problems.Add($"Field {owner} has an event source but is not a field of the subscription root type.");
            }
        }
    }

    private static void CheckInputValue(InputValueDefinition value, string owner, List<string> problems)
    {
        CheckName(value.Name, $"Argument {owner}", problems);
        if (!value.Type.IsInputType)
        {
            problems.Add($"The type of {owner} must be an input type but got: {value.Type}.");
        }
        if (value.IsRequired && value.IsDeprecated)
        {
            problems.Add($"Required argument {owner} cannot be deprecated.");
        }
    }

    private static void CheckInterfaces(Schema schema, ComplexType type, List<string> problems)
    {
        foreach (var iface in type.Interfaces)
        {
            if (iface == type)
            {
                problems.Add($"Type {type.Name} cannot implement itself because it would create a circular reference.");
                continue;
            }
            // Transitive interfaces must be declared too (§3.7 "implements all interfaces of its interfaces").
            foreach (var transitive in iface.Interfaces)
            {
                if (!type.Interfaces.Contains(transitive))
                {
                    problems.Add(transitive == type
                        ? $"Type {type.Name} cannot implement {iface.Name} because it would create a circular reference."
                        : $"Type {type.Name} must implement {transitive.Name} because it is implemented by {iface.Name}.");
                }
            }
            foreach (var interfaceField in iface.Fields)
            {
                var field = type.GetField(interfaceField.Name);
                if (field is null)
                {
                    problems.Add($"Interface field {iface.Name}.{interfaceField.Name} expected but {type.Name} does not provide it.");
                    continue;
                }
                if (!IsSubTypeOf(schema, field.Type, interfaceField.Type))
                {
                    problems.Add($"Interface field {iface.Name}.{interfaceField.Name} expects type {interfaceField.Type} but {type.Name}.{field.Name} is type {field.Type}.");
                }
                foreach (var interfaceArgument in interfaceField.Arguments)
                {
                    var argument = field.GetArgument(interfaceArgument.Name);
                    if (argument is null)
                    {
                        problems.Add($"Interface field argument {iface.Name}.{interfaceField.Name}({interfaceArgument.Name}:) expected but {type.Name}.{field.Name} does not provide it.");
                    }
                    else if (!GraphQLType.AreEqual(argument.Type, interfaceArgument.Type))
                    {
                        problems.Add($"Interface field argument {iface.Name}.{interfaceField.Name}({interfaceArgument.Name}:) expects type {interfaceArgument.Type} but {type.Name}.{field.Name}({argument.Name}:) is type {argument.Type}.");
                    }
                }
                foreach (var argument in field.Arguments)
                {
                    if (interfaceField.GetArgument(argument.Name) is null && argument.IsRequired)
                    {
                        problems.Add($"Argument {type.Name}.{field.Name}({argument.Name}:) must not be required type {argument.Type} if not provided by the Interface field {iface.Name}.{interfaceField.Name}.");
                    }
                }
            }
        }
    }

    private static void CheckInputObject(InputObjectType input, List<string> problems)
    {
        if (input.Fields.Count == 0)
        {
            problems.Add($"Input Object type {input.Name} must define one or more fields.");
        }
        foreach (var field in input.Fields)
        {
            var owner = $"{input.Name}.{field.Name}";
            CheckName(field.Name, $"Input field {owner}", problems);
            if (!field.Type.IsInputType)
            {
                problems.Add($"The type of {owner} must be an input type but got: {field.Type}.");
            }
            if (field.IsRequired && field.IsDeprecated)
            {
                problems.Add($"Required input field {owner} cannot be deprecated.");
            }
            if (input.IsOneOf)
            {
                if (field.Type is NonNullType)
                {
                    problems.Add($"OneOf input field {owner} must be nullable.");
                }
                if (field.HasDefaultValue)
                {
                    problems.Add($"OneOf input field {owner} cannot have a default value.");
                }
            }
        }
    }

    /// <summary>An input object must not reach itself through non-null, non-list fields: no finite value would exist.</summary>
    private static void CheckInputCycles(Schema schema, List<string> problems)
    {
        var finished = new HashSet<InputObjectType>();
        foreach (var type in schema.Types.OfType<InputObjectType>())
        {
            var path = new List<string>();
            var onPath = new HashSet<InputObjectType>();
            Visit(type);

            void Visit(InputObjectType current)
            {
                if (finished.Contains(current))
                {
                    return;
                }
                onPath.Add(current);
                foreach (var field in current.Fields)
                {
                    if (field.Type is NonNullType { OfType: InputObjectType next })
                    {
                        path.Add(field.Name);
                        if (onPath.Contains(next))
                        {
                            problems.Add($"Cannot reference Input Object \"{next.Name}\" within itself through a series of non-null fields: \"{string.Join(".", path)}\".");
                        }
                        else
                        {
                            Visit(next);
                        }
                        path.RemoveAt(path.Count - 1);
                    }
                }
                onPath.Remove(current);
                finished.Add(current);
            }
        }
    }

    /// <summary>§3.6.1 IsValidImplementationFieldType / IsSubType for output types.</summary>
    internal static bool IsSubTypeOf(Schema schema, GraphQLType maybeSub, GraphQLType super)
    {
        if (super is NonNullType superNonNull)
        {
            return maybeSub is NonNullType subNonNull && IsSubTypeOf(schema, subNonNull.OfType, superNonNull.OfType);
        }
        if (maybeSub is NonNullType nonNull)
        {
            return IsSubTypeOf(schema, nonNull.OfType, super);
        }
        if (super is ListType superList)
        {
            return maybeSub is ListType subList && IsSubTypeOf(schema, subList.OfType, superList.OfType);
        }
        if (maybeSub is ListType)
        {
            return false;
        }
        return maybeSub == super || (super.IsAbstractType() && maybeSub is NamedType named && schema.IsSubType((NamedType)super, named));
    }
}
