using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.2.2 Fragment spreads must not form cycles; each cycle is reported once, at its spreads.</summary>
public sealed class NoFragmentCycles : ValidationRule
{
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly List<FragmentSpreadNode> _path = [];
    private readonly Dictionary<string, int> _pathIndex = new(StringComparer.Ordinal);

    public override string Name => "NoFragmentCycles";

    public override void EnterFragmentDefinition(ValidationContext context, FragmentDefinitionNode node) => Detect(context, node);

    private void Detect(ValidationContext context, FragmentDefinitionNode fragment)
    {
        var name = fragment.Name.Value;
        if (!_visited.Add(name))
        {
            return;
        }
        var spreads = context.GetFragmentSpreads(fragment.SelectionSet);
        if (spreads.Count == 0)
        {
            return;
        }
        _pathIndex[name] = _path.Count;
        foreach (var spread in spreads)
        {
            var target = spread.Name.Value;
            _path.Add(spread);
            if (_pathIndex.TryGetValue(target, out var cycleStart))
            {
                var cycle = _path.Skip(cycleStart).ToList();
                var via = cycle.Take(cycle.Count - 1).Select(s => $"\"{s.Name.Value}\"").ToList();
                context.ReportError(this, via.Count == 0
                    ? $"Fragment \"{target}\" spreads itself, which would never end."
                    : $"Fragment \"{target}\" spreads itself through {string.Join(", ", via)}, which would never end.", cycle);
            }
            else if (context.GetFragment(target) is { } next)
            {
                Detect(context, next);
            }
            _path.RemoveAt(_path.Count - 1);
        }
        _pathIndex.Remove(name);
    }
}
