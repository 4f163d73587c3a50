using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.4.1 Argument Names: every argument is defined by its field or directive.</summary>
public sealed class KnownArgumentNames : ValidationRule
{
    public override string Name => "KnownArgumentNames";

    public override void EnterDirective(ValidationContext context, DirectiveNode node, DirectiveLocation location)
    {
        IReadOnlyList<string>? known = null;
        if (context.DocumentDirectives.TryGetValue(node.Name.Value, out var defined))
        {
            known = defined.Arguments.Select(a => a.Name.Value).ToList();
        }
        else if (context.Schema.GetDirective(node.Name.Value) is { } definition)
        {
            known = definition.Arguments.Select(a => a.Name).ToList();
        }
        if (known is null)
        {
            return;
        }
        foreach (var argument in node.Arguments)
        {
            if (!known.Contains(argument.Name.Value))
            {
                context.ReportError(this, $"Directive \"@{node.Name.Value}\" has no argument \"{argument.Name.Value}\".", argument);
            }
        }
    }

    public override void EnterArgument(ValidationContext context, ArgumentNode node)
    {
        // Directive arguments are checked above; here only the arguments of fields.
        if (context.DirectiveNode is not null || context.Argument is not null)
        {
            return;
        }
        if (context.FieldDefinition is { } field && context.ParentType is { } parent)
        {
            context.ReportError(this, $"Field \"{parent.Name}.{field.Name}\" has no argument \"{node.Name.Value}\".", node);
        }
    }
}
