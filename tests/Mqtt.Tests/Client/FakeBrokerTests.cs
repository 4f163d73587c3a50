using OneMap.Mqtt.Client;
using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Tests.Support;

namespace OneMap.Mqtt.Tests.Client;

/// <summary>What a misbehaving or silent broker does to the client: clear errors, closed connections, no crash.</summary>
public sealed class FakeBrokerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MqttClientOptions Options(FakeBroker broker, Action<MqttClientOptions>? configure = null) =>
        TestClients.Options("127.0.0.1", broker.Port, "fake-test", o =>
        {
            o.Reconnect.Enabled = false;
            configure?.Invoke(o);
        });

    public static TheoryData<string, byte[]> MalformedPackets => new()
    {
        { "Remaining Length longer than four bytes", [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "reserved packet type 0", [0x00, 0x00] },
        { "reserved packet type 15", [0xF0, 0x00] },
        { "PUBLISH with QoS 3", [0x36, 0x05, 0x00, 0x01, (byte)'a', 0x00, 0x01] },
        { "PUBLISH with DUP on QoS 0", [0x38, 0x03, 0x00, 0x01, (byte)'a'] },
        { "PUBLISH with invalid UTF-8 topic", [0x30, 0x04, 0x00, 0x02, 0xC3, 0x28] },
        { "PUBLISH with U+0000 in the topic", [0x30, 0x04, 0x00, 0x02, (byte)'a', 0x00] },
        { "PUBLISH with a wildcard topic", [0x30, 0x05, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'#'] },
        { "PUBLISH with an empty topic", [0x30, 0x02, 0x00, 0x00] },
        { "PUBLISH whose topic runs past the packet", [0x32, 0x04, 0x00, 0x09, (byte)'a', (byte)'b'] },
        { "PUBLISH QoS 1 with packet identifier 0", [0x32, 0x05, 0x00, 0x01, (byte)'a', 0x00, 0x00] },
        { "PUBACK with wrong flags", [0x42, 0x02, 0x00, 0x01] },
        { "PUBACK with a bad length", [0x40, 0x03, 0x00, 0x01, 0x00] },
        { "PUBREL without its required flags", [0x60, 0x02, 0x00, 0x01] },
        { "PINGRESP with a body", [0xD0, 0x01, 0x00] },
        { "SUBACK with a reserved return code", [0x90, 0x03, 0x00, 0x01, 0x03] },
        { "a second CONNACK", [0x20, 0x02, 0x00, 0x00] },
        { "SUBSCRIBE, which only clients send", [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'a', 0x01] },
        { "PINGREQ, which only clients send", [0xC0, 0x00] },
    };

    [Theory]
    [MemberData(nameof(MalformedPackets))]
    public async Task malformed_packets_close_the_connection_with_a_protocol_error(string what, byte[] bytes)
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.ReadPacketAsync(ct); // the client's "go" message: ConnectAsync has returned
            await connection.SendAsync(bytes, ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker));
        var lost = client.NextState(s => s.Current == MqttConnectionState.Disconnected);

        await client.ConnectAsync(Ct);
        await client.PublishAsync("go", "", MqttQualityOfService.AtMostOnce, cancellationToken: Ct);
        var change = await lost.WaitAsync(TestClients.Patience, Ct);

        var error = Assert.IsType<MqttProtocolException>(change.Reason);
        Assert.False(error.IsTransient);
        Assert.False(string.IsNullOrWhiteSpace(error.Message), what);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task a_malformed_connack_fails_connect_with_a_protocol_error()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.ReadPacketAsync(ct);
            await connection.SendAsync([0x20, 0x02, 0x02, 0x00], ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker));

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => client.ConnectAsync(Ct));

        Assert.Contains("CONNACK", error.Message, StringComparison.Ordinal);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Theory]
    [InlineData(ConnectReturnCode.UnacceptableProtocolVersion, false)]
    [InlineData(ConnectReturnCode.IdentifierRejected, false)]
    [InlineData(ConnectReturnCode.ServerUnavailable, true)]
    [InlineData(ConnectReturnCode.BadUserNameOrPassword, false)]
    [InlineData(ConnectReturnCode.NotAuthorized, false)]
    public async Task connack_refusals_surface_their_return_code_and_whether_a_retry_can_help(ConnectReturnCode code, bool transient)
    {
        await using var broker = new FakeBroker(async (connection, ct) => await connection.AcceptAsync(ct, code));
        await using var client = new MqttClient(Options(broker));

        var error = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => client.ConnectAsync(Ct));

        Assert.Equal(code, error.ReturnCode);
        Assert.Equal(transient, error.IsTransient);
        Assert.Contains($"return code {(int)code}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_silent_broker_is_detected_by_keep_alive()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.DrainAsync(ct); // reads PINGREQs, never answers
        });
        await using var client = new MqttClient(Options(broker, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.PingTimeout = TimeSpan.FromMilliseconds(500);
        }));
        var lost = client.NextState(s => s.Current == MqttConnectionState.Disconnected);

        await client.ConnectAsync(Ct);
        var change = await lost.WaitAsync(TestClients.Patience, Ct);

        var error = Assert.IsType<MqttTimeoutException>(change.Reason);
        Assert.True(error.IsTransient);
        Assert.Contains("PINGRESP", error.Message, StringComparison.Ordinal);
        lock (broker.Received)
        {
            Assert.Contains(broker.Received, p => p.Type == PacketType.PingReq);
        }
    }

    [Fact]
    public async Task a_silent_broker_triggers_reconnection_when_reconnect_is_on()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.PingTimeout = TimeSpan.FromMilliseconds(500);
            o.Reconnect.Enabled = true;
        }));
        var reconnected = client.NextState(s => s.Previous == MqttConnectionState.Reconnecting && s.Current == MqttConnectionState.Connected);

        await client.ConnectAsync(Ct);
        await reconnected.WaitAsync(TestClients.Patience, Ct);

        Assert.True(broker.Connections >= 2);
        Assert.True(client.Statistics.ConnectionsLost >= 1);
    }

    [Fact]
    public async Task an_oversized_publish_is_skipped_unbuffered_and_delivered_as_a_marker_without_dropping_the_connection()
    {
        const int declared = 3 * 1024 * 1024;
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            // PUBLISH QoS 1 to "big" with packet id 7 and a 3 MiB payload, sent in pieces, then a normal PUBLISH.
            byte[] header = [0x32, .. RemainingLengthBytes(declared), 0x00, 0x03, (byte)'b', (byte)'i', (byte)'g', 0x00, 0x07];
            await connection.SendAsync(header, ct);
            var chunk = new byte[64 * 1024];
            for (var sent = 7; sent < declared; sent += chunk.Length)
            {
                await connection.SendAsync(chunk.AsMemory(0, Math.Min(chunk.Length, declared - sent)), ct);
            }
            await connection.SendAsync([0x30, 0x07, 0x00, 0x03, (byte)'s', (byte)'m', (byte)'l', (byte)'o', (byte)'k'], ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o => o.MaximumPacketSize = 1024 * 1024));
        await client.ConnectAsync(Ct);

        var messages = await client.ReceiveAsync(2, Ct);

        Assert.Equal("big", messages[0].Topic);
        Assert.True(messages[0].IsOversized);
        Assert.Equal(1 + 4 + declared, messages[0].OversizedLength);
        Assert.True(messages[0].Payload.IsEmpty);
        Assert.Equal("sml", messages[1].Topic);
        Assert.Equal("ok", messages[1].PayloadAsString());
        Assert.Equal(MqttConnectionState.Connected, client.State);
        Assert.Equal(1, client.Statistics.OversizedMessages);
        // Auto mode acknowledged the oversized QoS 1 message on read, so the broker will not send it again.
        await TestClients.EventuallyAsync(() => { lock (broker.Received) { return broker.Received.Any(p => p.Type == PacketType.PubAck); } }, "PUBACK for the oversized message", Ct);
        lock (broker.Received)
        {
            var pubAck = broker.Received.First(p => p.Type == PacketType.PubAck);
            Assert.Equal([0x00, 0x07], pubAck.Body);
        }
    }

    [Fact]
    public async Task an_oversized_packet_of_another_type_is_refused_with_a_clear_error()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.ReadPacketAsync(ct);
            await connection.SendAsync([0x90, .. RemainingLengthBytes(100_000_000), 0x00, 0x01], ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker));
        var lost = client.NextState(s => s.Current == MqttConnectionState.Disconnected);

        await client.ConnectAsync(Ct);
        await client.PublishAsync("go", "", MqttQualityOfService.AtMostOnce, cancellationToken: Ct);
        var change = await lost.WaitAsync(TestClients.Patience, Ct);

        var error = Assert.IsType<MqttPacketTooLargeException>(change.Reason);
        Assert.Equal("SUBACK", error.PacketType);
        Assert.Equal(1024 * 1024, error.Maximum);
        Assert.Contains("exceeds the maximum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_connection_closed_mid_packet_is_a_lost_connection()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.ReadPacketAsync(ct);
            await connection.SendAsync([0x30, 0x10, 0x00, 0x01], ct);
        });
        await using var client = new MqttClient(Options(broker));
        var lost = client.NextState(s => s.Current == MqttConnectionState.Disconnected);

        await client.ConnectAsync(Ct);
        await client.PublishAsync("go", "", MqttQualityOfService.AtMostOnce, cancellationToken: Ct);
        var change = await lost.WaitAsync(TestClients.Patience, Ct);

        var error = Assert.IsType<MqttConnectionLostException>(change.Reason);
        Assert.True(error.IsTransient);
        Assert.Contains("middle of a packet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task connect_sends_credentials_will_keep_alive_and_session_flag_as_configured()
    {
        var received = new TaskCompletionSource<ConnectPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            received.TrySetResult(await connection.AcceptAsync(ct));
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o =>
        {
            o.ClientId = "ingest-worker-1";
            o.UserName = "ingest";
            o.Password = "s3cret";
            o.CleanSession = false;
            o.KeepAlive = TimeSpan.FromSeconds(45);
            o.LastWill = new MqttLastWill("workers/ingest-worker-1/status", "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true);
        }));

        await client.ConnectAsync(Ct);

        var connect = await received.Task.WaitAsync(TestClients.Patience, Ct);
        Assert.Equal("ingest-worker-1", connect.ClientId);
        Assert.Equal("ingest", connect.UserName);
        Assert.Equal("s3cret"u8.ToArray(), connect.Password!.Value.ToArray());
        Assert.False(connect.CleanSession);
        Assert.Equal(45, connect.KeepAliveSeconds);
        Assert.NotNull(connect.Will);
        Assert.Equal("workers/ingest-worker-1/status", connect.Will.Topic);
        Assert.Equal("offline"u8.ToArray(), connect.Will.Payload.ToArray());
        Assert.True(connect.Will.Retain);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, connect.Will.QualityOfService);
    }

    [Fact]
    public async Task suback_failures_are_surfaced_with_the_refused_filters_and_the_granted_ones_kept()
    {
        // mosquitto 2.0 grants every well-formed subscription (its ACLs filter at delivery), so a scripted broker refuses.
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            var (_, _, body) = await connection.ReadPacketAsync(ct);
            await connection.SendAsync([0x90, 0x04, body[0], body[1], 0x01, SubAckPacket.Failure], ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker));
        await client.ConnectAsync(Ct);

        var error = await Assert.ThrowsAsync<MqttSubscriptionRefusedException>(() =>
            client.SubscribeAsync([new MqttTopicSubscription("open/+"), new MqttTopicSubscription("$share/g/closed/#")], Ct));

        Assert.Equal(["$share/g/closed/#"], error.RefusedFilters);
        Assert.False(error.IsTransient);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, error.Outcomes[0].GrantedQualityOfService);
        Assert.True(error.Outcomes[1].Refused);
        Assert.Equal(["open/+"], client.Subscriptions.Select(s => s.TopicFilter));
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task a_broker_that_never_answers_subscribe_times_out()
    {
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            await connection.AcceptAsync(ct);
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300)));
        await client.ConnectAsync(Ct);

        var error = await Assert.ThrowsAsync<MqttTimeoutException>(() => client.SubscribeAsync("x/#", MqttQualityOfService.AtLeastOnce, Ct));

        Assert.Contains("SUBACK", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task unacknowledged_publishes_are_resent_in_order_with_dup_and_their_packet_ids_after_a_reconnect()
    {
        var connectionNumber = 0;
        var first = new List<PublishPacket>();
        var second = new List<(PacketType Type, byte Flags, byte[] Body)>();
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            var number = Interlocked.Increment(ref connectionNumber);
            await connection.AcceptAsync(ct, sessionPresent: number > 1);
            if (number == 1)
            {
                for (var i = 0; i < 3; i++)
                {
                    var (_, flags, body) = await connection.ReadPacketAsync(ct);
                    first.Add(PublishPacket.Decode(flags, new System.Buffers.ReadOnlySequence<byte>(body), null));
                }
                // Only the third (QoS 2) gets PUBREC; then the "broker" vanishes.
                await connection.SendAsync([0x50, 0x02, (byte)(first[2].PacketId >> 8), (byte)first[2].PacketId], ct);
                await connection.ReadPacketAsync(ct); // its PUBREL
                return;
            }
            for (var i = 0; i < 3; i++)
            {
                second.Add(await connection.ReadPacketAsync(ct));
            }
            byte[] Ack(byte type, ushort id) => [type, 0x02, (byte)(id >> 8), (byte)id];
            await connection.SendAsync(Ack(0x40, first[0].PacketId), ct);            // PUBACK a
            await connection.SendAsync(Ack(0x50, first[1].PacketId), ct);            // PUBREC b
            await connection.ReadPacketAsync(ct);                                   // PUBREL b
            await connection.SendAsync(Ack(0x70, first[1].PacketId), ct);            // PUBCOMP b
            await connection.SendAsync(Ack(0x70, first[2].PacketId), ct);            // PUBCOMP c
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o => o.Reconnect.Enabled = true));
        await client.ConnectAsync(Ct);

        await Task.WhenAll(
            client.PublishAsync("a", "1", MqttQualityOfService.AtLeastOnce, cancellationToken: Ct),
            client.PublishAsync("b", "2", MqttQualityOfService.ExactlyOnce, cancellationToken: Ct),
            client.PublishAsync("c", "3", MqttQualityOfService.ExactlyOnce, cancellationToken: Ct)).WaitAsync(TestClients.Patience, Ct);

        Assert.Equal(["a", "b", "c"], first.Select(p => p.Topic));
        Assert.All(first, p => Assert.False(p.Duplicate));
        // MQTT-4.4.0-1 and MQTT-4.6.0-1: re-sent in the original order with the original identifiers, PUBREL where PUBREC came.
        Assert.Equal(PacketType.Publish, second[0].Type);
        var resentA = PublishPacket.Decode(second[0].Flags, new System.Buffers.ReadOnlySequence<byte>(second[0].Body), null);
        Assert.Equal(("a", first[0].PacketId, true), (resentA.Topic, resentA.PacketId, resentA.Duplicate));
        var resentB = PublishPacket.Decode(second[1].Flags, new System.Buffers.ReadOnlySequence<byte>(second[1].Body), null);
        Assert.Equal(("b", first[1].PacketId, true), (resentB.Topic, resentB.PacketId, resentB.Duplicate));
        Assert.Equal(PacketType.PubRel, second[2].Type);
        Assert.Equal(first[2].PacketId, PacketIdPacket.Decode(PacketType.PubRel, second[2].Flags, second[2].Body));
        Assert.Equal(0, client.PendingPublishes);
    }

    private static byte[] RemainingLengthBytes(int value)
    {
        var bytes = new byte[4];
        return bytes[..RemainingLength.Write(bytes, value)];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task after_a_reconnect_with_the_session_present_subscriptions_are_sent_again_only_when_asked(bool resubscribe)
    {
        var connectionNumber = 0;
        var afterReconnect = new TaskCompletionSource<PacketType>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var broker = new FakeBroker(async (connection, ct) =>
        {
            var number = Interlocked.Increment(ref connectionNumber);
            await connection.AcceptAsync(ct, sessionPresent: number > 1);
            if (number == 1)
            {
                var (_, _, body) = await connection.ReadPacketAsync(ct);
                await connection.SendAsync([0x90, 0x03, body[0], body[1], 0x01], ct);
                return; // the "broker" restarts
            }
            // The client's first packet on the new connection: SUBSCRIBE when it re-subscribes, else its PINGREQ.
            var (type, _, again) = await connection.ReadPacketAsync(ct);
            afterReconnect.TrySetResult(type);
            if (type == PacketType.Subscribe)
            {
                await connection.SendAsync([0x90, 0x03, again[0], again[1], 0x01], ct);
            }
            await connection.DrainAsync(ct);
        });
        await using var client = new MqttClient(Options(broker, o =>
        {
            o.Reconnect.Enabled = true;
            o.CleanSession = false;
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.ResubscribeWhenSessionPresent = resubscribe;
        }));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("$share/g/putian/#", MqttQualityOfService.AtLeastOnce, Ct);

        var first = await afterReconnect.Task.WaitAsync(TestClients.Patience, Ct);

        Assert.Equal(resubscribe ? PacketType.Subscribe : PacketType.PingReq, first);
        Assert.Equal(["$share/g/putian/#"], client.Subscriptions.Select(s => s.TopicFilter));
    }
}
