using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// Rejects introspection queries that nest the list fields of <c>__Type</c> (<c>fields</c>, <c>interfaces</c>,
/// <c>possibleTypes</c>, <c>inputFields</c>) three or more deep: such queries grow exponentially and no tool needs
/// them. Fragments are followed, with their results memoised by entry depth.
/// </summary>
public sealed class MaxIntrospectionDepth : ValidationRule
{
    private const int MaxListDepth = 3;
    private readonly Dictionary<string, int> _passedAtDepth = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failedAtDepth = new(StringComparer.Ordinal);
    private FieldNode? _reported;

    public override string Name => "MaxIntrospectionDepth";

    public override void EnterField(ValidationContext context, FieldNode node)
    {
        if (_reported is not null || node.Name.Value is not ("__schema" or "__type"))
        {
            return;
        }
        if (Exceeds(context, node, new Dictionary<string, int>(StringComparer.Ordinal), 0))
        {
            context.ReportError(this, "The introspection query nests type lists too deeply (at most 3 levels of fields/interfaces/possibleTypes/inputFields).", node);
            _reported = node;
        }
    }

    public override void LeaveField(ValidationContext context, FieldNode node)
    {
        if (ReferenceEquals(_reported, node))
        {
            _reported = null;
        }
    }

    private bool Exceeds(ValidationContext context, SelectionNode node, Dictionary<string, int> visiting, int depth)
    {
        if (node is FragmentSpreadNode spread)
        {
            var name = spread.Name.Value;
            if (_failedAtDepth.TryGetValue(name, out var failed) && failed <= depth)
            {
                return true;
            }
            if ((visiting.TryGetValue(name, out var entered) && entered >= depth) || (_passedAtDepth.TryGetValue(name, out var passed) && passed >= depth))
            {
                return false;
            }
            if (context.GetFragment(name) is not { } fragment)
            {
                return false;
            }
            visiting[name] = depth;
            if (ExceedsSet(context, fragment.SelectionSet, visiting, depth))
            {
                _failedAtDepth[name] = depth;
                return true;
            }
            _passedAtDepth[name] = depth;
            return false;
        }
        if (node is FieldNode field)
        {
            if (field.Name.Value is "fields" or "interfaces" or "possibleTypes" or "inputFields" && ++depth >= MaxListDepth)
            {
                return true;
            }
            return field.SelectionSet is not null && ExceedsSet(context, field.SelectionSet, visiting, depth);
        }
        return ExceedsSet(context, ((InlineFragmentNode)node).SelectionSet, visiting, depth);
    }

    private bool ExceedsSet(ValidationContext context, SelectionSetNode set, Dictionary<string, int> visiting, int depth)
    {
        foreach (var selection in set.Selections)
        {
            if (Exceeds(context, selection, visiting, depth))
            {
                return true;
            }
        }
        return false;
    }
}
