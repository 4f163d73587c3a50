using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.8.2 Variables Are Input Types.</summary>
public sealed class VariablesAreInputTypes : ValidationRule
{
    public override string Name => "VariablesAreInputTypes";

    public override void EnterVariableDefinition(ValidationContext context, VariableDefinitionNode node)
    {
        var type = context.TypeInfo.FromTypeNode(node.Type);
        if (type is not null && !type.IsInputType)
        {
            context.ReportError(this, $"Variable \"${node.Variable.Name.Value}\" cannot have type \"{Printer.Print(node.Type)}\": it is not an input type.", node.Type);
        }
    }
}
