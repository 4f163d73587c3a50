using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.Extensions.DependencyInjection;

using OneMap.Bench.Api;
using OneMap.Bench.Runner;
using OneMap.GraphQLApi.Alerts.Producing;
using OneMap.Ingest.Sensors;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts.Producing;
using OneMap.Testing;

namespace OneMap.Bench.Alerts;

/// <summary>
/// Issue 9's latency figure: a reading published to mosquitto that opens an alert, until a GraphQL subscriber of
/// <c>alertRaised</c> (graphql-transport-ws on a real WebSocket) receives it, with the server (API, sensor worker, alert
/// producer) on Kestrel in this process and its default settings (1 s micro-batches). Each round publishes an hour of
/// clean readings at every station, then two polluted readings at five stations of its own, and times each station's
/// alert from the moment its polluted readings went to mosquitto_pub. The reference is the broker alone: the same
/// mosquitto_pub run (QoS 1, until the broker acknowledged both messages).
/// </summary>
public sealed class AlertLatencyBenchmark : IBenchmark
{
    private const string AdminKey = "bench-admin-key-alerts-0123456789";
    private const int Rounds = 8;
    private const int PollutedPerRound = 5;
    private const int Stations = Rounds * PollutedPerRound;
    private const int HistoryDays = 7;
    private const int SlotsPerDay = 288;
    private const int QuietSlots = 12;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, CityOffset);

    private static readonly (string Id, string Unit, int Decimals)[] Indicators =
    [
        ("water_temp", "°C", 1), ("ph", "dimensionless", 2), ("do", "mg/L", 2), ("conductivity", "μS/cm", 0),
        ("turbidity", "NTU", 1), ("cod_mn", "mg/L", 2), ("nh3_n", "mg/L", 3), ("tp", "mg/L", 3),
    ];

    public string Name => "alerts-latency";

    public string Description => "MQTT publish of a polluted reading → GraphQL alertRaised subscriber (p50/p99 over 40 alerts) vs mosquitto_pub's own QoS 1 round trip";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.ScratchDirectory, "alerts-latency");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
        Directory.CreateDirectory(root);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 }, cancellationToken);
        var lake = Path.Combine(root, "lake");
        await SeedHistoryAsync(lake, cancellationToken);
        await using var host = await ApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Lakehouse:Root"] = lake,
            ["Api:HostIngest"] = "true",
            ["Security:BootstrapAdminKey"] = AdminKey,
            ["Ingest:Feeds:Enabled"] = "false",
            ["Ingest:Tickets:Enabled"] = "false",
            ["Ingest:Sensors:Broker:Host"] = broker.Host,
            ["Ingest:Sensors:Broker:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Sensors:Broker:ClientId"] = "onemap-bench-alerts",
            ["Ingest:Sensors:SharedGroup"] = "",
            ["Ingest:Sensors:RequireKnownSensors"] = "false",
            ["Alerts:LearningWindow"] = $"{HistoryDays}.00:00:00",
        }, cancellationToken);
        var learning = Stopwatch.StartNew();
        await host.Services.GetRequiredService<AlertService>().Ready.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        context.ReportFigure("models learnt at start", string.Create(CultureInfo.InvariantCulture,
            $"{host.Services.GetRequiredService<AlertProducer>().ModelledStations.Count} stations × {HistoryDays} days × 8 indicators, ready {learning.Elapsed.TotalSeconds:0.0} s after start"));
        await broker.WaitForSubscriptionAsync("onemap-bench-alerts", "+/wq/#", cancellationToken);

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new Uri(host.BaseAddress.Replace("http://", "ws://", StringComparison.Ordinal) + "/graphql"), cancellationToken);
        await SendAsync(socket, new { type = "connection_init", payload = new { apiKey = AdminKey } }, cancellationToken);
        await ReceiveAsync(socket, cancellationToken);
        await SendAsync(socket, new
        {
            id = "1",
            type = "subscribe",
            payload = new { query = """subscription { alertRaised(filter: { kinds: ["pollution"], changes: ["raised", "updated"] }) { change alert { subjectId start end } } }""" },
        }, cancellationToken);
        await Task.Delay(500, cancellationToken);

        var latencies = new List<double>();
        var publishTimes = new List<double>();
        var slot = HistoryDays * SlotsPerDay;
        for (var round = 0; round < Rounds; round++)
        {
            await PublishAsync(broker, s => Enumerable.Range(slot, QuietSlots).Select(k => Payload(s, k, Clean(s, k))), cancellationToken);
            slot += QuietSlots;
            var polluted = Enumerable.Range(round * PollutedPerRound, PollutedPerRound).ToHashSet();
            var published = Stopwatch.GetTimestamp();
            var first = slot;
            var publishing = Enumerable.Range(0, Stations).Select(async s =>
            {
                var started = Stopwatch.GetTimestamp();
                await MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", $"putian/wq/{Station(s)}/data", "-l"],
                    string.Join("\n", Enumerable.Range(first, 2).Select(k => Payload(s, k, polluted.Contains(s) ? Polluted(s, k) : Clean(s, k)))) + "\n", cancellationToken);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }).ToList();
            var onset = Start + Interval * slot;
            slot += 2;
            var expected = polluted.Select(Station).ToHashSet(StringComparer.Ordinal);
            while (expected.Count > 0)
            {
                var message = await ReceiveAsync(socket, cancellationToken);
                var alert = message["payload"]?["data"]?["alertRaised"]?["alert"];
                if (alert is null)
                {
                    throw new InvalidOperationException("unexpected message: " + message.ToJsonString());
                }
                var start = DateTimeOffset.Parse((string)alert["start"]!, CultureInfo.InvariantCulture);
                var station = (string)alert["subjectId"]!;
                if (expected.Contains(station) && start <= onset && start >= onset - TimeSpan.FromHours(2) && alert["end"] is null)
                {
                    expected.Remove(station);
                    latencies.Add(Stopwatch.GetElapsedTime(published).TotalMilliseconds);
                }
            }
            foreach (var (time, s) in (await Task.WhenAll(publishing)).Select((t, s) => (t, s)))
            {
                if (polluted.Contains(s))
                {
                    publishTimes.Add(time);
                }
            }
        }
        var oneMap = new Samples("publish → subscriber", latencies);
        var reference = new Samples("mosquitto_pub QoS 1", publishTimes);
        context.ReportTimes("MQTT → alertRaised subscriber (median)", oneMap, reference);
        context.ReportFigure("MQTT → alertRaised subscriber p50 / p99", string.Create(CultureInfo.InvariantCulture,
            $"{oneMap.Percentile(50):0} ms / {oneMap.Percentile(99):0} ms over {latencies.Count} alerts  target p99 ≤ 2000 ms: {(oneMap.Percentile(99) <= 2000 ? "met" : "MISSED")}"));
    }

    private static string Station(int s) => $"WQS-9{s + 1:D2}";

    private static double[] Clean(int station, int slot)
    {
        var random = new Random((station * 1_000_003) + slot);
        double Noise(double sigma) => sigma * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2;
        var phase = 2 * Math.PI * (slot % SlotsPerDay) / SlotsPerDay;
        double[] values =
        [
            25 + 1.5 * Math.Sin(phase - 2) + Noise(0.1),
            7.3 + 0.15 * Math.Sin(phase - 1.5) + Noise(0.03),
            7.8 + 1.0 * Math.Sin(phase - 1.5) + Noise(0.12),
            150 + station * 10 + Noise(2),
            10 + Noise(0.5),
            3 + Noise(0.1),
            0.3 + Noise(0.02),
            0.08 + Noise(0.005),
        ];
        return [.. values.Select((v, i) => Math.Round(v, Indicators[i].Decimals))];
    }

    private static double[] Polluted(int station, int slot)
    {
        var values = Clean(station, slot);
        values[2] = 3.1;
        values[6] = 1.8;
        return values;
    }

    private static string Payload(int station, int slot, double[] values)
    {
        var ts = (Start + Interval * slot).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        var readings = string.Join(",", values.Select((v, i) => string.Create(CultureInfo.InvariantCulture,
            $$"""{"indicator":"{{Indicators[i].Id}}","value":{{v}},"unit":"{{Indicators[i].Unit}}","flag":"N"}""")));
        return $$"""{"stationId":"{{Station(station)}}","ts":"{{ts}}","readings":[{{readings}}]}""";
    }

    private static async Task SeedHistoryAsync(string root, CancellationToken cancellationToken)
    {
        using var lake = new Lake(new LakehouseOptions { Root = root, Threads = 2 });
        var (water, _, _, _) = await SensorTables.EnsureAsync(lake, "bench-history", cancellationToken);
        using var batch = water.CreateBatch();
        for (var s = 0; s < Stations; s++)
        {
            for (var slot = 0; slot < HistoryDays * SlotsPerDay; slot++)
            {
                var time = Start + Interval * slot;
                var values = Clean(s, slot);
                for (var i = 0; i < Indicators.Length; i++)
                {
                    batch.AppendRow(Station(s), Indicators[i].Id, time.UtcDateTime, values[i], Indicators[i].Unit, "N", DateOnly.FromDateTime(time.DateTime));
                }
            }
        }
        await batch.AppendAsync(cancellationToken: cancellationToken);
    }

    private static Task PublishAsync(MosquittoBroker broker, Func<int, IEnumerable<string>> payloads, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Stations).Select(s => MosquittoClients.PublishAsync(broker,
            ["-q", "1", "-t", $"putian/wq/{Station(s)}/data", "-l"], string.Join("\n", payloads(s)) + "\n", cancellationToken)));

    private static Task SendAsync(ClientWebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<JsonNode> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
    }
}
