using System.Diagnostics;
using System.Globalization;

using OneMap.Bench.Runner;
using OneMap.Mqtt;
using OneMap.Mqtt.Client;

namespace OneMap.Bench.Mqtt;

/// <summary>
/// Broker → subscriber delivery at QoS 1: 100k sensor readings queued by mosquitto for a persistent session, then
/// drained by OneMap's client (manual acknowledgement in batches, as the ingest worker does) or by
/// <c>mosquitto_sub -q 1</c> (the broker's raw delivery to a subscriber that does nothing with the messages).
/// Also the publish rate of OneMap's client against <c>mosquitto_pub -l</c> with the same in-flight window.
/// </summary>
public sealed class MqttReceiveBenchmark : IBenchmark
{
    private const int Messages = 100_000;
    private const int Inflight = 1000;
    private const int FillChunk = 10_000;

    public string Name => "mqtt-receive";

    public string Description => "QoS 1 receive (100k through mosquitto): OneMap client vs mosquitto_sub; publish vs mosquitto_pub";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        // A high in-flight limit rather than none: with 100k queued, "no limit" would need more packet identifiers
        // than MQTT has (65,535) for one session.
        await using var broker = await BenchmarkBroker.StartAsync(context.ScratchDirectory,
            ["max_inflight_messages 1000", "max_queued_messages 1000000"], cancellationToken);
        var lines = Path.Combine(context.ScratchDirectory, "readings.txt");
        await File.WriteAllLinesAsync(lines, Enumerable.Range(0, Messages).Select(Reading), cancellationToken);
        // mosquitto 2.0.11 drops a publishing connection ("out of memory") after some tens of thousands of messages
        // queued for an offline session, so the queue is filled in chunks, each over its own connection.
        var chunks = new List<string>();
        for (var start = 0; start < Messages; start += FillChunk)
        {
            var chunk = Path.Combine(context.ScratchDirectory, $"readings-{start}.txt");
            await File.WriteAllLinesAsync(chunk, Enumerable.Range(start, Math.Min(FillChunk, Messages - start)).Select(Reading), cancellationToken);
            chunks.Add(chunk);
        }

        var oneMapReceive = new List<double>();
        var referenceReceive = new List<double>();
        var oneMapPublish = new List<double>();
        var referencePublish = new List<double>();
        // One untimed warm-up round, then alternate OneMap and reference so drift on a shared machine hits both.
        for (var run = 0; run <= context.Runs; run++)
        {
            var warmUp = run == 0;
            var oneMap = await ReceiveWithOneMapAsync(broker, $"onemap-{run}", chunks, cancellationToken);
            var reference = await ReceiveWithMosquittoSubAsync(broker, $"reference-{run}", chunks, cancellationToken);
            var publish = await PublishWithOneMapAsync(broker, cancellationToken);
            var publishReference = await PublishWithMosquittoPubAsync(broker, lines, cancellationToken);
            if (!warmUp)
            {
                oneMapReceive.Add(oneMap);
                referenceReceive.Add(reference);
                oneMapPublish.Add(publish);
                referencePublish.Add(publishReference);
            }
        }

