using System.Net;
using System.Text.Json;
using OneMap.Simulator.Serving;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Tickets;

[Collection("sample")]
public sealed class TicketServerTests(SampleFixture sample)
{
    [Fact]
    public async Task paging_with_updated_since_returns_every_record_once_in_update_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = TicketStore.Load(sample.Directory);
        await using var server = await TicketServer.StartAsync(store, new TicketServerOptions(), ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var seen = new List<(string Id, string Updated)>();
        for (var page = 1; ; page++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"api/v1/tickets?updated_since=2000-01-01%2000:00:00&page={page}&page_size=500", ct));
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal(0, doc.RootElement.GetProperty("code").GetInt32());
            var records = data.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("ticketNo").GetString()!, r.GetProperty("updateTime").GetString()!)).ToList();
            if (records.Count == 0)
            {
                break;
            }
            seen.AddRange(records);
        }
        var expected = sample.City.Tickets.Count(t => t.Record.Source != Models.Tickets.TicketSource.CitizenApp);
        Assert.Equal(expected, seen.Count);
        Assert.Equal(expected, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderBy(s => s.Updated, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal), seen);

        // Incremental: from the last update time, only records updated at or after it.
        var since = seen[^50].Updated;
        using var incremental = JsonDocument.Parse(await http.GetStringAsync($"api/v1/tickets?updated_since={Uri.EscapeDataString(since)}&page_size=500", ct));
        var later = incremental.RootElement.GetProperty("data").GetProperty("records").EnumerateArray().ToList();
        Assert.InRange(later.Count, 50, 60);
        Assert.All(later, r => Assert.True(string.CompareOrdinal(r.GetProperty("updateTime").GetString(), since) >= 0));
    }

    [Fact]
    public async Task an_earlier_clock_shows_tickets_as_they_stood_then()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = TicketStore.Load(sample.Directory);
        var then = store.ExportTime.AddDays(-3);
        await using var server = await TicketServer.StartAsync(store, new TicketServerOptions { Start = then }, ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/tickets?page_size=500&updated_since=" + Uri.EscapeDataString(ChinaTime.Local(then.AddDays(-1))), ct));
        var records = doc.RootElement.GetProperty("data").GetProperty("records").EnumerateArray().ToList();
        Assert.NotEmpty(records);
        var limit = ChinaTime.Local(then);
        foreach (var r in records)
        {
            Assert.True(string.CompareOrdinal(r.GetProperty("updateTime").GetString(), limit) <= 0);
            Assert.All(r.GetProperty("events").EnumerateArray(), e => Assert.True(string.CompareOrdinal(e.GetProperty("time").GetString(), limit) <= 0));
        }
        // Some of them are still open then although they are closed by the export.
        Assert.Contains(records, r => r.GetProperty("closeTime").ValueKind == JsonValueKind.Null);
    }

    [Theory]
    [InlineData("api/v1/tickets?updated_since=yesterday", "updated_since")]
    [InlineData("api/v1/tickets?page=0", "page")]
    [InlineData("api/v1/tickets?page_size=100000", "page_size")]
    public async Task bad_parameters_get_a_400_that_names_them(string url, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TicketServer.StartAsync(TicketStore.Load(sample.Directory), new TicketServerOptions(), ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(name, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task open311_serves_services_and_requests_per_georeport_v2()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TicketServer.StartAsync(TicketStore.Load(sample.Directory), new TicketServerOptions(), ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var services = JsonDocument.Parse(await http.GetStringAsync("open311/v2/services.json", ct));
        Assert.Equal(Models.Tickets.TicketTaxonomy.SubCategories.Count, services.RootElement.GetArrayLength());
        using var requests = JsonDocument.Parse(await http.GetStringAsync("open311/v2/requests.json", ct));
        var list = requests.RootElement.EnumerateArray().ToList();
        Assert.InRange(list.Count, 100, 1000);
        Assert.All(list, r =>
        {
            foreach (var field in new[] { "service_request_id", "status", "service_code", "requested_datetime", "lat", "long" })
            {
                Assert.True(r.TryGetProperty(field, out _), field);
            }
            Assert.Contains(r.GetProperty("status").GetString(), new[] { "open", "closed" });
            Assert.False(r.TryGetProperty("callerPhone", out _));
        });
        var id = list[0].GetProperty("service_request_id").GetString();
        using var single = JsonDocument.Parse(await http.GetStringAsync($"open311/v2/requests/{id}.json", ct));
        Assert.Equal(id, single.RootElement[0].GetProperty("service_request_id").GetString());
        using var open = JsonDocument.Parse(await http.GetStringAsync("open311/v2/requests.json?status=open", ct));
        Assert.All(open.RootElement.EnumerateArray(), r => Assert.Equal("open", r.GetProperty("status").GetString()));
    }
}
