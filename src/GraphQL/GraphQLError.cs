using OneMap.GraphQL.Language;

namespace OneMap.GraphQL;

/// <summary>A line and column (both 1-based) in a GraphQL document, as the specification's error format reports it.</summary>
public readonly record struct SourceLocation(int Line, int Column);

/// <summary>
/// One entry of a response's <c>errors</c> list: a message for a person, where in the document the problem is, the
/// response path of the field it concerns (execution errors) and machine-readable extensions such as a <c>code</c>.
/// </summary>
public sealed class GraphQLError
{
    public GraphQLError(string message, IReadOnlyList<SourceLocation>? locations = null, IReadOnlyList<object>? path = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        Message = message;
        Locations = locations is { Count: > 0 } ? locations : null;
        Path = path;
        Extensions = extensions;
    }

    /// <summary>What went wrong, naming the offending field, argument or value.</summary>
    public string Message { get; }

    /// <summary>Where in the document; null when the error has no place in it (a missing variable, a timeout).</summary>
    public IReadOnlyList<SourceLocation>? Locations { get; }

    /// <summary>Response path of the field that failed (names and list indices); null for request errors.</summary>
    public IReadOnlyList<object>? Path { get; }

    /// <summary>Extra machine-readable facts; <c>code</c> names the kind of failure.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; }

    /// <summary>The validation rule that rejected the document, when this is a validation error.</summary>
    public string? Rule => Extensions is not null && Extensions.TryGetValue("rule", out var rule) ? rule as string : null;

    /// <summary>The error's <c>extensions.code</c>, if any.</summary>
    public string? Code => Extensions is not null && Extensions.TryGetValue("code", out var code) ? code as string : null;

    /// <summary>An error located at the given syntax nodes.</summary>
    public static GraphQLError At(string message, IEnumerable<SyntaxNode?> nodes, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var locations = new List<SourceLocation>();
        foreach (var node in nodes)
        {
            if (node?.Location is { } location)
            {
                locations.Add(location.Start);
            }
        }
        return new GraphQLError(message, locations, null, extensions);
    }

    /// <summary>An error with just a code in its extensions.</summary>
    public static GraphQLError WithCode(string message, string code) =>
        new(message, extensions: new Dictionary<string, object?> { ["code"] = code });

    public override string ToString()
    {
        var where = Locations is null ? "" : " at " + string.Join(", ", Locations.Select(l => $"{l.Line}:{l.Column}"));
        var path = Path is null ? "" : " (path " + string.Join(".", Path) + ")";
        return Message + where + path;
    }
}
