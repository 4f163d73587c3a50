namespace OneMap.Ingest;

/// <summary>Settings shared by the ingest workers (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// Key of the salted hashes (HMAC-SHA256) of personal data: at least 16 bytes, the same for every worker that counts
    /// repeat callers, kept secret (environment variable <c>Ingest__PersonalDataKey</c>). Required by the ticket worker and
    /// by feeds with personal columns; no default.
    /// </summary>
    public string? PersonalDataKey { get; set; }
}
