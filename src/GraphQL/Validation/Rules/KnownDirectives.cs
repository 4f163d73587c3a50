using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.7.1 Directives Are Defined, §5.7.2 Directives Are In Valid Locations.</summary>
public sealed class KnownDirectives : ValidationRule
{
    public override string Name => "KnownDirectives";

    public override void EnterDirective(ValidationContext context, DirectiveNode node, DirectiveLocation location)
    {
        var name = node.Name.Value;
        IEnumerable<DirectiveLocation>? locations = null;
        if (context.DocumentDirectives.TryGetValue(name, out var defined))
        {
            locations = defined.Locations.Select(l => DirectiveLocations.TryParse(l.Value, out var parsed) ? parsed : (DirectiveLocation?)null).OfType<DirectiveLocation>();
        }
        else if (context.Schema.GetDirective(name) is { } definition)
        {
            locations = definition.Locations;
        }
        if (locations is null)
        {
            context.ReportError(this, $"Unknown directive \"@{name}\".", node);
        }
        else if (!locations.Contains(location))
        {
            context.ReportError(this, $"Directive \"@{name}\" is not allowed on {location}.", node);
        }
    }
}
