namespace OneMap.GraphQL.Protection;

/// <summary>
/// Per-request bounds that keep one client from exhausting the server. Every rejection is a GraphQL error with an
/// <c>extensions.code</c>, never a crash or a hang. A null bound is not checked. Defaults are in <see cref="Default"/>.
/// </summary>
public sealed record RequestLimits
{
    /// <summary>Most lexical tokens a document may have (checked while parsing); default 15 000.</summary>
    public int? MaxTokens { get; init; } = 15_000;

    /// <summary>Deepest field nesting an operation may reach (fragments expanded, introspection fields not counted); default 20.</summary>
    public int? MaxDepth { get; init; } = 20;

    /// <summary>Most aliased fields an operation may have (fragments counted where spread); default 500.</summary>
    public int? MaxAliases { get; init; } = 500;

    /// <summary>Highest cost an operation may have (see <see cref="CostHint"/>); default 100 000.</summary>
    public long? MaxCost { get; init; } = 100_000;

    /// <summary>List size assumed for a list field whose size arguments are not given and which has no assumed size; default 10.</summary>
    public int DefaultListSize { get; init; } = 10;

    /// <summary>
    /// Arguments read as a list field's size when its cost hint names none (or it has no hint); default
    /// <c>first</c>, <c>last</c>, <c>limit</c>.
    /// </summary>
    public IReadOnlyList<string> DefaultSizeArguments { get; init; } = ["first", "last", "limit"];

    /// <summary>How long execution may take before the request fails with code <c>TIMEOUT</c>; default 30 s.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The defaults above.</summary>
    public static RequestLimits Default { get; } = new();

    /// <summary>No limits at all (for trusted callers and tests).</summary>
    public static RequestLimits None { get; } = new()
    {
        MaxTokens = null,
        MaxDepth = null,
        MaxAliases = null,
        MaxCost = null,
        Timeout = null,
    };
}
