using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.2.1.1 Operation Name Uniqueness.</summary>
public sealed class UniqueOperationNames : ValidationRule
{
    private readonly Dictionary<string, NameNode> _seen = new(StringComparer.Ordinal);

    public override string Name => "UniqueOperationNames";

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node)
    {
        if (node.Name is null)
        {
            return;
        }
        if (_seen.TryGetValue(node.Name.Value, out var first))
        {
            context.ReportError(this, $"There is more than one operation named \"{node.Name.Value}\"; operation names must be unique.", first, node.Name);
        }
        else
        {
            _seen[node.Name.Value] = node.Name;
        }
    }
}
