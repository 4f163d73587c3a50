using System.Text.Json;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Receipts;
using OneMap.Ingest.Sensors;
using OneMap.Ingest.Tests.Support;
using OneMap.Ingest.Tickets;
using OneMap.Testing;

namespace OneMap.Ingest.Tests;

/// <summary>
/// The committed sample city (data-samples/) through the real contracts (feeds/sample-city/), the payload-log replay
/// and the ticket export import: every input gets a receipt that reconciles, and exactly the rows the simulator spoiled
/// on purpose (ground-truth/bad-rows.json) are quarantined.
/// </summary>
public sealed class SampleCityTests : IngestTestBase
{
    private static string Samples => Path.Combine(RepoPaths.RepoRoot, "data-samples");

    [Fact]
    public async Task department_files_land_with_reconciling_receipts_and_only_the_spoiled_rows_quarantined()
    {
        var contracts = FeedContractReader.LoadFolder(Path.Combine(RepoPaths.RepoRoot, "feeds", "sample-city"));
        var outcomes = new List<FeedOutcome>();
        foreach (var contract in contracts)
        {
            var folder = Path.Combine(Samples, contract.Source.Folder!);
            var files = System.IO.Directory.EnumerateFiles(folder, contract.Source.Pattern).Order(StringComparer.Ordinal).ToList();
            Assert.True(files.Count > 0, $"feed {contract.Feed} finds no file in {folder}");
            foreach (var file in files)
            {
                outcomes.Add(await Ingestor.IngestFileAsync(contract, file, moveRefused: false, cancellationToken: Ct));
            }
        }

        Assert.All(outcomes, o => Assert.True(o.Kind == FeedOutcomeKind.Committed, $"{o.Receipt.Input}: {o.Kind} {o.Receipt.Message}"));
        Assert.All(outcomes, o => Assert.True(o.Receipt.Reconciles, $"{o.Receipt.Input} does not reconcile"));

        using var truth = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Samples, "ground-truth", "bad-rows.json"), Ct));
        var spoiled = truth.RootElement.EnumerateArray()
            .Where(b => b.GetProperty("problem").GetString() != "duplicate_key") // a repeated key is an upsert, not a bad row
            .GroupBy(b => Path.GetFileName(b.GetProperty("file").GetString()!))
            .ToDictionary(g => g.Key, g => g.Count());
        var rejected = outcomes.Where(o => o.Receipt.RowsRejected > 0).ToDictionary(o => o.Receipt.Input, o => o.Receipt.RowsRejected);
        Assert.Equal(spoiled.OrderBy(kv => kv.Key).Select(kv => (kv.Key, (long)kv.Value)), rejected.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)));

        // Converted coordinates agree with the simulator's true WGS84 positions (BD-09 manholes, GCJ-02 enterprises, EPSG:4528 outfalls).
        var truePositions = File.ReadLines(Path.Combine(Samples, "ground-truth", "coordinates.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(p => p.Length >= 4).GroupBy(p => p[1]).ToDictionary(g => g.Key, g => g.First());
        var covers = ReadBack("manhole_covers", "device_id, geom", "device_id").Take(200).ToList();
        var checkedCount = 0;
        foreach (var row in covers)
        {
            if (!truePositions.TryGetValue((string)row[0]!, out var truthRow))
            {
                continue;
            }
            var point = (NetTopologySuite.Geometries.Point)OneMap.Models.Spatial.Geo.FromWkb((byte[])row[1]!);
            var distance = OneMap.Models.Spatial.Geo.DistanceMeters(point.X, point.Y, double.Parse(truthRow[^2], System.Globalization.CultureInfo.InvariantCulture), double.Parse(truthRow[^1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(distance < 2, $"{row[0]}: {distance:0.00} m from its true position");
            checkedCount++;
        }
        Assert.True(checkedCount > 100, "manhole positions were checked against ground truth");
    }

    [Fact]
    public async Task a_day_of_sensor_logs_and_the_ticket_exports_land_with_reconciling_receipts()
    {
        var contracts = FeedContractReader.LoadFolder(Path.Combine(RepoPaths.RepoRoot, "feeds", "sample-city"));
        foreach (var feed in new[] { "ecology-stations", "manhole-covers" })
        {
            var contract = contracts.Single(c => c.Feed == feed);
            foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(Samples, contract.Source.Folder!), contract.Source.Pattern))
            {
                await Ingestor.IngestFileAsync(contract, file, moveRefused: false, cancellationToken: Ct);
            }
        }

        // The registers just landed are the sensor registry: readings of unknown sensors would be quarantined.
        var options = new SensorOptions { ReplayFolder = Path.Combine(Samples, "sensors") };
        var worker = new SensorWorker(Lake, Receipts, Quarantine, Metrics, Options.Create(options));
        var registry = await new SensorRegistryLoader(Lake, options).CreateAsync(Ct);
        // 113 stations and the 3,000 covers less those whose register rows were quarantined (bad coordinates, no id).
        Assert.Equal((long)ReadBack("monitoring_stations", "count(*)")[0][0]! + (long)ReadBack("manhole_covers", "count(*)")[0][0]!, registry.Count);
        Assert.True(registry.Count > 3100);
        using var committer = await SensorCommitter.CreateAsync(Lake, "sensors", Ct);
        var pipeline = new SensorPipeline(committer, new SensorPayloadParser(registry, options.MaxPayloadBytes, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")),
            Quarantine, options, Metrics.Worker("sensors", "sensors"), "sensors", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var sensorReceipts = new List<IngestReceipt>();
        foreach (var log in new[] { "water-quality/2024-06-01.log.gz", "manholes/2024-06-01.log.gz" })
        {
            sensorReceipts.Add((await worker.ReplayFileAsync(pipeline, options.ReplayFolder, Path.Combine(options.ReplayFolder, log), Ct))!);
        }
        Assert.All(sensorReceipts, r => Assert.True(r.Reconciles && r.RowsWritten > 0, r.ToString()));
        Assert.Equal(0L, sensorReceipts[0].RowsRejected);
        // Covers whose register row was spoiled are unknown sensors: their messages, and only theirs, are quarantined.
        Assert.All(Quarantine.ReadAll("sensors"), q => Assert.Contains("unknown sensor", q.GetProperty("reason").GetString(), StringComparison.Ordinal));
        var waterRows = (long)ReadBack("water_quality_readings", "count(*)")[0][0]!;
        var manholeRows = (long)ReadBack("manhole_readings", "count(*)")[0][0]! + (long)ReadBack("manhole_alarms", "count(*)")[0][0]!;
        Assert.Equal(sensorReceipts[0].RowsWritten, waterRows);
        Assert.Equal(sensorReceipts[1].RowsWritten, manholeRows);
        // The catalog table's own freshness columns were brought up to date after each replayed file.
        Assert.Equal(waterRows, (long)ReadBack("_catalog", "max(row_count) FILTER (WHERE name = 'water_quality_readings')")[0][0]!);
        // Replaying the same log again changes nothing.
        Assert.Null(await worker.ReplayFileAsync(pipeline, options.ReplayFolder, Path.Combine(options.ReplayFolder, "water-quality/2024-06-01.log.gz"), Ct));

        var tickets = new TicketWorker(Lake, Receipts, Quarantine, Metrics, new PersonalData(Secret), Options.Create(new TicketOptions()));
        var hotline = await tickets.ImportExportAsync(TicketWorker.HotlineSource, Path.Combine(Samples, "tickets", "hotline-12345.jsonl.gz"), jsonLines: true, Ct);
        var open311 = await tickets.ImportExportAsync(TicketWorker.Open311Source, Path.Combine(Samples, "tickets", "open311", "requests.json"), jsonLines: false, Ct);
        Assert.True(hotline!.Reconciles && open311!.Reconciles);
        Assert.Equal((5217L, 0L), (hotline.RowsWritten, hotline.RowsRejected));
        Assert.Equal((752L, 0L), (open311.RowsWritten, open311.RowsRejected));
        Assert.Equal(5217L + 752, (long)ReadBack("tickets", "count(*)")[0][0]!);
        Assert.Equal(0L, (long)ReadBack("tickets", "count(*) FILTER (WHERE reporter_phone SIMILAR TO '1[3-9][0-9]{9}')")[0][0]!);
    }
}
