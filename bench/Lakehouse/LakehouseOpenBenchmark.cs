using System.Globalization;
using OneMap.Bench.Runner;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Delta;

namespace OneMap.Bench.Lakehouse;

/// <summary>
/// Opening (reconstructing the latest snapshot of) a table with 1,000 commits and a Parquet checkpoint every 10, as a
/// new reader does, against replaying the same log from its 1,000 JSON commits with checkpoints ignored. Issue target:
/// under 200 ms median.
/// </summary>
public sealed class LakehouseOpenBenchmark : IBenchmark
{
    private const int Commits = 1000;

    public string Name => "lakehouse-open";

    public string Description => "open a table of 1,000 commits (checkpoints every 10) vs replaying its JSON log alone";

    public async Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.ScratchDirectory, "lake");
        using var lake = new Lake(new LakehouseOptions { Root = root });
        var table = await lake.CreateTableAsync(SensorRows.Table("readings"), cancellationToken);
        for (var i = 1; i < Commits; i++)
        {
            await table.AppendQueryAsync(
                "SELECT 'WQ' || (i % 120) AS station, DATE '2024-05-01' + CAST($1 % 30 AS INTEGER) AS day, TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_minutes($1) AS ts, 'DO' AS indicator, i * 0.1 AS value FROM range(20) t(i)",
                [(long)i], cancellationToken: cancellationToken);
        }
        var store = new DeltaLogStore(table.Root);
        var listing = store.List();
        context.ReportFigure("log", $"{listing.Commits.Count} commits, {listing.Checkpoints.Count} checkpoints, latest {listing.LatestVersion}, {table.Latest(cancellationToken).FileCount} files");

        var reader = new DuckDbCheckpointReader(lake.Engine);
        var withCheckpoints = context.Measure("checkpoint + JSON tail", () => LogReplay.Load(new DeltaLogStore(table.Root), reader, cancellationToken: cancellationToken));
        var jsonOnly = context.Measure("1,000 JSON commits", () => LogReplay.Load(new DeltaLogStore(table.Root), checkpointReader: null, cancellationToken: cancellationToken));
        var a = LogReplay.Load(store, reader, cancellationToken: cancellationToken);
        var b = LogReplay.Load(store, null, cancellationToken: cancellationToken);
        if (a.Version != b.Version || !a.FilesByPath.Keys.Order().SequenceEqual(b.FilesByPath.Keys.Order()))
        {
            throw new InvalidOperationException("the checkpointed snapshot differs from the JSON replay");
        }

        context.ReportTimes("open a table of 1,000 commits", withCheckpoints, jsonOnly);
        var verdict = withCheckpoints.Median < 200 ? "met" : "MISSED";
        context.ReportFigure("open a table of 1,000 commits (absolute)", string.Create(CultureInfo.InvariantCulture, $"median {withCheckpoints.Median:0.0} ms  target < 200 ms: {verdict}"));
    }
}
