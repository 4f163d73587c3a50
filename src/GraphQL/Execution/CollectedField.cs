using System.Text.Json;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// One entry of a grouped field set (§6.3.2 CollectFields): a response key, the field nodes merged under it, the
/// field's definition on the parent type. Caches its child field sets per object type and, when its arguments use no
/// variables, its coerced arguments, so a cached document executes without collecting or coercing again.
/// </summary>
internal sealed class CollectedField
{
    private static readonly IReadOnlyDictionary<string, object?> NoArguments = new Dictionary<string, object?>();
    private ChildPlan? _children;
    private IReadOnlyDictionary<string, object?>? _constantArguments;
    private readonly bool _argumentsUseVariables;

    public CollectedField(string responseKey, FieldNode node, FieldDefinition definition, ObjectType parentType)
    {
        ResponseKey = responseKey;
        EncodedResponseKey = JsonEncodedText.Encode(responseKey, ResultJsonWriter.WriterOptions.Encoder);
        Nodes = [node];
        Definition = definition;
        ParentType = parentType;
        _argumentsUseVariables = node.Arguments.Count > 0 && node.Arguments.Any(a => UsesVariables(a.Value));
        if (definition.Arguments.Count == 0)
        {
            _constantArguments = NoArguments;
        }
    }

    public string ResponseKey { get; }

    /// <summary>The response key as JSON text, escaped once per plan rather than once per written object.</summary>
    public JsonEncodedText EncodedResponseKey { get; }

    public List<FieldNode> Nodes { get; }

    public FieldDefinition Definition { get; }

    public ObjectType ParentType { get; }

    /// <summary>The coerced arguments (§6.4.1 CoerceArgumentValues); throws <see cref="ValueCoercionException"/> on bad values.</summary>
    public IReadOnlyDictionary<string, object?> GetArguments(IReadOnlyDictionary<string, object?> variables)
    {
        if (_constantArguments is not null)
        {
            return _constantArguments;
        }
        var arguments = ArgumentCoercion.Coerce(Definition, Nodes[0], variables);
        if (!_argumentsUseVariables)
        {
            _constantArguments = arguments;
        }
        return arguments;
    }

    public CollectedField[]? FindChildren(ObjectType type)
    {
        for (var plan = Volatile.Read(ref _children); plan is not null; plan = plan.Next)
        {
            if (plan.Type == type)
            {
                return plan.Fields;
            }
        }
        return null;
    }

    public void AddChildren(ObjectType type, CollectedField[] fields)
    {
        // Lock-free publication: a lost race only computes the same field set twice.
        ChildPlan? current;
        do
        {
            current = Volatile.Read(ref _children);
        }
        while (Interlocked.CompareExchange(ref _children, new ChildPlan(type, fields, current), current) != current);
    }

    private static bool UsesVariables(ValueNode value) => value switch
    {
        VariableNode => true,
        ListValueNode list => list.Values.Any(UsesVariables),
        ObjectValueNode obj => obj.Fields.Any(f => UsesVariables(f.Value)),
        _ => false,
    };

    private sealed record ChildPlan(ObjectType Type, CollectedField[] Fields, ChildPlan? Next);
}

/// <summary>CoerceArgumentValues (§6.4.1).</summary>
internal static class ArgumentCoercion
{
    public static IReadOnlyDictionary<string, object?> Coerce(FieldDefinition field, FieldNode node, IReadOnlyDictionary<string, object?> variables) =>
        Coerce(field.Arguments, node.Arguments, variables, $"field \"{field.Name}\"");

    public static Dictionary<string, object?> Coerce(IReadOnlyList<InputValueDefinition> definitions, IReadOnlyList<ArgumentNode> nodes,
        IReadOnlyDictionary<string, object?> variables, string owner)
    {
        var result = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            ArgumentNode? node = null;
            foreach (var candidate in nodes)
            {
                if (candidate.Name.Value == definition.Name)
                {
                    node = candidate;
                    break;
                }
            }
            var hasValue = node is not null;
            object? value = null;
            if (node?.Value is VariableNode variable)
            {
                hasValue = variables.TryGetValue(variable.Name.Value, out value);
            }
            if (!hasValue && definition.HasDefaultValue)
            {
                result[definition.Name] = definition.DefaultValue;
                continue;
            }
            if (definition.Type is NonNullType && (!hasValue || (node!.Value is VariableNode && value is null)))
            {
                throw new ValueCoercionException(hasValue
                    ? $"argument \"{definition.Name}\" of non-null type {definition.Type} on {owner} must not be null"
                    : node is null
                        ? $"argument \"{definition.Name}\" of required type {definition.Type} on {owner} was not provided"
                        : $"argument \"{definition.Name}\" of required type {definition.Type} on {owner} was given variable {Printer.Print(node.Value)}, which has no value")
                {
                    Node = node?.Value,
                };
            }
            if (!hasValue)
            {
                continue;
            }
            if (node!.Value is VariableNode)
            {
                result[definition.Name] = value;
                continue;
            }
            try
            {
                result[definition.Name] = InputCoercion.CoerceLiteral(node.Value, definition.Type, variables);
            }
            catch (ValueCoercionException e)
            {
                throw new ValueCoercionException($"argument \"{definition.Name}\" on {owner} has an invalid value {Printer.Print(node.Value)}: {e.Message}")
                {
                    Node = node.Value,
                };
            }
        }
        return result;
    }
}
