namespace OneMap.GraphQL;

/// <summary>Base of every exception the engine throws. <see cref="IsTransient"/> says whether trying again can help.</summary>
public abstract class GraphQLException : Exception
{
    protected GraphQLException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>True when the same call may succeed later (a cancelled or timed-out request); false for bad input.</summary>
    public virtual bool IsTransient => false;
}

/// <summary>A document that does not follow the GraphQL grammar; the message names the problem and its line and column.</summary>
public sealed class GraphQLSyntaxException : GraphQLException
{
    public GraphQLSyntaxException(string description, SourceLocation location, int position)
        : base($"Syntax Error: {description} (line {location.Line}, column {location.Column})")
    {
        Description = description;
        Location = location;
        Position = position;
    }

    /// <summary>The problem without the location suffix, e.g. <c>expected a name, found "{"</c>.</summary>
    public string Description { get; }

    public SourceLocation Location { get; }

    /// <summary>Character offset of the problem in the document.</summary>
    public int Position { get; }

    /// <summary>True when parsing stopped because the document exceeded its token limit, not because of bad syntax.</summary>
    public bool IsTokenLimit { get; init; }

    /// <summary>The exception as a GraphQL error for a response.</summary>
    public GraphQLError ToError() =>
        new($"Syntax Error: {Description}", [Location],
            extensions: new Dictionary<string, object?> { ["code"] = IsTokenLimit ? ErrorCodes.TokenLimit : ErrorCodes.SyntaxError });
}

/// <summary>A schema that breaks the type system's rules (a type without fields, an interface implemented wrongly…).</summary>
public sealed class SchemaException : GraphQLException
{
    public SchemaException(IReadOnlyList<string> problems)
        : base("The schema is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
    {
        Problems = problems;
    }

    public SchemaException(string problem, Exception? inner = null) : base("The schema is invalid: " + problem, inner)
    {
        Problems = [problem];
    }

    /// <summary>Every rule the schema breaks, each naming the type, field or argument concerned.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>
/// Thrown by a resolver to fail its field with a message meant for the client (other exceptions are masked unless
/// <see cref="Execution.ExecutionOptions.IncludeExceptionDetails"/> is set), optionally with a code and extensions.
/// </summary>
public sealed class GraphQLFieldException : GraphQLException
{
    public GraphQLFieldException(string message, string? code = null, IReadOnlyDictionary<string, object?>? extensions = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Extensions = extensions;
    }

    public string? Code { get; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; }
}

/// <summary>The <c>extensions.code</c> values the engine puts on its errors.</summary>
public static class ErrorCodes
{
    public const string SyntaxError = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string BadRequest = "BAD_REQUEST";
    public const string OperationNotFound = "OPERATION_RESOLUTION_FAILURE";
    public const string OperationNotAllowed = "OPERATION_NOT_ALLOWED";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string PersistedQueryHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
    public const string Timeout = "TIMEOUT";
    public const string Cancelled = "CANCELLED";
    public const string DepthLimit = "DEPTH_LIMIT_EXCEEDED";
    public const string AliasLimit = "ALIAS_LIMIT_EXCEEDED";
    public const string TokenLimit = "TOKEN_LIMIT_EXCEEDED";
    public const string CostLimit = "COST_LIMIT_EXCEEDED";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string InternalError = "INTERNAL_SERVER_ERROR";
}
