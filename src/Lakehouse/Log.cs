using Microsoft.Extensions.Logging;

namespace OneMap.Lakehouse;

/// <summary>Log messages of the lakehouse (source-generated, stable event ids).</summary>
internal static partial class LakehouseLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Table {Table} committed version {Version} ({Operation}): {FilesAdded} files added, {FilesRemoved} removed, {Rows} rows written")]
    public static partial void Committed(ILogger logger, string table, long version, string operation, int filesAdded, int filesRemoved, long rows);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Table {Table}: transaction {AppId} version {AppVersion} was already committed (last {Committed}); skipped")]
    public static partial void AlreadyApplied(ILogger logger, string table, string appId, long appVersion, long committed);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Table {Table}: {Operation} attempt {Attempt} conflicted with a concurrent commit ({Conflict}); planning again")]
    public static partial void Conflict(ILogger logger, string table, string operation, int attempt, string conflict);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Table {Table}: checkpoint written at version {Version}")]
    public static partial void Checkpointed(ILogger logger, string table, long version);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Table {Table}: checkpoint at version {Version} failed; readers replay the JSON commits instead")]
    public static partial void CheckpointFailed(ILogger logger, string table, long version, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Table {Table}: reading the log after committing version {Version} failed")]
    public static partial void RefreshFailed(ILogger logger, string table, long version, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Table {Table}: VACUUM deleted {Files} unreferenced files ({Bytes} bytes) older than {Retention}")]
    public static partial void Vacuumed(ILogger logger, string table, int files, long bytes, TimeSpan retention);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Query session: view {View} now shows version {Version}")]
    public static partial void ViewRefreshed(ILogger logger, string view, long version);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Query session: table {Table} could not be refreshed; its view keeps the previous snapshot")]
    public static partial void ViewRefreshFailed(ILogger logger, string table, Exception exception);
}

/// <summary>Delta's interval strings for table properties, e.g. <c>interval 7 days</c> or <c>interval 1 week</c>.</summary>
internal static class Durations
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = parts[0].Equals("interval", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        TimeSpan total = TimeSpan.Zero;
        for (; i + 1 < parts.Length; i += 2)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }
            total += parts[i + 1].ToLowerInvariant().TrimEnd('s') switch
            {
                "week" => TimeSpan.FromDays(7 * amount),
                "day" => TimeSpan.FromDays(amount),
                "hour" => TimeSpan.FromHours(amount),
                "minute" => TimeSpan.FromMinutes(amount),
                "second" => TimeSpan.FromSeconds(amount),
                "millisecond" => TimeSpan.FromMilliseconds(amount),
                _ => TimeSpan.Zero,
            };
        }
        return total;
    }
}
