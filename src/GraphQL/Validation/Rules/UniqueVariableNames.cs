using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.8.1 Variable Uniqueness.</summary>
public sealed class UniqueVariableNames : ValidationRule
{
    public override string Name => "UniqueVariableNames";

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node)
    {
        foreach (var group in node.VariableDefinitions.GroupBy(v => v.Variable.Name.Value).Where(g => g.Count() > 1))
        {
            context.ReportError(this, $"There is more than one variable named \"${group.Key}\"; variable names must be unique within an operation.",
                group.Select(v => v.Variable.Name));
        }
    }
}
