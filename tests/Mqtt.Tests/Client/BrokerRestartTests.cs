using System.Globalization;

using OneMap.Mqtt.Client;
using OneMap.Mqtt.Tests.Support;
using OneMap.Testing;

namespace OneMap.Mqtt.Tests.Client;

/// <summary>The broker goes away and comes back: clients reconnect by themselves and nothing is lost.</summary>
public sealed class BrokerRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_broker_restart_mid_stream_loses_nothing_at_qos_1_with_manual_acks()
    {
        const int total = 3000;
        await using var broker = await MosquittoBroker.StartAsync(
            new MosquittoOptions { Persistence = true, MaxInflightMessages = 1000, MaxQueuedMessages = 100_000 }, Ct);
        await using var subscriber = new MqttClient(TestClients.Options(broker, "restart-sub", o =>
        {
            o.CleanSession = false;
            o.AcknowledgeMode = MqttAcknowledgeMode.Manual;
        }));
        await using var publisher = new MqttClient(TestClients.Options(broker, "restart-pub"));
        var subscriberBack = subscriber.NextState(s => s.Previous == MqttConnectionState.Reconnecting && s.Current == MqttConnectionState.Connected);
        var publisherBack = publisher.NextState(s => s.Previous == MqttConnectionState.Reconnecting && s.Current == MqttConnectionState.Connected);
        await subscriber.ConnectAsync(Ct);
        await subscriber.SubscribeAsync("stream/#", MqttQualityOfService.AtLeastOnce, Ct);
        await publisher.ConnectAsync(Ct);

        var seen = new HashSet<int>();
        var thirdSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = ConsumeAsync(subscriber, seen, total, thirdSeen);

        var published = new List<Task>();
        for (var i = 0; i < total / 3; i++)
        {
            published.Add(publisher.PublishAsync($"stream/s{i % 5}", i.ToString(CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct));
        }
        await thirdSeen.Task.WaitAsync(TestClients.Patience, Ct);
        // The rest goes out while the broker stops, saves its state and starts again.
        var rest = Task.Run(async () =>
        {
            for (var i = total / 3; i < total; i++)
            {
                published.Add(publisher.PublishAsync($"stream/s{i % 5}", i.ToString(CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce, cancellationToken: Ct));
                if (i % 100 == 0)
                {
                    await Task.Delay(1, Ct);
                }
            }
        }, Ct);
        await broker.RestartAsync(Ct);
        await rest;
        await Task.WhenAll(published).WaitAsync(TestClients.Patience, Ct);
        await consumer.WaitAsync(TestClients.Patience, Ct);

        Assert.Equal(total, seen.Count);
        await subscriberBack.WaitAsync(TestClients.Patience, Ct);
        await publisherBack.WaitAsync(TestClients.Patience, Ct);
        Assert.True(subscriber.Statistics.Reconnects >= 1);
        Assert.True(publisher.Statistics.Reconnects >= 1);
        Assert.Equal(0, publisher.PendingPublishes);
    }

    /// <summary>Reads like an ingest worker: a batch is "committed" when full or when nothing more is waiting, then acknowledged.</summary>
    private static async Task ConsumeAsync(MqttClient subscriber, HashSet<int> seen, int total, TaskCompletionSource thirdSeen)
    {
        var batch = new List<MqttMessage>();
        await foreach (var message in subscriber.ReadMessagesAsync(Ct))
        {
            seen.Add(int.Parse(message.PayloadAsString(), CultureInfo.InvariantCulture));
            batch.Add(message);
            if (batch.Count >= 100 || subscriber.Messages.Count == 0)
            {
                foreach (var committed in batch)
                {
                    committed.Acknowledge();
                }
                batch.Clear();
            }
            if (seen.Count >= total / 3)
            {
                thirdSeen.TrySetResult();
            }
            if (seen.Count == total)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task subscriptions_are_restored_when_the_broker_comes_back_without_the_session()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "forgotten"));
        var states = new List<MqttConnectionStateChangedEventArgs>();
        client.StateChanged += (_, change) => { lock (states) { states.Add(change); } };
        var back = client.NextState(s => s.Previous == MqttConnectionState.Reconnecting && s.Current == MqttConnectionState.Connected);
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("alerts/#", MqttQualityOfService.AtLeastOnce, Ct);

        // Persistence off: the broker comes back knowing nothing of the client.
        await broker.RestartAsync(Ct);
        var reconnected = await back.WaitAsync(TestClients.Patience, Ct);
        Assert.False(reconnected.SessionPresent);
        await broker.WaitForSubscriptionAsync("forgotten", "alerts/#", Ct);
        await MosquittoClients.PublishAsync(broker, ["-t", "alerts/do-low", "-q", "1", "-m", "DO 1.8 mg/L at ws-12"], cancellationToken: Ct);

        var alert = Assert.Single(await client.ReceiveAsync(1, Ct));
        Assert.Equal("alerts/#", alert.SubscriptionFilter);
        lock (states)
        {
            var reconnecting = states.First(s => s.Current == MqttConnectionState.Reconnecting);
            Assert.Equal(MqttConnectionState.Connected, reconnecting.Previous);
            Assert.IsType<MqttConnectionLostException>(reconnecting.Reason);
            Assert.Equal(1, reconnecting.Attempt);
        }
    }

    [Fact]
    public async Task the_client_gives_up_after_the_configured_attempts_and_ends_the_message_stream()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "gives-up", o => o.Reconnect.MaximumAttempts = 3));
        var faulted = client.NextState(s => s.Current == MqttConnectionState.Faulted);
        await client.ConnectAsync(Ct);

        await broker.StopAsync(Ct);
        var change = await faulted.WaitAsync(TestClients.Patience, Ct);

        var reason = Assert.IsType<MqttConnectionLostException>(change.Reason);
        Assert.True(reason.IsTransient);
        await Assert.ThrowsAsync<MqttConnectionLostException>(async () => await client.Messages.ReadAsync(Ct));
        await Assert.ThrowsAsync<MqttConnectionLostException>(() => client.PublishAsync("x", "y", MqttQualityOfService.AtLeastOnce, cancellationToken: Ct));
    }

    [Fact]
    public async Task publishes_made_while_disconnected_are_sent_after_connecting_in_order()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        await using var reference = await MosquittoClients.SubscribeAsync(broker, "queued-sub", "queued/#", ["-q", "1", "-C", "20"], Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "early-publisher"));

        var published = Enumerable.Range(0, 20)
            .Select(i => client.PublishAsync("queued/x", $"m{i}", i % 2 == 0 ? MqttQualityOfService.AtLeastOnce : MqttQualityOfService.AtMostOnce, cancellationToken: Ct))
            .ToList();
        Assert.All(published, p => Assert.False(p.IsCompleted));
        await client.ConnectAsync(Ct);
        await Task.WhenAll(published).WaitAsync(TestClients.Patience, Ct);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), await reference.WaitForLinesAsync(TestClients.Patience, Ct));
    }
}
