using OneMap.Lakehouse.Alerts;
using OneMap.Lakehouse.Alerts.Producing;
using OneMap.Lakehouse.Tables;
using OneMap.Lakehouse.Tests.Detection;
using OneMap.Testing;

using static OneMap.Lakehouse.Tests.Alerts.AlertLake;

namespace OneMap.Lakehouse.Tests.Alerts;

/// <summary>
/// The alert producer on a real lake: station models learnt from the lake's history, readings streamed in
/// micro-batches as ingest commits them, alerts stored in the lake's <c>alerts</c> table.
/// </summary>
public sealed class AlertProducerTests : IDisposable
{
    // A dissolved-oxygen drop of 2.5 mg/L (≈ 17 σ of the noise) over twelve readings, an hour, starting 08:20 of the test day.
    private const int DropStart = 100;
    private const int DropLength = 12;
    // A water thermometer frozen for 150 readings (12.5 h) from 05:00.
    private const int StuckStart = 60;
    private const int StuckLength = 150;

    private readonly TempDirectory directory = new("onemap-alerts");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Lake NewLake(string name = "lake") => new(new LakehouseOptions { Root = Path.Combine(directory.Path, name), Threads = 2 });

    private static void DoDrop(double[][] columns)
    {
        for (var k = DropStart; k < DropStart + DropLength; k++)
        {
            columns[0][k] = Math.Round(columns[0][k] - 2.5, 2);
        }
    }

    private static void FrozenThermometer(double[][] columns)
    {
        for (var k = StuckStart; k < StuckStart + StuckLength; k++)
        {
            columns[3][k] = columns[3][StuckStart - 1];
        }
    }

    private static bool Overlaps(Alert alert, int fromSlot, int toSlot) =>
        alert.Start < TestDayStart + SyntheticStation.Interval * toSlot && (alert.End ?? DateTimeOffset.MaxValue) >= TestDayStart + SyntheticStation.Interval * fromSlot;

    private static async Task<List<Alert>> AllAlerts(IAlertStore store) => [.. await store.QueryAsync(new AlertQuery { Limit = 10_000 }, Ct)];

    [Fact]
    public async Task a_dissolved_oxygen_drop_over_twelve_readings_raises_exactly_one_explained_alert()
    {
        using var lake = NewLake();
        await WriteAsync(lake, History("S1", seed: 1), Ct);
        using var store = new LakeAlertStore(lake);
        using var producer = new AlertProducer(lake, store, Options());
        await producer.StartAsync(Ct);
        Assert.Equal(["S1"], producer.ModelledStations);

        var changes = await StreamAsync(producer, Readings("S1", FirstTestSlot, SyntheticStation.SlotsPerDay, seed: 2, DoDrop), slotsPerBatch: 3, Ct);

        var alerts = await AllAlerts(store);
        var hits = alerts.Where(a => a.Kind == AlertKinds.Pollution && Overlaps(a, DropStart, DropStart + DropLength)).ToList();
        var alert = Assert.Single(hits);
        TestContext.Current.TestOutputHelper?.WriteLine($"{alert.AlertId} {alert.Start:O}–{alert.End:O} {alert.Severity} {alert.Score}: {alert.Explanation}");
        Assert.Equal("S1", alert.SubjectId);
        Assert.Equal("station", alert.SubjectKind);
        Assert.InRange((alert.Start - SlotTime(FirstTestSlot + DropStart)) / SyntheticStation.Interval, 0, 2);
        // It ends once the readings are back to normal (the detectors' EWMA takes a while to settle after so deep a drop).
        Assert.NotNull(alert.End);
        Assert.InRange(alert.End!.Value, SlotTime(FirstTestSlot + DropStart + DropLength - 1), SlotTime(FirstTestSlot + DropStart + DropLength + 36));
        Assert.Contains("do", alert.Indicators);
        Assert.Contains(alert.Severity, new[] { "warning", "critical" });
        Assert.True(alert.Score >= 1, $"score {alert.Score}");
        Assert.Contains("pollution", alert.Explanation, StringComparison.Ordinal);
        Assert.Contains("do ", alert.Explanation, StringComparison.Ordinal);
        Assert.Equal("D12", alert.DepartmentCode);
        // Twelve anomalous readings: raised once, then only updated (escalation, closure) under the same id.
        Assert.Single(changes, c => c.Alert.AlertId == alert.AlertId && c.Change == "raised");
        var events = await lake.Table(LakeAlertStore.EventsTable).QueryAsync("SELECT action FROM {table}", Predicate.Eq("alert_id", alert.AlertId), cancellationToken: Ct);
        Assert.Equal(1, events.Count(e => (string)e[0]! == "raised"));
        // A clean day besides the drop: at most one false pollution alert.
        Assert.True(alerts.Count(a => a.Kind == AlertKinds.Pollution) - 1 <= 1, string.Join("\n", alerts.Select(a => $"{a.AlertId}: {a.Explanation}")));
    }

