namespace OneMap.Mqtt.Client;

/// <summary>A topic filter to subscribe to with the highest QoS wanted; the filter may be <c>$share/&lt;group&gt;/&lt;filter&gt;</c>.</summary>
public sealed record MqttTopicSubscription(string TopicFilter, MqttQualityOfService QualityOfService = MqttQualityOfService.AtLeastOnce);

/// <summary>What the broker granted for one filter of a SUBSCRIBE: the QoS, or <see cref="Refused"/> (SUBACK 0x80).</summary>
public sealed record MqttSubscribeOutcome(string TopicFilter, MqttQualityOfService? GrantedQualityOfService)
{
    public bool Refused => GrantedQualityOfService is null;
}
