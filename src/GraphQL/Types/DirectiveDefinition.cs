using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>A directive (§3.13): where it may be used, its arguments, whether it may repeat.</summary>
public sealed class DirectiveDefinition
{
    private Dictionary<string, InputValueDefinition>? _argumentsByName;

    internal DirectiveDefinition(string name, IReadOnlyList<DirectiveLocation> locations)
    {
        Name = name;
        Locations = locations;
    }

    public string Name { get; }

    public string? Description { get; internal init; }

    public IReadOnlyList<DirectiveLocation> Locations { get; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; internal set; } = [];

    public bool IsRepeatable { get; internal init; }

    /// <summary>Why clients should stop using this directive; null when it is not deprecated.</summary>
    public string? DeprecationReason { get; internal init; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>True for the directives of the specification (skip, include, deprecated, specifiedBy, oneOf).</summary>
    public bool IsBuiltIn { get; internal init; }

    public InputValueDefinition? GetArgument(string name)
    {
        if (Arguments.Count == 0)
        {
            return null;
        }
        _argumentsByName ??= Arguments.ToDictionary(a => a.Name, StringComparer.Ordinal);
        return _argumentsByName.GetValueOrDefault(name);
    }

    public override string ToString() => "@" + Name;
}

/// <summary>The directives every schema has.</summary>
public static class BuiltInDirectives
{
    public const string DefaultDeprecationReason = "No longer supported";

    public static DirectiveDefinition Include { get; } = new("include", [DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT])
    {
        Description = "Directs the executor to include this field or fragment only when the `if` argument is true.",
        Arguments = [new InputValueDefinition("if", new NonNullType(Scalars.Boolean)) { Description = "Included when true." }],
        IsBuiltIn = true,
    };

    public static DirectiveDefinition Skip { get; } = new("skip", [DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT])
    {
        Description = "Directs the executor to skip this field or fragment when the `if` argument is true.",
        Arguments = [new InputValueDefinition("if", new NonNullType(Scalars.Boolean)) { Description = "Skipped when true." }],
        IsBuiltIn = true,
    };

    public static DirectiveDefinition Deprecated { get; } = new("deprecated",
        [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.ARGUMENT_DEFINITION, DirectiveLocation.INPUT_FIELD_DEFINITION, DirectiveLocation.ENUM_VALUE,
            DirectiveLocation.DIRECTIVE_DEFINITION])
    {
        Description = "Marks an element of a GraphQL schema as no longer supported.",
        Arguments =
        [
            new InputValueDefinition("reason", Scalars.String)
            {
                Description = "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
                HasDefaultValue = true,
                DefaultValue = DefaultDeprecationReason,
                DefaultValueLiteral = new StringValueNode(DefaultDeprecationReason),
            },
        ],
        IsBuiltIn = true,
    };

    public static DirectiveDefinition SpecifiedBy { get; } = new("specifiedBy", [DirectiveLocation.SCALAR])
    {
        Description = "Exposes a URL that specifies the behavior of this scalar.",
        Arguments = [new InputValueDefinition("url", new NonNullType(Scalars.String)) { Description = "The URL that specifies the behavior of this scalar." }],
        IsBuiltIn = true,
    };

    public static DirectiveDefinition OneOf { get; } = new("oneOf", [DirectiveLocation.INPUT_OBJECT])
    {
        Description = "Indicates exactly one field must be supplied and this field must not be `null`.",
        IsBuiltIn = true,
    };

    public static IReadOnlyList<DirectiveDefinition> All { get; } = [Include, Skip, Deprecated, SpecifiedBy, OneOf];

    public static bool IsBuiltIn(string name) => name is "include" or "skip" or "deprecated" or "specifiedBy" or "oneOf";
}
