using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tests.Support;
using OneMap.Mqtt;
using OneMap.Mqtt.Client;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Sensors;

/// <summary>
/// Nothing lost, nothing twice: the ingest worker killed with SIGKILL mid-burst, the broker restarted mid-stream, two
/// worker processes on one shared subscription. Readings are published at QoS 1 as station batches (8 per message).
/// </summary>
public sealed class ReliabilityTests : IngestTestBase
{
    private static readonly DateTimeOffset Start = new(2024, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] IndicatorUnits = ["do|mg/L", "ph|dimensionless", "nh3_n|mg/L", "cod_mn|mg/L", "tp|mg/L", "turbidity|NTU", "water_temp|°C", "conductivity|μS/cm"];

    private static MosquittoOptions BrokerOptions(bool persistence = false) =>
        // Manual acknowledgements after a commit need more than mosquitto's default 20 messages in flight, and a
        // persistent session must queue more than its default 1000 while the worker is down.
        new() { MaxInflightMessages = 0, MaxQueuedMessages = 0, Persistence = persistence };

    private Dictionary<string, string> ProcessSettings(MosquittoBroker broker, string clientId) => new()
    {
        ["Lakehouse:Root"] = LakeRoot,
        ["Lakehouse:Threads"] = "1",
        ["Ingest:Feeds:Enabled"] = "false",
        ["Ingest:Tickets:Enabled"] = "false",
        ["Ingest:Sensors:Broker:Host"] = broker.Host,
        ["Ingest:Sensors:Broker:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
        ["Ingest:Sensors:Broker:ClientId"] = clientId,
        ["Ingest:Sensors:RequireKnownSensors"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:OneMap.Ingest"] = "Information",
    };

    /// <summary>Message <paramref name="i"/>: station S(i mod 100) reports 8 indicators at minute i / 100.</summary>
    private static (string Topic, byte[] Payload) Message(int i)
    {
        var station = $"S{i % 100:D3}";
        var ts = Start.AddMinutes(i / 100).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var builder = new StringBuilder($$"""{"stationId":"{{station}}","ts":"{{ts}}","readings":[""");
        for (var k = 0; k < IndicatorUnits.Length; k++)
        {
            var parts = IndicatorUnits[k].Split('|');
            builder.Append(k == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"indicator":"{{parts[0]}}","value":{{1 + (i % 7) * 0.5}},"unit":"{{parts[1]}}","flag":"N"}""");
        }
        builder.Append("]}");
        return ($"putian/wq/{station}/data", Encoding.UTF8.GetBytes(builder.ToString()));
    }

    private static async Task PublishAsync(MosquittoBroker broker, int from, int to, CancellationToken cancellationToken)
    {
        await using var publisher = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = $"publisher-{from}", MaximumInflight = 1000 });
        await publisher.ConnectAsync(cancellationToken);
        var pending = new List<Task>(capacity: 1024);
        for (var i = from; i < to; i++)
        {
            var (topic, payload) = Message(i);
            pending.Add(publisher.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce, cancellationToken: cancellationToken));
            if (pending.Count == 1000)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
    }

    private (long Rows, long Distinct) Readings()
    {
        if (!System.IO.Directory.Exists(Path.Combine(LakeRoot, "water_quality_readings", "_delta_log")))
        {
            return (0, 0);
        }
        var row = ReadBack("water_quality_readings", "count(*), count(DISTINCT (station_id, indicator, ts))");
        return row.Count == 0 ? (0, 0) : ((long)row[0][0]!, (long)row[0][1]!);
    }

    [Fact]
    public async Task kill_9_during_a_burst_of_200k_readings_loses_and_duplicates_nothing()
    {
        await using var broker = await MosquittoBroker.StartAsync(BrokerOptions(), Ct);
        const int messages = 25_000; // 200,000 readings
        var settings = ProcessSettings(broker, "ingest-kill");
        var first = IngestProcess.Start(Path.Combine(Directory.Path, "ingest-1.log"), settings);
        await using (first)
        {
            await broker.WaitForSubscriptionAsync("ingest-kill", "$share/onemap-ingest/+/wq/#", Ct);
            var publishing = PublishAsync(broker, 0, messages, Ct);
            await Wait.UntilAsync(() => Readings().Rows > 0, "a first committed batch", TimeSpan.FromSeconds(90), Ct);
            first.Kill9();
            Assert.True(Readings().Rows < messages * 8, "the worker was killed mid-burst");
            await publishing;
        }

        var second = IngestProcess.Start(Path.Combine(Directory.Path, "ingest-2.log"), settings);
        await using (second)
        {
            await Wait.UntilAsync(() => Readings().Rows >= messages * 8, "all 200,000 readings", TimeSpan.FromSeconds(150), Ct, second.ReadLog);
            await second.StopAsync(Ct);
        }
        Assert.Equal((200_000L, 200_000L), Readings());
    }

    [Fact]
    public async Task a_broker_restart_mid_stream_loses_nothing()
    {
        await using var broker = await MosquittoBroker.StartAsync(BrokerOptions(persistence: true), Ct);
        // A plain persistent subscription: mosquitto 2.0 restores it with the session and queues for it at once. (It does
        // not restore shared subscriptions from persistence; the worker subscribes again when it reconnects, and
        // messages published before that are not queued — see docs/operations.md.)
        var settings = ProcessSettings(broker, "ingest-restart");
        settings["Ingest:Sensors:SharedGroup"] = "";
        var worker = IngestProcess.Start(Path.Combine(Directory.Path, "ingest-restart.log"), settings);
        await using (worker)
        {
            await broker.WaitForSubscriptionAsync("ingest-restart", "+/wq/#", Ct);

            await PublishAsync(broker, 0, 2_000, Ct);
            await broker.RestartAsync(Ct);
            await PublishAsync(broker, 2_000, 4_000, Ct);

            await Wait.UntilAsync(() => Readings().Rows >= 32_000, "32,000 readings after the broker restart", TimeSpan.FromSeconds(90), Ct, worker.ReadLog);
            await worker.StopAsync(Ct);
        }
        Assert.Equal((32_000L, 32_000L), Readings());
    }

    [Fact]
    public async Task two_processes_on_one_shared_subscription_land_every_reading_once_and_both_commit()
    {
        await using var broker = await MosquittoBroker.StartAsync(BrokerOptions(), Ct);
        var a = IngestProcess.Start(Path.Combine(Directory.Path, "ingest-a.log"), ProcessSettings(broker, "ingest-a"));
        var b = IngestProcess.Start(Path.Combine(Directory.Path, "ingest-b.log"), ProcessSettings(broker, "ingest-b"));
        await using (a)
        await using (b)
        {
            await broker.WaitForSubscriptionAsync("ingest-a", "$share/onemap-ingest/+/wq/#", Ct);
            await broker.WaitForSubscriptionAsync("ingest-b", "$share/onemap-ingest/+/wq/#", Ct);

            await PublishAsync(broker, 0, 6_000, Ct);

            await Wait.UntilAsync(() => Readings().Rows >= 48_000, "48,000 readings from two workers", TimeSpan.FromSeconds(120), Ct, () => a.ReadLog() + b.ReadLog());
            await Task.WhenAll(a.StopAsync(Ct), b.StopAsync(Ct));
        }
        Assert.Equal((48_000L, 48_000L), Readings());
        var receipts = await Receipts.QueryAsync(cancellationToken: Ct);
        Assert.True(receipts.Sum(r => r.RowsWritten) == 48_000, string.Join("\n", receipts.Select(r => r.ToString())) + "\n" + a.ReadLog()[^Math.Min(3000, a.ReadLog().Length)..]);
        var byWorker = receipts.Where(r => r.SourceKind == "sensors").GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Sum(r => r.RowsWritten));
        Assert.Equal(2, byWorker.Count);
        Assert.All(byWorker.Values, written => Assert.True(written > 0, "each worker committed readings"));
        Assert.Equal(48_000, byWorker.Values.Sum());
    }
}
