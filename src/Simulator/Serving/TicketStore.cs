using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.Simulator.Output;

namespace OneMap.Simulator.Serving;

/// <summary>
/// The 12345 platform's records and the Open311 requests of a generated sample, loaded from its files, viewable as
/// they stood at any moment: a ticket appears at its report time and shows only the steps taken by then, so a client
/// polling with <c>updated_since</c> sees tickets arrive and change as they did.
/// </summary>
public sealed class TicketStore
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];

    private readonly List<Entry> _hotline;
    private readonly List<Entry> _open311;

    private TicketStore(List<Entry> hotline, List<Entry> open311, JsonArray services)
    {
        _hotline = hotline;
        _open311 = open311;
        Services = services;
        ExportTime = hotline.Concat(open311).Select(e => e.UpdatedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
    }

    /// <summary>The latest update in the files: the default "now".</summary>
    public DateTimeOffset ExportTime { get; }

    public JsonArray Services { get; }

    public int Count => _hotline.Count;

    public static TicketStore Load(string sampleDirectory)
    {
        var hotlinePath = Path.Combine(sampleDirectory, SampleWriter.HotlineStore);
        if (!File.Exists(hotlinePath))
        {
            throw new FileNotFoundException($"no 12345 records at {hotlinePath}; run `generate --out {sampleDirectory}` first", hotlinePath);
        }
        var hotline = new List<Entry>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(hotlinePath), CompressionMode.Decompress)))
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                var node = JsonNode.Parse(line)!.AsObject();
                var events = node["events"]!.AsArray().Select(e => ParseLocal(e!["time"]!.GetValue<string>())).ToArray();
                hotline.Add(new Entry(node, ParseLocal(node["reportTime"]!.GetValue<string>()), ParseLocal(node["updateTime"]!.GetValue<string>()), events));
            }
        }
        var open311 = new List<Entry>();
        var requestsPath = Path.Combine(sampleDirectory, "tickets", "open311", "requests.json");
        if (File.Exists(requestsPath))
        {
            foreach (var item in JsonNode.Parse(File.ReadAllText(requestsPath))!.AsArray())
            {
                var o = item!.AsObject();
                var requested = DateTimeOffset.Parse(o["requested_datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                var updated = DateTimeOffset.Parse(o["updated_datetime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                open311.Add(new Entry(o, requested, updated, [requested, updated]));
            }
        }
        var servicesPath = Path.Combine(sampleDirectory, "tickets", "open311", "services.json");
        var services = File.Exists(servicesPath) ? JsonNode.Parse(File.ReadAllText(servicesPath))!.AsArray() : [];
        return new TicketStore(hotline, open311, services);
    }

    /// <summary>Parses a 12345-style local time ("yyyy-MM-dd HH:mm:ss", Beijing time) or an ISO 8601 time with offset.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            value = new DateTimeOffset(local, ChinaTime.Offset);
            return true;
        }
        return text.Length > 10 && (text.EndsWith('Z') || text[^6] is '+' or '-') &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>
    /// Tickets updated at or after <paramref name="updatedSince"/> as they stood at <paramref name="now"/>, ordered by
    /// update time then ticket number, one page of them.
    /// </summary>
    public (int Total, IReadOnlyList<JsonObject> Page) Updated(DateTimeOffset updatedSince, DateTimeOffset now, int page, int pageSize)
    {
        var visible = _hotline
            .Select(e => (Entry: e, Updated: e.UpdatedAsOf(now)))
            .Where(x => x.Updated is { } u && u >= updatedSince)
            .OrderBy(x => x.Updated).ThenBy(x => x.Entry.Id, StringComparer.Ordinal)
            .ToList();
        var records = visible.Skip((page - 1) * pageSize).Take(pageSize).Select(x => x.Entry.AsOf(now)).ToList();
        return (visible.Count, records);
    }

    public JsonObject? Find(string ticketNo, DateTimeOffset now) =>
        _hotline.FirstOrDefault(e => e.Id == ticketNo) is { } e && e.ReportedAt <= now ? e.AsOf(now) : null;

    /// <summary>Open311 requests reported in [start, end) and visible at <paramref name="now"/>, newest first, at most 1000.</summary>
    public IReadOnlyList<JsonObject> Requests(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, string? status, string? serviceCode)
    {
        return _open311
            .Where(e => e.ReportedAt >= start && e.ReportedAt < end && e.ReportedAt <= now)
            .Select(e => e.Open311AsOf(now))
            .Where(o => status is null || string.Equals(o["status"]!.GetValue<string>(), status, StringComparison.OrdinalIgnoreCase))
            .Where(o => serviceCode is null || o["service_code"]!.GetValue<string>() == serviceCode)
            .OrderByDescending(o => o["requested_datetime"]!.GetValue<string>(), StringComparer.Ordinal)
            .Take(1000)
            .ToList();
    }

    public JsonObject? Request(string id, DateTimeOffset now) =>
        _open311.FirstOrDefault(e => e.Id == id) is { } e && e.ReportedAt <= now ? e.Open311AsOf(now) : null;

    private static DateTimeOffset ParseLocal(string text) =>
        new(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), ChinaTime.Offset);

    private sealed class Entry(JsonObject record, DateTimeOffset reportedAt, DateTimeOffset updatedAt, DateTimeOffset[] eventTimes)
    {
        public string Id { get; } = (record["ticketNo"] ?? record["service_request_id"])!.GetValue<string>();
        public DateTimeOffset ReportedAt { get; } = reportedAt;
        public DateTimeOffset UpdatedAt { get; } = updatedAt;

        public DateTimeOffset? UpdatedAsOf(DateTimeOffset now)
        {
            if (ReportedAt > now)
            {
                return null;
            }
            var last = eventTimes.Where(t => t <= now).DefaultIfEmpty(ReportedAt).Max();
            return last;
        }

        /// <summary>The 12345 record with only the steps taken by <paramref name="now"/>, its summary fields recomputed.</summary>
        public JsonObject AsOf(DateTimeOffset now)
        {
            var copy = record.DeepClone().AsObject();
            if (now >= UpdatedAt)
            {
                return copy;
            }
            var events = copy["events"]!.AsArray();
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (eventTimes[i] > now)
                {
                    events.RemoveAt(i);
                }
            }
            var kept = events.Select(e => e!.AsObject()).ToList();
            var last = kept[^1];
            string Action(JsonObject e) => e["action"]!.GetValue<string>();
            var routing = kept.LastOrDefault(e => Action(e) is "dispatch" or "escalate");
            var level = kept.Last(e => Action(e) is "report" or "accept" or "dispatch" or "escalate");
            var handle = kept.LastOrDefault(e => Action(e) == "handle" && (routing is null || string.CompareOrdinal(e["time"]!.GetValue<string>(), routing["time"]!.GetValue<string>()) >= 0));
            var close = kept.LastOrDefault(e => Action(e) == "close");
            var reopen = kept.LastOrDefault(e => Action(e) == "reopen");
            var closed = close is not null && (reopen is null || kept.IndexOf(reopen) < kept.IndexOf(close));
            var evaluate = kept.LastOrDefault(e => Action(e) == "evaluate");
            var (status, statusName) = Action(last) switch
            {
                "report" => ("reported", "已上报"),
                "accept" => ("accepted", "已受理"),
                "dispatch" => ("dispatched", "已派遣"),
                "escalate" => ("escalated", "已上报升级"),
                "handle" => ("handled", "已处置"),
                "feedback" => ("feedback_given", "已反馈"),
                "verify" => ("verified", "已核查"),
                "close" => ("closed", "已办结"),
                "reopen" => ("reopened", "已重办"),
                _ => ("evaluated", "已评价"),
            };
            copy["status"] = status;
            copy["statusName"] = statusName;
            copy["handleLevel"] = level["level"]!.GetValue<string>();
            var department = routing?["deptCode"]?.GetValue<string>();
            copy["deptCode"] = department;
            copy["deptName"] = department is null ? null : Government.DepartmentCatalog.Departments.First(d => d.Code == department).ShortName;
            copy["deadline"] = kept.LastOrDefault(e => e["deadline"] is not null)?["deadline"]!.DeepClone() ?? copy["deadline"]!.DeepClone();
            copy["handleTime"] = handle?["time"]!.DeepClone();
            copy["closeTime"] = closed ? close!["time"]!.DeepClone() : null;
            copy["satisfaction"] = evaluate?["satisfaction"]?.DeepClone();
            copy["updateTime"] = last["time"]!.DeepClone();
            return copy;
        }

        public JsonObject Open311AsOf(DateTimeOffset now)
        {
            var copy = record.DeepClone().AsObject();
            if (now < UpdatedAt)
            {
                copy["status"] = "open";
                copy["status_notes"] = "已受理";
                copy["updated_datetime"] = ChinaTime.Iso(ReportedAt);
            }
            return copy;
        }
    }
}
