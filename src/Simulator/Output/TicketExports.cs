using System.Text.Json;
using OneMap.Models.Crs;
using OneMap.Models.Tickets;
using OneMap.Simulator.Government;
using OneMap.Simulator.Tickets;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    /// <summary>Path of the 12345 system's records, which serve-tickets serves.</summary>
    public const string HotlineStore = "tickets/hotline-12345.jsonl.gz";

    // The 12345 platform (D41) merges hotline and grid tickets; its records are what serve-tickets pages through.
    // Citizen-app reports are published as Open311 GeoReport v2.
    private static void WriteTickets(SampleCity city, Files files)
    {
        var path = files.Prepare(HotlineStore);
        using (var stream = PayloadLogs.CreateGzip(path, city.Options.Scale))
        {
            foreach (var ticket in city.Tickets.Where(t => t.Record.Source != TicketSource.CitizenApp)
                         .OrderBy(t => t.Record.UpdatedAt).ThenBy(t => t.Record.Id, StringComparer.Ordinal))
            {
                var bytes = Json.Document(w => TicketRecords.WriteHotline(w, ticket.Record, ticket.Events, ticket.WithoutCoordinates), indented: false);
                stream.Write(bytes);
            }
        }
        files.Record(HotlineStore);

        files.Write("tickets/open311/services.json", Json.Document(TicketRecords.WriteOpen311Services));
        files.Write("tickets/open311/requests.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var ticket in city.Tickets.Where(t => t.Record.Source == TicketSource.CitizenApp)
                         .OrderBy(t => t.Record.ReportedAt).ThenBy(t => t.Record.Id, StringComparer.Ordinal))
            {
                TicketRecords.WriteOpen311Request(w, ticket.Record, ticket.Events);
            }
            w.WriteEndArray();
        }));
    }
}

