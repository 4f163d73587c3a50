using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation;

/// <summary>Walks a document depth-first, keeping <see cref="TypeInfo"/> current and calling each rule on each node.</summary>
internal sealed class DocumentWalker(ValidationContext context, IReadOnlyList<ValidationRule> rules)
{
    private readonly TypeInfo _typeInfo = context.TypeInfo;

    public void WalkDocument(DocumentNode document)
    {
        foreach (var rule in rules)
        {
            rule.EnterDocument(context, document);
        }
        foreach (var definition in document.Definitions)
        {
            if (context.Aborted)
            {
                return;
            }
            WalkDefinition(definition);
        }
        foreach (var rule in rules)
        {
            rule.LeaveDocument(context, document);
        }
    }

    public void WalkDefinition(DefinitionNode definition)
    {
        switch (definition)
        {
            case OperationDefinitionNode operation:
                _typeInfo.EnterOperation(operation);
                foreach (var rule in rules)
                {
                    rule.EnterOperation(context, operation);
                }
                foreach (var variable in operation.VariableDefinitions)
                {
                    WalkVariableDefinition(variable);
                }
                WalkDirectives(operation.Directives, operation.Operation switch
                {
                    OperationType.Query => DirectiveLocation.QUERY,
                    OperationType.Mutation => DirectiveLocation.MUTATION,
                    _ => DirectiveLocation.SUBSCRIPTION,
                });
                WalkSelectionSet(operation.SelectionSet);
                foreach (var rule in rules)
                {
                    rule.LeaveOperation(context, operation);
                }
                _typeInfo.LeaveTypeScope();
                break;
            case FragmentDefinitionNode fragment:
                _typeInfo.EnterTypeCondition(fragment.TypeCondition);
                foreach (var rule in rules)
                {
                    rule.EnterFragmentDefinition(context, fragment);
                }
                WalkNamedType(fragment.TypeCondition);
                WalkDirectives(fragment.Directives, DirectiveLocation.FRAGMENT_DEFINITION);
                WalkSelectionSet(fragment.SelectionSet);
                foreach (var rule in rules)
                {
                    rule.LeaveFragmentDefinition(context, fragment);
                }
                _typeInfo.LeaveTypeScope();
                break;
            default:
                foreach (var rule in rules)
                {
                    rule.EnterTypeSystemDefinition(context, definition);
                }
                // Type system definitions make a request invalid already, but rules that apply to any directive,
                // type reference or value still report on them, as the reference implementation does.
                context.InTypeSystemDefinition = true;
                WalkTypeSystemDefinition(definition);
                context.InTypeSystemDefinition = false;
                break;
        }
    }

    private void WalkTypeSystemDefinition(DefinitionNode definition)
    {
        switch (definition)
        {
            case SchemaDefinitionNode schema:
                WalkDirectives(schema.Directives, DirectiveLocation.SCHEMA, definition);
                foreach (var operation in schema.OperationTypes)
                {
                    WalkNamedType(operation.Type);
                }
                break;
            case ScalarTypeDefinitionNode scalar:
                WalkDirectives(scalar.Directives, DirectiveLocation.SCALAR, definition);
                break;
            case ObjectTypeDefinitionNode obj:
                obj.Interfaces.ToList().ForEach(WalkNamedType);
                WalkDirectives(obj.Directives, DirectiveLocation.OBJECT, definition);
                obj.Fields.ToList().ForEach(WalkFieldDefinition);
                break;
            case InterfaceTypeDefinitionNode iface:
                iface.Interfaces.ToList().ForEach(WalkNamedType);
                WalkDirectives(iface.Directives, DirectiveLocation.INTERFACE, definition);
                iface.Fields.ToList().ForEach(WalkFieldDefinition);
                break;
            case UnionTypeDefinitionNode union:
                WalkDirectives(union.Directives, DirectiveLocation.UNION, definition);
                union.Types.ToList().ForEach(WalkNamedType);
                break;
            case EnumTypeDefinitionNode enumType:
                WalkDirectives(enumType.Directives, DirectiveLocation.ENUM, definition);
                foreach (var value in enumType.Values)
                {
                    WalkDirectives(value.Directives, DirectiveLocation.ENUM_VALUE, value);
                }
                break;
            case InputObjectTypeDefinitionNode input:
                WalkDirectives(input.Directives, DirectiveLocation.INPUT_OBJECT, definition);
                foreach (var field in input.Fields)
                {
                    WalkInputValueDefinition(field, DirectiveLocation.INPUT_FIELD_DEFINITION);
                }
                break;
            case DirectiveDefinitionNode directive:
                foreach (var argument in directive.Arguments)
                {
                    WalkInputValueDefinition(argument, DirectiveLocation.ARGUMENT_DEFINITION);
                }
                WalkDirectives(directive.Directives, DirectiveLocation.DIRECTIVE_DEFINITION, directive);
                break;
        }
    }

    private void WalkFieldDefinition(FieldDefinitionNode field)
    {
        foreach (var argument in field.Arguments)
        {
            WalkInputValueDefinition(argument, DirectiveLocation.ARGUMENT_DEFINITION);
        }
        WalkTypeReference(field.Type);
        WalkDirectives(field.Directives, DirectiveLocation.FIELD_DEFINITION, field);
    }

