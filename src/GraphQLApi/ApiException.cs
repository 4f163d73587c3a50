namespace OneMap.GraphQLApi;

/// <summary>
/// Base of the errors the API reports to a client: each names what was wrong and where (the argument, the dataset,
/// the column) and carries a GraphQL error code. <see cref="IsTransient"/> says whether asking again later can help.
/// </summary>
public abstract class ApiException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The <c>extensions.code</c> of the GraphQL error.</summary>
    public abstract string Code { get; }

    public virtual bool IsTransient => false;
}

/// <summary>An argument the API cannot use: a bad filter, an unknown column, a page too large, a bad cursor.</summary>
public sealed class ApiArgumentException(string argument, string problem, Exception? innerException = null)
    : ApiException($"{argument}: {problem}", innerException)
{
    public string Argument { get; } = argument;

    public override string Code => "BAD_USER_INPUT";
}

/// <summary>The caller's role does not allow this (a column, a dataset's rows, a mutation).</summary>
public sealed class ApiForbiddenException(string message) : ApiException(message)
{
    public override string Code => "FORBIDDEN";
}

/// <summary>What was asked for does not exist (an id, a dataset, a version).</summary>
public sealed class ApiNotFoundException(string message) : ApiException(message)
{
    public override string Code => "NOT_FOUND";
}

/// <summary>The lake is not ready for the question (a dataset it needs has not been ingested yet).</summary>
public sealed class ApiUnavailableException(string message) : ApiException(message)
{
    public override string Code => "UNAVAILABLE";

    public override bool IsTransient => true;
}
