using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.4.2 Argument Uniqueness (fields and directives).</summary>
public sealed class UniqueArgumentNames : ValidationRule
{
    public override string Name => "UniqueArgumentNames";

    public override void EnterField(ValidationContext context, FieldNode node) => Check(context, node.Arguments);

    public override void EnterDirective(ValidationContext context, DirectiveNode node, DirectiveLocation location) => Check(context, node.Arguments);

    private void Check(ValidationContext context, IReadOnlyList<ArgumentNode> arguments)
    {
        if (arguments.Count < 2)
        {
            return;
        }
        foreach (var group in arguments.GroupBy(a => a.Name.Value).Where(g => g.Count() > 1))
        {
            context.ReportError(this, $"Argument \"{group.Key}\" is given more than once.", group.Select(a => a.Name));
        }
    }
}
