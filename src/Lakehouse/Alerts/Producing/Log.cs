using Microsoft.Extensions.Logging;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>The alert producer's log messages (event ids 4100–4119).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Alerts: learnt {Stations} station model(s) from the lake's history up to {Until} ({Skipped} station(s) with too little history)")]
    public static partial void ModelsLearnt(ILogger logger, int stations, int skipped, DateTimeOffset until);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Alerts backfill: station {Station} had too little history before the range ({Reason}); it learnt on the range itself")]
    public static partial void BackfillLearntOnRange(ILogger logger, string station, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Alerts backfill [{From}, {To}): {Stations} station(s) scored, {Alerts} alert(s) raised or updated")]
    public static partial void BackfillDone(ILogger logger, DateTimeOffset from, DateTimeOffset to, int stations, int alerts);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Alerts: ranking the upstream suspects of {AlertId} failed; it goes out without them: {Reason}")]
    public static partial void SuspectsFailed(ILogger logger, string alertId, string reason);
}
