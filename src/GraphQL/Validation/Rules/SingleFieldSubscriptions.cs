using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// §5.2.3.1 Single Root Field: a subscription selects exactly one root field, not an introspection field.
/// Literal <c>@skip</c>/<c>@include</c> conditions apply; ones that depend on variables count the field as selected,
/// since any variables may be given at run time.
/// </summary>
public sealed class SingleFieldSubscriptions : ValidationRule
{
    public override string Name => "SingleFieldSubscriptions";

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node)
    {
        if (node.Operation != OperationType.Subscription || context.Schema.Subscription is not { } subscriptionType)
        {
            return;
        }
        var grouped = new List<(string Key, List<FieldNode> Nodes)>();
        Collect(context, subscriptionType, node.SelectionSet, grouped, new HashSet<string>(StringComparer.Ordinal));
        var operation = node.Name is null ? "An anonymous subscription" : $"Subscription \"{node.Name.Value}\"";
        if (grouped.Count > 1)
        {
            context.ReportError(this, $"{operation} must select exactly one top level field.", grouped.Skip(1).SelectMany(g => g.Nodes));
        }
        foreach (var (_, nodes) in grouped)
        {
            if (nodes[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
            {
                context.ReportError(this, $"{operation} must not select an introspection field at the top level.", nodes);
            }
        }
    }

    private static void Collect(ValidationContext context, ObjectType type, SelectionSetNode set, List<(string Key, List<FieldNode> Nodes)> grouped, HashSet<string> visited)
    {
        foreach (var selection in set.Selections)
        {
            if (IsExcluded(selection.Directives))
            {
                continue;
            }
            switch (selection)
            {
                case FieldNode field:
                    var key = field.ResponseKey;
                    var index = grouped.FindIndex(g => g.Key == key);
                    if (index < 0)
                    {
                        grouped.Add((key, [field]));
                    }
                    else
                    {
                        grouped[index].Nodes.Add(field);
                    }
                    break;
                case FragmentSpreadNode spread:
                    if (!visited.Add(spread.Name.Value) || context.GetFragment(spread.Name.Value) is not { } fragment || !Applies(context.Schema, type, fragment.TypeCondition))
                    {
                        continue;
                    }
                    Collect(context, type, fragment.SelectionSet, grouped, visited);
                    break;
                case InlineFragmentNode inline:
                    if (inline.TypeCondition is not null && !Applies(context.Schema, type, inline.TypeCondition))
                    {
                        continue;
                    }
                    Collect(context, type, inline.SelectionSet, grouped, visited);
                    break;
            }
        }
    }

    private static bool Applies(Schema schema, ObjectType type, NamedTypeNode condition)
    {
        var conditionType = schema.GetType(condition.Name.Value);
        return conditionType == type || (conditionType is InterfaceType or UnionType && schema.IsSubType(conditionType, type));
    }

    private static bool IsExcluded(IReadOnlyList<DirectiveNode> directives)
    {
        foreach (var directive in directives)
        {
            var condition = directive.Arguments.FirstOrDefault(a => a.Name.Value == "if")?.Value;
            if (condition is not BooleanValueNode literal)
            {
                continue;
            }
            if ((directive.Name.Value == "skip" && literal.Value) || (directive.Name.Value == "include" && !literal.Value))
            {
                return true;
            }
        }
        return false;
    }
}
