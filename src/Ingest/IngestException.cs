namespace OneMap.Ingest;

/// <summary>
/// Base of every error the ingest workers raise. <see cref="IsTransient"/> says whether trying again later can help
/// (a source that is down) or not (a contract or a file that is wrong and must be fixed by a person).
/// </summary>
public abstract class IngestException : Exception
{
    protected IngestException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same operation may succeed if retried later.</summary>
    public abstract bool IsTransient { get; }
}

/// <summary>A feed contract that cannot be used: unreadable JSON, an unknown type, a missing mapping. Names the file and the JSON path.</summary>
public sealed class FeedContractException(string contractPath, string jsonPath, string problem, Exception? innerException = null)
    : IngestException($"feed contract {contractPath}: {(jsonPath.Length == 0 ? "" : jsonPath + ": ")}{problem}", innerException)
{
    public string ContractPath { get; } = contractPath;

    /// <summary>Where in the contract the problem is, e.g. <c>columns[3].type</c> (empty for the whole file).</summary>
    public string JsonPath { get; } = jsonPath;

    public string Problem { get; } = problem;

    public override bool IsTransient => false;
}

/// <summary>
/// An input file that cannot be read at all (wrong encoding, required columns missing, not JSON): it is refused as a
/// whole, moved aside with this message, and nothing else is affected.
/// </summary>
public sealed class FileRefusedException(string file, string problem, Exception? innerException = null)
    : IngestException($"{file}: refused: {problem}", innerException)
{
    public string File { get; } = file;

    public string Problem { get; } = problem;

    public override bool IsTransient => false;
}

/// <summary>A source (an HTTP feed, the ticket API, the broker) could not be reached or answered with a fault.</summary>
public sealed class SourceUnavailableException(string source, string problem, bool isTransient, Exception? innerException = null)
    : IngestException($"{source}: {problem}", innerException)
{
    /// <summary>The source that failed (a URL, a broker endpoint).</summary>
    public string SourceName { get; } = source;

    public override bool IsTransient { get; } = isTransient;
}

/// <summary>Committing ingested rows to the lake failed; the input stays where it was and is tried again.</summary>
public sealed class IngestCommitException(string dataset, string problem, Exception? innerException = null)
    : IngestException($"committing to '{dataset}' failed: {problem}", innerException)
{
    public string Dataset { get; } = dataset;

    public override bool IsTransient => true;
}
