using System.Text;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// §5.3.2 Field Selection Merging: fields with the same response key in a selection set (fragments included) must
/// be the same field with the same arguments, unless their parents can never be the same object, and must return
/// shapes that merge. Field sets are collected once per selection set and fragment comparisons are memoised, so
/// documents that spread fragments many times stay polynomial; a work budget stops pathological documents.
/// </summary>
public sealed class OverlappingFieldsCanBeMerged : ValidationRule
{
    private const long WorkBudget = 500_000;
    private readonly Dictionary<(NamedType?, SelectionSetNode), FieldSet> _fieldSets = [];
    private readonly Dictionary<(string, string), bool> _comparedFragmentPairs = [];
    private readonly Dictionary<ValueNode, string> _printedValues = new(ReferenceEqualityComparer.Instance);
    private SelectionSetNode? _inlineFragmentSet;
    private long _work;
    private bool _exhausted;
    private ValidationContext _context = null!;

    public override string Name => "OverlappingFieldsCanBeMerged";

    public override void EnterInlineFragment(ValidationContext context, InlineFragmentNode node) => _inlineFragmentSet = node.SelectionSet;

    public override void EnterSelectionSet(ValidationContext context, SelectionSetNode node)
    {
        if (ReferenceEquals(node, _inlineFragmentSet) || _exhausted)
        {
            // An inline fragment's fields were already compared as part of the enclosing selection set.
            return;
        }
        if (node.Selections.Count <= 1 && node.Selections.FirstOrDefault() is not InlineFragmentNode)
        {
            return;
        }
        _context = context;
        var conflicts = new List<Conflict>();
        try
        {
            FindConflictsWithin(conflicts, context.ParentType, node);
        }
        catch (WorkExhausted)
        {
            _exhausted = true;
            context.ReportError(this, "The document is too complex to check that its fields merge; simplify its fragments.", node);
            return;
        }
        foreach (var conflict in conflicts)
        {
            context.ReportError(this, $"Fields \"{conflict.ResponseName}\" cannot be merged: {conflict.Reason}. Give one of them an alias to select both.",
                conflict.Fields1.Concat(conflict.Fields2));
        }
    }

    private void FindConflictsWithin(List<Conflict> conflicts, NamedType? parentType, SelectionSetNode set)
    {
        var fields = Collect(parentType, set);
        foreach (var (responseName, group) in fields.Groups)
        {
            for (var i = 0; i < group.Count; i++)
            {
                for (var j = i + 1; j < group.Count; j++)
                {
                    if (FindConflict(false, responseName, group[i], group[j]) is { } conflict)
                    {
                        conflicts.Add(conflict);
                    }
                }
            }
        }
        if (fields.FragmentNames.Count > 0 && (fields.Groups.Count > 0 || fields.FragmentNames.Count > 1))
        {
            for (var i = 0; i < fields.FragmentNames.Count; i++)
            {
                CompareFieldsWithFragment(conflicts, false, fields, fields.FragmentNames[i]);
                for (var j = i + 1; j < fields.FragmentNames.Count; j++)
                {
                    CompareFragments(conflicts, false, fields.FragmentNames[i], fields.FragmentNames[j]);
                }
            }
        }
    }

