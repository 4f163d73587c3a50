using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Feeds.Contracts;

namespace OneMap.Ingest.Feeds;

/// <summary>
/// Runs every feed contract: drop folders are scanned for settled files (in name order), URLs are downloaded on their
/// schedule with retries for transient faults only. Each input goes through <see cref="FeedIngestor"/>; a failure of
/// one input is logged and retried later, and never stops the others.
/// </summary>
public sealed class FeedWorker(FeedIngestor ingestor, IOptions<FeedOptions> options, IHttpClientFactory? httpClients = null, ILogger<FeedWorker>? logger = null) : BackgroundService
{
    private readonly FeedOptions settings = options.Value;
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly Dictionary<string, DateTimeOffset> nextPoll = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Length, DateTime Written, DateTimeOffset Seen)> sightings = new(StringComparer.Ordinal);
    private readonly HashSet<string> committed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        IReadOnlyList<FeedContract> contracts;
        try
        {
            contracts = FeedContractReader.LoadFolder(settings.ContractsFolder);
            Log.FeedsLoaded(log, contracts.Count, Path.GetFullPath(settings.ContractsFolder));
        }
        catch (FeedContractException e)
        {
            Log.ContractsFailed(log, settings.ContractsFolder, e.Message, e);
            return;
        }
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            foreach (var contract in contracts)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                if (contract.Source.IsFolder)
                {
                    await ScanFolderAsync(contract, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await PollUrlAsync(contract, stoppingToken).ConfigureAwait(false);
                }
            }
            // One catalog commit per scan brings the freshness of every dataset written in it up to date.
            if (committed.Count > 0 && !stoppingToken.IsCancellationRequested)
            {
                await ingestor.RefreshCatalogAsync(committed, stoppingToken).ConfigureAwait(false);
                committed.Clear();
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The drop folder of a folder feed.</summary>
    public string FolderOf(FeedContract contract) =>
        Path.GetFullPath(Path.IsPathRooted(contract.Source.Folder!) ? contract.Source.Folder! : Path.Combine(settings.DropRoot, contract.Source.Folder!));

    private async Task ScanFolderAsync(FeedContract contract, CancellationToken stoppingToken)
    {
        var folder = FolderOf(contract);
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(folder, contract.Source.Pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            if (!Settled(file))
            {
                continue;
            }
            try
            {
                var outcome = await ingestor.IngestFileAsync(contract, file, moveRefused: true, cancellationToken: stoppingToken).ConfigureAwait(false);
                if (outcome.Kind != FeedOutcomeKind.Refused)
                {
                    AfterIngest(file);
                }
                if (outcome.Kind == FeedOutcomeKind.Committed)
                {
                    committed.Add(contract.Dataset);
                }
                sightings.Remove(file);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One file's failure is logged and retried on the next scan; the worker goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.FileFailed(log, contract.Feed, Path.GetFileName(file), e.Message, e);
            }
        }
    }

    /// <summary>True once a file's size and time have not changed for <see cref="FeedOptions.SettleTime"/>.</summary>
    private bool Settled(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            return false;
        }
        var now = DateTimeOffset.UtcNow;
        if (now - info.LastWriteTimeUtc >= settings.SettleTime)
        {
            return true;
        }
        if (sightings.TryGetValue(file, out var seen) && seen.Length == info.Length && seen.Written == info.LastWriteTimeUtc)
        {
            return now - seen.Seen >= settings.SettleTime;
        }
        sightings[file] = (info.Length, info.LastWriteTimeUtc, now);
        return false;
    }

    private void AfterIngest(string file)
    {
        switch (settings.AfterIngest)
        {
            case "delete":
                File.Delete(file);
                break;
            case "move":
                var done = Path.Combine(Path.GetDirectoryName(file)!, ".done");
                Directory.CreateDirectory(done);
                File.Move(file, Path.Combine(done, Path.GetFileName(file)), overwrite: true);
                break;
        }
    }

    private async Task PollUrlAsync(FeedContract contract, CancellationToken stoppingToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (nextPoll.TryGetValue(contract.Feed, out var due) && now < due)
        {
            return;
        }
        nextPoll[contract.Feed] = now + contract.Source.Every;
        var url = contract.Source.Url!;
        using var http = httpClients?.CreateClient("onemap-feeds") ?? new HttpClient();
        http.Timeout = settings.HttpTimeout;
        for (var attempt = 1; attempt <= settings.HttpAttempts; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                foreach (var (name, value) in contract.Source.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, Environment.ExpandEnvironmentVariables(value.Replace("${", "%", StringComparison.Ordinal).Replace("}", "%", StringComparison.Ordinal)));
                }
                using var response = await http.SendAsync(request, stoppingToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var transient = IsTransient(response.StatusCode);
                    Log.FetchFailed(log, contract.Feed, url.ToString(), attempt, transient, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    if (!transient)
                    {
                        return;
                    }
                }
                else
                {
                    var content = await response.Content.ReadAsByteArrayAsync(stoppingToken).ConfigureAwait(false);
                    if ((await ingestor.IngestBytesAsync(contract, url.ToString(), content, stoppingToken).ConfigureAwait(false)).Kind == FeedOutcomeKind.Committed)
                    {
                        committed.Add(contract.Dataset);
                    }
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                Log.FetchFailed(log, contract.Feed, url.ToString(), attempt, true, e.Message);
            }
            catch (IngestException e) when (e.IsTransient)
            {
                Log.FileFailed(log, contract.Feed, url.ToString(), e.Message, e);
                return;
            }
            if (attempt < settings.HttpAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble() / 2)), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Server faults, throttling and timeouts may clear up; anything else needs a person.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
