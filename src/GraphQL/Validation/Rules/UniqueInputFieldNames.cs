using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.6.3 Input Object Field Uniqueness.</summary>
public sealed class UniqueInputFieldNames : ValidationRule
{
    public override string Name => "UniqueInputFieldNames";

    public override void EnterValue(ValidationContext context, ValueNode node)
    {
        if (node is not ObjectValueNode obj || obj.Fields.Count < 2)
        {
            return;
        }
        var seen = new Dictionary<string, NameNode>(StringComparer.Ordinal);
        foreach (var field in obj.Fields)
        {
            if (seen.TryGetValue(field.Name.Value, out var first))
            {
                context.ReportError(this, $"Input field \"{field.Name.Value}\" is given more than once.", first, field.Name);
            }
            else
            {
                seen[field.Name.Value] = field.Name;
            }
        }
    }
}
