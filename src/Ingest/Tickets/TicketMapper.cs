using System.Globalization;
using System.Text.Json;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Ingest.Privacy;
using OneMap.Models.Crs;
using OneMap.Models.Tickets;

namespace OneMap.Ingest.Tickets;

/// <summary>A ticket row as stored in <c>tickets</c> (personal data already masked and hashed).</summary>
public sealed record TicketRow(
    string TicketId, string Source, string CategoryCode, string SubCategoryCode, string Title, string? Description, string? Address, string? GridCode,
    string? ReporterName, string? ReporterPhone, string? ReporterKey, DateTimeOffset ReportedAt, DateTimeOffset DueAt, string Status, string Level,
    string? DepartmentCode, DateTimeOffset? HandledAt, DateTimeOffset? ClosedAt, long? Satisfaction, DateTimeOffset UpdatedAt, byte[]? Geometry);

/// <summary>A lifecycle event as stored in <c>ticket_events</c>.</summary>
public sealed record TicketEventRow(
    string TicketId, long Seq, string Kind, DateTimeOffset At, string Level, string Actor, string? DepartmentCode, DateTimeOffset? DueAt, string? Note, long? Satisfaction);

/// <summary>
/// Maps the 12345 platform's records and Open311 GeoReport v2 requests to ticket rows. Caller names and phones are
/// masked for display and hashed with the configured key; ID-card and phone numbers inside free text are masked.
/// </summary>
public sealed class TicketMapper(PersonalData personalData, TimeZoneInfo zone)
{
    private static readonly string[] NoFormats = [];

    /// <summary>Maps a 12345 record; returns the reason when it cannot be stored.</summary>
    public string? MapHotline(JsonElement record, out TicketRow? ticket, List<TicketEventRow> events)
    {
        ticket = null;
        events.Clear();
        if (record.ValueKind != JsonValueKind.Object)
        {
            return "the record is not a JSON object";
        }
        var id = Text(record, "ticketNo");
        if (id is null)
        {
            return "ticketNo is missing";
        }
        var sub = Text(record, "subCategoryCode");
        if (sub is null || TicketTaxonomy.SubCategories.All(s => s.Code != sub))
        {
            return $"ticket {id}: unknown subCategoryCode '{sub}'";
        }
        if (Time(record, "reportTime", out var reported) is { } e1)
        {
            return $"ticket {id}: {e1}";
        }
        if (Time(record, "deadline", out var due) is { } e2)
        {
            return $"ticket {id}: {e2}";
        }
        if (Time(record, "updateTime", out var updated) is { } e3)
        {
            return $"ticket {id}: {e3}";
        }
        DateTimeOffset? handled = null;
        if (Text(record, "handleTime") is not null)
        {
            if (Time(record, "handleTime", out var h) is { } e7)
            {
                return $"ticket {id}: {e7}";
            }
            handled = h;
        }
        DateTimeOffset? closed = null;
        if (Text(record, "closeTime") is not null)
        {
            if (Time(record, "closeTime", out var c) is { } e4)
            {
                return $"ticket {id}: {e4}";
            }
            closed = c;
        }
        byte[]? geometry = null;
        if (record.TryGetProperty("lng", out var lng) && lng.ValueKind == JsonValueKind.Number && record.TryGetProperty("lat", out var lat) && lat.ValueKind == JsonValueKind.Number)
        {
            var crs = CrsId.TryParse(Text(record, "coordSys") ?? "GCJ-02", out var parsed) ? parsed : CrsId.Gcj02;
            try
            {
                var (x, y) = CoordinateConverter.ToWgs84(crs, lng.GetDouble(), lat.GetDouble());
                geometry = GeometryBuilder.PointWkb(x, y);
            }
            catch (OneMap.Models.ModelException e)
            {
                return $"ticket {id}: {e.Message}";
            }
        }
        var callerName = Text(record, "callerName");
        var callerPhone = Text(record, "callerPhone");
        ticket = new TicketRow(id, Text(record, "source") ?? "hotline_12345", Text(record, "categoryCode") ?? sub[..2], sub, Text(record, "title") ?? "",
            PersonalData.Scrub(Text(record, "content")), PersonalData.Scrub(Text(record, "address")), Text(record, "gridCode"),
            PersonalData.Mask(callerName), PersonalData.Mask(callerPhone), personalData.Hash(callerPhone ?? callerName),
            reported, due, Text(record, "status") ?? "reported", Text(record, "handleLevel") ?? "grid", Text(record, "deptCode"), handled, closed,
            record.TryGetProperty("satisfaction", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null, updated, geometry);
        if (record.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (!item.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var n))
                {
                    return $"ticket {id}: an event has no seq";
                }
                if (Time(item, "time", out var at) is { } e5)
                {
                    return $"ticket {id} event {n}: {e5}";
                }
                DateTimeOffset? eventDue = null;
                if (Text(item, "deadline") is not null)
                {
                    if (Time(item, "deadline", out var d) is { } e6)
                    {
                        return $"ticket {id} event {n}: {e6}";
                    }
                    eventDue = d;
                }
                events.Add(new TicketEventRow(id, n, Text(item, "action") ?? "", at, Text(item, "level") ?? "", Text(item, "actor") ?? "",
                    Text(item, "deptCode"), eventDue, PersonalData.Scrub(Text(item, "remark")),
                    item.TryGetProperty("satisfaction", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null));
            }
        }
        return null;
    }

