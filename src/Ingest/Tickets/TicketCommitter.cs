using OneMap.Ingest.Tables;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Tickets;

/// <summary>
/// Writes tickets by upsert (a newer update replaces the stored state; an older one never does) and their events by
/// inserting only the (ticket, seq) pairs not stored yet, so pulling the same page twice changes nothing.
/// </summary>
public sealed class TicketCommitter(DeltaTable tickets, DeltaTable events, string source)
{
    /// <summary>The <c>tickets</c> table: the domain dataset, with geometry optional (some reports carry only an address) and the caller's salted hash.</summary>
    public static TableDefinition TicketsDefinition { get; } = DomainTables.Definition(DomainDatasets.Tickets,
        new ColumnDefinition("reporter_key", DeltaType.String)
        {
            Description = "Salted hash (HMAC-SHA256) of the caller's phone (or name), for counting repeat callers.",
            Sensitivity = OneMap.Lakehouse.Tables.Sensitivity.Internal,
        }) is var d
        ? d with { Columns = d.Columns.Select(c => c.Name == "geom" ? ColumnDefinition.Geometry("geom", nullable: true) with { Description = c.Description } : c).ToList() }
        : throw new InvalidOperationException();

    public static TableDefinition EventsDefinition { get; } = DomainTables.Definition(DomainDatasets.TicketEvents);

    public static async Task<TicketCommitter> CreateAsync(Lake lake, string source, CancellationToken cancellationToken)
    {
        var tickets = await DomainTables.EnsureAsync(lake, TicketsDefinition, DomainDatasets.Tickets.OwnerDepartmentCode, "Tickets (current state)", source, cancellationToken).ConfigureAwait(false);
        var events = await DomainTables.EnsureAsync(lake, EventsDefinition, DomainDatasets.TicketEvents.OwnerDepartmentCode, "Ticket lifecycle events", source, cancellationToken).ConfigureAwait(false);
        return new TicketCommitter(tickets, events, source);
    }

    /// <summary>Commits tickets then events; returns (tickets upserted, events inserted, events already stored, tickets version).</summary>
    public async Task<(long Tickets, long Events, long DuplicateEvents, long Version)> CommitAsync(IReadOnlyList<TicketRow> rows, IReadOnlyList<TicketEventRow> eventRows, string receiptId, CancellationToken cancellationToken)
    {
        var lineage = new CommitOptions { Lineage = new CommitLineage(source, [receiptId]) };
        long version = -1, inserted = 0;
        if (rows.Count > 0)
        {
            using var batch = tickets.CreateBatch();
            var order = batch.Columns.ToArray();
            foreach (var t in rows)
            {
                batch.AppendRow(order.Select(c => Value(t, c)).ToArray());
            }
            var result = await batch.MergeAsync(new MergeOptions { UpdateCondition = "source.updated_at >= target.updated_at" }, lineage, cancellationToken).ConfigureAwait(false);
            version = result.Version;
        }
        if (eventRows.Count > 0)
        {
            using var batch = events.CreateBatch();
            foreach (var e in eventRows)
            {
                batch.AppendRow(e.TicketId, e.Seq, e.Kind, e.At, e.Level, e.Actor, e.DepartmentCode, e.DueAt, e.Note, e.Satisfaction);
            }
            var result = await batch.MergeAsync(new MergeOptions { UpdateCondition = "false" }, lineage, cancellationToken).ConfigureAwait(false);
            inserted = result.RowsInserted;
        }
        return (rows.Count, inserted, eventRows.Count - inserted, version);
    }

    private static object? Value(TicketRow t, string column) => column switch
    {
        "ticket_id" => t.TicketId,
        "source" => t.Source,
        "category_code" => t.CategoryCode,
        "sub_category_code" => t.SubCategoryCode,
        "title" => t.Title,
        "description" => t.Description ?? "",
        "address" => t.Address ?? "",
        "grid_code" => t.GridCode ?? "",
        "reporter_name" => t.ReporterName,
        "reporter_phone" => t.ReporterPhone,
        "reporter_key" => t.ReporterKey,
        "reported_at" => t.ReportedAt,
        "due_at" => t.DueAt,
        "status" => t.Status,
        "level" => t.Level,
        "department_code" => t.DepartmentCode,
        "handled_at" => t.HandledAt,
        "closed_at" => t.ClosedAt,
        "satisfaction" => t.Satisfaction,
        "updated_at" => t.UpdatedAt,
        "geom" => t.Geometry,
        _ => throw new IngestCommitException("tickets", $"the table has a column '{column}' the ticket worker does not write"),
    };
}
