using OneMap.Mqtt.Client;
using OneMap.Testing;

namespace OneMap.Mqtt.Tests.Support;

/// <summary>Client options and helpers shared by the tests that talk to a broker.</summary>
internal static class TestClients
{
    /// <summary>Guards waits in tests against hangs; never a performance assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static MqttClientOptions Options(MosquittoBroker broker, string clientId, Action<MqttClientOptions>? configure = null) =>
        Options(broker.Host, broker.Port, clientId, configure);

    public static MqttClientOptions Options(string host, int port, string clientId, Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions
        {
            Host = host,
            Port = port,
            ClientId = clientId,
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaximumDelay = TimeSpan.FromSeconds(1) },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Reads <paramref name="count"/> messages, failing if they do not arrive within <see cref="Patience"/>.</summary>
    public static async Task<List<MqttMessage>> ReceiveAsync(this MqttClient client, int count, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Patience);
        var messages = new List<MqttMessage>(count);
        try
        {
            while (messages.Count < count)
            {
                messages.Add(await client.Messages.ReadAsync(limit.Token));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"received {messages.Count} of {count} messages within {Patience.TotalSeconds} s: {string.Join(", ", messages.Take(5))}");
        }
        return messages;
    }

    /// <summary>Waits for <paramref name="condition"/> to hold, polling; fails after <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what} did not happen within {Patience.TotalSeconds} s");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Completes with the first state change that satisfies <paramref name="predicate"/>.</summary>
    public static Task<MqttConnectionStateChangedEventArgs> NextState(this MqttClient client, Func<MqttConnectionStateChangedEventArgs, bool> predicate)
    {
        var seen = new TaskCompletionSource<MqttConnectionStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, change) =>
        {
            if (predicate(change))
            {
                seen.TrySetResult(change);
            }
        };
        return seen.Task;
    }
}
