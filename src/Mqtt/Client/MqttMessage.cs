using System.Text;

using OneMap.Mqtt.Sessions;

namespace OneMap.Mqtt.Client;

/// <summary>
/// A message received from the broker. For QoS 1/2 in <see cref="MqttAcknowledgeMode.Manual"/> mode the broker
/// keeps it until <see cref="Acknowledge"/> is called; acknowledgements go out in arrival order.
/// </summary>
public sealed class MqttMessage
{
    private readonly InboundAckQueue? _acks;
    private volatile bool _acknowledged;

    internal MqttMessage(
        string topic,
        ReadOnlyMemory<byte> payload,
        MqttQualityOfService qualityOfService,
        bool retain,
        bool duplicate,
        ushort packetId,
        string? subscriptionFilter,
        InboundAckQueue? acks,
        int? oversizedLength = null)
    {
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
        SubscriptionFilter = subscriptionFilter;
        OversizedLength = oversizedLength;
        _acks = qualityOfService == MqttQualityOfService.AtMostOnce ? null : acks;
        _acknowledged = _acks is null;
    }

    /// <summary>The topic the message was published to.</summary>
    public string Topic { get; }

    /// <summary>The application payload; empty for an oversized message.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The QoS the message was delivered with (the lower of the publisher's and the subscription's).</summary>
    public MqttQualityOfService QualityOfService { get; }

    /// <summary>True when the broker sent a retained message because of a new subscription.</summary>
    public bool Retain { get; }

    /// <summary>True when the broker says this may be a re-delivery of a message sent before (DUP flag).</summary>
    public bool Duplicate { get; }

    /// <summary>
    /// The filter of this client's subscription that the topic matches, as it was subscribed (including any
    /// <c>$share/&lt;group&gt;/</c> prefix); null when none does (e.g. a subscription made by an earlier process).
    /// </summary>
    public string? SubscriptionFilter { get; }

    /// <summary>
    /// Set when the PUBLISH exceeded <see cref="MqttClientOptions.MaximumPacketSize"/>: its size in bytes. The payload
    /// was skipped unread and <see cref="Payload"/> is empty; the message still needs acknowledging.
    /// </summary>
    public int? OversizedLength { get; }

    public bool IsOversized => OversizedLength is not null;

    /// <summary>True once acknowledged (always true for QoS 0).</summary>
    public bool IsAcknowledged => _acknowledged;

    internal ushort PacketId { get; }

    internal bool AcknowledgedFlag
    {
        get => _acknowledged;
        set => _acknowledged = value;
    }

    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadAsString() => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>
    /// Acknowledges the message: PUBACK (QoS 1) or PUBREC (QoS 2) is sent once every message that arrived before it
    /// on the same connection is acknowledged too. Idempotent; nothing to do for QoS 0. Returns false when the
    /// connection that delivered the message has since been lost: the broker will deliver it again (with
    /// <see cref="Duplicate"/> set) to a persistent session, so the copy that arrives then is the one to acknowledge.
    /// </summary>
    public bool Acknowledge() => _acks?.Acknowledge(this) ?? true;

    public override string ToString() =>
        $"{Topic} (QoS {(int)QualityOfService}{(Retain ? ", retained" : "")}{(Duplicate ? ", dup" : "")}, {(IsOversized ? $"oversized {OversizedLength} bytes" : $"{Payload.Length} bytes")})";
}
