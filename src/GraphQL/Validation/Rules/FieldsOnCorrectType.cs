using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.3.1 Field Selections: a selected field is defined on the type it is selected on.</summary>
public sealed class FieldsOnCorrectType : ValidationRule
{
    public override string Name => "FieldsOnCorrectType";

    public override void EnterField(ValidationContext context, FieldNode node)
    {
        if (context.ParentType is { } parent && context.FieldDefinition is null)
        {
            var hint = parent is UnionType ? " (a union has no fields but __typename: select fields inside \"... on Type\" fragments)" : "";
            context.ReportError(this, $"Field \"{node.Name.Value}\" is not defined on type \"{parent.Name}\"{hint}.", node);
        }
    }
}
