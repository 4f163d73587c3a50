using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using OneMap.EndToEnd.Tests.Support;
using OneMap.GraphQLApi.Alerts.Producing;
using OneMap.Ingest.Sensors;
using OneMap.Lakehouse;
using OneMap.Testing;

namespace OneMap.EndToEnd.Tests.Alerts;

/// <summary>
/// Issue 9's end-to-end path: water-quality readings published to mosquitto (by mosquitto_pub) → the sensor worker of the
/// OneMap server (in process, on Kestrel) commits them → the alert producer scores them → the alert reaches a GraphQL
/// subscriber of <c>alertRaised</c> over graphql-transport-ws on a real WebSocket. Measures publish → subscriber latency
/// and prints p50/p99; asserts only a generous bound (speed belongs to bench/).
/// </summary>
public sealed class MqttToSubscriberTests : IAsyncDisposable
{
    private const string AdminKey = "bootstrap-admin-key-for-e2e-0123456789";
    // Each round pollutes five stations of its own: an incident after so gross a pollution lingers for hours as the
    // baselines settle, and a station polluted again meanwhile would only extend it (one alert per incident).
    private const int Rounds = 4;
    private const int PollutedPerRound = 5;
    private const int Stations = Rounds * PollutedPerRound;
    private const int HistoryDays = 7;
    private const int SlotsPerDay = 288;
    private const int QuietSlots = 12;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CityOffset = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, CityOffset);

    /// <summary>docs/sensors.md's indicators, units and decimals.</summary>
    private static readonly (string Id, string Unit, int Decimals)[] Indicators =
    [
        ("water_temp", "°C", 1), ("ph", "dimensionless", 2), ("do", "mg/L", 2), ("conductivity", "μS/cm", 0),
        ("turbidity", "NTU", 1), ("cod_mn", "mg/L", 2), ("nh3_n", "mg/L", 3), ("tp", "mg/L", 3),
    ];

    private readonly TempDirectory directory = new("onemap-e2e-alerts");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Station(int s) => $"WQS-9{s + 1:D2}";

    /// <summary>A clean reading of every indicator: daily cycles, noise, instrument rounding.</summary>
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

    /// <summary>Sewage: oxygen collapses and ammonia jumps, far outside anything in the history.</summary>
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

    /// <summary>Seven days of clean history per station, written to the lake the way the sensor worker writes it.</summary>
    private static async Task SeedHistoryAsync(string root)
    {
        using var lake = new Lake(new LakehouseOptions { Root = root, Threads = 2 });
        var (water, _, _, _) = await SensorTables.EnsureAsync(lake, "e2e-history", Ct);
        using var batch = water.CreateBatch();
        for (var s = 0; s < Stations; s++)
        {
            for (var slot = 0; slot < HistoryDays * SlotsPerDay; slot++)
            {
                var time = Start + Interval * slot;
                var values = Clean(s, slot);
                for (var i = 0; i < Indicators.Length; i++)
                {
                    batch.AppendRow(Station(s), Indicators[i].Id, time.UtcDateTime, values[i], Indicators[i].Unit, "N", DateOnly.FromDateTime(time.ToOffset(CityOffset).DateTime));
                }
            }
        }
        await batch.AppendAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task readings_published_to_mosquitto_open_alerts_that_reach_a_graphql_subscriber()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 }, Ct);
        var root = Path.Combine(directory.Path, "lake");
        await SeedHistoryAsync(root);
        await using var server = Server(root, broker);
        server.Start();
        await server.Get<AlertService>().Ready.WaitAsync(TimeSpan.FromMinutes(4), Ct);
        Assert.Equal(Stations, server.Get<OneMap.Lakehouse.Alerts.Producing.AlertProducer>().ModelledStations.Count);
        await broker.WaitForSubscriptionAsync("onemap-e2e", "+/wq/#", Ct);

        using var subscriber = await Subscriber.ConnectAsync(server.Address, AdminKey,
            """subscription { alertRaised(filter: { kinds: ["pollution"], changes: ["raised", "updated"] }) { change alert { id kind subjectId start end indicators explanation } } }""");

        var latencies = new List<double>();
        var raisedIds = new HashSet<string>(StringComparer.Ordinal);
        var others = new List<string>();
        var slot = HistoryDays * SlotsPerDay;
        for (var round = 0; round < Rounds; round++)
        {
            // An hour of quiet water everywhere, then two polluted readings at this round's stations (the others stay clean).
            await PublishAsync(broker, s => Enumerable.Range(slot, QuietSlots).Select(k => Payload(s, k, Clean(s, k))));
            slot += QuietSlots;
            var polluted = Enumerable.Range(round * PollutedPerRound, PollutedPerRound).ToList();
            var published = Stopwatch.GetTimestamp();
            await PublishAsync(broker, s => Enumerable.Range(slot, 2).Select(k => Payload(s, k, polluted.Contains(s) ? Polluted(s, k) : Clean(s, k))));
            var onset = Start + Interval * slot;
            slot += 2;
            var expected = polluted.Select(Station).ToHashSet(StringComparer.Ordinal);
            while (expected.Count > 0)
            {
                JsonNode message;
                try
                {
                    message = (await subscriber.NextAsync(TimeSpan.FromSeconds(120)))["alertRaised"]!;
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    Assert.Fail($"round {round}: no alert within 60 s for {string.Join(", ", expected)}; other messages:\n{string.Join("\n", others)}");
                    throw;
                }
                var alert = message["alert"]!;
                var change = (string)message["change"]!;
                var id = (string)alert["id"]!;
                Assert.True(change != "raised" || raisedIds.Add(id), $"raised twice: {id}");
                var station = (string)alert["subjectId"]!;
                var start = DateTimeOffset.Parse((string)alert["start"]!, CultureInfo.InvariantCulture);
                // The previous round's incidents closing, or a false alert in the quiet water: not this round's pollution.
                // A false alert still open when the pollution arrives is escalated by it (an update): that one counts.
                if (!expected.Contains(station) || start < onset - TimeSpan.FromHours(2) || start > onset
                    || (change == "updated" && alert["end"] is not null))
                {
                    others.Add($"{change} {id} {alert["explanation"]}");
                    continue;
                }
                expected.Remove(station);
                latencies.Add(Stopwatch.GetElapsedTime(published).TotalMilliseconds);
                Assert.Equal("pollution", (string?)alert["kind"]);
                Assert.Contains(alert["indicators"]!.AsArray().Select(i => (string?)i), i => i is "do" or "nh3_n");
            }
        }
        foreach (var other in others)
        {
            TestContext.Current.TestOutputHelper?.WriteLine("not this round's pollution: " + other);
        }

        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MQTT publish → alertRaised subscriber, {latencies.Count} alerts: p50 {Percentile(0.5):0} ms, p99 {Percentile(0.99):0} ms, max {latencies[^1]:0} ms"));
        Assert.Equal(Stations, latencies.Count);
        // Generous: the issue's target (2 s at p99) is measured by bench/ (alerts-latency), not asserted here.
        Assert.True(Percentile(0.99) < 30_000, $"p99 {Percentile(0.99):0} ms");
    }

    private static OneMapServer Server(string root, MosquittoBroker broker, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Lakehouse:Root"] = root,
            ["Lakehouse:Threads"] = "2",
            ["Api:QueryThreads"] = "2",
            ["Api:HostIngest"] = "true",
            ["Security:BootstrapAdminKey"] = AdminKey,
            ["Ingest:Feeds:Enabled"] = "false",
            ["Ingest:Tickets:Enabled"] = "false",
            ["Ingest:Sensors:Broker:Host"] = broker.Host,
            ["Ingest:Sensors:Broker:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Sensors:Broker:ClientId"] = "onemap-e2e",
            ["Ingest:Sensors:SharedGroup"] = "",
            ["Ingest:Sensors:RequireKnownSensors"] = "false",
            ["Alerts:LearningWindow"] = $"{HistoryDays}.00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new OneMapServer(settings);
    }

    [Fact]
    public async Task a_fresh_lake_filled_over_mqtt_starts_alerting_without_a_restart()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 }, Ct);
        await using var server = Server(Path.Combine(directory.Path, "fresh"), broker, new Dictionary<string, string?> { ["Alerts:UnmodelledRetryInterval"] = "00:00:02" });
        server.Start();
        await server.Get<AlertService>().Ready.WaitAsync(TimeSpan.FromMinutes(4), Ct);
        var producer = server.Get<OneMap.Lakehouse.Alerts.Producing.AlertProducer>();
        Assert.Empty(producer.ModelledStations);
        await broker.WaitForSubscriptionAsync("onemap-e2e", "+/wq/#", Ct);
        using var subscriber = await Subscriber.ConnectAsync(server.Address, AdminKey,
            """subscription { alertRaised(filter: { kinds: ["pollution"] }) { change alert { id subjectId start } } }""");

        // A week of history arrives over MQTT, day by day; the producer learns once readings of unmodelled stations keep coming.
        const int stations = 2;
        var slot = 0;
        for (var day = 0; day < HistoryDays; day++)
        {
            await Task.WhenAll(Enumerable.Range(0, stations).Select(s => MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", $"putian/wq/{Station(s)}/data", "-l"],
                string.Join("\n", Enumerable.Range(slot, SlotsPerDay).Select(k => Payload(s, k, Clean(s, k)))) + "\n", Ct)));
            slot += SlotsPerDay;
        }
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            wait.CancelAfter(TimeSpan.FromMinutes(4));
            while (producer.ModelledStations.Count < stations)
            {
                // Clean readings keep coming (as live stations report); each batch of an unmodelled station can bring learning forward.
                await Task.WhenAll(Enumerable.Range(0, stations).Select(s => PublishOneAsync(broker, s, slot, wait.Token)));
                slot++;
                await Task.Delay(500, wait.Token);
            }
        }

        // Three quiet hours before the pollution: an incident the learnt history left open (baselines still settling) closes
        // first, so the pollution raises its own alert instead of extending that one (a CI run saw a 12-slot stretch fall short).
        const int quiet = 3 * QuietSlots;
        var onset = Start + Interval * (slot + quiet);
        await Task.WhenAll(Enumerable.Range(0, stations).Select(s => MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", $"putian/wq/{Station(s)}/data", "-l"],
            string.Join("\n", Enumerable.Range(slot, quiet + 2).Select(k => Payload(s, k, k >= slot + quiet && s == 0 ? Polluted(s, k) : Clean(s, k)))) + "\n", Ct)));
        var raised = new List<string>();
        producer.Raised += c => raised.Add($"{c.Change} {c.Alert.AlertId} {c.Alert.Explanation}");
        JsonNode alert;
        do
        {
            try
            {
                // Generous: on a loaded 2-core CI machine the learnt history's own alerts can take minutes to stream first.
                alert = (await subscriber.NextAsync(TimeSpan.FromSeconds(240)))["alertRaised"]!["alert"]!;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"no alert; learnt at {producer.LearnedAt:O}, skipped {producer.SkippedWithoutModel}, slot {slot}; raised: {string.Join("\n", raised)}");
                throw;
            }
        }
        while ((string?)alert["subjectId"] != Station(0) || DateTimeOffset.Parse((string)alert["start"]!, CultureInfo.InvariantCulture) < onset - TimeSpan.FromMinutes(30));
        Assert.StartsWith($"{Station(0)}/pollution/", (string?)alert["id"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse((string)alert["start"]!, CultureInfo.InvariantCulture) <= onset, alert.ToJsonString());
    }

    private static Task PublishOneAsync(MosquittoBroker broker, int station, int slot, CancellationToken cancellationToken) =>
        MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", $"putian/wq/{Station(station)}/data", "-m", Payload(station, slot, Clean(station, slot))], null, cancellationToken);

    /// <summary>Publishes every station's messages (QoS 1, one mosquitto_pub -l per station, in order).</summary>
    private static Task PublishAsync(MosquittoBroker broker, Func<int, IEnumerable<string>> payloads) =>
        Task.WhenAll(Enumerable.Range(0, Stations).Select(s => MosquittoClients.PublishAsync(broker,
            ["-q", "1", "-t", $"putian/wq/{Station(s)}/data", "-l"], string.Join("\n", payloads(s)) + "\n", Ct)));

    public ValueTask DisposeAsync()
    {
        directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A graphql-transport-ws subscriber on a real WebSocket.</summary>
    private sealed class Subscriber(ClientWebSocket socket) : IDisposable
    {
        public static async Task<Subscriber> ConnectAsync(Uri server, string apiKey, string query)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            await socket.ConnectAsync(new Uri($"ws://{server.Authority}/graphql"), Ct);
            var subscriber = new Subscriber(socket);
            await subscriber.SendAsync(new { type = "connection_init", payload = new { apiKey } });
            var ack = await subscriber.ReceiveAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("connection_ack", (string?)ack["type"]);
            await subscriber.SendAsync(new { id = "1", type = "subscribe", payload = new { query } });
            // The subscription is live once the server has asked the alert store to watch.
            await Task.Delay(500, Ct);
            return subscriber;
        }

        public async Task<JsonNode> NextAsync(TimeSpan timeout)
        {
            var message = await ReceiveAsync(timeout);
            Assert.True((string?)message["type"] == "next", message.ToJsonString());
            Assert.Null(message["payload"]!["errors"]);
            return message["payload"]!["data"]!;
        }

        private Task SendAsync(object message) => socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, Ct);

        private async Task<JsonNode> ReceiveAsync(TimeSpan timeout)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cancel.CancelAfter(timeout);
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancel.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
        }

        public void Dispose() => socket.Dispose();
    }
}
