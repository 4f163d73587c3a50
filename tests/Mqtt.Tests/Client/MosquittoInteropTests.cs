using System.Text;

using OneMap.Mqtt.Client;
using OneMap.Mqtt.Tests.Support;
using OneMap.Testing;

namespace OneMap.Mqtt.Tests.Client;

/// <summary>OneMap's client against mosquitto and its own command-line clients, in both directions.</summary>
public sealed class MosquittoInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task receives_what_mosquitto_pub_publishes(int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, $"sub-{qos}"));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("water/+/reading", MqttQualityOfService.AtLeastOnce, Ct);

        var lines = Enumerable.Range(1, 200).Select(i => $"{{\"station\":\"ws-{i:000}\",\"do\":{i % 9}.5}}").ToList();
        await MosquittoClients.PublishAsync(broker, ["-t", "water/ws-001/reading", "-q", qos.ToString(), "-l"], string.Join('\n', lines) + "\n", Ct);

        var received = await client.ReceiveAsync(lines.Count, Ct);
        Assert.Equal(lines, received.Select(m => m.PayloadAsString()));
        Assert.All(received, m =>
        {
            Assert.Equal("water/ws-001/reading", m.Topic);
            Assert.Equal((MqttQualityOfService)qos, m.QualityOfService);
            Assert.Equal("water/+/reading", m.SubscriptionFilter);
            Assert.False(m.Retain);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task mosquitto_sub_receives_what_onemap_publishes(int qos)
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "reference-sub", "manhole/#", ["-q", "1", "-v", "-C", "300"], Ct);
        await using var client = new MqttClient(TestClients.Options(broker, $"pub-{qos}"));
        await client.ConnectAsync(Ct);

        var expected = new List<string>();
        var publishes = new List<Task>();
        for (var i = 0; i < 300; i++)
        {
            var topic = $"manhole/mc-{i % 7}/tilt";
            var payload = $"{{\"seq\":{i},\"tilt\":{i % 40}}}";
            expected.Add($"{topic} {payload}");
            publishes.Add(client.PublishAsync(topic, payload, (MqttQualityOfService)qos, cancellationToken: Ct));
        }
        await Task.WhenAll(publishes);

        var lines = await subscriber.WaitForLinesAsync(TestClients.Patience, Ct);
        Assert.Equal(expected, lines);
    }

    [Fact]
    public async Task retained_messages_cross_both_ways()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await MosquittoClients.PublishAsync(broker, ["-t", "station/ws-9/status", "-q", "1", "-r", "-m", "online"], cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "retain-client"));
        await client.ConnectAsync(Ct);

        await client.PublishAsync("station/ws-7/status", "maintenance", MqttQualityOfService.AtLeastOnce, retain: true, Ct);
        await client.SubscribeAsync("station/ws-9/status", MqttQualityOfService.AtLeastOnce, Ct);
        var retained = Assert.Single(await client.ReceiveAsync(1, Ct));
        Assert.True(retained.Retain);
        Assert.Equal("online", retained.PayloadAsString());

        // mosquitto_sub connects after the publish: it only sees the message because the broker retained it.
        await using var late = await MosquittoClients.SubscribeAsync(broker, "late-sub", "station/ws-7/status", ["-C", "1", "-F", "%r %t %p"], Ct);
        var line = Assert.Single(await late.WaitForLinesAsync(TestClients.Patience, Ct));
        Assert.Equal("1 station/ws-7/status maintenance", line);
    }

    [Fact]
    public async Task wildcard_subscriptions_receive_exactly_the_matching_topics_and_route_them()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "wildcards"));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync(
            [new MqttTopicSubscription("putian/+/water/#"), new MqttTopicSubscription("putian/licheng/manhole/+")], Ct);

        string[] topics =
        [
            "putian/licheng/water/ws-01/do",
            "putian/hanjiang/water",
            "putian/licheng/manhole/mc-3",
            "putian/licheng/manhole/mc-3/battery",
            "putian/licheng/air/aq-1",
            "xiamen/siming/water/ws-02",
            "putian/xianyou/water/ws-05/ph",
        ];
        foreach (var topic in topics)
        {
            await MosquittoClients.PublishAsync(broker, ["-t", topic, "-q", "1", "-m", topic], cancellationToken: Ct);
        }
        await MosquittoClients.PublishAsync(broker, ["-t", "putian/end/water", "-q", "1", "-m", "end"], cancellationToken: Ct);

        var received = new List<MqttMessage>();
        while (received.LastOrDefault()?.PayloadAsString() != "end")
        {
            received.AddRange(await client.ReceiveAsync(1, Ct));
        }
        Assert.Equal(
            [
                ("putian/licheng/water/ws-01/do", "putian/+/water/#"),
                ("putian/hanjiang/water", "putian/+/water/#"),
                ("putian/licheng/manhole/mc-3", "putian/licheng/manhole/+"),
                ("putian/xianyou/water/ws-05/ph", "putian/+/water/#"),
                ("putian/end/water", "putian/+/water/#"),
            ],
            received.Select(m => (m.Topic, m.SubscriptionFilter)));
    }

    [Fact]
    public async Task large_payloads_arrive_intact_both_ways()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "large", o => o.MaximumPacketSize = 4 * 1024 * 1024));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("bulk/in", MqttQualityOfService.AtLeastOnce, Ct);

        var inbound = new byte[900_000];
        new Random(7).NextBytes(inbound);
        var file = Path.Combine(broker.Directory, "payload.bin");
        await File.WriteAllBytesAsync(file, inbound, Ct);
        await MosquittoClients.PublishAsync(broker, ["-t", "bulk/in", "-q", "1", "-f", file], cancellationToken: Ct);
        var received = Assert.Single(await client.ReceiveAsync(1, Ct));
        Assert.True(inbound.AsSpan().SequenceEqual(received.Payload.Span));

        var outbound = new byte[3 * 1024 * 1024];
        new Random(8).NextBytes(outbound);
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "bulk-sub", "bulk/out", ["-q", "1", "-C", "1", "-N"], Ct);
        await client.PublishAsync("bulk/out", outbound, MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
        var printed = await subscriber.WaitForOutputAsync(TestClients.Patience, Ct);
        Assert.Equal(outbound.Length, printed.Length);
        Assert.True(outbound.AsSpan().SequenceEqual(printed));
    }

    [Fact]
    public async Task utf8_topics_and_payloads_survive_the_round_trip()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "utf8-sub", "莆田/#", ["-C", "1", "-v"], Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "utf8"));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("莆田/木兰溪/+", MqttQualityOfService.AtLeastOnce, Ct);

        await client.PublishAsync("莆田/木兰溪/水质", "溶解氧 7.2 mg/L", MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);

        Assert.Equal("莆田/木兰溪/水质 溶解氧 7.2 mg/L", Assert.Single(await subscriber.WaitForLinesAsync(TestClients.Patience, Ct)));
        var echoed = Assert.Single(await client.ReceiveAsync(1, Ct));
        Assert.Equal("莆田/木兰溪/水质", echoed.Topic);
        Assert.Equal("溶解氧 7.2 mg/L", Encoding.UTF8.GetString(echoed.Payload.Span));
    }
}
