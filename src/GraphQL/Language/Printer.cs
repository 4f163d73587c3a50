using System.Text;

namespace OneMap.GraphQL.Language;

/// <summary>Prints syntax nodes back to GraphQL text in a canonical layout (two-space indents, one field per line).</summary>
public static class Printer
{
    public static string Print(SyntaxNode node)
    {
        var output = new StringBuilder();
        Write(output, node, 0);
        return output.ToString();
    }

    /// <summary>A string literal with the characters the grammar forbids (controls, quote, backslash) escaped.</summary>
    public static string PrintString(string value)
    {
        var output = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20 || c is >= '\u007F' and <= '\u009F')
                    {
                        output.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }
                    break;
            }
        }
        return output.Append('"').ToString();
    }

    private static void Write(StringBuilder o, SyntaxNode node, int indent)
    {
        switch (node)
        {
            case DocumentNode document:
                for (var i = 0; i < document.Definitions.Count; i++)
                {
                    if (i > 0)
                    {
                        o.Append("\n\n");
                    }
                    Write(o, document.Definitions[i], indent);
                }
                break;
            case OperationDefinitionNode operation:
                WriteDescription(o, operation.Description, "\n");
                var anonymousQuery = operation.Operation == OperationType.Query && operation.Name is null
                    && operation.VariableDefinitions.Count == 0 && operation.Directives.Count == 0;
                if (!anonymousQuery)
                {
                    o.Append(operation.Operation.ToString().ToLowerInvariant());
                    if (operation.Name is not null)
                    {
                        o.Append(' ').Append(operation.Name.Value);
                    }
                    if (operation.VariableDefinitions.Count > 0)
                    {
                        o.Append('(');
                        WriteJoined(o, operation.VariableDefinitions, ", ", indent);
                        o.Append(')');
                    }
                    WriteDirectives(o, operation.Directives, indent);
                    o.Append(' ');
                }
                Write(o, operation.SelectionSet, indent);
                break;
            case VariableDefinitionNode variable:
                WriteDescription(o, variable.Description, " ");
                o.Append('$').Append(variable.Variable.Name.Value).Append(": ");
                Write(o, variable.Type, indent);
                if (variable.DefaultValue is not null)
                {
                    o.Append(" = ");
                    Write(o, variable.DefaultValue, indent);
                }
                WriteDirectives(o, variable.Directives, indent);
                break;
            case FragmentDefinitionNode fragment:
                WriteDescription(o, fragment.Description, "\n");
                o.Append("fragment ").Append(fragment.Name.Value).Append(" on ").Append(fragment.TypeCondition.Name.Value);
                WriteDirectives(o, fragment.Directives, indent);
                o.Append(' ');
                Write(o, fragment.SelectionSet, indent);
                break;
            case SelectionSetNode selectionSet:
                o.Append("{\n");
                foreach (var selection in selectionSet.Selections)
                {
                    o.Append(' ', (indent + 1) * 2);
                    Write(o, selection, indent + 1);
                    o.Append('\n');
                }
                o.Append(' ', indent * 2).Append('}');
                break;
            case FieldNode field:
                if (field.Alias is not null)
                {
                    o.Append(field.Alias.Value).Append(": ");
                }
                o.Append(field.Name.Value);
                WriteArguments(o, field.Arguments, indent);
                WriteDirectives(o, field.Directives, indent);
                if (field.SelectionSet is not null)
                {
                    o.Append(' ');
                    Write(o, field.SelectionSet, indent);
                }
                break;
            case FragmentSpreadNode spread:
                o.Append("...").Append(spread.Name.Value);
                WriteDirectives(o, spread.Directives, indent);
                break;
            case InlineFragmentNode inline:
                o.Append("...");
                if (inline.TypeCondition is not null)
                {
                    o.Append(" on ").Append(inline.TypeCondition.Name.Value);
                }
                WriteDirectives(o, inline.Directives, indent);
                o.Append(' ');
                Write(o, inline.SelectionSet, indent);
                break;
            case ArgumentNode argument:
                o.Append(argument.Name.Value).Append(": ");
                Write(o, argument.Value, indent);
                break;
            case DirectiveNode directive:
                o.Append('@').Append(directive.Name.Value);
                WriteArguments(o, directive.Arguments, indent);
                break;
            case VariableNode variableRef:
                o.Append('$').Append(variableRef.Name.Value);
                break;
            case IntValueNode intValue:
                o.Append(intValue.Value);
                break;
            case FloatValueNode floatValue:
                o.Append(floatValue.Value);
                break;
            case StringValueNode stringValue:
                o.Append(stringValue.Block ? BlockStrings.Print(stringValue.Value) : PrintString(stringValue.Value));
                break;
            case BooleanValueNode booleanValue:
                o.Append(booleanValue.Value ? "true" : "false");
                break;
            case NullValueNode:
                o.Append("null");
                break;
            case EnumValueNode enumValue:
                o.Append(enumValue.Value);
                break;
            case ListValueNode list:
                o.Append('[');
                WriteJoined(o, list.Values, ", ", indent);
                o.Append(']');
                break;
            case ObjectValueNode obj:
                o.Append('{');
                WriteJoined(o, obj.Fields, ", ", indent);
                o.Append('}');
                break;
            case ObjectFieldNode objectField:
                o.Append(objectField.Name.Value).Append(": ");
                Write(o, objectField.Value, indent);
                break;
            case NamedTypeNode named:
                o.Append(named.Name.Value);
                break;
            case ListTypeNode listType:
                o.Append('[');
                Write(o, listType.Type, indent);
                o.Append(']');
                break;
            case NonNullTypeNode nonNull:
                Write(o, nonNull.Type, indent);
                o.Append('!');
                break;
            case NameNode name:
                o.Append(name.Value);
                break;
            default:
                // Type system definitions print through the schema printer; a bare node prints as its kind.
                o.Append("# ").Append(node.GetType().Name);
                break;
        }
    }

    private static void WriteDescription(StringBuilder o, StringValueNode? description, string separator)
    {
        if (description is not null)
        {
            o.Append(description.Block ? BlockStrings.Print(description.Value) : PrintString(description.Value)).Append(separator);
        }
    }

    private static void WriteArguments(StringBuilder o, IReadOnlyList<ArgumentNode> arguments, int indent)
    {
        if (arguments.Count == 0)
        {
            return;
        }
        o.Append('(');
        WriteJoined(o, arguments, ", ", indent);
        o.Append(')');
    }

    private static void WriteDirectives(StringBuilder o, IReadOnlyList<DirectiveNode> directives, int indent)
    {
        foreach (var directive in directives)
        {
            o.Append(' ');
            Write(o, directive, indent);
        }
    }

    private static void WriteJoined<T>(StringBuilder o, IReadOnlyList<T> nodes, string separator, int indent) where T : SyntaxNode
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                o.Append(separator);
            }
            Write(o, nodes[i], indent);
        }
    }
}