    /// <summary>Maps an Open311 service request; its events are derived (report, and close when closed).</summary>
    public string? MapOpen311(JsonElement request, out TicketRow? ticket, List<TicketEventRow> events)
    {
        ticket = null;
        events.Clear();
        if (request.ValueKind != JsonValueKind.Object)
        {
            return "the request is not a JSON object";
        }
        var id = Text(request, "service_request_id");
        if (id is null)
        {
            return "service_request_id is missing";
        }
        var code = Text(request, "service_code");
        var sub = TicketTaxonomy.SubCategories.FirstOrDefault(s => s.Open311ServiceCode == code || s.Code == code);
        if (sub is null)
        {
            return $"request {id}: unknown service_code '{code}'";
        }
        if (Time(request, "requested_datetime", out var requested) is { } e1)
        {
            return $"request {id}: {e1}";
        }
        var updated = Time(request, "updated_datetime", out var u) is null ? u : requested;
        var due = Time(request, "expected_datetime", out var x) is null ? x : requested.AddDays(3);
        byte[]? geometry = null;
        if (request.TryGetProperty("long", out var lon) && lon.ValueKind == JsonValueKind.Number && request.TryGetProperty("lat", out var lat) && lat.ValueKind == JsonValueKind.Number)
        {
            try
            {
                var (wx, wy) = CoordinateConverter.ToWgs84(CrsId.Wgs84, lon.GetDouble(), lat.GetDouble());
                geometry = GeometryBuilder.PointWkb(wx, wy);
            }
            catch (OneMap.Models.ModelException e)
            {
                return $"request {id}: {e.Message}";
            }
        }
        var closed = Text(request, "status") == "closed";
        ticket = new TicketRow(id, "citizen_app", sub.CategoryCode, sub.Code, sub.Name, PersonalData.Scrub(Text(request, "description")),
            PersonalData.Scrub(Text(request, "address")), Text(request, "address_id"), null, null, null, requested, due, closed ? "closed" : "reported",
            "grid", null, null, closed ? updated : null, null, updated, geometry);
        events.Add(new TicketEventRow(id, 1, "report", requested, "grid", "citizen", null, due, null, null));
        if (closed)
        {
            events.Add(new TicketEventRow(id, 2, "close", updated, "grid", "open311", null, null, PersonalData.Scrub(Text(request, "status_notes")), null));
        }
        return null;
    }

    private string? Time(JsonElement element, string member, out DateTimeOffset value)
    {
        value = default;
        if (!element.TryGetProperty(member, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return $"{member} is missing";
        }
        return ValueParsers.Timestamp(FieldValue.FromJson(v), NoFormats, zone, out value) is { } error ? $"{member}: {error}" : null;
    }

    private static string? Text(JsonElement element, string member) =>
        element.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : element.TryGetProperty(member, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetRawText() : null;

    /// <summary>The watermark text of an instant (ISO 8601 in the source's zone), comparable as text within one zone.</summary>
    public string Watermark(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
