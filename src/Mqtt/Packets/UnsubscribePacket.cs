using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (§3.10): flags 0010, packet identifier, then at least one topic filter.</summary>
internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters)
{
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (TopicFilters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2)", nameof(TopicFilters));
        }
        var byteCounts = new int[TopicFilters.Count];
        var remaining = 2;
        for (var i = 0; i < TopicFilters.Count; i++)
        {
            byteCounts[i] = MqttStrings.ByteCountForSending(TopicFilters[i], "topic filter", nameof(TopicFilters));
            remaining += 2 + byteCounts[i];
        }
        var total = 1 + RemainingLength.EncodedSize(remaining) + remaining;
        var writer = new PacketSpanWriter(output.GetSpan(total));
        writer.WriteFixedHeader(PacketType.Unsubscribe, 0x02, remaining);
        writer.WriteUInt16(PacketId);
        for (var i = 0; i < TopicFilters.Count; i++)
        {
            writer.WriteString(TopicFilters[i], byteCounts[i]);
        }
        output.Advance(writer.Position);
    }

    public static UnsubscribePacket Decode(byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(PacketType.Unsubscribe, fixedHeaderFlags, 0x02);
        var reader = new PacketSpanReader(body, "UNSUBSCRIBE");
        var id = reader.ReadPacketId();
        var filters = new List<string>();
        while (!reader.End)
        {
            filters.Add(reader.ReadString("topic filter"));
        }
        if (filters.Count == 0)
        {
            throw new MqttProtocolException("malformed UNSUBSCRIBE: no topic filters (MQTT-3.10.3-2)");
        }
        return new UnsubscribePacket(id, filters);
    }
}
