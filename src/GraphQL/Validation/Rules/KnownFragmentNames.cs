using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.2.1 Fragment spread target defined.</summary>
public sealed class KnownFragmentNames : ValidationRule
{
    public override string Name => "KnownFragmentNames";

    public override void EnterFragmentSpread(ValidationContext context, FragmentSpreadNode node)
    {
        if (context.GetFragment(node.Name.Value) is null)
        {
            context.ReportError(this, $"Unknown fragment \"{node.Name.Value}\": the document defines no fragment of that name.", node.Name);
        }
    }
}
