using Microsoft.Extensions.Logging;

namespace OneMap.Mqtt;

/// <summary>Source-generated log messages of the MQTT client, with stable event ids (7000–7099).</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "MQTT connected to {Endpoint} as \"{ClientId}\" (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string endpoint, string clientId, bool sessionPresent);

    [LoggerMessage(7001, LogLevel.Warning, "MQTT connection to {Endpoint} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason, Exception? exception);

    [LoggerMessage(7002, LogLevel.Information, "MQTT reconnecting to {Endpoint}: attempt {Attempt} in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string endpoint, int attempt, long delayMs);

    [LoggerMessage(7003, LogLevel.Warning, "MQTT reconnect attempt {Attempt} to {Endpoint} failed: {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string endpoint, string reason);

    [LoggerMessage(7004, LogLevel.Error, "MQTT client for {Endpoint} gave up: {Reason}")]
    public static partial void GaveUp(ILogger logger, string endpoint, string reason, Exception exception);

    [LoggerMessage(7005, LogLevel.Information, "MQTT re-subscribed {Count} topic filter(s) on {Endpoint} (the broker had no session)")]
    public static partial void Resubscribed(ILogger logger, int count, string endpoint);

    [LoggerMessage(7006, LogLevel.Error, "MQTT broker {Endpoint} refused the subscription to {TopicFilter}")]
    public static partial void SubscriptionRefused(ILogger logger, string endpoint, string topicFilter);

    [LoggerMessage(7007, LogLevel.Debug, "MQTT {PacketType} for unknown packet identifier {PacketId} ignored")]
    public static partial void UnknownPacketId(ILogger logger, string packetType, ushort packetId);

    [LoggerMessage(7008, LogLevel.Warning, "MQTT message on {Topic} of {Size} bytes exceeds the maximum packet size {Maximum}: payload skipped")]
    public static partial void OversizedPublish(ILogger logger, string topic, int size, int maximum);

    [LoggerMessage(7009, LogLevel.Debug, "MQTT re-sending {Count} unacknowledged message(s) after reconnect")]
    public static partial void Resending(ILogger logger, int count);

    [LoggerMessage(7010, LogLevel.Error, "MQTT state change handler threw")]
    public static partial void StateHandlerFailed(ILogger logger, Exception exception);
}
