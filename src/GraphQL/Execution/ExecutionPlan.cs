using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// CollectFields (§6.3.2) for one operation, with the grouped field sets cached on the collected fields. A document
/// whose @skip/@include use no variables shares one plan across requests; otherwise each request gets its own.
/// </summary>
internal sealed class ExecutionPlan
{
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments;
    private readonly IReadOnlyDictionary<string, object?> _variables;
    private readonly Lock _rootLock = new();
    private (ObjectType Type, SelectionSetNode Set, CollectedField[] Fields)? _root;

    public ExecutionPlan(Schema schema, DocumentNode document, IReadOnlyDictionary<string, object?> variables)
    {
        Schema = schema;
        _variables = variables;
        _fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
        {
            if (definition is FragmentDefinitionNode fragment)
            {
                _fragments.TryAdd(fragment.Name.Value, fragment);
            }
        }
    }

    public Schema Schema { get; }

    public CollectedField[] Root(ObjectType rootType, SelectionSetNode selectionSet)
    {
        lock (_rootLock)
        {
            if (_root is { } cached && cached.Type == rootType && cached.Set == selectionSet)
            {
                return cached.Fields;
            }
        }
        var fields = Collect(rootType, [selectionSet]);
        lock (_rootLock)
        {
            _root = (rootType, selectionSet, fields);
        }
        return fields;
    }

    /// <summary>The grouped field set below <paramref name="field"/> for a value of <paramref name="type"/>.</summary>
    public CollectedField[] Children(CollectedField field, ObjectType type)
    {
        var cached = field.FindChildren(type);
        if (cached is not null)
        {
            return cached;
        }
        var sets = new List<SelectionSetNode>(field.Nodes.Count);
        foreach (var node in field.Nodes)
        {
            if (node.SelectionSet is not null)
            {
                sets.Add(node.SelectionSet);
            }
        }
        var fields = Collect(type, sets);
        field.AddChildren(type, fields);
        return fields;
    }

    private CollectedField[] Collect(ObjectType type, List<SelectionSetNode> sets)
    {
        var grouped = new List<CollectedField>();
        Dictionary<string, CollectedField>? byKey = null;
        HashSet<string>? visitedFragments = null;
        foreach (var set in sets)
        {
            CollectInto(type, set, grouped, ref byKey, ref visitedFragments);
        }
        return [.. grouped];
    }

    private void CollectInto(ObjectType type, SelectionSetNode set, List<CollectedField> grouped, ref Dictionary<string, CollectedField>? byKey,
        ref HashSet<string>? visitedFragments)
    {
        foreach (var selection in set.Selections)
        {
            if (selection.Directives.Count > 0 && !ShouldInclude(selection.Directives))
            {
                continue;
            }
            switch (selection)
            {
                case FieldNode node:
                    var key = node.ResponseKey;
                    CollectedField? existing = null;
                    if (byKey is not null)
                    {
                        byKey.TryGetValue(key, out existing);
                    }
                    else
                    {
                        foreach (var candidate in grouped)
                        {
                            if (candidate.ResponseKey == key)
                            {
                                existing = candidate;
                                break;
                            }
                        }
                    }
                    if (existing is not null)
                    {
                        existing.Nodes.Add(node);
                        continue;
                    }
                    var definition = Schema.GetFieldDefinition(type, node.Name.Value);
                    if (definition is null)
                    {
                        // Only reachable for unvalidated documents: the specification skips unknown fields.
                        continue;
                    }
                    var collected = new CollectedField(key, node, definition, type);
                    grouped.Add(collected);
                    if (byKey is not null)
                    {
                        byKey[key] = collected;
                    }
                    else if (grouped.Count > 8)
                    {
                        byKey = new Dictionary<string, CollectedField>(StringComparer.Ordinal);
                        foreach (var item in grouped)
                        {
                            byKey.TryAdd(item.ResponseKey, item);
                        }
                    }
                    break;
                case FragmentSpreadNode spread:
                    var name = spread.Name.Value;
                    visitedFragments ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!visitedFragments.Add(name) || !_fragments.TryGetValue(name, out var fragment)
                        || !Applies(type, fragment.TypeCondition.Name.Value))
                    {
                        continue;
                    }
                    CollectInto(type, fragment.SelectionSet, grouped, ref byKey, ref visitedFragments);
                    break;
                case InlineFragmentNode inline:
                    if (inline.TypeCondition is not null && !Applies(type, inline.TypeCondition.Name.Value))
                    {
                        continue;
                    }
                    CollectInto(type, inline.SelectionSet, grouped, ref byKey, ref visitedFragments);
                    break;
            }
        }
    }

    /// <summary>DoesFragmentTypeApply (§6.3.2).</summary>
    private bool Applies(ObjectType type, string typeCondition)
    {
        if (type.Name == typeCondition)
        {
            return true;
        }
        var condition = Schema.GetType(typeCondition);
        return condition is InterfaceType or UnionType && Schema.IsSubType(condition, type);
    }

    private bool ShouldInclude(IReadOnlyList<DirectiveNode> directives)
    {
        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            if (name is not ("skip" or "include"))
            {
                continue;
            }
            var condition = ConditionValue(directive);
            if ((name == "skip" && condition) || (name == "include" && !condition))
            {
                return false;
            }
        }
        return true;
    }

    private bool ConditionValue(DirectiveNode directive)
    {
        foreach (var argument in directive.Arguments)
        {
            if (argument.Name.Value != "if")
            {
                continue;
            }
            return argument.Value switch
            {
                BooleanValueNode b => b.Value,
                VariableNode v => _variables.TryGetValue(v.Name.Value, out var value) && value is true,
                _ => false,
            };
        }
        return false;
    }
}
