namespace OneMap.Mqtt.Client;

/// <summary>Running counters of a <see cref="MqttClient"/>, safe to read from any thread (for logs and /metrics).</summary>
public sealed class MqttClientStatistics
{
    private long _messagesReceived;
    private long _messagesPublished;
    private long _acknowledgementsSent;
    private long _oversizedMessages;
    private long _reconnects;
    private long _connectionsLost;

    /// <summary>PUBLISH packets received (duplicates of QoS 2 messages not counted).</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Messages published: QoS 0 written, QoS 1/2 acknowledged by the broker.</summary>
    public long MessagesPublished => Interlocked.Read(ref _messagesPublished);

    /// <summary>PUBACK/PUBREC packets written for received messages.</summary>
    public long AcknowledgementsSent => Interlocked.Read(ref _acknowledgementsSent);

    /// <summary>PUBLISHes over <see cref="MqttClientOptions.MaximumPacketSize"/>, skipped and delivered without payload.</summary>
    public long OversizedMessages => Interlocked.Read(ref _oversizedMessages);

    /// <summary>Successful reconnections after a lost connection.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Connections lost (not counting ones the application closed).</summary>
    public long ConnectionsLost => Interlocked.Read(ref _connectionsLost);

    internal void Received() => Interlocked.Increment(ref _messagesReceived);

    internal void Published() => Interlocked.Increment(ref _messagesPublished);

    internal void Acknowledged(int count) => Interlocked.Add(ref _acknowledgementsSent, count);

    internal void Oversized() => Interlocked.Increment(ref _oversizedMessages);

    internal void Reconnected() => Interlocked.Increment(ref _reconnects);

    internal void Lost() => Interlocked.Increment(ref _connectionsLost);
}
