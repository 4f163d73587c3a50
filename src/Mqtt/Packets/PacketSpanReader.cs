using System.Buffers.Binary;

namespace OneMap.Mqtt.Packets;

/// <summary>
/// Reads MQTT fields from a packet body. Running out of bytes means the Remaining Length lied about the contents,
/// so every shortfall is a <see cref="MqttProtocolException"/> naming the packet and the field.
/// </summary>
internal ref struct PacketSpanReader(ReadOnlySpan<byte> body, string packetName)
{
    private readonly ReadOnlySpan<byte> _body = body;

    public int Position { get; private set; }

    public readonly int Remaining => _body.Length - Position;

    public readonly bool End => Position == _body.Length;

    public byte ReadByte(string field)
    {
        Need(1, field);
        return _body[Position++];
    }

    public ushort ReadUInt16(string field)
    {
        Need(2, field);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_body[Position..]);
        Position += 2;
        return value;
    }

    /// <summary>Reads a non-zero packet identifier (§2.3.1: MQTT-2.3.1-1).</summary>
    public ushort ReadPacketId()
    {
        var id = ReadUInt16("packet identifier");
        if (id == 0)
        {
            throw new MqttProtocolException($"malformed {packetName}: packet identifier 0 is not allowed");
        }
        return id;
    }

    public string ReadString(string field)
    {
        var length = ReadUInt16($"{field} length");
        Need(length, field);
        var value = MqttStrings.Decode(_body.Slice(Position, length), $"{packetName} {field}");
        Position += length;
        return value;
    }

    public ReadOnlySpan<byte> ReadBinary(string field)
    {
        var length = ReadUInt16($"{field} length");
        Need(length, field);
        var value = _body.Slice(Position, length);
        Position += length;
        return value;
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _body[Position..];
        Position = _body.Length;
        return rest;
    }

    public readonly void ExpectEnd()
    {
        if (!End)
        {
            throw new MqttProtocolException($"malformed {packetName}: {Remaining} unexpected trailing bytes");
        }
    }

    private readonly void Need(int count, string field)
    {
        if (Remaining < count)
        {
            throw new MqttProtocolException($"malformed {packetName}: the packet ends inside the {field} (needs {count} bytes, {Remaining} left)");
        }
    }
}
