namespace OneMap.Mqtt.Client;

/// <summary>The last will (§3.1.2.5): published by the broker to <paramref name="Topic"/> when the client vanishes without DISCONNECT.</summary>
public sealed record MqttLastWill(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService QualityOfService = MqttQualityOfService.AtLeastOnce,
    bool Retain = false);
