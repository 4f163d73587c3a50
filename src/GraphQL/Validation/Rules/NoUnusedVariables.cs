using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.8.4 All Variables Used.</summary>
public sealed class NoUnusedVariables : ValidationRule
{
    public override string Name => "NoUnusedVariables";

    public override void LeaveOperation(ValidationContext context, OperationDefinitionNode node)
    {
        var used = context.GetRecursiveVariableUsages(node).Select(u => u.Node.Name.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var definition in node.VariableDefinitions)
        {
            var name = definition.Variable.Name.Value;
            if (!used.Contains(name))
            {
                context.ReportError(this, node.Name is null
                    ? $"Variable \"${name}\" is defined but never used."
                    : $"Variable \"${name}\" is defined but never used in operation \"{node.Name.Value}\".", definition);
            }
        }
    }
}
