namespace OneMap.Mqtt.Client;

/// <summary>When received QoS 1/2 messages are acknowledged to the broker.</summary>
public enum MqttAcknowledgeMode
{
    /// <summary>When the application takes the message from <see cref="MqttClient.Messages"/>.</summary>
    Auto,

    /// <summary>
    /// When the application calls <see cref="MqttMessage.Acknowledge"/>, e.g. after the batch holding it is durably
    /// stored. Until then the broker keeps the message and re-sends it to a persistent session after a reconnect.
    /// </summary>
    Manual,
}
