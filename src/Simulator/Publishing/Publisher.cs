using System.Diagnostics;
using OneMap.Mqtt;
using OneMap.Mqtt.Client;

namespace OneMap.Simulator.Publishing;

/// <summary>How to replay the payload logs.</summary>
public sealed record PublishOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }

    /// <summary>Most messages per second; 0 means no limit. Default 0.</summary>
    public double Rate { get; init; }

    /// <summary>
    /// Replay speed relative to the logged times (60: one logged minute per second); 0 ignores the logged times and
    /// sends as fast as <see cref="Rate"/> allows. Default 0.
    /// </summary>
    public double Speedup { get; init; }

    /// <summary>QoS of every publish; default 1 (sensors' usual choice: at least once).</summary>
    public MqttQualityOfService QualityOfService { get; init; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>Stop after this many messages; 0 for all. Default 0.</summary>
    public long Limit { get; init; }

    /// <summary>MQTT client id; default "onemap-sim-publisher".</summary>
    public string ClientId { get; init; } = "onemap-sim-publisher";
}

/// <summary>What a replay did.</summary>
public sealed record PublishResult(long Messages, TimeSpan Elapsed, DateTimeOffset? FirstLogged, DateTimeOffset? LastLogged);

/// <summary>
/// Replays logged sensor messages to an MQTT broker with OneMap's MQTT client: in logged order, paced by the logged
/// times (<see cref="PublishOptions.Speedup"/>) and/or a rate cap, keeping many QoS 1 publishes in flight at once
/// (the client sends them in call order) so throughput is not one round trip per message.
/// </summary>
public static class Publisher
{
    public static async Task<PublishResult> RunAsync(IEnumerable<LoggedMessage> messages, PublishOptions options, Action<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        await using var client = new MqttClient(new MqttClientOptions { Host = options.Host, Port = options.Port, ClientId = options.ClientId });
        await client.ConnectAsync(cancellationToken);
        var inflight = new Queue<Task>();
        var window = Math.Max(1, client.Options.MaximumInflight);
        var stopwatch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long sent = 0;
        DateTimeOffset? first = null, last = null;
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Limit > 0 && sent >= options.Limit)
            {
                break;
            }
            first ??= message.At;
            last = message.At;
            // The later of the two pacings decides when this message may go.
            var due = TimeSpan.Zero;
            if (options.Speedup > 0)
            {
                due = (message.At - first.Value) / options.Speedup;
            }
            if (options.Rate > 0)
            {
                var byRate = TimeSpan.FromSeconds(sent / options.Rate);
                due = due > byRate ? due : byRate;
            }
            var wait = due - stopwatch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }
            inflight.Enqueue(client.PublishAsync(message.Topic, message.Payload, options.QualityOfService, cancellationToken: cancellationToken));
            sent++;
            while (inflight.Count >= window || (inflight.Count > 0 && inflight.Peek().IsCompleted))
            {
                await inflight.Dequeue();
            }
            if (progress is not null && stopwatch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
            {
                lastReport = stopwatch.Elapsed;
                progress($"{sent} messages, logged time {ChinaTime.Iso(message.At)}, {sent / stopwatch.Elapsed.TotalSeconds:0} msgs/s");
            }
        }
        while (inflight.Count > 0)
        {
            await inflight.Dequeue();
        }
        await client.DisconnectAsync(cancellationToken);
        return new PublishResult(sent, stopwatch.Elapsed, first, last);
    }
}