        var receive = new Samples("OneMap client", oneMapReceive);
        var raw = new Samples("mosquitto_sub", referenceReceive);
        context.ReportRates("mqtt-receive: QoS 1 msgs/s delivered and acked", "msg/s", Rate(receive), Rate(raw), minRatio: 0.8);
        context.ReportFigure("", $"(OneMap: {receive}; mosquitto_sub: {raw})");
        var publishSamples = new Samples("OneMap client", oneMapPublish);
        var publishRaw = new Samples("mosquitto_pub", referencePublish);
        context.ReportRates("mqtt-publish: QoS 1 msgs/s acknowledged", "msg/s", Rate(publishSamples), Rate(publishRaw));
        context.ReportFigure("", $"(OneMap: {publishSamples}; mosquitto_pub -M {Inflight}: {publishRaw})");
    }

    private static double Rate(Samples samples) => Messages / (samples.Median / 1000);

    private static string Reading(int i) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"station\":\"ws-{i % 60:000}\",\"time\":\"2025-06-01T08:{i / 60 % 60:00}:{i % 60:00}+08:00\",\"do\":{5 + (i % 40) / 10.0:0.0},\"ph\":{6.5 + (i % 20) / 10.0:0.0},\"temperature\":24.{i % 10},\"turbidity\":{i % 90}.5,\"seq\":{i}}}");

    /// <summary>Creates the persistent session and has mosquitto queue the readings for it (untimed).</summary>
    private static async Task QueueForAsync(BenchmarkBroker broker, string clientId, List<string> chunks, CancellationToken cancellationToken)
    {
        await broker.RunClientAsync("mosquitto_sub", ["-c", "-q", "1", "-i", clientId, "-t", "bench/#", "-E"], null, cancellationToken);
        foreach (var chunk in chunks)
        {
            await broker.RunClientAsync("mosquitto_pub", ["-q", "1", "-M", Inflight.ToString(CultureInfo.InvariantCulture), "-t", "bench/readings", "-l"], chunk, cancellationToken);
        }
    }

    private static async Task<double> ReceiveWithMosquittoSubAsync(BenchmarkBroker broker, string clientId, List<string> chunks, CancellationToken cancellationToken)
    {
        await QueueForAsync(broker, clientId, chunks, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await broker.RunClientAsync("mosquitto_sub",
            ["-c", "-q", "1", "-i", clientId, "-t", "bench/#", "-C", Messages.ToString(CultureInfo.InvariantCulture)], null, cancellationToken);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> ReceiveWithOneMapAsync(BenchmarkBroker broker, string clientId, List<string> chunks, CancellationToken cancellationToken)
    {
        await QueueForAsync(broker, clientId, chunks, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = clientId,
            CleanSession = false,
            AcknowledgeMode = MqttAcknowledgeMode.Manual,
        });
        await client.ConnectAsync(cancellationToken);
        var batch = new List<MqttMessage>(5000);
        var payloads = new ReadOnlyMemory<byte>[Messages];
        var received = 0;
        await foreach (var message in client.ReadMessagesAsync(cancellationToken))
        {
            payloads[received] = message.Payload;
            batch.Add(message);
            received++;
            // The ingest worker's rule: acknowledge when the micro-batch is full or nothing more is waiting.
            if (batch.Count == batch.Capacity || client.Messages.Count == 0 || received == Messages)
            {
                foreach (var item in batch)
                {
                    item.Acknowledge();
                }
                batch.Clear();
            }
            if (received == Messages)
            {
                break;
            }
        }
        while (client.Statistics.AcknowledgementsSent < Messages)
        {
            await Task.Delay(1, cancellationToken);
        }
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        // Untimed check that the figure counts every reading once, not re-deliveries.
        var distinct = payloads.Select(p => System.Text.Encoding.UTF8.GetString(p.Span)).Distinct(StringComparer.Ordinal).Count();
        if (distinct != Messages)
        {
            throw new InvalidOperationException($"OneMap received {distinct} distinct readings of {Messages}");
        }
        return elapsed;
    }

    private static async Task<double> PublishWithOneMapAsync(BenchmarkBroker broker, CancellationToken cancellationToken)
    {
        var payloads = Enumerable.Range(0, Messages).Select(i => System.Text.Encoding.UTF8.GetBytes(Reading(i))).ToArray();
        var stopwatch = Stopwatch.StartNew();
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "onemap-publisher", MaximumInflight = Inflight });
        await client.ConnectAsync(cancellationToken);
        var pending = new Task[Messages];
        for (var i = 0; i < Messages; i++)
        {
            pending[i] = client.PublishAsync("bench-out/readings", payloads[i], MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken);
        }
        await Task.WhenAll(pending);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> PublishWithMosquittoPubAsync(BenchmarkBroker broker, string lines, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await broker.RunClientAsync("mosquitto_pub",
            ["-q", "1", "-M", Inflight.ToString(CultureInfo.InvariantCulture), "-i", "reference-publisher", "-t", "bench-out/readings", "-l"], lines, cancellationToken);
        return stopwatch.Elapsed.TotalMilliseconds;
    }
}
