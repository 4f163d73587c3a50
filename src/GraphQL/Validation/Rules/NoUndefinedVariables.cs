using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.8.3 All Variable Uses Defined: by the operation, including uses inside the fragments it spreads.</summary>
public sealed class NoUndefinedVariables : ValidationRule
{
    public override string Name => "NoUndefinedVariables";

    public override void LeaveOperation(ValidationContext context, OperationDefinitionNode node)
    {
        var defined = node.VariableDefinitions.Select(v => v.Variable.Name.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var usage in context.GetRecursiveVariableUsages(node))
        {
            var name = usage.Node.Name.Value;
            if (!defined.Contains(name))
            {
                context.ReportError(this, node.Name is null
                    ? $"Variable \"${name}\" is used but not defined by the operation."
                    : $"Variable \"${name}\" is used but not defined by operation \"{node.Name.Value}\".", usage.Node, node);
            }
        }
    }
}