    [Fact]
    public async Task a_frozen_sensor_raises_a_sensor_fault_alert_and_no_pollution_alert()
    {
        using var lake = NewLake();
        await WriteAsync(lake, History("S1", seed: 1), Ct);
        using var store = new LakeAlertStore(lake);
        using var producer = new AlertProducer(lake, store, Options());
        await producer.StartAsync(Ct);

        await StreamAsync(producer, Readings("S1", FirstTestSlot, SyntheticStation.SlotsPerDay, seed: 2, FrozenThermometer), slotsPerBatch: 4, Ct);

        var alerts = await AllAlerts(store);
        foreach (var a in alerts)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{a.AlertId} {a.Kind} {a.Start:O}–{a.End:O}: {a.Explanation}");
        }
        var fault = Assert.Single(alerts, a => a.Kind == AlertKinds.SensorFault && a.AlertId.Contains("/fault/", StringComparison.Ordinal) && Overlaps(a, StuckStart, StuckStart + StuckLength));
        Assert.Equal(["water_temp"], fault.Indicators);
        Assert.Contains("sensor fault", fault.Explanation, StringComparison.Ordinal);
        Assert.Contains("Stuck", fault.Explanation, StringComparison.Ordinal);
        // The frozen readings drift from the river's daily cycle before the stuck test confirms them, and jump back when the
        // sensor recovers: those deviations are the fault's too, never pollution.
        Assert.DoesNotContain(alerts, a => a.Kind == AlertKinds.Pollution && Overlaps(a, StuckStart, StuckStart + StuckLength + 6));
    }

    [Fact]
    public async Task alerts_land_in_the_lake_survive_a_restart_and_a_backfill_updates_them_without_duplicates()
    {
        string alertId;
        var root = Path.Combine(directory.Path, "restart");
        var day = Readings("S1", FirstTestSlot, SyntheticStation.SlotsPerDay, seed: 2, DoDrop);
        using (var lake = new Lake(new LakehouseOptions { Root = root, Threads = 2 }))
        {
            await WriteAsync(lake, History("S1", seed: 1), Ct);
            using var store = new LakeAlertStore(lake);
            using var producer = new AlertProducer(lake, store, Options());
            await producer.StartAsync(Ct);
            await StreamAsync(producer, day, slotsPerBatch: 6, Ct);
            await WriteAsync(lake, day, Ct);
            alertId = Assert.Single(await AllAlerts(store), a => a.Kind == AlertKinds.Pollution && Overlaps(a, DropStart, DropStart + DropLength)).AlertId;
            await store.AcknowledgeAsync(alertId, "officer-7", "team sent", Ct);
        }

        // A new process: the lake alone holds the alert, with its handling.
        using var reopened = new Lake(new LakehouseOptions { Root = root, Threads = 2 });
        using var again = new LakeAlertStore(reopened);
        var stored = await again.GetAsync(alertId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(AlertStatuses.Acknowledged, stored.Status);
        Assert.Equal("officer-7", stored.AcknowledgedBy);
        var before = await AllAlerts(again);

        // A backfill of the same day gives the same incident ids: the alerts are updated, their handling kept.
        using var backfiller = new AlertProducer(reopened, again, Options());
        var result = await backfiller.BackfillAsync(TestDayStart, TestDayStart.AddDays(1), null, Ct);
        Assert.Equal(1, result.Stations);
        Assert.True(result.Alerts >= 1);
        var after = await AllAlerts(again);
        Assert.Equal(before.Select(a => a.AlertId).Order(), after.Select(a => a.AlertId).Order());
        var backfilled = after.Single(a => a.AlertId == alertId);
        Assert.Equal(AlertStatuses.Acknowledged, backfilled.Status);
        Assert.Equal(stored.Start, backfilled.Start);
        Assert.Equal(stored.End, backfilled.End);
    }

    [Fact]
    public async Task a_backfill_over_history_gives_the_incidents_a_live_stream_gave()
    {
        var plant = (Action<double[][]>)(c =>
        {
            DoDrop(c);
            FrozenThermometer(c);
        });
        var days = 2;
        var streamedDays = Readings("S1", FirstTestSlot, days * SyntheticStation.SlotsPerDay, seed: 3, plant);

        using var live = NewLake("live");
        await WriteAsync(live, History("S1", seed: 1), Ct);
        using var liveStore = new LakeAlertStore(live);
        using var streaming = new AlertProducer(live, liveStore, Options());
        await streaming.StartAsync(Ct);
        await StreamAsync(streaming, streamedDays, slotsPerBatch: 5, Ct);

        using var history = NewLake("history");
        await WriteAsync(history, [.. History("S1", seed: 1), .. streamedDays], Ct);
        using var historyStore = new LakeAlertStore(history);
        using var backfilling = new AlertProducer(history, historyStore, Options());
        await backfilling.BackfillAsync(TestDayStart, TestDayStart.AddDays(days), null, Ct);

        // The stream's last slots may still wait for the next batch; compare the incidents that were over before them.
        var horizon = TestDayStart.AddDays(days).AddHours(-3);
        static string Key(Alert a) => $"{a.AlertId} {a.Kind} {a.Start:O} {a.End:O} [{string.Join(",", a.Indicators)}] {a.Severity}";
        var streamed = (await AllAlerts(liveStore)).Where(a => a.End < horizon).Select(Key).Order().ToList();
        var backfilled = (await AllAlerts(historyStore)).Where(a => a.End < horizon).Select(Key).Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", streamed));
        Assert.Contains(streamed, k => k.Contains("pollution", StringComparison.Ordinal));
        Assert.Contains(streamed, k => k.Contains("sensor_fault", StringComparison.Ordinal));
        Assert.Equal(streamed, backfilled);
    }

    [Fact]
    public async Task pollution_alerts_name_the_stretch_upstream_of_the_station_as_first_suspect_when_the_river_is_known()
    {
        using var lake = NewLake();
        await WriteRiverAsync(lake, Ct);
        await WriteAsync(lake, [.. History("UP", seed: 11), .. History("DOWN", seed: 12)], Ct);
        using var store = new LakeAlertStore(lake);
        using var producer = new AlertProducer(lake, store, Options());
        await producer.StartAsync(Ct);

        // Sewage between the two stations: at DOWN ammonia rises and oxygen falls; UP stays clean.
        void Sewage(double[][] c)
        {
            for (var k = DropStart; k < DropStart + 3 * DropLength; k++)
            {
                c[0][k] = Math.Round(c[0][k] - 2.5, 2);
                c[1][k] = Math.Round(c[1][k] + 0.6, 3);
            }
        }
        var day = Readings("UP", FirstTestSlot, SyntheticStation.SlotsPerDay, seed: 13).Concat(Readings("DOWN", FirstTestSlot, SyntheticStation.SlotsPerDay, seed: 14, Sewage)).ToList();
        // Ingest commits before the producer sees a batch, so the ranking finds the readings in the lake.
        await WriteAsync(lake, day, Ct);
        await StreamAsync(producer, day, slotsPerBatch: 3, Ct);

        var alert = Assert.Single(await AllAlerts(store), a => a.Kind == AlertKinds.Pollution && a.SubjectId == "DOWN" && Overlaps(a, DropStart, DropStart + 3 * DropLength));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", alert.Suspects.Select(s => $"{s.Rank} {s.Kind} {s.Id} {s.RiverKm} km {s.Score}: {s.Explanation}")));
        Assert.NotEmpty(alert.Suspects);
        var first = alert.Suspects[0];
        Assert.Equal(1, first.Rank);
        Assert.Equal("unregistered_stretch", first.Kind);
        Assert.Equal("above:DOWN", first.Id);
        Assert.NotNull(first.Explanation);
        Assert.Equal(119.08, alert.Longitude!.Value, 6);
        // UP saw nothing: no pollution alert there.
        Assert.DoesNotContain(await AllAlerts(store), a => a.Kind == AlertKinds.Pollution && a.SubjectId == "UP" && Overlaps(a, DropStart, DropStart + 3 * DropLength));
    }

    [Fact]
    public async Task without_a_river_network_alerts_go_out_without_suspects()
    {
        using var lake = NewLake();
        await WriteAsync(lake, History("S1", seed: 1), Ct);
        using var store = new LakeAlertStore(lake);
        using var producer = new AlertProducer(lake, store, Options());
        await producer.StartAsync(Ct);
        await StreamAsync(producer, Readings("S1", FirstTestSlot, 160, seed: 2, DoDrop), slotsPerBatch: 3, Ct);
        var alert = Assert.Single(await AllAlerts(store), a => a.Kind == AlertKinds.Pollution && Overlaps(a, DropStart, DropStart + DropLength));
        Assert.Empty(alert.Suspects);
    }

    public void Dispose() => directory.Dispose();
}
