using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Options;
using OneMap.Bench.Mqtt;
using OneMap.Bench.Runner;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Ingest.Sensors;
using OneMap.Lakehouse;
using OneMap.Mqtt;
using OneMap.Mqtt.Client;

namespace OneMap.Bench.Ingest;

/// <summary>
/// MQTT → committed lake at QoS 1: the sample city's water-quality messages (120k: station batches and single readings,
/// as in data-samples, 3.3 readings a message) queued by mosquitto for a persistent session, then drained by the sensor worker (parse, validate,
/// micro-batch, dedupe-insert, twin upsert, acknowledge after commit) vs by <c>mosquitto_sub -q 1</c>, a subscriber that
/// does nothing with them. Same broker, same messages.
/// </summary>
public sealed class IngestMqttBenchmark : IBenchmark
{
    private const int Messages = 120_000;

    /// <summary>
    /// Rounds of both sides run and discarded first. The commit path runs a few times a round (8 micro-batches), so
    /// tiered compilation (call counting, instrumented and optimised tiers) goes on for several rounds and takes CPU from
    /// the 2-core machine; a worker runs for days, so the figure is its steady state.
    /// </summary>
    private const int WarmUpRuns = 2;

    public string Name => "ingest-mqtt";

    public string Description => "sample-city sensor messages at QoS 1: queued → committed to the lake vs mosquitto_sub raw delivery";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var messages = await LoadMessagesAsync(cancellationToken);
        var readings = messages.Sum(m => m.Readings);
        // Acknowledging after the commit keeps a second's worth of messages in flight: allow it (the same for both).
        await using var broker = await BenchmarkBroker.StartAsync(context.ScratchDirectory, ["max_inflight_messages 60000", "max_queued_messages 1000000"], cancellationToken);
        var oneMapTimes = new List<double>();
        var referenceTimes = new List<double>();
        for (var run = 0; run < WarmUpRuns + context.Runs; run++)
        {
            var oneMap = await IngestAsync(broker, context.ScratchDirectory, $"ingest-{run}", messages, readings, cancellationToken);
            var reference = await RawAsync(broker, $"raw-{run}", messages, cancellationToken);
            if (run >= WarmUpRuns)
            {
                oneMapTimes.Add(oneMap);
                referenceTimes.Add(reference);
            }
        }
        var oneMapSamples = new Samples("OneMap ingest", oneMapTimes);
        var rawSamples = new Samples("mosquitto_sub", referenceTimes);
        context.ReportRates($"ingest-mqtt: QoS 1 msgs/s ({readings / (double)messages.Count:0.0} readings/msg)", "msg/s",
            messages.Count / (oneMapSamples.Median / 1000), messages.Count / (rawSamples.Median / 1000), minRatio: 0.8);
        context.ReportFigure("", $"(OneMap to committed lake: {oneMapSamples}; mosquitto_sub: {rawSamples}; {readings / (oneMapSamples.Median / 1000):0} readings/s committed)");
    }

    private sealed record Message(string Topic, byte[] Payload, int Readings);

    private static async Task<List<Message>> LoadMessagesAsync(CancellationToken cancellationToken)
    {
        var messages = new List<Message>();
        foreach (var log in Directory.EnumerateFiles(Path.Combine(FindRepoRoot(), "data-samples", "sensors", "water-quality"), "*.log.gz").Order(StringComparer.Ordinal))
        {
            await using var stream = new GZipStream(File.OpenRead(log), CompressionMode.Decompress);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (messages.Count < Messages && await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                var payload = line[(tab + 1)..];
                messages.Add(new Message(line[..tab], Encoding.UTF8.GetBytes(payload), line.EndsWith("/data", StringComparison.Ordinal) || payload.Contains("\"readings\"", StringComparison.Ordinal) ? 8 : 1));
            }
        }
        return messages;
    }

    /// <summary>Creates the persistent session and has mosquitto queue the messages for it (untimed).</summary>
    private static async Task QueueAsync(BenchmarkBroker broker, string clientId, List<Message> messages, CancellationToken cancellationToken)
    {
        await using (var subscriber = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = clientId, CleanSession = false }))
        {
            await subscriber.ConnectAsync(cancellationToken);
            await subscriber.SubscribeAsync("putian/#", MqttQualityOfService.AtLeastOnce, cancellationToken);
            await subscriber.DisconnectAsync(cancellationToken);
        }
        // mosquitto 2.0.11 drops a publishing connection after some tens of thousands of messages queued for an
        // offline session, so each 10,000 go over their own connection.
        for (var start = 0; start < messages.Count; start += 10_000)
        {
            await using var publisher = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = $"fill-{clientId}-{start}", MaximumInflight = 1000 });
            await publisher.ConnectAsync(cancellationToken);
            await Task.WhenAll(messages.Skip(start).Take(10_000).Select(m => publisher.PublishAsync(m.Topic, m.Payload, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken)));
        }
    }

    private static async Task<double> RawAsync(BenchmarkBroker broker, string clientId, List<Message> messages, CancellationToken cancellationToken)
    {
        await QueueAsync(broker, clientId, messages, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await broker.RunClientAsync("mosquitto_sub", ["-c", "-q", "1", "-i", clientId, "-t", "putian/#", "-C", messages.Count.ToString(CultureInfo.InvariantCulture)], null, cancellationToken);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> IngestAsync(BenchmarkBroker broker, string scratch, string clientId, List<Message> messages, int readings, CancellationToken cancellationToken)
    {
        await QueueAsync(broker, clientId, messages, cancellationToken);
        var root = Path.Combine(scratch, "lake-" + clientId);
        using var lake = new Lake(root);
        var metrics = new IngestMetrics();
        var options = new SensorOptions
        {
            Broker = new MqttBrokerOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = clientId },
            Topics = ["putian/#"],
            SharedGroup = "",
            RequireKnownSensors = false,
        };
        // The tables exist before the clock starts, as they do for a running worker.
        using (await SensorCommitter.CreateAsync(lake, "sensors", cancellationToken))
        {
        }
        using var worker = new SensorWorker(lake, new ReceiptStore(lake), new QuarantineStore(root), metrics, Options.Create(options));
        var stopwatch = Stopwatch.StartNew();
        await worker.StartAsync(cancellationToken);
        var sensors = metrics.Worker("sensors", "sensors");
        while (sensors.RowsRead < readings)
        {
            await Task.Delay(5, cancellationToken);
        }
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        await worker.StopAsync(cancellationToken);
        if (sensors.RowsWritten != readings || sensors.RowsRejected != 0)
        {
            throw new InvalidOperationException($"committed {sensors.RowsWritten} of {readings} readings ({sensors.RowsRejected} rejected, {sensors.RowsDuplicate} duplicate)");
        }
        Directory.Delete(root, recursive: true);
        return elapsed;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneMap.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("OneMap.sln not found");
    }
}
