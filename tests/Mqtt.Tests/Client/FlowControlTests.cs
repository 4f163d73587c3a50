using OneMap.Mqtt.Client;
using OneMap.Mqtt.Tests.Support;
using OneMap.Testing;

namespace OneMap.Mqtt.Tests.Client;

/// <summary>Back-pressure from a slow consumer, and keep-alive with a real broker.</summary>
public sealed class FlowControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_slow_consumer_bounds_the_buffer_and_is_not_mistaken_for_a_dead_connection()
    {
        const int capacity = 5;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 100 }, Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "slow", o =>
        {
            o.ReceiveBufferCapacity = capacity;
            o.KeepAlive = TimeSpan.FromSeconds(1);
            // Generous: mosquitto answers at once, but a loaded CI machine may not schedule it for a while.
            o.PingTimeout = TimeSpan.FromSeconds(10);
        }));
        await client.ConnectAsync(Ct);
        await client.SubscribeAsync("burst/#", MqttQualityOfService.AtLeastOnce, Ct);

        await MosquittoClients.PublishAsync(broker, ["-t", "burst/x", "-q", "1", "-l"], string.Join('\n', Enumerable.Range(0, 300)) + "\n", Ct);
        await TestClients.EventuallyAsync(() => client.Messages.Count == capacity, "the receive buffer filling up", Ct);
        // Several keep-alive periods with the consumer stalled: the client must keep pinging and not declare the broker dead.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal(capacity, client.Messages.Count);

        var received = await client.ReceiveAsync(300, Ct);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(m => m.PayloadAsString()));
        Assert.Equal(0, client.Statistics.ConnectionsLost);
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task keep_alive_pings_are_answered_by_mosquitto_and_the_connection_stays_up()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { LogAllPackets = true }, Ct);
        await using var client = new MqttClient(TestClients.Options(broker, "pinger", o =>
        {
            o.KeepAlive = TimeSpan.FromSeconds(1);
            o.PingTimeout = TimeSpan.FromSeconds(10);
        }));
        await client.ConnectAsync(Ct);

        await broker.WaitForLogAsync("Sending PINGRESP to pinger", TestClients.Patience, Ct);
        await broker.WaitForLogAsync("(p2, c1, k1)", TestClients.Patience, Ct);

        Assert.Equal(MqttConnectionState.Connected, client.State);
        Assert.Equal(0, client.Statistics.ConnectionsLost);
        await client.PublishAsync("still/here", "yes", MqttQualityOfService.AtLeastOnce, cancellationToken: Ct);
    }
}
