using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneMap.Simulator.Serving;

/// <summary>Options of the 12345 stand-in server.</summary>
public sealed class TicketServerOptions
{
    /// <summary>Loopback port; 0 picks a free one. Default 0.</summary>
    public int Port { get; init; }

    /// <summary>The instant the clock starts at; default: the sample's export time (everything visible).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>How fast the clock runs (1 = real time); 0 stops it at <see cref="Start"/>. Default 0.</summary>
    public double Speedup { get; init; }
}

/// <summary>
/// A stand-in for a 12345 platform's data-sharing API and an Open311 GeoReport v2 endpoint, on loopback:
/// <c>GET /api/v1/tickets?updated_since=…&amp;page=…&amp;page_size=…</c>, <c>GET /api/v1/tickets/{ticketNo}</c>,
/// <c>GET /open311/v2/services.json</c>, <c>GET /open311/v2/requests.json</c>, <c>GET /open311/v2/requests/{id}.json</c>.
/// </summary>
public sealed class TicketServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly WebApplication _app;

    private TicketServer(WebApplication app, Func<DateTimeOffset> clock)
    {
        _app = app;
        Clock = clock;
    }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The server's notion of "now".</summary>
    public Func<DateTimeOffset> Clock { get; }

    public static async Task<TicketServer> StartAsync(TicketStore store, TicketServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        var app = builder.Build();
        var origin = options.Start ?? store.ExportTime;
        var started = DateTimeOffset.UtcNow;
        DateTimeOffset Now() => options.Speedup <= 0 ? origin : origin + (DateTimeOffset.UtcNow - started) * options.Speedup;

        app.MapGet("/api/v1/tickets", (HttpRequest request) =>
        {
            var query = request.Query;
            var since = DateTimeOffset.MinValue;
            if (query.TryGetValue("updated_since", out var sinceText) && !TicketStore.TryParseTime(sinceText, out since))
            {
                return Error(400, $"updated_since 格式错误: \"{sinceText}\" (expected yyyy-MM-dd HH:mm:ss Beijing time, or ISO 8601 with an offset)");
            }
            if (!TryInt(query["page"], 1, 1, int.MaxValue, out var page))
            {
                return Error(400, $"page must be a whole number from 1, got \"{query["page"]}\"");
            }
            if (!TryInt(query["page_size"], 100, 1, 500, out var pageSize))
            {
                return Error(400, $"page_size must be a whole number from 1 to 500, got \"{query["page_size"]}\"");
            }
            var (total, records) = store.Updated(since, Now(), page, pageSize);
            var data = new JsonObject
            {
                ["total"] = total,
                ["page"] = page,
                ["pageSize"] = pageSize,
                ["pages"] = (total + pageSize - 1) / pageSize,
                ["records"] = new JsonArray(records.Select(r => (JsonNode)r).ToArray()),
            };
            return Json(200, new JsonObject { ["code"] = 0, ["msg"] = "success", ["data"] = data });
        });
        app.MapGet("/api/v1/tickets/{ticketNo}", (string ticketNo) =>
            store.Find(ticketNo, Now()) is { } record
                ? Json(200, new JsonObject { ["code"] = 0, ["msg"] = "success", ["data"] = record })
                : Error(404, $"工单不存在: {ticketNo}"));
        app.MapGet("/open311/v2/services.json", () => Json(200, store.Services.DeepClone()));
        app.MapGet("/open311/v2/requests.json", (HttpRequest request) =>
        {
            var now = Now();
            var query = request.Query;
            var end = now;
            var start = now.AddDays(-90);
            if (query.TryGetValue("start_date", out var s) && !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            {
                return Open311Error(400, $"start_date is not a w3c date-time: \"{s}\"");
            }
            if (query.TryGetValue("end_date", out var e) && !DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
            {
                return Open311Error(400, $"end_date is not a w3c date-time: \"{e}\"");
            }
            string? status = query.TryGetValue("status", out var st) ? st.ToString() : null;
            string? code = query.TryGetValue("service_code", out var sc) ? sc.ToString() : null;
            var items = store.Requests(start, end.AddTicks(1), now, status, code);
            return Json(200, new JsonArray(items.Select(i => (JsonNode)i).ToArray()));
        });
        app.MapGet("/open311/v2/requests/{file}", (string file) =>
        {
            var id = file.EndsWith(".json", StringComparison.Ordinal) ? file[..^5] : file;
            return store.Request(id, Now()) is { } request
                ? Json(200, new JsonArray(request))
                : Open311Error(404, $"no service request {id}");
        });
        app.MapGet("/health", () => Results.Text("ok"));

        await app.StartAsync(cancellationToken);
        var server = new TicketServer(app, Now);
        server.BaseAddress = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellationToken);

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(JsonOptions), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);

    private static IResult Error(int status, string message) =>
        Json(status, new JsonObject { ["code"] = status, ["msg"] = message, ["data"] = null });

    private static IResult Open311Error(int status, string description) =>
        Json(status, new JsonArray(new JsonObject { ["code"] = status, ["description"] = description }));

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
