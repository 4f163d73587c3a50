using OneMap.Mqtt.Client;
using OneMap.Mqtt.Tests.Support;
using OneMap.Testing;

namespace OneMap.Mqtt.Tests.Client;

/// <summary>Shared subscriptions: several clients split one stream, as scaled-out ingest workers do.</summary>
public sealed class SharedSubscriptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_shared_subscription_splits_the_stream_between_two_clients_with_nothing_lost_or_duplicated()
    {
        const int total = 2000;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var worker1 = new MqttClient(TestClients.Options(broker, "worker-1"));
        await using var worker2 = new MqttClient(TestClients.Options(broker, "worker-2"));
        foreach (var worker in new[] { worker1, worker2 })
        {
            await worker.ConnectAsync(Ct);
            await worker.SubscribeAsync(
                [new MqttTopicSubscription("$share/ingest/sensors/#"), new MqttTopicSubscription("control/end")], Ct);
        }

        await MosquittoClients.PublishAsync(broker, ["-t", "sensors/ws-01/reading", "-q", "1", "-l"],
            string.Join('\n', Enumerable.Range(0, total)) + "\n", Ct);
        // Not shared: both workers get it, after the stream (one publisher, so the broker keeps its order).
        await MosquittoClients.PublishAsync(broker, ["-t", "control/end", "-q", "1", "-m", "end"], cancellationToken: Ct);

        var split = await Task.WhenAll(ReadUntilEndAsync(worker1), ReadUntilEndAsync(worker2));

        Assert.All(split, part => Assert.NotEmpty(part));
        var all = split.SelectMany(part => part).ToList();
        Assert.Equal(total, all.Count);
        Assert.Equal(Enumerable.Range(0, total), all.Select(m => int.Parse(m.PayloadAsString(), System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(all, m => Assert.Equal("$share/ingest/sensors/#", m.SubscriptionFilter));
    }

    private static async Task<List<MqttMessage>> ReadUntilEndAsync(MqttClient worker)
    {
        var received = new List<MqttMessage>();
        while (true)
        {
            var message = Assert.Single(await worker.ReceiveAsync(1, Ct));
            if (message.Topic == "control/end")
            {
                Assert.Equal("control/end", message.SubscriptionFilter);
                return received;
            }
            received.Add(message);
        }
    }
}
