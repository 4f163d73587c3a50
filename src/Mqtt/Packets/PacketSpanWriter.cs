using System.Buffers.Binary;

namespace OneMap.Mqtt.Packets;

/// <summary>Writes MQTT fields into a span sized beforehand (the encoders compute exact sizes, so no bounds juggling).</summary>
internal ref struct PacketSpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Position { get; private set; }

    public void WriteByte(byte value) => _destination[Position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[Position..], value);
        Position += 2;
    }

    /// <summary>Writes the fixed header: the first byte and the Remaining Length.</summary>
    public void WriteFixedHeader(PacketType type, byte flags, int remainingLength)
    {
        WriteByte((byte)(((byte)type << 4) | (flags & 0x0F)));
        Position += RemainingLength.Write(_destination[Position..], remainingLength);
    }

    /// <summary>Writes a length-prefixed UTF-8 string whose byte count the caller already validated.</summary>
    public void WriteString(string value, int byteCount)
    {
        WriteUInt16((ushort)byteCount);
        var written = MqttStrings.Encode(value, _destination.Slice(Position, byteCount));
        Position += written;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }
}
