using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.1.1 Fragment Name Uniqueness.</summary>
public sealed class UniqueFragmentNames : ValidationRule
{
    private readonly Dictionary<string, NameNode> _seen = new(StringComparer.Ordinal);

    public override string Name => "UniqueFragmentNames";

    public override void EnterFragmentDefinition(ValidationContext context, FragmentDefinitionNode node)
    {
        if (_seen.TryGetValue(node.Name.Value, out var first))
        {
            context.ReportError(this, $"There is more than one fragment named \"{node.Name.Value}\"; fragment names must be unique.", first, node.Name);
        }
        else
        {
            _seen[node.Name.Value] = node.Name;
        }
    }
}