    private void WalkInputValueDefinition(InputValueDefinitionNode value, DirectiveLocation location)
    {
        WalkTypeReference(value.Type);
        if (value.DefaultValue is not null)
        {
            // The reference implementation does not know the input type of a definition's default value here.
            _typeInfo.EnterUntypedValue();
            WalkValue(value.DefaultValue);
            _typeInfo.LeaveInputScope();
        }
        WalkDirectives(value.Directives, location, value);
    }

    private void WalkVariableDefinition(VariableDefinitionNode node)
    {
        _typeInfo.EnterVariableDefinition(node);
        foreach (var rule in rules)
        {
            rule.EnterVariableDefinition(context, node);
        }
        WalkValue(node.Variable);
        WalkTypeReference(node.Type);
        if (node.DefaultValue is not null)
        {
            WalkValue(node.DefaultValue);
        }
        WalkDirectives(node.Directives, DirectiveLocation.VARIABLE_DEFINITION);
        foreach (var rule in rules)
        {
            rule.LeaveVariableDefinition(context, node);
        }
        _typeInfo.LeaveInputScope();
    }

    private void WalkTypeReference(TypeNode node)
    {
        if (node is NamedTypeNode named)
        {
            WalkNamedType(named);
        }
        else
        {
            WalkTypeReference(node is ListTypeNode list ? list.Type : ((NonNullTypeNode)node).Type);
        }
    }

    private void WalkNamedType(NamedTypeNode node)
    {
        foreach (var rule in rules)
        {
            rule.EnterNamedType(context, node);
        }
    }

    private void WalkSelectionSet(SelectionSetNode node)
    {
        _typeInfo.EnterSelectionSet();
        foreach (var rule in rules)
        {
            rule.EnterSelectionSet(context, node);
        }
        foreach (var selection in node.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    WalkField(field);
                    break;
                case FragmentSpreadNode spread:
                    foreach (var rule in rules)
                    {
                        rule.EnterFragmentSpread(context, spread);
                    }
                    WalkDirectives(spread.Directives, DirectiveLocation.FRAGMENT_SPREAD);
                    break;
                case InlineFragmentNode inline:
                    _typeInfo.EnterTypeCondition(inline.TypeCondition);
                    foreach (var rule in rules)
                    {
                        rule.EnterInlineFragment(context, inline);
                    }
                    if (inline.TypeCondition is not null)
                    {
                        WalkNamedType(inline.TypeCondition);
                    }
                    WalkDirectives(inline.Directives, DirectiveLocation.INLINE_FRAGMENT);
                    WalkSelectionSet(inline.SelectionSet);
                    foreach (var rule in rules)
                    {
                        rule.LeaveInlineFragment(context, inline);
                    }
                    _typeInfo.LeaveTypeScope();
                    break;
            }
        }
        foreach (var rule in rules)
        {
            rule.LeaveSelectionSet(context, node);
        }
        _typeInfo.LeaveSelectionSet();
    }

    private void WalkField(FieldNode node)
    {
        _typeInfo.EnterField(node);
        foreach (var rule in rules)
        {
            rule.EnterField(context, node);
        }
        WalkArguments(node.Arguments);
        WalkDirectives(node.Directives, DirectiveLocation.FIELD);
        if (node.SelectionSet is not null)
        {
            WalkSelectionSet(node.SelectionSet);
        }
        foreach (var rule in rules)
        {
            rule.LeaveField(context, node);
        }
        _typeInfo.LeaveField();
    }

    private void WalkDirectives(IReadOnlyList<DirectiveNode> directives, DirectiveLocation location, SyntaxNode? owner = null)
    {
        if (directives.Count > 0)
        {
            foreach (var rule in rules)
            {
                rule.EnterDirectives(context, directives, owner);
            }
        }
        foreach (var directive in directives)
        {
            _typeInfo.EnterDirective(directive);
            foreach (var rule in rules)
            {
                rule.EnterDirective(context, directive, location);
            }
            WalkArguments(directive.Arguments);
            _typeInfo.LeaveDirective();
        }
    }

    private void WalkArguments(IReadOnlyList<ArgumentNode> arguments)
    {
        foreach (var argument in arguments)
        {
            _typeInfo.EnterArgument(argument);
            foreach (var rule in rules)
            {
                rule.EnterArgument(context, argument);
            }
            WalkValue(argument.Value);
            foreach (var rule in rules)
            {
                rule.LeaveArgument(context, argument);
            }
            _typeInfo.LeaveArgument();
        }
    }

    private void WalkValue(ValueNode value)
    {
        foreach (var rule in rules)
        {
            rule.EnterValue(context, value);
        }
        switch (value)
        {
            case ListValueNode list:
                _typeInfo.EnterListValue();
                foreach (var item in list.Values)
                {
                    WalkValue(item);
                }
                _typeInfo.LeaveListValue();
                break;
            case ObjectValueNode obj:
                foreach (var field in obj.Fields)
                {
                    _typeInfo.EnterObjectField(field);
                    foreach (var rule in rules)
                    {
                        rule.EnterObjectField(context, field);
                    }
                    WalkValue(field.Value);
                    _typeInfo.LeaveObjectField();
                }
                break;
        }
        foreach (var rule in rules)
        {
            rule.LeaveValue(context, value);
        }
    }
}
