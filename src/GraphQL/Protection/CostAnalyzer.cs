using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Protection;

/// <summary>
/// The cost of an operation before it runs: each field costs its weight (default 1 for fields returning objects, 0
/// for leaves), and a list field multiplies the cost of its selection by its size, read from its size arguments
/// (its hint's, else <see cref="RequestLimits.DefaultSizeArguments"/>: <c>first</c>, <c>last</c>, <c>limit</c>) with the
/// request's variables, else an assumed size. Fragments on abstract types add
/// up (an upper bound). Introspection fields cost nothing here; they have their own guards.
/// </summary>
public sealed class CostAnalyzer
{
    private readonly Schema _schema;
    private readonly IReadOnlyDictionary<string, object?> _variables;
    private readonly RequestLimits _limits;
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments;
    private readonly Dictionary<string, long> _memo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private CostAnalyzer(Schema schema, DocumentNode document, IReadOnlyDictionary<string, object?> variables, RequestLimits limits)
    {
        _schema = schema;
        _variables = variables;
        _limits = limits;
        _fragments = document.Definitions.OfType<FragmentDefinitionNode>()
            .GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The operation's cost with the request's (coerced) variables.</summary>
    public static long Compute(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables,
        RequestLimits limits)
    {
        var root = schema.GetRootType(operation.Operation);
        return root is null ? 0 : new CostAnalyzer(schema, document, variables, limits).SetCost(root, operation.SelectionSet);
    }

    private long SetCost(NamedType parentType, SelectionSetNode set, Sized? sized = null)
    {
        long total = 0;
        foreach (var selection in set.Selections)
        {
            long cost;
            switch (selection)
            {
                case FieldNode field:
                    cost = FieldCost(parentType, field, sized);
                    break;
                case InlineFragmentNode inline:
                    var type = inline.TypeCondition is null ? parentType : _schema.GetType(inline.TypeCondition.Name.Value) ?? parentType;
                    cost = SetCost(type, inline.SelectionSet, sized);
                    break;
                case FragmentSpreadNode spread:
                    cost = FragmentCost(spread.Name.Value, sized);
                    break;
                default:
                    continue;
            }
            total = OperationMeasures.SaturatingAdd(total, cost);
        }
        return total;
    }

    private long FragmentCost(string name, Sized? sized)
    {
        // A fragment spread under a sized parent costs what its lists' sizes make it: only unsized costs are memoized.
        if (sized is null && _memo.TryGetValue(name, out var known))
        {
            return known;
        }
        if (!_fragments.TryGetValue(name, out var fragment) || !_inProgress.Add(name))
        {
            return 0;
        }
        var type = _schema.GetType(fragment.TypeCondition.Name.Value);
        var cost = type is null ? 0 : SetCost(type, fragment.SelectionSet, sized);
        _inProgress.Remove(name);
        if (sized is null)
        {
            _memo[name] = cost;
        }
        return cost;
    }

    private long FieldCost(NamedType parentType, FieldNode node, Sized? sized)
    {
        if (node.Name.Value.StartsWith("__", StringComparison.Ordinal))
        {
            return 0;
        }
        var field = _schema.GetFieldDefinition(parentType, node.Name.Value);
        if (field is null)
        {
            return 0;
        }
        var hint = field.Cost;
        var returnsObject = field.Type.Named.IsCompositeType();
        long weight = hint?.Weight ?? (returnsObject ? 1 : 0);
        // A connection's size arguments bound the lists below it (edges, nodes), not the connection object itself.
        var childSized = hint?.SizedFields is { Count: > 0 } sizedFields && !IsList(field.Type) ? new Sized(sizedFields, ListSize(node, hint)) : null;
        var childCost = node.SelectionSet is null ? 0 : SetCost(field.Type.Named, node.SelectionSet, childSized);
        if (!IsList(field.Type))
        {
            return OperationMeasures.SaturatingAdd(weight, childCost);
        }
        var size = sized is not null && sized.Fields.Contains(node.Name.Value) ? sized.Size : ListSize(node, hint);
        var multiplied = childCost == 0 ? 0 : size > long.MaxValue / childCost ? long.MaxValue : size * childCost;
        return OperationMeasures.SaturatingAdd(weight, multiplied);
    }

    private long ListSize(FieldNode node, CostHint? hint)
    {
        foreach (var name in hint?.SizeArguments ?? _limits.DefaultSizeArguments)
        {
            var argument = node.Arguments.FirstOrDefault(a => a.Name.Value == name);
            var value = argument?.Value switch
            {
                IntValueNode literal when long.TryParse(literal.Value, out var parsed) => parsed,
                VariableNode variable when _variables.TryGetValue(variable.Name.Value, out var given) && given is not null => Convert.ToInt64(given, System.Globalization.CultureInfo.InvariantCulture),
                _ => (long?)null,
            };
            if (value is { } size)
            {
                return Math.Max(0, size);
            }
        }
        return hint?.AssumedSize ?? _limits.DefaultListSize;
    }

    private static bool IsList(GraphQLType type) => type.Nullable is ListType;

    /// <summary>List fields below a connection and the size its arguments gave them.</summary>
    private sealed record Sized(IReadOnlyList<string> Fields, long Size);
}
