using System.Buffers;

namespace OneMap.Mqtt.Packets;

/// <summary>CONNACK (§3.2): the session-present flag and the return code.</summary>
internal readonly record struct ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode)
{
    public void WriteTo(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(4);
        span[0] = (byte)PacketType.ConnAck << 4;
        span[1] = 2;
        span[2] = SessionPresent ? (byte)1 : (byte)0;
        span[3] = (byte)ReturnCode;
        output.Advance(4);
    }

    public static ConnAckPacket Decode(byte fixedHeaderFlags, ReadOnlySpan<byte> body)
    {
        FixedHeaderFlags.Expect(PacketType.ConnAck, fixedHeaderFlags, 0);
        if (body.Length != 2)
        {
            throw new MqttProtocolException($"malformed CONNACK: remaining length is {body.Length}, must be 2");
        }
        if ((body[0] & 0xFE) != 0)
        {
            throw new MqttProtocolException($"malformed CONNACK: reserved acknowledge flags set (0x{body[0]:X2})");
        }
        var sessionPresent = (body[0] & 1) == 1;
        var code = body[1];
        if (code > (byte)ConnectReturnCode.NotAuthorized)
        {
            throw new MqttProtocolException($"malformed CONNACK: return code {code} is reserved");
        }
        if (code != 0 && sessionPresent)
        {
            throw new MqttProtocolException("malformed CONNACK: session present is set on a refused connection (MQTT-3.2.2-4)");
        }
        return new ConnAckPacket(sessionPresent, (ConnectReturnCode)code);
    }
}
