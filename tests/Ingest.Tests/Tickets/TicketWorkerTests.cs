using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Tests.Support;
using OneMap.Ingest.Tickets;

namespace OneMap.Ingest.Tests.Tickets;

/// <summary>
/// The ticket worker against a loopback HTTP server answering in the 12345 platform's record shape (the simulator's
/// serve-tickets shape) and with Open311 GeoReport v2 requests.
/// </summary>
public sealed class TicketWorkerTests : IngestTestBase
{
    private readonly List<JsonObject> records = [];
    private readonly List<string> requests = [];
    private int failuresToServe;
    private int statusOfFailures = 503;

    private static JsonObject Record(string id, string updated, string caller, string phone, params (int Seq, string Action, string Time)[] events) => new()
    {
        ["ticketNo"] = id,
        ["source"] = "hotline_12345",
        ["categoryCode"] = "01",
        ["subCategoryCode"] = "0102",
        ["title"] = "乱堆物料",
        ["content"] = $"市民来电反映楼下堆放建筑垃圾，联系电话{phone}，身份证350302199001011234",
        ["address"] = "城厢区龙桥街道",
        ["lng"] = 119.01,
        ["lat"] = 25.43,
        ["coordSys"] = "GCJ-02",
        ["gridCode"] = "G001",
        ["callerName"] = caller,
        ["callerPhone"] = phone,
        ["reportTime"] = "2024-06-01 08:00:00",
        ["deadline"] = "2024-06-03 08:00:00",
        ["status"] = "dispatched",
        ["handleLevel"] = "street",
        ["deptCode"] = "D14",
        ["closeTime"] = null,
        ["satisfaction"] = null,
        ["updateTime"] = updated,
        ["events"] = new JsonArray(events.Select(e => (JsonNode)new JsonObject
        {
            ["seq"] = e.Seq, ["action"] = e.Action, ["time"] = e.Time, ["level"] = "street", ["actor"] = "12345",
            ["deptCode"] = null, ["deadline"] = null, ["remark"] = "回访电话13800001111", ["satisfaction"] = null,
        }).ToArray()),
    };

    private async Task<(WebApplication App, string Url)> ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/v1/tickets", (HttpContext http) =>
        {
            lock (requests)
            {
                requests.Add(http.Request.QueryString.Value ?? "");
                if (failuresToServe > 0)
                {
                    failuresToServe--;
                    return Results.StatusCode(statusOfFailures);
                }
            }
            var page = int.Parse(http.Request.Query["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            var size = int.Parse(http.Request.Query["page_size"]!, System.Globalization.CultureInfo.InvariantCulture);
            var since = http.Request.Query["updated_since"].ToString();
            var matching = records
                .Where(r => since.Length == 0 || DateTimeOffset.Parse((string)r["updateTime"]! + "+08:00", System.Globalization.CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture))
                .OrderBy(r => (string)r["updateTime"]!).ToList();
            var items = new JsonArray(matching.Skip((page - 1) * size).Take(size).Select(r => r.DeepClone()).ToArray());
            return Results.Json(new JsonObject { ["code"] = 0, ["data"] = new JsonObject { ["total"] = matching.Count, ["page"] = page, ["records"] = items } });
        });
        app.MapGet("/open311/requests.json", () => Results.Text("""
            [{"service_request_id":"C20240601-0001","status":"closed","status_notes":"已处理，联系13912345678","service_name":"乱堆物料","service_code":"0102",
              "description":"路边堆物","requested_datetime":"2024-06-01T09:00:00+08:00","updated_datetime":"2024-06-02T10:00:00+08:00",
              "expected_datetime":"2024-06-03T09:00:00+08:00","address":"荔城区","address_id":"G002","lat":25.43,"long":119.01},
             {"service_request_id":"C20240601-0002","status":"open","service_code":"9999","requested_datetime":"2024-06-01T09:00:00+08:00"}]
            """, "application/json"));
        await app.StartAsync(Ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, url);
    }

    private TicketWorker Worker(string url, int attempts = 4) => new(Lake, Receipts, Quarantine, Metrics, new PersonalData(Secret), Options.Create(new TicketOptions
    {
        Attempts = attempts,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Hotline = new HotlineSourceOptions { BaseUrl = url, PageSize = 2 },
        Open311 = new Open311SourceOptions { BaseUrl = url + "/open311/" },
    }));

    [Fact]
    public async Task the_running_worker_keeps_the_catalogs_stored_freshness_of_the_ticket_tables_current()
    {
        records.Add(Record("T1", "2024-06-01 09:00:00", "张三", "13812345678", (1, "report", "2024-06-01 08:00:00"), (2, "accept", "2024-06-01 09:00:00")));
        records.Add(Record("T2", "2024-06-01 10:00:00", "李四", "13900002222", (1, "report", "2024-06-01 10:00:00")));
        var (app, url) = await ServeAsync();
        await using (app)
        {
            using var worker = Worker(url);
            await worker.StartAsync(Ct);
            // Both pulls (hotline, then Open311) commit; the catalog table's own columns (not the live view the API
            // reads) end up describing the tables as they are.
            await Wait.UntilAsync(() => Stored("tickets") == Live("tickets") && Stored("ticket_events") == Live("ticket_events") && Live("tickets").Rows == 3,
                "the catalog's stored version and row count of tickets and ticket_events", cancellationToken: Ct);
            await worker.StopAsync(Ct);
        }
    }

