using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>The will a CONNECT carries (§3.1.2.5): published by the broker if the client vanishes without DISCONNECT.</summary>
internal sealed record ConnectWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain);

/// <summary>CONNECT (§3.1): protocol name "MQTT", level 4, flags, keep-alive, then client id, will, user name, password.</summary>
internal sealed record ConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    string? UserName = null,
    ReadOnlyMemory<byte>? Password = null,
    ConnectWill? Will = null)
{
    public const byte ProtocolLevel = 4;

    private const byte UserNameFlag = 0x80;
    private const byte PasswordFlag = 0x40;
    private const byte WillRetainFlag = 0x20;
    private const byte WillFlag = 0x04;
    private const byte CleanSessionFlag = 0x02;

    public void WriteTo(IBufferWriter<byte> output)
    {
        var clientIdBytes = MqttStrings.ByteCountForSending(ClientId, "client identifier", nameof(ClientId));
        var remaining = 10 + 2 + clientIdBytes;
        var willTopicBytes = 0;
        if (Will is not null)
        {
            willTopicBytes = MqttStrings.ByteCountForSending(Will.Topic, "will topic", nameof(Will));
            remaining += 2 + willTopicBytes + 2 + Will.Payload.Length;
        }
        var userNameBytes = 0;
        if (UserName is not null)
        {
            userNameBytes = MqttStrings.ByteCountForSending(UserName, "user name", nameof(UserName));
            remaining += 2 + userNameBytes;
        }
        if (Password is { } password)
        {
            remaining += 2 + password.Length;
        }

        var total = 1 + RemainingLength.EncodedSize(remaining) + remaining;
        var writer = new PacketSpanWriter(output.GetSpan(total));
        writer.WriteFixedHeader(PacketType.Connect, 0, remaining);
        writer.WriteUInt16(4);
        writer.WriteBytes("MQTT"u8);
        writer.WriteByte(ProtocolLevel);
        writer.WriteByte(Flags());
        writer.WriteUInt16(KeepAliveSeconds);
        writer.WriteString(ClientId, clientIdBytes);
        if (Will is not null)
        {
            writer.WriteString(Will.Topic, willTopicBytes);
            writer.WriteBinary(Will.Payload.Span);
        }
        if (UserName is not null)
        {
            writer.WriteString(UserName, userNameBytes);
        }
        if (Password is { } passwordBytes)
        {
            writer.WriteBinary(passwordBytes.Span);
        }
        output.Advance(writer.Position);
    }

    private byte Flags()
    {
        byte flags = 0;
        if (UserName is not null)
        {
            flags |= UserNameFlag;
        }
        if (Password is not null)
        {
            flags |= PasswordFlag;
        }
        if (Will is not null)
        {
            flags |= WillFlag;
            flags |= (byte)((byte)Will.QualityOfService << 3);
            if (Will.Retain)
            {
                flags |= WillRetainFlag;
            }
        }
        if (CleanSession)
        {
            flags |= CleanSessionFlag;
        }
        return flags;
    }

    /// <summary>Decodes a CONNECT body (the broker side; used by tests that play a broker).</summary>
    public static ConnectPacket Decode(byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(PacketType.Connect, fixedHeaderFlags, 0);
        var reader = new PacketSpanReader(body, "CONNECT");
        var protocolName = reader.ReadString("protocol name");
        var level = reader.ReadByte("protocol level");
        if (protocolName != "MQTT" || level != ProtocolLevel)
        {
            throw new MqttProtocolException($"CONNECT asks for protocol \"{protocolName}\" level {level}; only MQTT level 4 (3.1.1) is spoken");
        }
        var flags = reader.ReadByte("connect flags");
        if ((flags & 0x01) != 0)
        {
            throw new MqttProtocolException("malformed CONNECT: the reserved connect flag is set");
        }
        var willQos = (flags >> 3) & 0x03;
        var hasWill = (flags & WillFlag) != 0;
        if (willQos == 3 || (!hasWill && (willQos != 0 || (flags & WillRetainFlag) != 0)))
        {
            throw new MqttProtocolException($"malformed CONNECT: will QoS {willQos} / will retain are inconsistent with the will flag");
        }
        if ((flags & PasswordFlag) != 0 && (flags & UserNameFlag) == 0)
        {
            throw new MqttProtocolException("malformed CONNECT: a password without a user name");
        }
        var keepAlive = reader.ReadUInt16("keep alive");
        var clientId = reader.ReadString("client identifier");
        ConnectWill? will = null;
        if (hasWill)
        {
            var topic = reader.ReadString("will topic");
            var payload = reader.ReadBinary("will message").ToArray();
            will = new ConnectWill(topic, payload, (MqttQualityOfService)willQos, (flags & WillRetainFlag) != 0);
        }
        var userName = (flags & UserNameFlag) != 0 ? reader.ReadString("user name") : null;
        ReadOnlyMemory<byte>? password = (flags & PasswordFlag) != 0 ? reader.ReadBinary("password").ToArray() : null;
        reader.ExpectEnd();
        return new ConnectPacket(clientId, (flags & CleanSessionFlag) != 0, keepAlive, userName, password, will);
    }
}
