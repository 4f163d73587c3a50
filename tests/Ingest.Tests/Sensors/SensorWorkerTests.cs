using Microsoft.Extensions.Options;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tests.Support;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Sensors;

/// <summary>The sensor worker in this process against a real mosquitto, fed by mosquitto's own mosquitto_pub.</summary>
public sealed class SensorWorkerTests : IngestTestBase
{
    private SensorOptions Options(MosquittoBroker broker, string clientId)
    {
        var known = Path.Combine(Directory.Path, "known-sensors.txt");
        File.WriteAllLines(known, ["wq:WQ001", "wq:WQ002", "manhole:MH0001"]);
        return new SensorOptions
        {
            Broker = new MqttBrokerOptions { Host = broker.Host, Port = broker.Port, ClientId = clientId },
            KnownSensorsFile = known,
            BatchInterval = TimeSpan.FromMilliseconds(200),
            MaxPayloadBytes = 4096,
        };
    }

    private long Count(string table) =>
        Lake.Table(table).Exists && ReadBack(table, "count(*)") is [var row, ..] ? (long)row[0]! : 0;

    [Fact]
    public async Task quarantines_a_corpus_of_bad_payloads_and_keeps_running()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0, MaxQueuedMessages = 0 }, Ct);
        var options = Options(broker, "ingest-corpus");
        using var worker = new SensorWorker(Lake, Receipts, Quarantine, Metrics, Microsoft.Extensions.Options.Options.Create(options));
        await worker.StartAsync(Ct);
        await broker.WaitForSubscriptionAsync("ingest-corpus", "$share/onemap-ingest/+/wq/#", Ct);

        string[][] bad =
        [
            ["-t", "putian/wq/WQ001/do", "-m", "{not json"],
            ["-t", "putian/wq/WQ001/do", "-m", """{"stationId":"WQ001","indicator":"do","value":NaN,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}"""],
            ["-t", "putian/wq/WQ001/do", "-m", """{"stationId":"WQ001","indicator":"do","value":7,"unit":"g/L","ts":"2024-06-01T08:00:00+08:00"}"""],
            ["-t", "putian/wq/WQ001/do", "-m", """{"stationId":"WQ001","indicator":"do","value":-3,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}"""],
            ["-t", "putian/wq/WQ404/do", "-m", """{"stationId":"WQ404","indicator":"do","value":7,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}"""],
            ["-t", "putian/wq/WQ001/do", "-m", new string('x', 10_000)],
        ];
        foreach (var arguments in bad)
        {
            await MosquittoClients.PublishAsync(broker, ["-q", "1", .. arguments], cancellationToken: Ct);
        }
        await MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", "putian/wq/WQ002/data", "-m",
            """{"stationId":"WQ002","ts":"2024-06-01T08:00:00+08:00","readings":[{"indicator":"do","value":6.5,"unit":"mg/L","flag":"N"},{"indicator":"ph","value":7.4,"unit":"dimensionless","flag":"M"}]}"""], cancellationToken: Ct);
        await MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", "putian/manhole/MH0001/alarm", "-m",
            """{"deviceId":"MH0001","ts":"2024-06-01T08:00:05+08:00","type":"tilt","value":35.2,"threshold":15}"""], cancellationToken: Ct);

        await Wait.UntilAsync(() => Count("water_quality_readings") == 2 && Count("manhole_alarms") == 1 && Quarantine.ReadAll("sensors").Count() == 6,
            "2 readings, 1 alarm and 6 quarantined messages", cancellationToken: Ct);
        var reasons = Quarantine.ReadAll("sensors").Select(q => q.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("NaN or Infinity", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("wrong unit 'g/L'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("absurd value -3", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("unknown sensor 'WQ404'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("exceeds the limit of 4096 bytes", StringComparison.Ordinal));

        // The twin shows the latest state: a newer reading replaces, an older one does not.
        await MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", "putian/wq/WQ002/do", "-m",
            """{"stationId":"WQ002","indicator":"do","value":5.1,"unit":"mg/L","flag":"N","ts":"2024-06-01T09:00:00+08:00"}"""], cancellationToken: Ct);
        await MosquittoClients.PublishAsync(broker, ["-q", "1", "-t", "putian/wq/WQ002/do", "-m",
            """{"stationId":"WQ002","indicator":"do","value":9.9,"unit":"mg/L","flag":"N","ts":"2024-05-31T23:00:00+08:00"}"""], cancellationToken: Ct);
        await Wait.UntilAsync(() => Count("water_quality_readings") == 4, "the late reading lands too", cancellationToken: Ct);
        // The twin is committed right after the readings of the same batch.
        List<object?[]> twins = [];
        await Wait.UntilAsync(() => (twins = ReadBack("sensor_twins", "sensor_id, indicator, value, status, ts", "sensor_id, indicator"))
            .Any(t => (string)t[0]! == "WQ002" && (string)t[1]! == "do" && (DateTimeOffset)t[4]! == new DateTimeOffset(2024, 6, 1, 1, 0, 0, TimeSpan.Zero)), "the twin shows 09:00", cancellationToken: Ct);
        await Task.Delay(500, Ct); // let the late reading's batch (if separate) commit its twin rows too
        Assert.Contains(twins, t => (string)t[0]! == "WQ002" && (string)t[1]! == "do" && (double)t[2]! == 5.1);
        Assert.Contains(twins, t => (string)t[0]! == "WQ002" && (string)t[1]! == "ph" && (string)t[3]! == "maintenance");
        Assert.Contains(twins, t => (string)t[0]! == "MH0001" && (string)t[1]! == "alarm:tilt" && (string)t[3]! == "alarm");
        // The late reading went into its own day's partition.
        var days = ReadBack("water_quality_readings", "DISTINCT CAST(date AS VARCHAR)", "1").Select(r => (string)r[0]!).ToList();
        Assert.Equal(["2024-05-31", "2024-06-01"], days);

        await worker.StopAsync(Ct);
        var receipt = Assert.Single(await Receipts.QueryAsync(cancellationToken: Ct));
        Assert.Equal((11L, 4L, 6L, 1L), (receipt.RowsRead, receipt.RowsWritten - 1, receipt.RowsRejected, receipt.RowsDuplicate + 1));
        Assert.True(receipt.Reconciles);
    }
}
