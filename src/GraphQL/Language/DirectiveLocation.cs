namespace OneMap.GraphQL.Language;

/// <summary>Where a directive may appear (§3.13), executable locations first, then type system locations.</summary>
public enum DirectiveLocation
{
    QUERY,
    MUTATION,
    SUBSCRIPTION,
    FIELD,
    FRAGMENT_DEFINITION,
    FRAGMENT_SPREAD,
    INLINE_FRAGMENT,
    VARIABLE_DEFINITION,
    SCHEMA,
    SCALAR,
    OBJECT,
    FIELD_DEFINITION,
    ARGUMENT_DEFINITION,
    INTERFACE,
    UNION,
    ENUM,
    ENUM_VALUE,
    INPUT_OBJECT,
    INPUT_FIELD_DEFINITION,

    /// <summary>On a directive definition (only <c>@deprecated</c>: directives can be deprecated).</summary>
    DIRECTIVE_DEFINITION,
}

/// <summary>Conversions between <see cref="DirectiveLocation"/> and the names documents use.</summary>
public static class DirectiveLocations
{
    private static readonly Dictionary<string, DirectiveLocation> ByName =
        Enum.GetValues<DirectiveLocation>().ToDictionary(l => l.ToString(), l => l, StringComparer.Ordinal);

    public static bool TryParse(string name, out DirectiveLocation location) => ByName.TryGetValue(name, out location);

    /// <summary>True for the locations of executable documents (QUERY … VARIABLE_DEFINITION).</summary>
    public static bool IsExecutable(DirectiveLocation location) => location <= DirectiveLocation.VARIABLE_DEFINITION;
}
