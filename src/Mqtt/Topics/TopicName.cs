using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Topics;

/// <summary>Rules for topic names, the concrete topics messages are published to (§4.7.3).</summary>
public static class TopicName
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the topic when it cannot be published to: empty, wildcards,
    /// U+0000, invalid Unicode, or more than 65,535 UTF-8 bytes. Returns the UTF-8 byte count.
    /// </summary>
    public static int Validate(string topic, string paramName = "topic")
    {
        ArgumentNullException.ThrowIfNull(topic, paramName);
        if (topic.Length == 0)
        {
            throw new ArgumentException("topic name must not be empty (MQTT-4.7.3-1)", paramName);
        }
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"topic name \"{topic}\" contains a wildcard (+ or #); wildcards belong in subscriptions only", paramName);
        }
        return MqttStrings.ByteCountForSending(topic, "topic name", paramName);
    }
}
