using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.2.2.1 Lone Anonymous Operation: an operation without a name must be the only one.</summary>
public sealed class LoneAnonymousOperation : ValidationRule
{
    private int _operations;

    public override string Name => "LoneAnonymousOperation";

    public override void EnterDocument(ValidationContext context, DocumentNode node) =>
        _operations = node.Definitions.Count(d => d is OperationDefinitionNode);

    public override void EnterOperation(ValidationContext context, OperationDefinitionNode node)
    {
        if (node.Name is null && _operations > 1)
        {
            context.ReportError(this, "An anonymous operation must be the only operation of the document.", node);
        }
    }
}
