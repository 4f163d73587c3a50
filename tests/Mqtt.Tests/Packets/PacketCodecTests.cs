using System.Buffers;

using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Tests.Packets;

/// <summary>Each control packet: exact bytes from the specification's layouts, and decode(encode(x)) = x.</summary>
public sealed class PacketCodecTests
{
    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static (FrameHeader Header, ReadOnlySequence<byte> Body) Frame(byte[] packet)
    {
        var sequence = new ReadOnlySequence<byte>(packet);
        Assert.True(PacketFramer.TryReadHeader(sequence, out var header));
        Assert.Equal(packet.Length, header.TotalLength);
        return (header, sequence.Slice(header.HeaderLength));
    }

    [Fact]
    public void connect_has_the_layout_of_section_3_1()
    {
        var bytes = Encode(new ConnectPacket("a", CleanSession: true, KeepAliveSeconds: 60).WriteTo);
        Assert.Equal(new byte[] { 0x10, 0x0D, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, (byte)'a' }, bytes);
    }

    [Fact]
    public void connect_with_will_and_credentials_round_trips()
    {
        var packet = new ConnectPacket("sensor-gateway-7", false, 30, "gw", "pa55"u8.ToArray(),
            new ConnectWill("gw/7/status", "gone"u8.ToArray(), MqttQualityOfService.ExactlyOnce, Retain: true));
        var (header, body) = Frame(Encode(packet.WriteTo));

        var decoded = ConnectPacket.Decode(header.Flags, body.ToArray());

        Assert.Equal(packet.ClientId, decoded.ClientId);
        Assert.False(decoded.CleanSession);
        Assert.Equal(30, decoded.KeepAliveSeconds);
        Assert.Equal("gw", decoded.UserName);
        Assert.Equal("pa55"u8.ToArray(), decoded.Password!.Value.ToArray());
        Assert.Equal("gw/7/status", decoded.Will!.Topic);
        Assert.Equal("gone"u8.ToArray(), decoded.Will.Payload.ToArray());
        Assert.Equal(MqttQualityOfService.ExactlyOnce, decoded.Will.QualityOfService);
        Assert.True(decoded.Will.Retain);
    }

