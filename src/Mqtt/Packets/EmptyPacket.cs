using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>PINGREQ, PINGRESP and DISCONNECT: a fixed header with no flags and a Remaining Length of 0.</summary>
internal static class EmptyPacket
{
    public const int Size = 2;

    public static void WriteTo(IBufferWriter<byte> output, PacketType type)
    {
        var span = output.GetSpan(Size);
        span[0] = (byte)((byte)type << 4);
        span[1] = 0;
        output.Advance(Size);
    }

    public static void Decode(PacketType type, byte fixedHeaderFlags, int bodyLength)
    {
        FixedHeaderFlags.Expect(type, fixedHeaderFlags, 0);
        if (bodyLength != 0)
        {
            throw new MqttProtocolException($"malformed {PacketTypeNames.Name(type)}: remaining length is {bodyLength}, must be 0");
        }
    }
}
