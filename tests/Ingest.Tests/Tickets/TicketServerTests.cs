using Microsoft.Extensions.Options;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Tests.Support;
using OneMap.Ingest.Tickets;
using OneMap.Simulator.Serving;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Tickets;

/// <summary>The ticket worker against the simulator's own serve-tickets (the sample city's 12345 API and Open311 endpoint).</summary>
public sealed class TicketServerTests : IngestTestBase
{
    [Fact]
    public async Task pulls_every_sample_ticket_from_serve_tickets_and_a_second_pull_changes_nothing()
    {
        await using var server = await TicketServer.StartAsync(TicketStore.Load(Path.Combine(RepoPaths.RepoRoot, "data-samples")), new TicketServerOptions(), Ct);
        var worker = new TicketWorker(Lake, Receipts, Quarantine, Metrics, new PersonalData(Secret), Options.Create(new TicketOptions
        {
            Hotline = new HotlineSourceOptions { BaseUrl = server.BaseAddress.ToString() },
            Open311 = new Open311SourceOptions { BaseUrl = new Uri(server.BaseAddress, "open311/v2/").ToString() },
        }));

        var hotline = await worker.PullHotlineAsync(Ct);
        var open311 = await worker.PullOpen311Async(Ct);

        Assert.Equal((5217L, 0L), (hotline!.RowsWritten, hotline.RowsRejected));
        Assert.True(hotline.Reconciles && open311!.Reconciles);
        Assert.Equal(0L, open311.RowsRejected);
        Assert.True(open311.RowsWritten > 0);
        var tickets = (long)ReadBack("tickets", "count(*)")[0][0]!;
        var events = (long)ReadBack("ticket_events", "count(*)")[0][0]!;

        // The next pull starts at the watermark: only the tickets updated at that instant come again, and land as no change.
        var again = await worker.PullHotlineAsync(Ct);
        Assert.True(again is null || again.RowsRead < 100, $"second pull read {again?.RowsRead}");
        Assert.Equal(tickets, (long)ReadBack("tickets", "count(*)")[0][0]!);
        Assert.Equal(events, (long)ReadBack("ticket_events", "count(*)")[0][0]!);
    }
}
