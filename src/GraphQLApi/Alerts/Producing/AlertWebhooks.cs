using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

using Microsoft.Extensions.Options;

using OneMap.Lakehouse.Alerts;

namespace OneMap.GraphQLApi.Alerts.Producing;

/// <summary>A webhook alerts are POSTed to (section <c>Alerts:Webhooks</c>, a list).</summary>
public sealed class AlertWebhook
{
    /// <summary>Name in logs.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute http(s) URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>Shared secret: the body's HMAC-SHA256 goes in <c>X-OneMap-Signature: sha256=&lt;hex&gt;</c>. Required.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Alert kinds to send (empty: all).</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Changes to send; default raised and updated (add acknowledged, resolved for the whole life).</summary>
    public List<string> Changes { get; set; } = ["raised", "updated"];

    /// <summary>Attempts per delivery, transient failures only (connection errors, timeouts, 408, 429, 5xx); default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt, doubled each time; default 500 ms.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time allowed per attempt; default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The webhooks alerts are delivered to.</summary>
public sealed class AlertWebhookOptions
{
    public List<AlertWebhook> Webhooks { get; set; } = [];
}

/// <summary>How one delivery went (for logs and tests).</summary>
/// <param name="Webhook">Its name.</param>
/// <param name="AlertId">The alert.</param>
/// <param name="Change">raised, updated…</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="Status">Final HTTP status (0: no response).</param>
/// <param name="Delivered">True when the endpoint answered 2xx.</param>
public sealed record WebhookDelivery(string Webhook, string AlertId, string Change, int Attempts, int Status, bool Delivered);

/// <summary>
/// Delivers alert changes to the configured webhooks: an HTTP POST of <c>{"change": …, "alert": {…}}</c> (JSON, camelCase)
/// with <c>X-OneMap-Event</c> (the change), <c>X-OneMap-Delivery</c> (a unique id, the same on retries),
/// <c>X-OneMap-Timestamp</c> (Unix seconds) and <c>X-OneMap-Signature: sha256=HMAC(secret, timestamp + "." + body)</c>.
/// Connection failures, timeouts, 408, 429 and 5xx are retried with doubling delays up to
/// <see cref="AlertWebhook.MaxAttempts"/>; any other answer (e.g. 400, 401, 404) is final. Each webhook has its own queue,
/// so a slow endpoint delays no other.
/// </summary>
public sealed partial class AlertWebhookDispatcher(IAlertStore store, IHttpClientFactory clients, IOptions<AlertWebhookOptions> options,
    ILogger<AlertWebhookDispatcher> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Raised after each delivery ends (delivered or given up).</summary>
    public event Action<WebhookDelivery>? Delivered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hooks = options.Value.Webhooks;
        if (hooks.Count == 0)
        {
            return;
        }
        foreach (var hook in hooks)
        {
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(hook.Secret))
            {
                throw new OptionsValidationException("Alerts:Webhooks", typeof(AlertWebhookOptions),
                    [$"webhook '{hook.Name}': Url must be an absolute http(s) URL and Secret must be set (got '{hook.Url}')"]);
            }
        }
        var queues = hooks.Select(_ => Channel.CreateBounded<AlertChange>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest })).ToList();
        var senders = hooks.Select((hook, i) => Task.Run(() => SendLoopAsync(hook, queues[i].Reader, stoppingToken), CancellationToken.None)).ToList();
        try
        {
            await foreach (var change in store.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                for (var i = 0; i < hooks.Count; i++)
                {
                    var hook = hooks[i];
                    if ((hook.Kinds.Count == 0 || hook.Kinds.Contains(change.Alert.Kind)) && hook.Changes.Contains(change.Change))
                    {
                        queues[i].Writer.TryWrite(change);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        foreach (var queue in queues)
        {
            queue.Writer.TryComplete();
        }
        await Task.WhenAll(senders).ConfigureAwait(false);
    }

    private async Task SendLoopAsync(AlertWebhook hook, ChannelReader<AlertChange> changes, CancellationToken stoppingToken)
    {
        using var client = clients.CreateClient("onemap-alert-webhooks");
        try
        {
            await foreach (var change in changes.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var delivery = await DeliverAsync(client, hook, change, stoppingToken).ConfigureAwait(false);
                Delivered?.Invoke(delivery);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Posts one change, retrying transient failures.</summary>
    public async Task<WebhookDelivery> DeliverAsync(HttpClient client, AlertWebhook hook, AlertChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(change);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { change = change.Change, alert = change.Alert }, Json);
        var deliveryId = Guid.NewGuid().ToString("N");
        var delay = hook.FirstRetryDelay;
        var status = 0;
        for (var attempt = 1; ; attempt++)
        {
            var transient = false;
            string reason;
            try
            {
                using var request = Sign(hook, change.Change, deliveryId, body);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(hook.Timeout);
                using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new WebhookDelivery(hook.Name, change.Alert.AlertId, change.Change, attempt, status, true);
                }
                transient = status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500;
                reason = $"HTTP {status}";
            }
            catch (HttpRequestException e)
            {
                transient = true;
                reason = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                transient = true;
                reason = $"no answer within {hook.Timeout}";
            }
            if (!transient || attempt >= hook.MaxAttempts)
            {
                LogGaveUp(logger, hook.Name, change.Alert.AlertId, attempt, reason);
                return new WebhookDelivery(hook.Name, change.Alert.AlertId, change.Change, attempt, status, false);
            }
            LogRetrying(logger, hook.Name, change.Alert.AlertId, attempt, reason, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private static HttpRequestMessage Sign(AlertWebhook hook, string change, string deliveryId, byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-OneMap-Event", change);
        request.Headers.Add("X-OneMap-Delivery", deliveryId);
        request.Headers.Add("X-OneMap-Timestamp", timestamp);
        request.Headers.Add("X-OneMap-Signature", "sha256=" + Signature(hook.Secret, timestamp, body));
        return request;
    }

    /// <summary>The signature a receiver recomputes: hex HMAC-SHA256 of <c>timestamp + "." + body</c> with the shared secret.</summary>
    public static string Signature(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed.AsSpan(n + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    [LoggerMessage(EventId = 7210, Level = LogLevel.Warning, Message = "Alert webhook {Webhook}: delivering {AlertId} failed (attempt {Attempt}): {Reason}; retrying in {Delay} ms")]
    private static partial void LogRetrying(ILogger logger, string webhook, string alertId, int attempt, string reason, long delay);

    [LoggerMessage(EventId = 7211, Level = LogLevel.Error, Message = "Alert webhook {Webhook}: gave up delivering {AlertId} after {Attempts} attempt(s): {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string webhook, string alertId, int attempts, string reason);
}
