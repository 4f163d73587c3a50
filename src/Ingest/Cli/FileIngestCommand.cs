using OneMap.Ingest.Feeds;
using OneMap.Ingest.Feeds.Contracts;

namespace OneMap.Ingest.Cli;

/// <summary>
/// One-off ingestion of a file or a folder with a feed contract, printing a progress bar and one line per file:
/// <c>onemap-ingest file --contract feeds/stations.json data/stations.csv</c>. Exit code 0 when everything landed
/// (bad rows quarantined count as landed), 1 when a file was refused or failed, 2 for a usage error.
/// </summary>
public static class FileIngestCommand
{
    public const string Usage = "usage: onemap-ingest file --contract <contract.json> [--move-refused] <file-or-folder>...";

    public static async Task<int> RunAsync(FeedIngestor ingestor, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? contractPath = null;
        var moveRefused = false;
        var inputs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--contract" when i + 1 < args.Count:
                    contractPath = args[++i];
                    break;
                case "--move-refused":
                    moveRefused = true;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        // Configuration overrides (--Lakehouse:Root=…) are read by the host, not here.
                        continue;
                    }
                    inputs.Add(args[i]);
                    break;
            }
        }
        if (contractPath is null || inputs.Count == 0)
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
        FeedContract contract;
        try
        {
            contract = FeedContractReader.Load(contractPath);
        }
        catch (FeedContractException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input, contract.Source.Pattern).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                await error.WriteLineAsync($"{input}: no such file or folder").ConfigureAwait(false);
                return 2;
            }
        }
        var failed = 0;
        var progress = new ProgressBar(error, !Console.IsErrorRedirected);
        foreach (var file in files)
        {
            try
            {
                var outcome = await ingestor.IngestFileAsync(contract, file, moveRefused, progress, cancellationToken).ConfigureAwait(false);
                var r = outcome.Receipt;
                await output.WriteLineAsync(outcome.Kind switch
                {
                    FeedOutcomeKind.Committed => $"{file}: {r.RowsRead} read, {r.RowsWritten} written, {r.RowsRejected} quarantined → {contract.Dataset} v{r.TableVersion} (receipt {r.ReceiptId})",
                    FeedOutcomeKind.Duplicate => $"{file}: already ingested (receipt {r.ReceiptId}); nothing changed",
                    _ => $"{file}: REFUSED: {r.Message}" + (outcome.MovedTo is null ? "" : $" (moved to {outcome.MovedTo})"),
                }).ConfigureAwait(false);
                if (outcome.Kind == FeedOutcomeKind.Refused)
                {
                    failed++;
                }
            }
            catch (IngestException e)
            {
                failed++;
                await error.WriteLineAsync($"{file}: FAILED: {e.Message}").ConfigureAwait(false);
            }
        }
        // The catalog's freshness columns follow the commits once, after all files.
        await ingestor.RefreshCatalogAsync([contract.Dataset], cancellationToken).ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }
}
