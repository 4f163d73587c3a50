using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.5.1.4 Fragments Must Be Used.</summary>
public sealed class NoUnusedFragments : ValidationRule
{
    private readonly List<OperationDefinitionNode> _operations = [];
    private readonly List<FragmentDefinitionNode> _fragments = [];

    public override string Name => "NoUnusedFragments";

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node) => _operations.Add(node);

    public override void EnterFragmentDefinition(ValidationContext context, FragmentDefinitionNode node) => _fragments.Add(node);

    public override void LeaveDocument(ValidationContext context, DocumentNode node)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in _operations)
        {
            foreach (var fragment in context.GetRecursivelyReferencedFragments(operation))
            {
                used.Add(fragment.Name.Value);
            }
        }
        foreach (var fragment in _fragments)
        {
            if (!used.Contains(fragment.Name.Value))
            {
                context.ReportError(this, $"Fragment \"{fragment.Name.Value}\" is never used by an operation.", fragment);
            }
        }
    }
}
