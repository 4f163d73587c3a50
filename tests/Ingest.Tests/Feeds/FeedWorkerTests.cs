using System.Text;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Feeds;
using OneMap.Ingest.Tests.Support;

namespace OneMap.Ingest.Tests.Feeds;

public sealed class FeedWorkerTests : IngestTestBase
{
    [Fact]
    public async Task ingests_dropped_files_and_moves_a_refused_one_aside_while_going_on()
    {
        var contracts = Path.Combine(Directory.Path, "contracts");
        System.IO.Directory.CreateDirectory(contracts);
        await File.WriteAllTextAsync(Path.Combine(contracts, "readings.json"), """
            {
              "feed": "lab-readings", "dataset": "lab_readings", "owner": "D12", "mode": "append", "key": ["sample_id"],
              "source": { "folder": "lab", "pattern": "*.jsonl" }, "format": "jsonl",
              "columns": [
                { "name": "sample_id" }, { "name": "value", "type": "double", "required": true },
                { "name": "taken_at", "type": "timestamp", "formats": ["unix"] }
              ]
            }
            """, Ct);
        var drop = Path.Combine(Directory.Path, "drop", "lab");
        System.IO.Directory.CreateDirectory(drop);
        await File.WriteAllTextAsync(Path.Combine(drop, "a.jsonl"), "{\"sample_id\":\"A1\",\"value\":1.5,\"taken_at\":1717200000}\n{\"sample_id\":\"A2\",\"value\":\"x\"}\nnot json\n", Ct);
        await File.WriteAllBytesAsync(Path.Combine(drop, "b.jsonl"), [0xFF, 0xFE, 0x00, 0x41], Ct);
        await File.WriteAllTextAsync(Path.Combine(drop, "c.jsonl"), "{\"sample_id\":\"C1\",\"value\":2}\n", Ct);
        File.SetLastWriteTimeUtc(Path.Combine(drop, "a.jsonl"), DateTime.UtcNow.AddMinutes(-1));
        File.SetLastWriteTimeUtc(Path.Combine(drop, "b.jsonl"), DateTime.UtcNow.AddMinutes(-1));
        File.SetLastWriteTimeUtc(Path.Combine(drop, "c.jsonl"), DateTime.UtcNow.AddMinutes(-1));

        using var worker = new FeedWorker(Ingestor, Options.Create(new FeedOptions
        {
            ContractsFolder = contracts,
            DropRoot = Path.Combine(Directory.Path, "drop"),
            PollInterval = TimeSpan.FromMilliseconds(200),
            AfterIngest = "move",
        }));
        await worker.StartAsync(Ct);
        await Wait.UntilAsync(() => File.Exists(Path.Combine(drop, ".done", "c.jsonl")), "c.jsonl ingested", cancellationToken: Ct);
        // After the scan the catalog's freshness columns describe the committed rows.
        await Wait.UntilAsync(() => ReadBack("_catalog", "coalesce(max(CASE WHEN name = 'lab_readings' THEN row_count END), -1)")[0][0] is 2L,
            "the catalog's row count of lab_readings", cancellationToken: Ct);
        await worker.StopAsync(Ct);

        Assert.Equal(["A1", "C1"], ReadBack("lab_readings", "sample_id", "sample_id").Select(r => (string)r[0]!));
        Assert.True(File.Exists(Path.Combine(drop, ".done", "a.jsonl")));
        var refused = Assert.Single(System.IO.Directory.EnumerateFiles(Path.Combine(LakeRoot, "_quarantine", "lab-readings", "refused"), "*b.jsonl"));
        Assert.Contains("not valid utf-8", await File.ReadAllTextAsync(refused + ".reason.txt", Ct), StringComparison.Ordinal);
        var reasons = Quarantine.ReadAll("lab-readings").Select(q => (q.GetProperty("line").GetInt64(), q.GetProperty("reason").GetString())).ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains((2L, "column 'value': 'x' is not a number"), reasons);
        Assert.Contains(reasons, r => r.Item1 == 3 && r.Item2!.StartsWith("not JSON", StringComparison.Ordinal));
    }
}
