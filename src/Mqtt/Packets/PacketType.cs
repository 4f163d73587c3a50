namespace OneMap.Mqtt.Packets;

/// <summary>Control packet types, the high nibble of the fixed header's first byte (§2.2.1). 0 and 15 are reserved.</summary>
internal enum PacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

internal static class PacketTypeNames
{
    public static string Name(PacketType type) => type switch
    {
        PacketType.Connect => "CONNECT",
        PacketType.ConnAck => "CONNACK",
        PacketType.Publish => "PUBLISH",
        PacketType.PubAck => "PUBACK",
        PacketType.PubRec => "PUBREC",
        PacketType.PubRel => "PUBREL",
        PacketType.PubComp => "PUBCOMP",
        PacketType.Subscribe => "SUBSCRIBE",
        PacketType.SubAck => "SUBACK",
        PacketType.Unsubscribe => "UNSUBSCRIBE",
        PacketType.UnsubAck => "UNSUBACK",
        PacketType.PingReq => "PINGREQ",
        PacketType.PingResp => "PINGRESP",
        PacketType.Disconnect => "DISCONNECT",
        _ => $"reserved type {(byte)type}",
    };
}
