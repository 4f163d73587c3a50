using Microsoft.Extensions.Logging;

namespace OneMap.GraphQL;

/// <summary>The engine's log messages (source-generated, stable event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Resolver of {Field} failed at {Path}; the client sees a masked error")]
    public static partial void ResolverFailed(ILogger logger, Exception exception, string field, string path);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Request exceeded its time limit of {Seconds} s")]
    public static partial void RequestTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "WebSocket closed with {Code}: {Reason}")]
    public static partial void WebSocketClosed(ILogger logger, int code, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Subscription source of {Field} failed")]
    public static partial void SubscriptionFailed(ILogger logger, Exception exception, string field);
}
