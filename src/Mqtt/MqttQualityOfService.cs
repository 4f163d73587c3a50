namespace OneMap.Mqtt;

/// <summary>MQTT delivery guarantee (§4.3).</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: fire and forget; a message may be lost.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged with PUBACK; a message may arrive more than once.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: four-step handshake; a message arrives once.</summary>
    ExactlyOnce = 2,
}
