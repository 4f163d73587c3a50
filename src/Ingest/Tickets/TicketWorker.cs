using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;

namespace OneMap.Ingest.Tickets;

/// <summary>
/// Pulls tickets: the 12345 platform's API incrementally (watermark on update time, paging, retries with backoff for
/// transient faults only) and an Open311 GeoReport v2 endpoint; without endpoints, imports their export files once.
/// Each pull is one receipt; records that cannot be stored are quarantined with their reason.
/// </summary>
public sealed class TicketWorker(
    Lake lake,
    ReceiptStore receipts,
    QuarantineStore quarantine,
    IngestMetrics metrics,
    PersonalData personalData,
    IOptions<TicketOptions> options,
    IHttpClientFactory? httpClients = null,
    ILogger<TicketWorker>? logger = null) : BackgroundService
{
    public const string HotlineSource = "tickets-12345";
    public const string Open311Source = "tickets-open311";

    private readonly TicketOptions settings = options.Value;
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;
    private readonly TicketMapper mapper = new(personalData, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
    private TicketCommitter? committer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            await RunOnceAsync(HotlineSource, stoppingToken).ConfigureAwait(false);
            await RunOnceAsync(Open311Source, stoppingToken).ConfigureAwait(false);
        }
        while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunOnceAsync(string source, CancellationToken stoppingToken)
    {
        try
        {
            committer ??= await TicketCommitter.CreateAsync(lake, "tickets", stoppingToken).ConfigureAwait(false);
            var receipt = source == HotlineSource
                ? await (string.IsNullOrWhiteSpace(settings.Hotline.BaseUrl)
                    ? ImportExportAsync(HotlineSource, settings.Hotline.ExportFile, jsonLines: true, stoppingToken)
                    : PullHotlineAsync(stoppingToken)).ConfigureAwait(false)
                : await (string.IsNullOrWhiteSpace(settings.Open311.BaseUrl)
                    ? ImportExportAsync(Open311Source, settings.Open311.ExportFile, jsonLines: false, stoppingToken)
                    : PullOpen311Async(stoppingToken)).ConfigureAwait(false);
            if (receipt is { RowsWritten: > 0 })
            {
                await RefreshCatalogAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed pull is logged and tried again at the next interval; the worker keeps running.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.TicketPullFailed(log, source, e.Message, e);
        }
    }

    /// <summary>
    /// Brings the catalog's stored freshness (version, last commit, row count) of the ticket tables up to date after a
    /// pull that changed them, so readers of the catalog table itself (notebooks, Spark) see it too. A failure is
    /// logged: the tickets and their receipt are committed, and the next pull tries again.
    /// </summary>
    private async Task RefreshCatalogAsync(CancellationToken cancellationToken)
    {
        string[] datasets = [TicketCommitter.TicketsDefinition.Name, TicketCommitter.EventsDefinition.Name];
        try
        {
            await lake.Catalog.RefreshAsync(datasets, cancellationToken).ConfigureAwait(false);
        }
        catch (LakehouseException e)
        {
            Log.CatalogRefreshFailed(log, string.Join(", ", datasets), e.Message, e);
        }
    }

    /// <summary>Pulls every page updated since the watermark; returns the receipt (null when nothing changed).</summary>
    public async Task<IngestReceipt?> PullHotlineAsync(CancellationToken cancellationToken)
    {
        committer ??= await TicketCommitter.CreateAsync(lake, "tickets", cancellationToken).ConfigureAwait(false);
        var hotline = settings.Hotline;
        var watermark = await receipts.LastWatermarkAsync(HotlineSource, cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var records = new List<(JsonElement Record, string Position)>();
        var documents = new List<JsonDocument>();
        try
        {
            for (var page = 1; ; page++)
            {
                var query = $"{hotline.PageParameter}={page}&{hotline.PageSizeParameter}={hotline.PageSize}" +
                            (watermark is null ? "" : $"&{hotline.UpdatedSinceParameter}={Uri.EscapeDataString(watermark)}");
                var url = new Uri(new Uri(EnsureSlash(hotline.BaseUrl!)), $"{hotline.Path}?{query}");
                var document = JsonDocument.Parse(await GetAsync(HotlineSource, url, cancellationToken).ConfigureAwait(false));
                documents.Add(document);
                var items = document.RootElement;
                foreach (var part in hotline.ItemsPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (items.ValueKind != JsonValueKind.Object || !items.TryGetProperty(part, out items))
                    {
                        throw new SourceUnavailableException(url.ToString(), $"the page has no \"{hotline.ItemsPath}\" array", isTransient: false);
                    }
                }
                if (items.ValueKind != JsonValueKind.Array)
                {
                    throw new SourceUnavailableException(url.ToString(), $"\"{hotline.ItemsPath}\" is not an array", isTransient: false);
                }
                var index = 0;
                foreach (var item in items.EnumerateArray())
                {
                    records.Add((item, $"page {page} item {index++}"));
                }
                if (index < hotline.PageSize)
                {
                    break;
                }
            }
            return await StoreAsync(HotlineSource, hotline.BaseUrl!, null, records, isHotline: true, watermark, started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Pulls the Open311 requests of the look-back window.</summary>
    public async Task<IngestReceipt?> PullOpen311Async(CancellationToken cancellationToken)
    {
        committer ??= await TicketCommitter.CreateAsync(lake, "tickets", cancellationToken).ConfigureAwait(false);
        var open311 = settings.Open311;
        var started = DateTimeOffset.UtcNow;
        var watermark = await receipts.LastWatermarkAsync(Open311Source, cancellationToken).ConfigureAwait(false);
        // The endpoint's clock may not be ours (a replayed city): the window is anchored on the data's own watermark.
        var parameters = new List<string>();
        if (watermark is not null && DateTimeOffset.TryParse(watermark, System.Globalization.CultureInfo.InvariantCulture, out var w))
        {
            parameters.Add($"start_date={Uri.EscapeDataString(w.AddDays(-open311.LookbackDays).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture))}");
        }
        if (open311.JurisdictionId is { } j)
        {
            parameters.Add($"jurisdiction_id={Uri.EscapeDataString(j)}");
        }
        var query = string.Join('&', parameters);
        var url = new Uri(new Uri(EnsureSlash(open311.BaseUrl!)), $"requests.json?{query}");
        using var document = JsonDocument.Parse(await GetAsync(Open311Source, url, cancellationToken).ConfigureAwait(false));
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new SourceUnavailableException(url.ToString(), "requests.json is not a JSON array", isTransient: false);
        }
        var records = document.RootElement.EnumerateArray().Select((r, i) => (r, $"item {i}")).ToList();
        return await StoreAsync(Open311Source, url.ToString(), null, records, isHotline: false, watermark, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports an export file once (skipped when a receipt holds its content hash).</summary>
    public async Task<IngestReceipt?> ImportExportAsync(string source, string file, bool jsonLines, CancellationToken cancellationToken)
    {
        committer ??= await TicketCommitter.CreateAsync(lake, "tickets", cancellationToken).ConfigureAwait(false);
        if (!File.Exists(file))
        {
            return null;
        }
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await receipts.FindCommittedBySourceAsync(source, hash, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }
        var started = DateTimeOffset.UtcNow;
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            bytes = output.ToArray();
        }
        var documents = new List<JsonDocument>();
        var records = new List<(JsonElement, string)>();
        var rejected = new List<QuarantinedRecord>();
        try
        {
            if (jsonLines)
            {
                var line = 0;
                foreach (var text in System.Text.Encoding.UTF8.GetString(bytes).Split('\n'))
                {
                    line++;
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        continue;
                    }
                    try
                    {
                        var document = JsonDocument.Parse(text);
                        documents.Add(document);
                        records.Add((document.RootElement, $"line {line}"));
                    }
                    catch (JsonException e)
                    {
                        rejected.Add(new QuarantinedRecord(Path.GetFileName(file), line, text, $"not JSON: {e.Message}", started));
                    }
                }
            }
            else
            {
                var document = JsonDocument.Parse(bytes);
                documents.Add(document);
                records.AddRange(document.RootElement.EnumerateArray().Select((r, i) => (r, $"item {i}")));
            }
            return await StoreAsync(source, Path.GetFileName(file), hash, records, source == HotlineSource, null, started, cancellationToken, rejected).ConfigureAwait(false);
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    private async Task<IngestReceipt?> StoreAsync(string source, string input, string? hash, List<(JsonElement Record, string Position)> records, bool isHotline,
        string? previousWatermark, DateTimeOffset started, CancellationToken cancellationToken, List<QuarantinedRecord>? rejected = null)
    {
        rejected ??= [];
        var unparsed = rejected.Count;
        var worker = metrics.Worker(source, "tickets");
        var tickets = new Dictionary<string, TicketRow>(StringComparer.Ordinal);
        var events = new List<TicketEventRow>();
        var scratch = new List<TicketEventRow>();
        DateTimeOffset? newest = null;
        foreach (var (record, position) in records)
        {
            var error = isHotline ? mapper.MapHotline(record, out var ticket, scratch) : mapper.MapOpen311(record, out ticket, scratch);
            if (error is not null || ticket is null)
            {
                rejected.Add(new QuarantinedRecord(input, 0, PersonalDataSafe(record), $"{position}: {error}", started));
                continue;
            }
            if (!tickets.TryGetValue(ticket.TicketId, out var seen) || ticket.UpdatedAt >= seen.UpdatedAt)
            {
                tickets[ticket.TicketId] = ticket;
            }
            events.AddRange(scratch);
            newest = newest is null || ticket.UpdatedAt > newest ? ticket.UpdatedAt : newest;
        }
        var read = records.Count + unparsed;
        var mappingRejected = rejected.Count - unparsed;
        if (read == 0)
        {
            return null;
        }
        var receiptId = $"{source}-{started.ToUnixTimeMilliseconds()}" + (hash is null ? "" : $"-{hash[..12]}");
        var quarantinePath = await quarantine.WriteAsync("tickets", receiptId, rejected, cancellationToken).ConfigureAwait(false);
        var (ticketCount, inserted, duplicates, version) = await committer!.CommitAsync(tickets.Values.ToList(), events, receiptId, cancellationToken).ConfigureAwait(false);
        var watermark = newest is { } n ? mapper.Watermark(n) : previousWatermark;
        if (previousWatermark is not null && watermark is not null && string.CompareOrdinal(watermark, previousWatermark) < 0)
        {
            watermark = previousWatermark;
        }
        // Rows of a pull are its records; a record repeating a ticket already in the pull counts as a duplicate.
        var receipt = new IngestReceipt(receiptId, "tickets", source, input, hash, "tickets", ReceiptStatus.Committed, read, ticketCount, rejected.Count,
            records.Count - mappingRejected - ticketCount, version, quarantinePath,
            $"{inserted} event(s) inserted, {duplicates} already stored", watermark, IngestReceipt.ThisWorker, started, DateTimeOffset.UtcNow);
        await receipts.WriteAsync(receipt, cancellationToken).ConfigureAwait(false);
        worker.Read(read);
        worker.Rejected(rejected.Count);
        worker.Committed(ticketCount, receipt.RowsDuplicate, version);
        Log.TicketsPulled(log, source, (int)ticketCount, (int)inserted, watermark, rejected.Count);
        return receipt;
    }

    /// <summary>A rejected record as kept in the quarantine, with caller names and phones masked.</summary>
    private static string PersonalDataSafe(JsonElement record)
    {
        var text = record.GetRawText();
        if (record.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in new[] { "callerName", "callerPhone" })
            {
                if (record.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } clear)
                {
                    text = text.Replace(JsonSerializer.Serialize(clear), JsonSerializer.Serialize(PersonalData.Mask(clear)), StringComparison.Ordinal);
                }
            }
        }
        return PersonalData.Scrub(text)!;
    }

    private async Task<string> GetAsync(string source, Uri url, CancellationToken cancellationToken)
    {
        using var http = httpClients?.CreateClient("onemap-tickets") ?? new HttpClient();
        http.Timeout = settings.RequestTimeout;
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            bool transient;
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                }
                transient = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                (transient, reason) = (true, e.Message);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                (transient, reason) = (true, "timed out: " + e.Message);
            }
            Log.TicketRequestFailed(log, source, attempt, transient, reason);
            if (!transient || attempt >= settings.Attempts)
            {
                throw new SourceUnavailableException(url.ToString(), $"{reason} (after {attempt} attempt(s))", transient);
            }
            var delay = settings.RetryDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble() / 2);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
