using System.Buffers;
using System.Buffers.Binary;

namespace OneMap.Mqtt.Packets;

/// <summary>PUBLISH (§3.3): flags DUP/QoS/RETAIN, topic name, packet identifier when QoS &gt; 0, then the payload.</summary>
internal readonly record struct PublishPacket(
    string Topic,
    ushort PacketId,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService QualityOfService,
    bool Duplicate,
    bool Retain)
{
    /// <summary>Bytes a PUBLISH needs besides its payload: topic length prefix, topic, and packet identifier.</summary>
    public static int VariableHeaderSize(int topicByteCount, MqttQualityOfService qos) =>
        2 + topicByteCount + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2);

    /// <summary>Largest payload a PUBLISH on a topic of this size can carry (Remaining Length is at most 268,435,455).</summary>
    public static int MaximumPayload(int topicByteCount, MqttQualityOfService qos) =>
        RemainingLength.Maximum - VariableHeaderSize(topicByteCount, qos);

    /// <summary>Encodes a PUBLISH; <paramref name="topicByteCount"/> comes from the validation done when the publish was accepted.</summary>
    public static void Write(
        IBufferWriter<byte> output,
        string topic,
        int topicByteCount,
        ushort packetId,
        ReadOnlySpan<byte> payload,
        MqttQualityOfService qos,
        bool duplicate,
        bool retain)
    {
        var variableHeader = VariableHeaderSize(topicByteCount, qos);
        var remaining = variableHeader + payload.Length;
        var headerSize = 1 + RemainingLength.EncodedSize(remaining) + variableHeader;
        var smallPacket = payload.Length <= 4096;
        var span = output.GetSpan(smallPacket ? headerSize + payload.Length : headerSize);
        var writer = new PacketSpanWriter(span);
        writer.WriteFixedHeader(PacketType.Publish, Flags(qos, duplicate, retain), remaining);
        writer.WriteString(topic, topicByteCount);
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            writer.WriteUInt16(packetId);
        }
        if (smallPacket)
        {
            writer.WriteBytes(payload);
            output.Advance(writer.Position);
        }
        else
        {
            // Large payloads are copied segment by segment rather than asking the pipe for one huge span.
            output.Advance(writer.Position);
            output.Write(payload);
        }
    }

    public static byte Flags(MqttQualityOfService qos, bool duplicate, bool retain) =>
        (byte)((duplicate ? 0x08 : 0) | ((byte)qos << 1) | (retain ? 0x01 : 0));

    /// <summary>Decodes a whole PUBLISH body; the payload is copied out, so the receive buffer can be reused at once.</summary>
    public static PublishPacket Decode(byte flags, in ReadOnlySequence<byte> body, TopicNameCache? topics)
    {
        if (!TryDecodeVariableHeader(flags, body, topics, out var header))
        {
            throw new MqttProtocolException($"malformed PUBLISH: the packet ends inside its variable header ({body.Length} bytes)");
        }
        var payload = body.Slice(header.Length).ToArray();
        return new PublishPacket(header.Topic, header.PacketId, payload, header.QualityOfService, header.Duplicate, header.Retain);
    }

    /// <summary>
    /// Decodes flags, topic and packet identifier from the start of a PUBLISH body. Returns false when
    /// <paramref name="bodyPrefix"/> does not hold all of it yet (oversized packets are read this way, then skipped).
    /// </summary>
    public static bool TryDecodeVariableHeader(byte flags, in ReadOnlySequence<byte> bodyPrefix, TopicNameCache? topics, out PublishHeader header)
    {
        header = default;
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            throw new MqttProtocolException("malformed PUBLISH: QoS bits are 3 (MQTT-3.3.1-4)");
        }
        var duplicate = (flags & 0x08) != 0;
        if (duplicate && qos == 0)
        {
            throw new MqttProtocolException("malformed PUBLISH: DUP is set on a QoS 0 message (MQTT-3.3.1-2)");
        }

        if (bodyPrefix.Length < 2)
        {
            return false;
        }
        Span<byte> lengthBytes = stackalloc byte[2];
        bodyPrefix.Slice(0, 2).CopyTo(lengthBytes);
        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        var needed = 2 + topicLength + (qos == 0 ? 0 : 2);
        if (bodyPrefix.Length < needed)
        {
            return false;
        }
        if (topicLength == 0)
        {
            throw new MqttProtocolException("malformed PUBLISH: empty topic name (MQTT-4.7.3-1)");
        }

        var topicSlice = bodyPrefix.Slice(2, topicLength);
        byte[]? rented = null;
        var topicBytes = topicSlice.IsSingleSegment
            ? topicSlice.FirstSpan
            : (rented = ArrayPool<byte>.Shared.Rent(topicLength)).AsSpan(0, topicLength);
        try
        {
            if (rented is not null)
            {
                topicSlice.CopyTo(rented);
            }
            if (topicBytes.IndexOfAny((byte)'+', (byte)'#') >= 0)
            {
                throw new MqttProtocolException("malformed PUBLISH: the topic name contains a wildcard (MQTT-3.3.2-2)");
            }
            var topic = topics?.GetOrDecode(topicBytes) ?? MqttStrings.Decode(topicBytes, "PUBLISH topic name");

            ushort packetId = 0;
            if (qos != 0)
            {
                Span<byte> idBytes = stackalloc byte[2];
                bodyPrefix.Slice(2 + topicLength, 2).CopyTo(idBytes);
                packetId = BinaryPrimitives.ReadUInt16BigEndian(idBytes);
                if (packetId == 0)
                {
                    throw new MqttProtocolException("malformed PUBLISH: packet identifier 0 on a QoS > 0 message");
                }
            }
            header = new PublishHeader(topic, packetId, (MqttQualityOfService)qos, duplicate, (flags & 0x01) != 0, needed);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>What precedes a PUBLISH payload; <see cref="Length"/> is its size in bytes.</summary>
internal readonly record struct PublishHeader(
    string Topic,
    ushort PacketId,
    MqttQualityOfService QualityOfService,
    bool Duplicate,
    bool Retain,
    int Length);
