using System.Globalization;
using System.Text;
using OneMap.Bench.Runner;
using OneMap.DuckDb;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;

namespace OneMap.Bench.Ingest;

/// <summary>
/// A 1M-row department CSV (the manhole register's shape: BD-09 coordinates, dates, integers) into a lake table through
/// a feed contract (hash, parse, validate, convert BD-09 → WGS84, WKB, quarantine, commit, receipt) vs DuckDB's own
/// <c>read_csv</c> → <c>COPY … (FORMAT parquet)</c> of the same file.
/// </summary>
public sealed class IngestCsvBenchmark : IBenchmark
{
    private const int Rows = 1_000_000;

    public string Name => "ingest-csv";

    public string Description => "1M-row department CSV → lake table via a feed contract vs DuckDB read_csv → COPY parquet";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var csv = Path.Combine(context.ScratchDirectory, "manhole-covers.csv");
        await WriteCsvAsync(csv, cancellationToken);
        var contract = FeedContractReader.Parse("""
            {
              "feed": "bench-covers", "dataset": "manhole_covers", "owner": "D14", "mode": "append", "key": ["device_id"],
              "source": { "folder": "." }, "format": { "type": "csv", "encoding": "utf-8" },
              "bounds": [118.0, 24.0, 120.5, 26.5],
              "geometry": { "lon": "bd09_lng", "lat": "bd09_lat", "crs": "BD-09" },
              "columns": [
                { "name": "device_id" }, { "name": "network", "required": true }, { "name": "owner_department", "from": "owner_dept" },
                { "name": "district_code" }, { "name": "road" }, { "name": "depth_cm", "type": "int64" }, { "name": "installed_on", "type": "date" }
              ]
            }
            """, "bench-covers.json");
        var run = 0;
        var copy = 0;
        var (oneMap, reference) = await context.MeasurePairsAsync("OneMap feed", async () =>
        {
            var root = Path.Combine(context.ScratchDirectory, $"lake-{run++}");
            using var lake = new Lake(root);
            var ingestor = new FeedIngestor(lake, new ReceiptStore(lake), new QuarantineStore(root), null, new IngestMetrics());
            var outcome = await ingestor.IngestFileAsync(contract, csv, moveRefused: false, cancellationToken: cancellationToken);
            if (outcome.Receipt.RowsWritten != Rows)
            {
                throw new InvalidOperationException($"wrote {outcome.Receipt.RowsWritten} rows of {Rows}: {outcome.Receipt.Message}");
            }
            Directory.Delete(root, recursive: true);
        }, "DuckDB read_csv → COPY", async () =>
        {
            var output = Path.Combine(context.ScratchDirectory, $"copy-{copy++}.parquet");
            using var database = DuckDbDatabase.Open();
            using var connection = database.Connect();
            await connection.ExecuteAsync($"COPY (SELECT * FROM read_csv('{csv}', header = true)) TO '{output}' (FORMAT parquet)", cancellationToken);
            File.Delete(output);
        });
        context.ReportPairedTimes("ingest-csv: 1M-row CSV → table", oneMap, reference, maxRatio: 3.0);
    }

    private static async Task WriteCsvAsync(string path, CancellationToken cancellationToken)
    {
        string[] networks = ["storm", "sewage", "water_supply", "gas", "power", "telecom"];
        string[] roads = ["文献路", "拱辰大道", "荔城中大道", "梅园东路", "八二一北街"];
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync("device_id,network,owner_dept,district_code,road,depth_cm,installed_on,bd09_lng,bd09_lat");
        var random = new Random(42);
        var line = new StringBuilder();
        for (var i = 0; i < Rows; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"MH-{i:D7},{networks[i % 6]},D{40 + i % 12},35030{2 + i % 4},{roads[i % 5]},{100 + random.Next(300)},");
            line.Append(CultureInfo.InvariantCulture, $"2022-{1 + i % 12:D2}-{1 + i % 28:D2},{118.95 + random.NextDouble() * 0.2:0.000000},{25.35 + random.NextDouble() * 0.15:0.000000}");
            await writer.WriteLineAsync(line, cancellationToken);
        }
    }
}