/// <summary>The JSON shapes of ticket records: the 12345 platform's own, and Open311 GeoReport v2.</summary>
public static class TicketRecords
{
    /// <summary>A 12345 platform record: local "yyyy-MM-dd HH:mm:ss" Beijing times, GCJ-02 coordinates, the full event list.</summary>
    public static void WriteHotline(Utf8JsonWriter w, Ticket t, IReadOnlyList<TicketEvent> events, bool withoutCoordinates)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(events);
        var sub = TicketTaxonomy.SubCategory(t.SubCategoryCode);
        w.WriteStartObject();
        w.WriteString("ticketNo", t.Id);
        w.WriteString("source", t.Source == TicketSource.GridPatrol ? "grid_patrol" : "hotline_12345");
        w.WriteString("sourceName", t.Source == TicketSource.GridPatrol ? "网格员上报" : "12345热线");
        w.WriteString("categoryCode", t.CategoryCode);
        w.WriteString("categoryName", TicketTaxonomy.Category(t.CategoryCode).Name);
        w.WriteString("subCategoryCode", t.SubCategoryCode);
        w.WriteString("subCategoryName", sub.Name);
        w.WriteString("title", t.Title);
        w.WriteString("content", t.Description);
        w.WriteString("address", t.Address);
        if (withoutCoordinates)
        {
            w.WriteNull("lng");
            w.WriteNull("lat");
        }
        else
        {
            var (lng, lat) = CoordinateConverter.FromWgs84(CrsId.Gcj02, t.Location.X, t.Location.Y);
            Json.Number(w, "lng", lng, 6);
            Json.Number(w, "lat", lat, 6);
        }
        w.WriteString("coordSys", "GCJ-02");
        w.WriteString("gridCode", t.GridCode);
        Json.StringOrNull(w, "callerName", t.ReporterName);
        Json.StringOrNull(w, "callerPhone", t.ReporterPhone);
        w.WriteString("reportTime", ChinaTime.Local(t.ReportedAt));
        w.WriteString("deadline", ChinaTime.Local(t.DueAt));
        w.WriteString("status", Status(t.Status));
        w.WriteString("statusName", StatusName(t.Status));
        w.WriteString("handleLevel", Level(t.Level));
        Json.StringOrNull(w, "deptCode", t.DepartmentCode);
        Json.StringOrNull(w, "deptName", t.DepartmentCode is { } d ? DepartmentCatalog.Departments.First(x => x.Code == d).ShortName : null);
        Json.StringOrNull(w, "handleTime", t.HandledAt is { } h ? ChinaTime.Local(h) : null);
        Json.StringOrNull(w, "closeTime", t.ClosedAt is { } c ? ChinaTime.Local(c) : null);
        if (t.Satisfaction is { } s)
        {
            w.WriteNumber("satisfaction", s);
        }
        else
        {
            w.WriteNull("satisfaction");
        }
        w.WriteString("updateTime", ChinaTime.Local(t.UpdatedAt));
        w.WriteStartArray("events");
        foreach (var e in events)
        {
            w.WriteStartObject();
            w.WriteNumber("seq", e.Sequence);
            w.WriteString("action", Action(e.Kind));
            w.WriteString("actionName", ActionName(e.Kind));
            w.WriteString("time", ChinaTime.Local(e.At));
            w.WriteString("level", Level(e.Level));
            w.WriteString("actor", e.Actor);
            Json.StringOrNull(w, "deptCode", e.DepartmentCode);
            Json.StringOrNull(w, "deadline", e.DueAt is { } due ? ChinaTime.Local(due) : null);
            Json.StringOrNull(w, "remark", e.Note);
            if (e.Satisfaction is { } rating)
            {
                w.WriteNumber("satisfaction", rating);
            }
            else
            {
                w.WriteNull("satisfaction");
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>GeoReport v2 services.json: one service per sub-category.</summary>
    public static void WriteOpen311Services(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartArray();
        foreach (var s in TicketTaxonomy.SubCategories)
        {
            w.WriteStartObject();
            w.WriteString("service_code", s.Open311ServiceCode);
            w.WriteString("service_name", s.Name);
            w.WriteString("description", $"{TicketTaxonomy.Category(s.CategoryCode).Name} / {s.Name} ({s.NameEn})");
            w.WriteBoolean("metadata", false);
            w.WriteString("type", "realtime");
            w.WriteString("keywords", s.NameEn.ToLowerInvariant());
            w.WriteString("group", TicketTaxonomy.Category(s.CategoryCode).Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A GeoReport v2 service request (public view: no reporter details).</summary>
    public static void WriteOpen311Request(Utf8JsonWriter w, Ticket t, IReadOnlyList<TicketEvent> events)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(events);
        var sub = TicketTaxonomy.SubCategory(t.SubCategoryCode);
        var closed = t.ClosedAt is not null;
        w.WriteStartObject();
        w.WriteString("service_request_id", t.Id);
        w.WriteString("status", closed ? "closed" : "open");
        Json.StringOrNull(w, "status_notes", events.LastOrDefault(e => e.Note is not null)?.Note);
        w.WriteString("service_name", sub.Name);
        w.WriteString("service_code", sub.Open311ServiceCode);
        w.WriteString("description", t.Description);
        Json.StringOrNull(w, "agency_responsible", t.DepartmentCode is { } d ? DepartmentCatalog.Departments.First(x => x.Code == d).Name : null);
        w.WriteNull("service_notice");
        w.WriteString("requested_datetime", ChinaTime.Iso(t.ReportedAt));
        w.WriteString("updated_datetime", ChinaTime.Iso(t.UpdatedAt));
        w.WriteString("expected_datetime", ChinaTime.Iso(t.DueAt));
        w.WriteString("address", t.Address);
        w.WriteString("address_id", t.GridCode);
        w.WriteString("zipcode", "351100");
        Json.Number(w, "lat", t.Location.Y, 6);
        Json.Number(w, "long", t.Location.X, 6);
        w.WriteNull("media_url");
        w.WriteEndObject();
    }

    public static string Status(TicketStatus s) => s switch
    {
        TicketStatus.Reported => "reported",
        TicketStatus.Accepted => "accepted",
        TicketStatus.Dispatched => "dispatched",
        TicketStatus.Escalated => "escalated",
        TicketStatus.Handled => "handled",
        TicketStatus.FeedbackGiven => "feedback_given",
        TicketStatus.Verified => "verified",
        TicketStatus.Closed => "closed",
        TicketStatus.Reopened => "reopened",
        _ => "evaluated",
    };

    public static string StatusName(TicketStatus s) => s switch
    {
        TicketStatus.Reported => "已上报",
        TicketStatus.Accepted => "已受理",
        TicketStatus.Dispatched => "已派遣",
        TicketStatus.Escalated => "已上报升级",
        TicketStatus.Handled => "已处置",
        TicketStatus.FeedbackGiven => "已反馈",
        TicketStatus.Verified => "已核查",
        TicketStatus.Closed => "已办结",
        TicketStatus.Reopened => "已重办",
        _ => "已评价",
    };

    public static string Action(TicketEventKind k) => k switch
    {
        TicketEventKind.Report => "report",
        TicketEventKind.Accept => "accept",
        TicketEventKind.Dispatch => "dispatch",
        TicketEventKind.Escalate => "escalate",
        TicketEventKind.Handle => "handle",
        TicketEventKind.Feedback => "feedback",
        TicketEventKind.Verify => "verify",
        TicketEventKind.Close => "close",
        TicketEventKind.Reopen => "reopen",
        _ => "evaluate",
    };

    public static string ActionName(TicketEventKind k) => k switch
    {
        TicketEventKind.Report => "上报",
        TicketEventKind.Accept => "受理",
        TicketEventKind.Dispatch => "派遣",
        TicketEventKind.Escalate => "升级上报",
        TicketEventKind.Handle => "处置",
        TicketEventKind.Feedback => "反馈",
        TicketEventKind.Verify => "核查",
        TicketEventKind.Close => "结案",
        TicketEventKind.Reopen => "重办",
        _ => "评价",
    };

    public static string Level(GovernanceLevel l) => l switch
    {
        GovernanceLevel.Grid => "grid",
        GovernanceLevel.Community => "community",
        GovernanceLevel.Street => "street",
        GovernanceLevel.District => "district",
        _ => "city",
    };
}
