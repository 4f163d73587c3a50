using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Alerts.Producing;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Alerts;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Alerts;

/// <summary>
/// Alert webhooks against a real HTTP endpoint: Kestrel on 127.0.0.1 (a free port), answering as each test scripts it.
/// The signature is recomputed here from the shared secret, independently of the dispatcher's own code.
/// </summary>
public sealed class WebhookTests : IAsyncDisposable
{
    private const string Secret = "s3cret-for-tests";

    private readonly TempDirectory directory = new("onemap-webhooks");
    private readonly Lake lake;
    private readonly LakeAlertStore store;
    private readonly ServiceProvider services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    public WebhookTests()
    {
        lake = new Lake(new LakehouseOptions { Root = Path.Combine(directory.Path, "lake"), Threads = 2 });
        store = new LakeAlertStore(lake);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Alert Pollution(string id) => new()
    {
        AlertId = id,
        Kind = AlertKinds.Pollution,
        SubjectKind = "station",
        SubjectId = "WQS-010",
        Indicators = ["do"],
        Start = new DateTimeOffset(2024, 6, 7, 2, 15, 0, TimeSpan.FromHours(8)),
        Severity = "critical",
        Score = 2.4,
        Explanation = "do -9.1σ (4.2, baseline 7.5) — RobustZScore, Ewma",
        DepartmentCode = "D12",
    };

    private static AlertWebhook Hook(string name, string url, int maxAttempts = 4) => new()
    {
        Name = name,
        Url = url,
        Secret = Secret,
        MaxAttempts = maxAttempts,
        FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromSeconds(1),
    };

    private static AlertWebhook HangingHook(string url)
    {
        var hook = Hook("hanging", url, maxAttempts: 2);
        hook.Timeout = TimeSpan.FromMilliseconds(300);
        return hook;
    }

    private AlertWebhookDispatcher Dispatcher(params AlertWebhook[] hooks) =>
        new(store, services.GetRequiredService<IHttpClientFactory>(), Options.Create(new AlertWebhookOptions { Webhooks = [.. hooks] }), NullLogger<AlertWebhookDispatcher>.Instance);

    /// <summary>Collects the dispatcher's finished deliveries until <paramref name="count"/> have ended.</summary>
    private static (ConcurrentQueue<WebhookDelivery> Deliveries, Task Done) Collect(AlertWebhookDispatcher dispatcher, int count)
    {
        var deliveries = new ConcurrentQueue<WebhookDelivery>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Delivered += d =>
        {
            deliveries.Enqueue(d);
            if (deliveries.Count >= count)
            {
                done.TrySetResult();
            }
        };
        return (deliveries, done.Task.WaitAsync(TimeSpan.FromSeconds(90), Ct));
    }

    /// <summary>Waits until the dispatcher watches the store (it starts watching in the background).</summary>
    private static async Task StartAsync(AlertWebhookDispatcher dispatcher)
    {
        await dispatcher.StartAsync(Ct);
        await Task.Delay(300, Ct);
    }

    [Fact]
    public async Task a_webhook_receives_the_alert_json_with_a_valid_hmac_signature()
    {
        await using var receiver = await Receiver.StartAsync(_ => 200);
        using var dispatcher = Dispatcher(Hook("ecology", receiver.Url));
        var (deliveries, done) = Collect(dispatcher, 1);
        await StartAsync(dispatcher);
        await store.RaiseAsync(Pollution("ALERT-W-1"), Ct);
        await done;
        await dispatcher.StopAsync(Ct);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        Assert.Equal("raised", request.Headers["X-OneMap-Event"]);
        var timestamp = request.Headers["X-OneMap-Timestamp"];
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        // The receiver's check: HMAC-SHA256 of "timestamp.body" with the shared secret, hex, as "sha256=…".
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
        Assert.Equal(expected, request.Headers["X-OneMap-Signature"]);
        var wrongSecret = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("other"u8, Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
        Assert.NotEqual(wrongSecret, request.Headers["X-OneMap-Signature"]);

        var json = JsonNode.Parse(request.Body)!;
        Assert.Equal("raised", (string?)json["change"]);
        Assert.Equal("ALERT-W-1", (string?)json["alert"]!["alertId"]);
        Assert.Equal("pollution", (string?)json["alert"]!["kind"]);
        Assert.Equal("WQS-010", (string?)json["alert"]!["subjectId"]);
        Assert.Equal("do", (string?)json["alert"]!["indicators"]![0]);
        Assert.True(Assert.Single(deliveries).Delivered);
    }

    [Fact]
    public async Task a_5xx_answer_is_retried_with_the_same_delivery_id_and_a_4xx_is_not()
    {
        // ALERT-W-RETRY: two 503s, then 200. ALERT-W-BAD: 400 (the receiver refuses it; retrying cannot help).
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using var receiver = await Receiver.StartAsync(body =>
        {
            if (body.Contains("ALERT-W-BAD", StringComparison.Ordinal))
            {
                return 400;
            }
            return answered.AddOrUpdate("retry", 1, (_, n) => n + 1) <= 2 ? 503 : 200;
        });
        using var dispatcher = Dispatcher(Hook("ecology", receiver.Url, maxAttempts: 5));
        var (deliveries, done) = Collect(dispatcher, 2);
        await StartAsync(dispatcher);
        await store.RaiseAsync(Pollution("ALERT-W-RETRY"), Ct);
        await store.RaiseAsync(Pollution("ALERT-W-BAD"), Ct);
        await done;
        await dispatcher.StopAsync(Ct);

        var retried = Assert.Single(deliveries, d => d.AlertId == "ALERT-W-RETRY");
        Assert.True(retried.Delivered);
        Assert.Equal(3, retried.Attempts);
        Assert.Equal(200, retried.Status);
        var attempts = receiver.Requests.Where(r => r.Body.Contains("ALERT-W-RETRY", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Headers["X-OneMap-Delivery"]).Distinct());

        var refused = Assert.Single(deliveries, d => d.AlertId == "ALERT-W-BAD");
        Assert.False(refused.Delivered);
        Assert.Equal(1, refused.Attempts);
        Assert.Equal(400, refused.Status);
        Assert.Single(receiver.Requests, r => r.Body.Contains("ALERT-W-BAD", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_dead_or_hanging_webhook_neither_blocks_nor_loses_alerts()
    {
        const int alerts = 10;
        await using var live = await Receiver.StartAsync(_ => 200);
        // One endpoint that never answers (each attempt times out) and one where nothing listens any more.
        await using var hanging = await Receiver.StartAsync(_ => 200, hang: true);
        var deadUrl = $"http://127.0.0.1:{ClosedPort()}/hook";
        using var dispatcher = Dispatcher(HangingHook(hanging.Url), Hook("dead", deadUrl, maxAttempts: 3), Hook("live", live.Url));
        var (deliveries, done) = Collect(dispatcher, 3 * alerts);
        await StartAsync(dispatcher);

        for (var i = 0; i < alerts; i++)
        {
            await store.RaiseAsync(Pollution($"ALERT-W-{i:D2}"), Ct);
        }
        // Every alert is in the lake at once, whatever the webhooks do.
        Assert.Equal(alerts, (await store.QueryAsync(new AlertQuery { Limit = 1000 }, Ct)).Count(a => a.AlertId.StartsWith("ALERT-W-", StringComparison.Ordinal)));
        // The live webhook gets all of them although the others are stuck in retries and timeouts.
        await live.WaitForAsync(alerts);
        Assert.Equal(Enumerable.Range(0, alerts).Select(i => $"ALERT-W-{i:D2}"), live.Requests.Select(r => (string)JsonNode.Parse(r.Body)!["alert"]!["alertId"]!).Order());
        await done;
        await dispatcher.StopAsync(Ct);
        Assert.All(deliveries.Where(d => d.Webhook == "live"), d => Assert.True(d.Delivered));
        Assert.All(deliveries.Where(d => d.Webhook == "dead"), d => Assert.Equal((false, 3, 0), (d.Delivered, d.Attempts, d.Status)));
        Assert.All(deliveries.Where(d => d.Webhook == "hanging"), d => Assert.Equal((false, 2), (d.Delivered, d.Attempts)));
        Assert.Equal(alerts, deliveries.Count(d => d.Webhook == "dead"));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        store.Dispose();
        lake.Dispose();
        directory.Dispose();
    }

    /// <summary>A request as the receiver saw it.</summary>
    private sealed record ReceivedRequest(string Method, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Kestrel on 127.0.0.1 with a free port, answering each POST with the status <c>answer(body)</c> gives.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly CancellationTokenSource stopping = new();

        private Receiver(WebApplication app) => this.app = app;

        public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

        public string Url => app.Urls.First() + "/hook";

        public static async Task<Receiver> StartAsync(Func<string, int> answer, bool hang = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                receiver.Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.ContentType,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
                if (hang)
                {
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, receiver.stopping.Token);
                    await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                context.Response.StatusCode = answer(body);
            });
            await app.StartAsync(Ct);
            return receiver;
        }

        public async Task WaitForAsync(int count)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (Requests.Count < count)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            stopping.Dispose();
        }
    }
}
