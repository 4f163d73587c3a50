using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>SUBACK (§3.9): packet identifier and one return code per requested filter, in order.</summary>
internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes)
{
    public const byte Failure = 0x80;

    public void WriteTo(IBufferWriter<byte> output)
    {
        var remaining = 2 + ReturnCodes.Count;
        var total = 1 + RemainingLength.EncodedSize(remaining) + remaining;
        var writer = new PacketSpanWriter(output.GetSpan(total));
        writer.WriteFixedHeader(PacketType.SubAck, 0, remaining);
        writer.WriteUInt16(PacketId);
        foreach (var code in ReturnCodes)
        {
            writer.WriteByte(code);
        }
        output.Advance(writer.Position);
    }

    public static SubAckPacket Decode(byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(PacketType.SubAck, fixedHeaderFlags, 0);
        var reader = new PacketSpanReader(body, "SUBACK");
        var id = reader.ReadPacketId();
        var codes = reader.ReadRest().ToArray();
        if (codes.Length == 0)
        {
            throw new MqttProtocolException("malformed SUBACK: no return codes");
        }
        foreach (var code in codes)
        {
            if (code is not (0 or 1 or 2 or Failure))
            {
                throw new MqttProtocolException($"malformed SUBACK: return code 0x{code:X2} is reserved (MQTT-3.9.3-2)");
            }
        }
        return new SubAckPacket(id, codes);
    }
}
