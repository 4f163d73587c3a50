using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// §5.7.3 Directives Are Unique Per Location (unless repeatable). A type's definition and its extensions count as one
/// location, as do the schema definition and its extensions.
/// </summary>
public sealed class UniqueDirectivesPerLocation : ValidationRule
{
    private readonly Dictionary<string, Dictionary<string, DirectiveNode>> _byTypeName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DirectiveNode> _schemaDirectives = new(StringComparer.Ordinal);

    public override string Name => "UniqueDirectivesPerLocation";

    public override void EnterDirectives(ValidationContext context, IReadOnlyList<DirectiveNode> directives, SyntaxNode? owner)
    {
        Dictionary<string, DirectiveNode> seen;
        switch (owner)
        {
            case SchemaDefinitionNode:
                seen = _schemaDirectives;
                break;
            case TypeDefinitionNode type:
                if (!_byTypeName.TryGetValue(type.Name.Value, out seen!))
                {
                    seen = new Dictionary<string, DirectiveNode>(StringComparer.Ordinal);
                    _byTypeName[type.Name.Value] = seen;
                }
                break;
            default:
                if (directives.Count < 2)
                {
                    return;
                }
                seen = new Dictionary<string, DirectiveNode>(StringComparer.Ordinal);
                break;
        }
        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            if (!IsUnique(context, name))
            {
                continue;
            }
            if (seen.TryGetValue(name, out var first))
            {
                context.ReportError(this, $"Directive \"@{name}\" is used more than once at this location but is not repeatable.", first, directive);
            }
            else
            {
                seen[name] = directive;
            }
        }
    }

    private static bool IsUnique(ValidationContext context, string name) =>
        context.DocumentDirectives.TryGetValue(name, out var defined) ? !defined.Repeatable : context.Schema.GetDirective(name) is { IsRepeatable: false };
}