    private void CompareFieldsWithFragment(List<Conflict> conflicts, bool exclusive, FieldSet fields, string fragmentName)
    {
        Spend(1);
        if (fields.Groups.Count == 0)
        {
            return;
        }
        fields.ComparedFragments ??= new Dictionary<string, bool>(StringComparer.Ordinal);
        if (fields.ComparedFragments.TryGetValue(fragmentName, out var comparedExclusive) && (!comparedExclusive || exclusive))
        {
            return;
        }
        fields.ComparedFragments[fragmentName] = exclusive;
        if (_context.GetFragment(fragmentName) is not { } fragment)
        {
            return;
        }
        var fragmentFields = CollectFragment(fragment);
        if (ReferenceEquals(fields, fragmentFields))
        {
            return;
        }
        CompareFieldSets(conflicts, exclusive, fields, fragmentFields);
        foreach (var referenced in fragmentFields.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, exclusive, fields, referenced);
        }
    }

    private void CompareFragments(List<Conflict> conflicts, bool exclusive, string name1, string name2)
    {
        Spend(2);
        if (name1 == name2)
        {
            return;
        }
        if (WasCompared(name1, name2, exclusive) || WasCompared(name2, name1, exclusive))
        {
            return;
        }
        _comparedFragmentPairs[(name1, name2)] = exclusive;
        if (_context.GetFragment(name1) is not { } fragment1 || _context.GetFragment(name2) is not { } fragment2)
        {
            return;
        }
        var fields1 = CollectFragment(fragment1);
        var fields2 = CollectFragment(fragment2);
        CompareFieldSets(conflicts, exclusive, fields1, fields2);
        foreach (var referenced in fields2.FragmentNames)
        {
            CompareFragments(conflicts, exclusive, name1, referenced);
        }
        foreach (var referenced in fields1.FragmentNames)
        {
            CompareFragments(conflicts, exclusive, referenced, name2);
        }
    }

    private bool WasCompared(string a, string b, bool exclusive) =>
        _comparedFragmentPairs.TryGetValue((a, b), out var comparedExclusive) && (exclusive || !comparedExclusive);

    private List<Conflict> FindConflictsBetweenSubSelections(bool exclusive, NamedType? type1, SelectionSetNode set1, NamedType? type2, SelectionSetNode set2)
    {
        var conflicts = new List<Conflict>();
        var fields1 = Collect(type1, set1);
        var fields2 = Collect(type2, set2);
        CompareFieldSets(conflicts, exclusive, fields1, fields2);
        foreach (var name in fields2.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, exclusive, fields1, name);
        }
        foreach (var name in fields1.FragmentNames)
        {
            CompareFieldsWithFragment(conflicts, exclusive, fields2, name);
        }
        foreach (var name1 in fields1.FragmentNames)
        {
            foreach (var name2 in fields2.FragmentNames)
            {
                CompareFragments(conflicts, exclusive, name1, name2);
            }
        }
        return conflicts;
    }

    private void CompareFieldSets(List<Conflict> conflicts, bool exclusive, FieldSet fields1, FieldSet fields2)
    {
        if (fields1.Groups.Count == 0 || fields2.Groups.Count == 0)
        {
            return;
        }
        foreach (var (responseName, group1) in fields1.Groups)
        {
            Spend(1);
            if (!fields2.Index.TryGetValue(responseName, out var group2))
            {
                continue;
            }
            foreach (var field1 in group1)
            {
                foreach (var field2 in group2)
                {
                    if (FindConflict(exclusive, responseName, field1, field2) is { } conflict)
                    {
                        conflicts.Add(conflict);
                    }
                }
            }
        }
    }

    private Conflict? FindConflict(bool parentsExclusive, string responseName, FieldInfo field1, FieldInfo field2)
    {
        // Parents that are different object types can never describe the same value: only shapes must agree.
        var exclusive = parentsExclusive || (field1.ParentType != field2.ParentType && field1.ParentType is ObjectType && field2.ParentType is ObjectType);
        Spend(2);
        var type1 = field1.Definition?.Type;
        var type2 = field2.Definition?.Type;
        if (field1.IsSimpleLeaf && field2.IsSimpleLeaf && ReferenceEquals(type1, type2) && field1.Node.Name.Value == field2.Node.Name.Value)
        {
            return null;
        }
        if (!exclusive)
        {
            var name1 = field1.Node.Name.Value;
            var name2 = field2.Node.Name.Value;
            if (name1 != name2)
            {
                return new Conflict(responseName, $"\"{name1}\" and \"{name2}\" are different fields", [field1.Node], [field2.Node]);
            }
            if (!SameArguments(field1.Node.Arguments, field2.Node.Arguments))
            {
                return new Conflict(responseName, "they have different arguments", [field1.Node], [field2.Node]);
            }
        }
        if (type1 is not null && type2 is not null && TypesConflict(type1, type2))
        {
            return new Conflict(responseName, $"they return different types \"{type1}\" and \"{type2}\"", [field1.Node], [field2.Node]);
        }
        if (field1.Node.SelectionSet is { } set1 && field2.Node.SelectionSet is { } set2)
        {
            var subConflicts = FindConflictsBetweenSubSelections(exclusive, type1?.Named, set1, type2?.Named, set2);
            if (subConflicts.Count > 0)
            {
                var reason = string.Join(" and ", subConflicts.Select(c => $"subfields \"{c.ResponseName}\" cannot be merged because {c.Reason}"));
                return new Conflict(responseName, reason,
                    [field1.Node, .. subConflicts.SelectMany(c => c.Fields1)],
                    [field2.Node, .. subConflicts.SelectMany(c => c.Fields2)]);
            }
        }
        return null;
    }

    private bool SameArguments(IReadOnlyList<ArgumentNode> arguments1, IReadOnlyList<ArgumentNode> arguments2)
    {
        if (arguments1.Count != arguments2.Count)
        {
            return false;
        }
        foreach (var argument1 in arguments1)
        {
            Spend(1);
            ArgumentNode? argument2 = null;
            foreach (var candidate in arguments2)
            {
                if (candidate.Name.Value == argument1.Name.Value)
                {
                    argument2 = candidate;
                }
            }
            if (argument2 is null || Canonical(argument1.Value) != Canonical(argument2.Value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A value written canonically: object fields sorted, block and plain strings told apart.</summary>
    private string Canonical(ValueNode value)
    {
        if (_printedValues.TryGetValue(value, out var cached))
        {
            return cached;
        }
        var text = new StringBuilder();
        Write(value);
        return _printedValues[value] = text.ToString();

        void Write(ValueNode node)
        {
            switch (node)
            {
                case ObjectValueNode obj:
                    text.Append('{');
                    foreach (var field in obj.Fields.OrderBy(f => f.Name.Value, StringComparer.Ordinal))
                    {
                        text.Append(field.Name.Value).Append(':');
                        Write(field.Value);
                        text.Append(',');
                    }
                    text.Append('}');
                    break;
                case ListValueNode list:
                    text.Append('[');
                    foreach (var item in list.Values)
                    {
                        Write(item);
                        text.Append(',');
                    }
                    text.Append(']');
                    break;
                case StringValueNode s:
                    text.Append(s.Block ? "B" : "S").Append(Printer.PrintString(s.Value));
                    break;
                case VariableNode v:
                    text.Append('$').Append(v.Name.Value);
                    break;
                case IntValueNode i:
                    text.Append("I:").Append(i.Value);
                    break;
                case FloatValueNode f:
                    text.Append("F:").Append(f.Value);
                    break;
                case EnumValueNode e:
                    text.Append("E:").Append(e.Value);
                    break;
                default:
                    text.Append(Printer.Print(node));
                    break;
            }
        }
    }

    private bool TypesConflict(GraphQLType type1, GraphQLType type2)
    {
        if (ReferenceEquals(type1, type2))
        {
            return false;
        }
        Spend(1);
        return (type1, type2) switch
        {
            (ListType list1, ListType list2) => TypesConflict(list1.OfType, list2.OfType),
            (ListType, _) or (_, ListType) => true,
            (NonNullType nonNull1, NonNullType nonNull2) => TypesConflict(nonNull1.OfType, nonNull2.OfType),
            (NonNullType, _) or (_, NonNullType) => true,
            _ when type1.IsLeafType() || type2.IsLeafType() => !ReferenceEquals(type1, type2),
            _ => false,
        };
    }

    private FieldSet CollectFragment(FragmentDefinitionNode fragment) =>
        Collect(_context.Schema.GetType(fragment.TypeCondition.Name.Value), fragment.SelectionSet);

    private FieldSet Collect(NamedType? parentType, SelectionSetNode set)
    {
        if (_fieldSets.TryGetValue((parentType, set), out var cached))
        {
            return cached;
        }
        var result = new FieldSet();
        CollectInto(parentType, set, result);
        _fieldSets[(parentType, set)] = result;
        return result;
    }

    private void CollectInto(NamedType? parentType, SelectionSetNode set, FieldSet result)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    // Meta fields (__typename) have no definition here, as in the reference implementation.
                    var definition = parentType is ComplexType complex ? complex.GetField(field.Name.Value) : null;
                    result.Add(field.ResponseKey, new FieldInfo(parentType, field, definition));
                    break;
                case FragmentSpreadNode spread:
                    if (!result.FragmentNames.Contains(spread.Name.Value))
                    {
                        result.FragmentNames.Add(spread.Name.Value);
                    }
                    break;
                case InlineFragmentNode inline:
                    var type = inline.TypeCondition is null ? parentType : _context.Schema.GetType(inline.TypeCondition.Name.Value);
                    CollectInto(type, inline.SelectionSet, result);
                    break;
            }
        }
    }

    private void Spend(int work)
    {
        _work += work;
        if (_work > WorkBudget)
        {
            throw new WorkExhausted();
        }
    }

    private sealed class WorkExhausted : Exception;

    private sealed record FieldInfo(NamedType? ParentType, FieldNode Node, FieldDefinition? Definition)
    {
        public bool IsSimpleLeaf { get; } = Node.Arguments.Count == 0 && Node.SelectionSet is null;
    }

    private sealed class FieldSet
    {
        public List<(string ResponseName, List<FieldInfo> Fields)> Groups { get; } = [];

        public Dictionary<string, List<FieldInfo>> Index { get; } = new(StringComparer.Ordinal);

        public List<string> FragmentNames { get; } = [];

        public Dictionary<string, bool>? ComparedFragments { get; set; }

        public void Add(string responseName, FieldInfo field)
        {
            if (!Index.TryGetValue(responseName, out var list))
            {
                list = [];
                Index[responseName] = list;
                Groups.Add((responseName, list));
            }
            list.Add(field);
        }
    }

    private sealed record Conflict(string ResponseName, string Reason, List<FieldNode> Fields1, List<FieldNode> Fields2);
}
