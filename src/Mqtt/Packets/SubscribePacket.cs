using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>One topic filter of a SUBSCRIBE with the maximum QoS asked for.</summary>
internal readonly record struct SubscribeRequest(string TopicFilter, MqttQualityOfService QualityOfService);

/// <summary>SUBSCRIBE (§3.8): flags 0010, packet identifier, then at least one (filter, requested QoS) pair.</summary>
internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<SubscribeRequest> Requests)
{
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Requests.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3)", nameof(Requests));
        }
        var byteCounts = new int[Requests.Count];
        var remaining = 2;
        for (var i = 0; i < Requests.Count; i++)
        {
            byteCounts[i] = MqttStrings.ByteCountForSending(Requests[i].TopicFilter, "topic filter", nameof(Requests));
            remaining += 2 + byteCounts[i] + 1;
        }
        var total = 1 + RemainingLength.EncodedSize(remaining) + remaining;
        var writer = new PacketSpanWriter(output.GetSpan(total));
        writer.WriteFixedHeader(PacketType.Subscribe, 0x02, remaining);
        writer.WriteUInt16(PacketId);
        for (var i = 0; i < Requests.Count; i++)
        {
            writer.WriteString(Requests[i].TopicFilter, byteCounts[i]);
            writer.WriteByte((byte)Requests[i].QualityOfService);
        }
        output.Advance(writer.Position);
    }

    public static SubscribePacket Decode(byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(PacketType.Subscribe, fixedHeaderFlags, 0x02);
        var reader = new PacketSpanReader(body, "SUBSCRIBE");
        var id = reader.ReadPacketId();
        var requests = new List<SubscribeRequest>();
        while (!reader.End)
        {
            var filter = reader.ReadString("topic filter");
            var qos = reader.ReadByte("requested QoS");
            if (qos > 2)
            {
                throw new MqttProtocolException($"malformed SUBSCRIBE: requested QoS byte 0x{qos:X2} for \"{filter}\" (MQTT-3.8.3-4)");
            }
            requests.Add(new SubscribeRequest(filter, (MqttQualityOfService)qos));
        }
        if (requests.Count == 0)
        {
            throw new MqttProtocolException("malformed SUBSCRIBE: no topic filters (MQTT-3.8.3-3)");
        }
        return new SubscribePacket(id, requests);
    }
}
