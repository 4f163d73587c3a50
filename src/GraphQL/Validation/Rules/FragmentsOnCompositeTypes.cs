using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.1.3 Fragments On Composite Types.</summary>
public sealed class FragmentsOnCompositeTypes : ValidationRule
{
    public override string Name => "FragmentsOnCompositeTypes";

    public override void EnterInlineFragment(ValidationContext context, InlineFragmentNode node)
    {
        if (node.TypeCondition is { } condition && context.Schema.GetType(condition.Name.Value) is { } type && !type.IsCompositeType())
        {
            context.ReportError(this, $"An inline fragment cannot have type condition \"{type.Name}\": it is not an object, interface or union type.", condition);
        }
    }

    public override void EnterFragmentDefinition(ValidationContext context, FragmentDefinitionNode node)
    {
        if (context.Schema.GetType(node.TypeCondition.Name.Value) is { } type && !type.IsCompositeType())
        {
            context.ReportError(this, $"Fragment \"{node.Name.Value}\" cannot have type condition \"{type.Name}\": it is not an object, interface or union type.", node.TypeCondition);
        }
    }
}
