using OneMap.Models.Spatial;
using OneMap.Models.Tickets;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Tickets;

[Collection("sample")]
public sealed class TicketTests(SampleFixture sample)
{
    [Fact]
    public void about_six_thousand_tickets_from_three_sources_with_about_one_percent_overdue()
    {
        var tickets = sample.City.Tickets;
        Assert.InRange(tickets.Count, 5000, 7500);
        Assert.All(Enum.GetValues<TicketSource>().Where(s => s != TicketSource.SensorAlarm), s => Assert.Contains(tickets, t => t.Record.Source == s));
        var overdue = tickets.Count(t => t.Record.IsOverdueAt(sample.City.Options.End)) / (double)tickets.Count;
        Assert.InRange(overdue, 0.005, 0.02);
        using var truth = sample.Json("ground-truth/tickets.json");
        Assert.Equal(overdue, truth.RootElement.GetProperty("overdue_share").GetDouble(), 1e-4);
    }

    [Fact]
    public void every_history_follows_the_closed_loop()
    {
        var end = sample.City.Options.End;
        foreach (var ticket in sample.City.Tickets)
        {
            var events = ticket.Events;
            Assert.Equal(TicketEventKind.Report, events[0].Kind);
            Assert.True(events.Count == 1 || events[1].Kind == TicketEventKind.Accept, $"{ticket.Record.Id}: accept must follow report");
            for (var i = 0; i < events.Count; i++)
            {
                Assert.Equal(i + 1, events[i].Sequence);
                Assert.True(i == 0 || events[i].At >= events[i - 1].At, $"{ticket.Record.Id}: step {i + 1} goes back in time");
                Assert.True(events[i].At < end);
                var kind = events[i].Kind;
                if (kind is TicketEventKind.Dispatch or TicketEventKind.Escalate)
                {
                    Assert.True(events[i].DueAt > events[i].At, $"{ticket.Record.Id}: a {kind} sets a deadline");
                }
                if (kind == TicketEventKind.Escalate)
                {
                    // One level at a time: grid → community → street → district.
                    var before = events.Take(i).Last(e => e.Kind is TicketEventKind.Dispatch or TicketEventKind.Escalate).Level;
                    Assert.Equal(before + 1, events[i].Level);
                }
                if (kind == TicketEventKind.Close)
                {
                    var since = events.Take(i).LastOrDefault(e => e.Kind is TicketEventKind.Dispatch or TicketEventKind.Reopen);
                    var loop = events.Take(i).SkipWhile(e => e != since).Select(e => e.Kind).ToList();
                    Assert.Contains(TicketEventKind.Handle, loop);
                    Assert.Contains(TicketEventKind.Feedback, loop);
                    Assert.Contains(TicketEventKind.Verify, loop);
                }
                if (kind == TicketEventKind.Reopen)
                {
                    Assert.True(i + 1 == events.Count || events[i + 1].Kind == TicketEventKind.Dispatch);
                }
                if (kind == TicketEventKind.Evaluate)
                {
                    Assert.InRange(events[i].Satisfaction!.Value, 1, 5);
                }
            }
            Assert.Equal(events[^1].At, ticket.Record.UpdatedAt);
        }
        Assert.Contains(sample.City.Tickets, t => t.Events.Count(e => e.Kind == TicketEventKind.Escalate) >= 2);
        Assert.Contains(sample.City.Tickets, t => t.Events.Any(e => e.Kind == TicketEventKind.Reopen));
    }

    [Fact]
    public void thirty_calls_about_one_dark_stretch_of_street_lights_are_solved_together()
    {
        using var truth = sample.Json("ground-truth/tickets.json");
        var cluster = truth.RootElement.GetProperty("street_light_cluster");
        var ids = cluster.GetProperty("ticket_ids").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        Assert.Equal(30, ids.Count);
        var tickets = sample.City.Tickets.Where(t => ids.Contains(t.Record.Id)).ToList();
        Assert.All(tickets, t => Assert.Equal("0202", t.Record.SubCategoryCode));
        Assert.Equal(30, tickets.Select(t => t.Record.ReporterPhone).Distinct().Count());
        // Along one stretch of about 1.5 km…
        var points = tickets.Select(t => t.Record.Location).ToList();
        var spread = points.Max(a => points.Max(b => Geo.DistanceMeters(a.X, a.Y, b.X, b.Y)));
        Assert.InRange(spread, 300, 2500);
        // …and handled by the lighting office in one go.
        Assert.Single(tickets.Select(t => t.Events.First(e => e.Kind == TicketEventKind.Handle).At).Distinct());
        Assert.All(tickets, t => Assert.Equal("D51", t.Record.DepartmentCode));
    }

    [Fact]
    public void citizens_report_the_lids_knocked_off_and_the_black_river_the_sensors_see()
    {
        using var truth = sample.Json("ground-truth/tickets.json");
        var links = truth.RootElement.GetProperty("linked_reports").EnumerateArray().ToList();
        Assert.Contains(links, l => l.GetProperty("kind").GetString() == "lid_displaced");
        Assert.Contains(links, l => l.GetProperty("kind").GetString() == "hidden_outfall");
        var manholeEvents = sample.City.Manholes.Events.ToDictionary(e => e.Id);
        foreach (var link in links.Where(l => l.GetProperty("kind").GetString()!.StartsWith("lid_", StringComparison.Ordinal)))
        {
            var ticket = sample.City.Tickets.Single(t => t.Record.Id == link.GetProperty("ticket_id").GetString());
            var evt = manholeEvents[link.GetProperty("event_id").GetString()!];
            var cover = sample.City.Manholes.Covers[evt.Device].Record.Location;
            Assert.True(Geo.DistanceMeters(cover.X, cover.Y, ticket.Record.Location.X, ticket.Record.Location.Y) < 50);
            Assert.InRange(ticket.Record.ReportedAt - evt.Start, TimeSpan.Zero, TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public void reporters_carry_realistic_personal_data_and_gcj02_positions_in_the_12345_records()
    {
        var records = sample.GzipLines(Output.SampleWriter.HotlineStore).Take(500).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(records, r =>
        {
            Assert.Matches(@"^1[3-9]\d{9}$", r.GetProperty("callerPhone").GetString()!);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", r.GetProperty("reportTime").GetString()!);
            Assert.Equal("GCJ-02", r.GetProperty("coordSys").GetString());
        });
    }
}
