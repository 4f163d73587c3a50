using Microsoft.Extensions.Logging;

namespace OneMap.GraphQLApi;

/// <summary>The API's log messages (source-generated, stable event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Catalog: {Count} dataset(s) served (schema generation {Generation})")]
    public static partial void DatasetsChanged(ILogger logger, int count, long generation);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Catalog could not be read; the previous schema stays: {Reason}")]
    public static partial void CatalogReadFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Schema generation {Generation} could not be built; the previous schema stays: {Reason}")]
    public static partial void SchemaFailed(ILogger logger, long generation, string reason, Exception exception);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Admin API key created at first start (id {KeyId}); it was printed once and only its hash is stored in {Path}")]
    public static partial void AdminKeyCreated(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Request refused: {Reason} ({Path})")]
    public static partial void Unauthenticated(ILogger logger, string reason, string path);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "Audit entries could not be committed ({Count} kept for the next attempt): {Reason}")]
    public static partial void AuditFailed(ILogger logger, int count, string reason, Exception exception);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Personal-data key generated at first start and kept in {Path} (set Ingest:PersonalDataKey to manage it yourself)")]
    public static partial void PersonalDataKeyGenerated(ILogger logger, string path);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Error, Message = "Resolver {Field} failed: {Reason}")]
    public static partial void ResolverFailed(ILogger logger, string field, string reason, Exception exception);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Error, Message = "Alert watch failed; retrying: {Reason}")]
    public static partial void AlertWatchFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Sensor ingest starts: the registers it checks readings against are in the lake ({Registers})")]
    public static partial void RegistersReady(ILogger logger, string registers);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Export {Token} of {Dataset} as {Format}: {Rows} row(s) streamed to {Caller}")]
    public static partial void ExportStreamed(ILogger logger, string token, string dataset, string format, long rows, string caller);
}
