using System.Buffers;
using System.Buffers.Binary;

namespace OneMap.Mqtt.Packets;

/// <summary>
/// The four-byte packets that carry only a packet identifier: PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK
/// (§3.4–3.7, §3.11). PUBREL's fixed-header flags are 0010, the others' 0000.
/// </summary>
internal static class PacketIdPacket
{
    public const int Size = 4;

    public static byte RequiredFlags(PacketType type) => type == PacketType.PubRel ? (byte)0x02 : (byte)0x00;

    public static void Write(Span<byte> destination, PacketType type, ushort packetId)
    {
        destination[0] = (byte)(((byte)type << 4) | RequiredFlags(type));
        destination[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], packetId);
    }

    public static void WriteTo(IBufferWriter<byte> output, PacketType type, ushort packetId)
    {
        Write(output.GetSpan(Size), type, packetId);
        output.Advance(Size);
    }

    public static ushort Decode(PacketType type, byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(type, fixedHeaderFlags, RequiredFlags(type));
        if (body.Length != 2)
        {
            throw new MqttProtocolException($"malformed {PacketTypeNames.Name(type)}: remaining length is {body.Length}, must be 2");
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (id == 0)
        {
            throw new MqttProtocolException($"malformed {PacketTypeNames.Name(type)}: packet identifier 0 is not allowed");
        }
        return id;
    }
}