    private (long? Version, long? Rows) Stored(string table) =>
        System.IO.Directory.Exists(Path.Combine(LakeRoot, "_catalog", "_delta_log"))
            ? ReadBack("_catalog", $"max(CASE WHEN name = '{table}' THEN version END), max(CASE WHEN name = '{table}' THEN row_count END)") is [[var v, var n]] ? ((long?)v, (long?)n) : (null, null)
            : (null, null);

    private (long? Version, long? Rows) Live(string table) =>
        Lake.Table(table).Exists
            ? (Lake.Table(table).GetSnapshotAsync(Ct).GetAwaiter().GetResult().Version, ReadBack(table, "count(*)") is [[long rows]] ? rows : 0)
            : (null, null);

    [Fact]
    public async Task pulls_pages_incrementally_and_never_stores_personal_data_in_clear()
    {
        records.Add(Record("T1", "2024-06-01 09:00:00", "张三", "13812345678", (1, "report", "2024-06-01 08:00:00"), (2, "accept", "2024-06-01 09:00:00")));
        records.Add(Record("T2", "2024-06-01 10:00:00", "李四", "13900002222", (1, "report", "2024-06-01 10:00:00")));
        records.Add(Record("T3", "2024-06-01 11:00:00", "张三", "+86 138-1234-5678", (1, "report", "2024-06-01 11:00:00")));
        var (app, url) = await ServeAsync();
        await using (app)
        {
            var worker = Worker(url);
            var first = await worker.PullHotlineAsync(Ct);

            Assert.NotNull(first);
            Assert.Equal((3L, 3L, 0L), (first.RowsRead, first.RowsWritten, first.RowsRejected));
            Assert.Equal("2024-06-01T11:00:00+08:00", first.Watermark);
            Assert.Equal(2, requests.Count); // two pages of two

            // T2 changes: a newer update and one more event.
            records[1] = Record("T2", "2024-06-01 12:00:00", "李四", "13900002222", (1, "report", "2024-06-01 10:00:00"), (2, "dispatch", "2024-06-01 12:00:00"));
            var second = await worker.PullHotlineAsync(Ct);

            Assert.Contains("updated_since=2024-06-01T11%3A00%3A00%2B08%3A00", requests[2], StringComparison.Ordinal);
            Assert.Equal(2L, second!.RowsRead); // T3 (at the watermark) and T2
        }

        var tickets = ReadBack("tickets", "ticket_id, updated_at, reporter_name, reporter_phone, reporter_key, description", "ticket_id");
        Assert.Equal(["T1", "T2", "T3"], tickets.Select(t => (string)t[0]!));
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 4, 0, 0, TimeSpan.Zero), (DateTimeOffset)tickets[1][1]!);
        Assert.Equal("张*", tickets[0][2]);
        Assert.Equal("138****5678", tickets[0][3]);
        Assert.Equal(tickets[0][4], tickets[2][4]); // the same caller, written two ways, counts as a repeat
        Assert.NotEqual(tickets[0][4], tickets[1][4]);
        Assert.DoesNotContain("13812345678", (string)tickets[0][5]!, StringComparison.Ordinal);
        Assert.DoesNotContain("350302199001011234", (string)tickets[0][5]!, StringComparison.Ordinal);

        var events = ReadBack("ticket_events", "ticket_id, seq, kind, note", "ticket_id, seq");
        Assert.Equal(5, events.Count); // 2 + 2 + 1, none twice
        Assert.All(events, e => Assert.DoesNotContain("13800001111", (string)e[3]!, StringComparison.Ordinal));

        // Nothing anywhere in the lake holds a clear phone number.
        foreach (var file in System.IO.Directory.EnumerateFiles(LakeRoot, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains("13812345678", StringComparison.Ordinal), $"{file} holds a clear phone number");
        }
    }

    [Fact]
    public async Task retries_transient_faults_and_gives_up_at_once_on_others()
    {
        records.Add(Record("T1", "2024-06-01 09:00:00", "张三", "13812345678", (1, "report", "2024-06-01 08:00:00")));
        var (app, url) = await ServeAsync();
        await using (app)
        {
            failuresToServe = 2;
            var receipt = await Worker(url).PullHotlineAsync(Ct);
            Assert.Equal(1L, receipt!.RowsWritten);
            Assert.Equal(3, requests.Count); // two 503s, then the page

            requests.Clear();
            (failuresToServe, statusOfFailures) = (1, 400);
            var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => Worker(url).PullHotlineAsync(Ct));
            Assert.False(error.IsTransient);
            Assert.Single(requests);

            requests.Clear();
            (failuresToServe, statusOfFailures) = (10, 502);
            var exhausted = await Assert.ThrowsAsync<SourceUnavailableException>(() => Worker(url, attempts: 3).PullHotlineAsync(Ct));
            Assert.True(exhausted.IsTransient);
            Assert.Equal(3, requests.Count);
        }
    }

    [Fact]
    public async Task pulls_open311_requests_and_quarantines_unknown_services()
    {
        var (app, url) = await ServeAsync();
        await using (app)
        {
            var receipt = await Worker(url).PullOpen311Async(Ct);

            Assert.Equal((2L, 1L, 1L), (receipt!.RowsRead, receipt.RowsWritten, receipt.RowsRejected));
            Assert.True(receipt.Reconciles);
        }
        var tickets = ReadBack("tickets", "ticket_id, source, status, closed_at IS NOT NULL", "ticket_id");
        Assert.Equal(("C20240601-0001", "citizen_app", "closed", true), ((string)tickets[0][0]!, (string)tickets[0][1]!, (string)tickets[0][2]!, (bool)tickets[0][3]!));
        Assert.Contains("unknown service_code '9999'", Quarantine.ReadAll("tickets").Single().GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, ReadBack("ticket_events", "kind").Count);
    }
}
