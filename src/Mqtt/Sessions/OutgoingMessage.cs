namespace OneMap.Mqtt.Sessions;

/// <summary>Where an outgoing QoS 1/2 message stands in its handshake (§4.3).</summary>
internal enum OutgoingStage
{
    /// <summary>QoS 1 PUBLISH sent or waiting to be sent; PUBACK ends it.</summary>
    AwaitingPubAck,

    /// <summary>QoS 2 PUBLISH sent or waiting to be sent; PUBREC moves it on.</summary>
    AwaitingPubRec,

    /// <summary>QoS 2 PUBREL sent; PUBCOMP ends it.</summary>
    AwaitingPubComp,
}

/// <summary>A QoS 1/2 message the broker has not yet acknowledged. Kept across reconnects and re-sent in order.</summary>
internal sealed class OutgoingMessage(string topic, int topicByteCount, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain)
{
    public string Topic { get; } = topic;

    public int TopicByteCount { get; } = topicByteCount;

    /// <summary>The caller's memory until the publish completes; replaced by a private copy if the caller cancels.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; } = payload;

    public MqttQualityOfService QualityOfService { get; } = qos;

    public bool Retain { get; } = retain;

    public ushort PacketId { get; set; }

    public OutgoingStage Stage { get; set; } = qos == MqttQualityOfService.AtLeastOnce ? OutgoingStage.AwaitingPubAck : OutgoingStage.AwaitingPubRec;

    /// <summary>True once the PUBLISH went out on some connection: a re-send then carries DUP (MQTT-3.3.1-1).</summary>
    public bool SentBefore { get; set; }

    public LinkedListNode<OutgoingMessage>? Node { get; set; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
