using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;
using OneMap.Mqtt;
using OneMap.Mqtt.Client;

namespace OneMap.Ingest.Sensors;

/// <summary>
/// The sensor worker: subscribes to the broker (persistent session, manual acknowledgements, optionally a shared
/// subscription) and commits readings in micro-batches, acknowledging each message only after its batch is committed.
/// With no broker configured it replays the sample city's payload logs through the same pipeline.
/// </summary>
public sealed class SensorWorker(
    Lake lake,
    ReceiptStore receipts,
    QuarantineStore quarantine,
    IngestMetrics metrics,
    IOptions<SensorOptions> options,
    ILoggerFactory? loggerFactory = null,
    IEnumerable<IReadingBatchObserver>? observers = null) : BackgroundService
{
    private readonly SensorOptions settings = options.Value;
    private readonly ILoggerFactory loggers = loggerFactory ?? NullLoggerFactory.Instance;
    private readonly ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SensorWorker>();

    /// <summary>The worker's name in metrics, receipts and quarantine files.</summary>
    public string Name => "sensors";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        var worker = metrics.Worker(Name, "sensors");
        var zone = ZoneOf(settings.TimeZone);
        var loader = new SensorRegistryLoader(lake, settings);
        var registry = await loader.CreateAsync(stoppingToken).ConfigureAwait(false);
        using var committer = await SensorCommitter.CreateAsync(lake, Name, stoppingToken).ConfigureAwait(false);
        var parser = new SensorPayloadParser(registry, settings.MaxPayloadBytes, zone);
        var pipeline = new SensorPipeline(committer, parser, quarantine, settings, worker, Name, logger, observers: observers?.ToList());
        var context = new RunContext(loader, registry, pipeline);
        try
        {
            if (string.IsNullOrWhiteSpace(settings.Broker.Host))
            {
                await ReplayAsync(context, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await ConsumeAsync(context, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed record RunContext(SensorRegistryLoader Loader, SensorRegistry Registry, SensorPipeline Pipeline);

    private async Task ConsumeAsync(RunContext context, CancellationToken stoppingToken)
    {
        var broker = settings.Broker;
        var clientId = broker.ClientId ?? $"onemap-ingest-{Environment.MachineName}";
        var client = new MqttClient(new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ClientId = clientId,
            UserName = broker.UserName,
            Password = broker.Password,
            CleanSession = false,
            // mosquitto 2.0.11 restores a persistent session after a restart but not its shared subscriptions, while
            // reporting the session as present; subscribing again on every reconnect is harmless and closes that gap.
            ResubscribeWhenSessionPresent = true,
            KeepAlive = broker.KeepAlive,
            AcknowledgeMode = MqttAcknowledgeMode.Manual,
            ReceiveBufferCapacity = broker.ReceiveBuffer,
            // Oversized messages arrive as empty payloads with their length, to be quarantined and acknowledged.
            MaximumPacketSize = Math.Max(settings.MaxPayloadBytes + 1024, 4096),
        }, loggers.CreateLogger<MqttClient>());
        await using (client.ConfigureAwait(false))
        {
            await ConnectAsync(client, stoppingToken).ConfigureAwait(false);
            var filters = settings.Topics.Select(t => string.IsNullOrEmpty(settings.SharedGroup) ? t : $"$share/{settings.SharedGroup}/{t}").ToList();
            var subscriptions = filters.Select(f => new MqttTopicSubscription(f, MqttQualityOfService.AtLeastOnce)).ToList();
            // A persistent session's queued messages flow as soon as the connection is up, and mosquitto sends the SUBACK
            // only after the in-flight window of them: they are consumed meanwhile rather than left to pile up in the client.
            Task? subscribing = client.SubscribeAsync(subscriptions, stoppingToken);

            var lastReceipt = TimeProvider.System.GetTimestamp();
            var lastRefresh = lastReceipt;
            var started = DateTimeOffset.UtcNow;
            var pipeline = context.Pipeline;
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (subscribing is { IsCompleted: true })
                    {
                        await subscribing.ConfigureAwait(false); // a refusal ends the worker, as it always has
                        subscribing = null;
                        Log.SensorsConnected(logger, Name, $"{broker.Host}:{broker.Port}", clientId, string.Join(", ", filters));
                    }
                    if (pipeline.IsDue)
                    {
                        await pipeline.FlushAsync(stoppingToken).ConfigureAwait(false);
                    }
                    var wait = pipeline.TimeUntilCheck;
                    if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.FromSeconds(1))
                    {
                        wait = TimeSpan.FromSeconds(1);
                    }
                    using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                    {
                        timeout.CancelAfter(wait);
                        try
                        {
                            var readable = client.Messages.WaitToReadAsync(timeout.Token);
                            var inFlight = pipeline.CommitInFlight;
                            if (!readable.IsCompleted && (inFlight is not null || subscribing is not null))
                            {
                                // A collected batch waits for the commit in flight, the connected log for the SUBACK: wake
                                // when a message, the commit or the SUBACK comes.
                                var reading = readable.AsTask();
                                Task[] wakers = inFlight is null ? [reading, subscribing!] : subscribing is null ? [reading, inFlight] : [reading, inFlight, subscribing];
                                if (await Task.WhenAny(wakers).ConfigureAwait(false) == reading && !await reading.ConfigureAwait(false))
                                {
                                    break; // the client was closed
                                }
                                timeout.Cancel();
                            }
                            else if (!await readable.ConfigureAwait(false))
                            {
                                break; // the client was closed
                            }
                        }
                        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                        {
                        }
                    }
                    while (client.Messages.TryRead(out var message))
                    {
                        // The broker sets DUP on every re-sent message (after a reconnect or a crash); first deliveries cannot be in the lake yet.
                        pipeline.Add(message.Topic, message.Payload, message.OversizedLength, message.Acknowledge, message.Topic, 0, mayBeRedelivery: message.Duplicate);
                        if (pipeline.IsDue)
                        {
                            await pipeline.FlushAsync(stoppingToken).ConfigureAwait(false);
                        }
                    }
                    if (pipeline.IsWorthCommittingEarly)
                    {
                        await pipeline.FlushAsync(stoppingToken).ConfigureAwait(false);
                    }
                    else if (client.Messages.Count == 0)
                    {
                        await pipeline.FlushTwinsIfIdleAsync(stoppingToken).ConfigureAwait(false);
                    }
                    if (TimeProvider.System.GetElapsedTime(lastRefresh) >= settings.RegistryRefresh)
                    {
                        await context.Loader.RefreshAsync(context.Registry, stoppingToken).ConfigureAwait(false);
                        lastRefresh = TimeProvider.System.GetTimestamp();
                    }
                    if (TimeProvider.System.GetElapsedTime(lastReceipt) >= settings.ReceiptInterval)
                    {
                        started = await WriteStreamReceiptAsync(pipeline, started, filters, stoppingToken).ConfigureAwait(false);
                        lastReceipt = TimeProvider.System.GetTimestamp();
                    }
                }
            }
            finally
            {
                // A subscription still pending when the worker stops has nobody left to hear how it ended.
                subscribing?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                // On a clean stop, commit and acknowledge what was collected; a crash leaves it to the broker's redelivery.
                try
                {
                    using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                    {
                        await pipeline.DrainAsync(grace.Token).ConfigureAwait(false);
                    }
                    using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                    {
                        await WriteStreamReceiptAsync(pipeline, started, filters, grace.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IngestException or LakehouseException)
                {
                    Log.SensorBatchFailed(logger, Name, 0, "final commit at shutdown: " + e.Message, e);
                }
            }
        }
    }

    private async Task ConnectAsync(MqttClient client, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (MqttException e) when (!stoppingToken.IsCancellationRequested && e is not MqttConnectionRefusedException { IsTransient: false })
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(attempt, 8))));
                Log.BrokerUnavailable(logger, Name, e.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<DateTimeOffset> WriteStreamReceiptAsync(SensorPipeline pipeline, DateTimeOffset started, IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var totals = pipeline.TakeTotals();
        var now = DateTimeOffset.UtcNow;
        if (totals.Messages == 0)
        {
            return now;
        }
        await receipts.WriteAsync(new IngestReceipt($"{Name}-{IngestReceipt.ThisWorker.Replace(':', '-')}-{now.ToUnixTimeMilliseconds()}", "sensors", Name,
            string.Join(" ", filters), null, "water_quality_readings,manhole_readings,manhole_alarms", ReceiptStatus.Committed, totals.Read, totals.Written,
            totals.Rejected, totals.Duplicates, totals.Version, null, $"{totals.Messages} message(s)", null, IngestReceipt.ThisWorker, started, now),
            cancellationToken).ConfigureAwait(false);
        await RefreshCatalogAsync(cancellationToken).ConfigureAwait(false);
        return now;
    }

    /// <summary>
    /// Brings the catalog's stored freshness (version, last commit, row count) of the sensor tables up to date, once per
    /// stream receipt or replayed file rather than per micro-batch, so readers of the catalog table itself (notebooks,
    /// Spark) see it too. A failure is logged: the readings and their receipt are committed, and the next receipt tries again.
    /// </summary>
    private async Task RefreshCatalogAsync(CancellationToken cancellationToken)
    {
        string[] datasets = [SensorTables.Water.Name, SensorTables.Manhole.Name, SensorTables.Alarms.Name, SensorTables.Twins];
        try
        {
            await lake.Catalog.RefreshAsync(datasets, cancellationToken).ConfigureAwait(false);
        }
        catch (LakehouseException e)
        {
            Log.CatalogRefreshFailed(logger, string.Join(", ", datasets), e.Message, e);
        }
    }

    private async Task ReplayAsync(RunContext context, CancellationToken stoppingToken)
    {
        var folder = Path.GetFullPath(settings.ReplayFolder);
        Log.SensorsReplaying(logger, Name, folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (settings.RequireKnownSensors && context.Registry.Count == 0)
            {
                // The station and cover registers arrive through the feeds; readings wait for them rather than being rejected.
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
                await context.Loader.RefreshAsync(context.Registry, stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.log*", SearchOption.AllDirectories).Where(f => f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".log.gz", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    await ReplayFileAsync(context.Pipeline, folder, file, stoppingToken).ConfigureAwait(false);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken).ConfigureAwait(false);
            await context.Loader.RefreshAsync(context.Registry, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replays one payload log (skipped when a receipt shows the same content was replayed before); returns its receipt.</summary>
    public async Task<IngestReceipt?> ReplayFileAsync(SensorPipeline pipeline, string folder, string file, CancellationToken cancellationToken)
    {
        string hash;
        await using (var stream = File.OpenRead(file))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
        var input = Path.GetRelativePath(folder, file);
        if (await receipts.FindCommittedBySourceAsync(Name, hash, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }
        var started = DateTimeOffset.UtcNow;
        pipeline.TakeTotals();
        await using (var raw = File.OpenRead(file))
        {
            Stream stream = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, new UTF8Encoding(false, false), false, 1 << 16);
                long line = 0;
                string? text;
                while ((text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
                {
                    line++;
                    if (text.Length == 0)
                    {
                        continue;
                    }
                    var tab = text.IndexOf('\t', StringComparison.Ordinal);
                    var topic = tab < 0 ? "" : text[..tab];
                    var payload = Encoding.UTF8.GetBytes(tab < 0 ? text : text[(tab + 1)..]);
                    pipeline.Add(topic, payload, null, null, input, line);
                    if (pipeline.IsDue)
                    {
                        await pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        await pipeline.DrainAsync(cancellationToken).ConfigureAwait(false);
        var totals = pipeline.TakeTotals();
        var receipt = new IngestReceipt($"{Name}-{hash[..16]}", "sensors", Name, input, hash, "water_quality_readings,manhole_readings,manhole_alarms",
            ReceiptStatus.Committed, totals.Read, totals.Written, totals.Rejected, totals.Duplicates, totals.Version, null, $"{totals.Messages} message(s) replayed",
            null, IngestReceipt.ThisWorker, started, DateTimeOffset.UtcNow);
        await receipts.WriteAsync(receipt, cancellationToken).ConfigureAwait(false);
        await RefreshCatalogAsync(cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    private static TimeZoneInfo ZoneOf(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}
