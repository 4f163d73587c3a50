using OneMap.Models.Tickets;

namespace OneMap.Models.Tests.Tickets;

public sealed class TicketTaxonomyTests
{
    [Fact]
    public void has_nine_categories_and_about_fifty_sub_categories_with_unique_codes()
    {
        Assert.Equal(9, TicketTaxonomy.Categories.Count);
        Assert.InRange(TicketTaxonomy.SubCategories.Count, 45, 55);
        Assert.Equal(TicketTaxonomy.SubCategories.Count, TicketTaxonomy.SubCategories.Select(s => s.Code).Distinct().Count());
        Assert.All(TicketTaxonomy.SubCategories, s =>
        {
            Assert.StartsWith(s.CategoryCode, s.Code, StringComparison.Ordinal);
            Assert.Contains(TicketTaxonomy.Categories, c => c.Code == s.CategoryCode);
        });
        Assert.All(TicketTaxonomy.Categories, c => Assert.Contains(TicketTaxonomy.SubCategories, s => s.CategoryCode == c.Code));
    }

    [Fact]
    public void deadlines_grow_with_the_level_and_shrink_with_urgency()
    {
        foreach (var sub in TicketTaxonomy.SubCategories)
        {
            var previous = TimeSpan.Zero;
            foreach (var level in Enum.GetValues<GovernanceLevel>())
            {
                var deadline = TicketTaxonomy.Deadline(sub.Code, level);
                Assert.True(deadline >= previous, $"{sub.Code} at {level}");
                previous = deadline;
            }
        }
        Assert.True(TicketTaxonomy.Deadline("0502", GovernanceLevel.Grid) < TicketTaxonomy.Deadline("0202", GovernanceLevel.Grid));
    }

    [Fact]
    public void a_ticket_handled_after_its_deadline_is_overdue()
    {
        var reported = new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var ticket = new Ticket("T1", TicketSource.Hotline12345, "02", "0202", "路灯不亮", "", "", "G1", null, null, reported,
            reported.AddDays(1), TicketStatus.Closed, GovernanceLevel.Grid, null, reported.AddDays(1.5), reported.AddDays(2), 4,
            reported.AddDays(2), OneMap.Models.Spatial.Geo.Point(119, 25.4));
        Assert.True(ticket.IsOverdueAt(reported.AddDays(3)));
        // Handled in time but verified and closed after the deadline: not overdue.
        Assert.False((ticket with { HandledAt = reported.AddHours(20) }).IsOverdueAt(reported.AddDays(3)));
        Assert.True((ticket with { HandledAt = null, ClosedAt = null }).IsOverdueAt(reported.AddDays(1.5)));
        Assert.False((ticket with { HandledAt = null, ClosedAt = null }).IsOverdueAt(reported.AddHours(12)));
    }
}
