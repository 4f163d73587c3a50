using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>A fixed header read off the wire: type, flags, Remaining Length, and how many bytes the header took.</summary>
internal readonly record struct FrameHeader(byte FirstByte, int RemainingLength, int HeaderLength)
{
    public PacketType Type => (PacketType)(FirstByte >> 4);

    public byte Flags => (byte)(FirstByte & 0x0F);

    public long TotalLength => HeaderLength + (long)RemainingLength;
}

/// <summary>Splits a byte stream into MQTT control packets.</summary>
internal static class PacketFramer
{
    /// <summary>
    /// Reads the fixed header at the start of <paramref name="buffer"/>. Returns false when more bytes are needed;
    /// throws <see cref="MqttProtocolException"/> for a reserved packet type or a malformed Remaining Length.
    /// </summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        header = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return false;
        }
        var type = first >> 4;
        if (type is 0 or 15)
        {
            throw new MqttProtocolException($"malformed packet: control packet type {type} is reserved (first byte 0x{first:X2})");
        }
        if (!RemainingLength.TryRead(ref reader, out var remaining))
        {
            return false;
        }
        header = new FrameHeader(first, remaining, (int)reader.Consumed);
        return true;
    }

    /// <summary>Copies a small packet body into one span when the pipe split it across segments.</summary>
    public static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> body) =>
        body.IsSingleSegment ? body.FirstSpan : body.ToArray();
}
