using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.4.2.1 Required Arguments: non-null arguments without a default are given (fields and directives).</summary>
public sealed class ProvidedRequiredArguments : ValidationRule
{
    public override string Name => "ProvidedRequiredArguments";

    public override void LeaveField(ValidationContext context, FieldNode node)
    {
        if (context.FieldDefinition is not { } field)
        {
            return;
        }
        foreach (var argument in field.Arguments)
        {
            if (argument.IsRequired && !node.Arguments.Any(a => a.Name.Value == argument.Name))
            {
                context.ReportError(this, $"Field \"{field.Name}\" needs argument \"{argument.Name}\" of type \"{argument.Type}\", which was not given.", node);
            }
        }
    }

    public override void EnterDirective(ValidationContext context, DirectiveNode node, DirectiveLocation location)
    {
        IEnumerable<(string Name, string Type)> required;
        if (context.DocumentDirectives.TryGetValue(node.Name.Value, out var defined))
        {
            required = defined.Arguments.Where(a => a.Type is NonNullTypeNode && a.DefaultValue is null).Select(a => (a.Name.Value, Printer.Print(a.Type)));
        }
        else if (context.Schema.GetDirective(node.Name.Value) is { } directive)
        {
            required = directive.Arguments.Where(a => a.IsRequired).Select(a => (a.Name, $"{a.Type}"));
        }
        else
        {
            return;
        }
        foreach (var (name, type) in required)
        {
            if (!node.Arguments.Any(a => a.Name.Value == name))
            {
                context.ReportError(this, $"Directive \"@{node.Name.Value}\" needs argument \"{name}\" of type \"{type}\", which was not given.", node);
            }
        }
    }
}