    [Fact]
    public void connack_round_trips_and_rejects_session_present_on_refusal()
    {
        var bytes = Encode(new ConnAckPacket(true, ConnectReturnCode.Accepted).WriteTo);
        Assert.Equal(new byte[] { 0x20, 0x02, 0x01, 0x00 }, bytes);
        Assert.Equal(new ConnAckPacket(true, ConnectReturnCode.Accepted), ConnAckPacket.Decode(0, bytes.AsSpan(2)));

        Assert.Throws<MqttProtocolException>(() => ConnAckPacket.Decode(0, [0x01, 0x05]));
        Assert.Throws<MqttProtocolException>(() => ConnAckPacket.Decode(0, [0x00, 0x06]));
        Assert.Throws<MqttProtocolException>(() => ConnAckPacket.Decode(0, [0x02, 0x00]));
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce, false, false)]
    [InlineData(MqttQualityOfService.AtLeastOnce, true, false)]
    [InlineData(MqttQualityOfService.ExactlyOnce, true, true)]
    public void publish_round_trips_flags_topic_packet_id_and_payload(MqttQualityOfService qos, bool duplicate, bool retain)
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var bytes = Encode(w => PublishPacket.Write(w, "water/ws-01/do", 14, 4242, payload, qos, duplicate, retain));
        var (header, body) = Frame(bytes);
        Assert.Equal(PacketType.Publish, header.Type);

        var decoded = PublishPacket.Decode(header.Flags, body, new TopicNameCache());

        Assert.Equal("water/ws-01/do", decoded.Topic);
        Assert.Equal(qos == MqttQualityOfService.AtMostOnce ? 0 : 4242, decoded.PacketId);
        Assert.Equal(qos, decoded.QualityOfService);
        Assert.Equal(duplicate, decoded.Duplicate);
        Assert.Equal(retain, decoded.Retain);
        Assert.Equal(payload, decoded.Payload.ToArray());
    }

    [Fact]
    public void publish_decodes_when_the_packet_arrives_in_many_segments()
    {
        var bytes = Encode(w => PublishPacket.Write(w, "a/b", 3, 9, "hello"u8, MqttQualityOfService.AtLeastOnce, false, false));
        var sequence = Segments.Of([.. bytes.Take(3)], [.. bytes.Skip(3).Take(4)], [.. bytes.Skip(7)]);
        Assert.True(PacketFramer.TryReadHeader(sequence, out var header));

        var decoded = PublishPacket.Decode(header.Flags, sequence.Slice(header.HeaderLength), null);

        Assert.Equal("a/b", decoded.Topic);
        Assert.Equal(9, decoded.PacketId);
        Assert.Equal("hello"u8.ToArray(), decoded.Payload.ToArray());
    }

    [Fact]
    public void a_large_publish_uses_a_four_byte_remaining_length()
    {
        var payload = new byte[2_100_000];
        var bytes = Encode(w => PublishPacket.Write(w, "big", 3, 1, payload, MqttQualityOfService.AtLeastOnce, false, false));
        var (header, body) = Frame(bytes);
        Assert.Equal(5, header.HeaderLength);
        Assert.Equal(payload.Length, PublishPacket.Decode(header.Flags, body, null).Payload.Length);
    }

    [Theory]
    [InlineData((int)PacketType.PubAck, 0x40)]
    [InlineData((int)PacketType.PubRec, 0x50)]
    [InlineData((int)PacketType.PubRel, 0x62)]
    [InlineData((int)PacketType.PubComp, 0x70)]
    [InlineData((int)PacketType.UnsubAck, 0xB0)]
    public void packet_id_packets_have_their_required_flags_and_round_trip(int typeCode, byte firstByte)
    {
        var type = (PacketType)typeCode;
        var bytes = Encode(w => PacketIdPacket.WriteTo(w, type, 0xBEEF));
        Assert.Equal(new byte[] { firstByte, 0x02, 0xBE, 0xEF }, bytes);
        Assert.Equal(0xBEEF, PacketIdPacket.Decode(type, (byte)(firstByte & 0x0F), bytes.AsSpan(2)));
    }

    [Theory]
    [InlineData((int)PacketType.PubAck)]
    [InlineData((int)PacketType.PubRel)]
    public void packet_identifier_zero_is_refused(int typeCode)
    {
        var type = (PacketType)typeCode;
        Assert.Throws<MqttProtocolException>(() => PacketIdPacket.Decode(type, PacketIdPacket.RequiredFlags(type), [0x00, 0x00]));
    }

    [Fact]
    public void subscribe_and_suback_round_trip()
    {
        var subscribe = new SubscribePacket(10, [new SubscribeRequest("a/+", MqttQualityOfService.AtLeastOnce), new SubscribeRequest("$share/g/b/#", MqttQualityOfService.ExactlyOnce)]);
        var bytes = Encode(subscribe.WriteTo);
        Assert.Equal(0x82, bytes[0]);
        var (header, body) = Frame(bytes);
        var decoded = SubscribePacket.Decode(header.Flags, body.ToArray());
        Assert.Equal(10, decoded.PacketId);
        Assert.Equal(subscribe.Requests, decoded.Requests);

        var subAck = Encode(new SubAckPacket(10, [0x01, SubAckPacket.Failure]).WriteTo);
        Assert.Equal(new byte[] { 0x90, 0x04, 0x00, 0x0A, 0x01, 0x80 }, subAck);
        Assert.Equal([0x01, 0x80], SubAckPacket.Decode(0, subAck.AsSpan(2)).ReturnCodes);
    }

    [Fact]
    public void unsubscribe_round_trips()
    {
        var bytes = Encode(new UnsubscribePacket(77, ["a/#", "莆田/+"]).WriteTo);
        Assert.Equal(0xA2, bytes[0]);
        var (header, body) = Frame(bytes);
        var decoded = UnsubscribePacket.Decode(header.Flags, body.ToArray());
        Assert.Equal(77, decoded.PacketId);
        Assert.Equal(["a/#", "莆田/+"], decoded.TopicFilters);
    }

    [Theory]
    [InlineData((int)PacketType.PingReq, 0xC0)]
    [InlineData((int)PacketType.PingResp, 0xD0)]
    [InlineData((int)PacketType.Disconnect, 0xE0)]
    public void empty_packets_are_two_bytes(int typeCode, byte firstByte)
    {
        var type = (PacketType)typeCode;
        Assert.Equal(new byte[] { firstByte, 0x00 }, Encode(w => EmptyPacket.WriteTo(w, type)));
        Assert.Throws<MqttProtocolException>(() => EmptyPacket.Decode(type, 0, 1));
    }

    [Fact]
    public void utf8_strings_are_length_prefixed_bytes_with_the_bom_kept()
    {
        // "莆田" is 6 UTF-8 bytes; a leading U+FEFF must not be stripped (MQTT-1.5.3-3).
        var topic = "\uFEFF莆田";
        var bytes = Encode(w => PublishPacket.Write(w, topic, 9, 0, [], MqttQualityOfService.AtMostOnce, false, false));
        Assert.Equal(new byte[] { 0x30, 0x0B, 0x00, 0x09, 0xEF, 0xBB, 0xBF, 0xE8, 0x8E, 0x86, 0xE7, 0x94, 0xB0 }, bytes);
        var (header, body) = Frame(bytes);
        Assert.Equal(topic, PublishPacket.Decode(header.Flags, body, new TopicNameCache()).Topic);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]              // invalid continuation byte
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]        // U+D800, a surrogate (MQTT-1.5.3-1)
    [InlineData(new byte[] { 0xC0, 0xAF })]              // overlong encoding of '/'
    [InlineData(new byte[] { 0x61, 0x00 })]              // U+0000 (MQTT-1.5.3-2)
    public void ill_formed_utf8_is_a_protocol_error(byte[] utf8)
    {
        var reader = new PacketSpanReader([0x00, (byte)utf8.Length, .. utf8], "TEST");
        bool threw;
        try
        {
            reader.ReadString("field");
            threw = false;
        }
        catch (MqttProtocolException)
        {
            threw = true;
        }
        Assert.True(threw);
    }

    [Fact]
    public void strings_mqtt_forbids_are_refused_before_sending()
    {
        // Built in code: a lone surrogate in [InlineData] would be replaced by U+FFFD on the way to the test.
        foreach (var value in new[] { "a\0b", "x" + '\uD800' + "y" })
        {
            Assert.Throws<ArgumentException>(() => MqttStrings.ByteCountForSending(value, "topic name", "topic"));
        }
    }

    [Fact]
    public void strings_longer_than_65535_bytes_are_refused_before_sending()
    {
        var error = Assert.Throws<ArgumentException>(() => MqttStrings.ByteCountForSending(new string('水', 30_000), "topic name", "topic"));
        Assert.Contains("90000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_topic_cache_returns_the_same_string_for_the_same_bytes()
    {
        var cache = new TopicNameCache();
        var first = cache.GetOrDecode("water/ws-01/do"u8);
        var second = cache.GetOrDecode("water/ws-01/do"u8);
        Assert.Same(first, second);
        Assert.Equal("water/ws-02/do", cache.GetOrDecode("water/ws-02/do"u8));
    }
}
