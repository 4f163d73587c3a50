using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.2.3 Fragment spread is possible: the fragment's type and the parent type can share a value.</summary>
public sealed class PossibleFragmentSpreads : ValidationRule
{
    public override string Name => "PossibleFragmentSpreads";

    public override void EnterInlineFragment(ValidationContext context, InlineFragmentNode node)
    {
        if (node.TypeCondition is null || context.Schema.GetType(node.TypeCondition.Name.Value) is not { } fragmentType || !fragmentType.IsCompositeType())
        {
            return;
        }
        if (context.ParentType is { } parentType && parentType.IsCompositeType() && !context.Schema.TypesOverlap(fragmentType, parentType))
        {
            context.ReportError(this, $"An inline fragment on \"{fragmentType.Name}\" cannot be used here: a value of type \"{parentType.Name}\" can never be of type \"{fragmentType.Name}\".", node);
        }
    }

    public override void EnterFragmentSpread(ValidationContext context, FragmentSpreadNode node)
    {
        if (context.GetFragment(node.Name.Value) is not { } fragment
            || context.Schema.GetType(fragment.TypeCondition.Name.Value) is not { } fragmentType || !fragmentType.IsCompositeType())
        {
            return;
        }
        if (context.ParentType is { } parentType && parentType.IsCompositeType() && !context.Schema.TypesOverlap(fragmentType, parentType))
        {
            context.ReportError(this, $"Fragment \"{node.Name.Value}\" cannot be spread here: a value of type \"{parentType.Name}\" can never be of type \"{fragmentType.Name}\".", node);
        }
    }
}
