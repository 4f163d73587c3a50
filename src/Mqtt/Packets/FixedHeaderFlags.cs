namespace OneMap.Mqtt.Packets;

/// <summary>Fixed-header flag checks: every packet but PUBLISH has one allowed flag value (§2.2.2, MQTT-2.2.2-2).</summary>
internal static class FixedHeaderFlags
{
    public static void Expect(PacketType type, byte actual, byte expected)
    {
        if (actual != expected)
        {
            throw new MqttProtocolException(
                $"malformed {PacketTypeNames.Name(type)}: fixed header flags are 0x{actual:X1}, the specification requires 0x{expected:X1}");
        }
    }
}
