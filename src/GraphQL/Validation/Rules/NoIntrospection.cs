using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>Rejects <c>__schema</c> and <c>__type</c> when introspection is turned off (<c>__typename</c> stays allowed).</summary>
public sealed class NoIntrospection : ValidationRule
{
    public override string Name => "NoIntrospection";

    public override void EnterField(ValidationContext context, FieldNode node)
    {
        if (node.Name.Value is "__schema" or "__type")
        {
            context.ReportError(this, $"Introspection is turned off for this request: \"{node.Name.Value}\" cannot be queried.", node);
        }
    }
}
