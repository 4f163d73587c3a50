using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Protection;

/// <summary>
/// Depth and alias count of an operation with its fragments expanded, computed once per cached document. Fragment
/// results are memoised, so a fragment spread many times is measured once (and a cycle, already a validation error,
/// ends the walk).
/// </summary>
public sealed class OperationMeasures
{
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments;
    private readonly Dictionary<string, (int Depth, long Aliases)> _memo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private OperationMeasures(DocumentNode document)
    {
        _fragments = document.Definitions.OfType<FragmentDefinitionNode>()
            .GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Deepest nesting of fields (1 for <c>{ a }</c>).</summary>
    public int Depth { get; private set; }

    /// <summary>Aliased fields, counting a fragment's once per spread.</summary>
    public long Aliases { get; private set; }

    public static OperationMeasures Measure(DocumentNode document, OperationDefinitionNode operation)
    {
        var measures = new OperationMeasures(document);
        (measures.Depth, measures.Aliases) = measures.MeasureSet(operation.SelectionSet);
        return measures;
    }

    private (int Depth, long Aliases) MeasureSet(SelectionSetNode set)
    {
        var depth = 0;
        long aliases = 0;
        foreach (var selection in set.Selections)
        {
            (int Depth, long Aliases) inner;
            switch (selection)
            {
                case FieldNode field:
                    if (field.Name.Value is "__schema" or "__type")
                    {
                        // Introspection has its own guard (MaxIntrospectionDepth) and switch.
                        continue;
                    }
                    var below = field.SelectionSet is null ? (0, 0L) : MeasureSet(field.SelectionSet);
                    inner = (below.Item1 + 1, below.Item2 + (field.Alias is null ? 0 : 1));
                    break;
                case InlineFragmentNode inline:
                    inner = MeasureSet(inline.SelectionSet);
                    break;
                case FragmentSpreadNode spread:
                    inner = MeasureFragment(spread.Name.Value);
                    break;
                default:
                    continue;
            }
            depth = Math.Max(depth, inner.Depth);
            aliases = SaturatingAdd(aliases, inner.Aliases);
        }
        return (depth, aliases);
    }

    private (int Depth, long Aliases) MeasureFragment(string name)
    {
        if (_memo.TryGetValue(name, out var known))
        {
            return known;
        }
        if (!_fragments.TryGetValue(name, out var fragment) || !_inProgress.Add(name))
        {
            return (0, 0);
        }
        var measured = MeasureSet(fragment.SelectionSet);
        _inProgress.Remove(name);
        _memo[name] = measured;
        return measured;
    }

    internal static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
