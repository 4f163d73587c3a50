using System.Globalization;
using NetTopologySuite.Geometries;
using OneMap.Models.Administration;
using OneMap.Models.Government;
using OneMap.Models.Tickets;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Government;
using OneMap.Simulator.Manholes;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator.Tickets;

/// <summary>A ticket with its history, as the generator made it.</summary>
public sealed class TicketInfo
{
    public required Ticket Record { get; set; }
    public required List<TicketEvent> Events { get; init; }
    public required Coordinate LocationKm { get; init; }
    public required int Grid { get; init; }

    /// <summary>True for the few hotline tickets whose caller gave only an address (no coordinates in the export).</summary>
    public bool WithoutCoordinates { get; init; }
}

/// <summary>What the ground truth says about tickets.</summary>
public sealed record TicketTruth(
    IReadOnlyList<string> StreetLightCluster, string StreetLightRoad, IReadOnlyList<(string TicketId, string EventId, string Kind)> Links);

/// <summary>
/// Tickets of the 12345 hotline, grid patrols and the citizen app, each with its full closed-loop history: report,
/// accept, dispatch (to a department, or to the grid/community/street for local matters), escalations up the levels
/// when a level cannot solve it (each level with its own deadline), handling, feedback, verification, closing, the
/// reporter's evaluation, and reopening when the reporter is unhappy. About 1 % miss their deadline. Extra tickets
/// report the real manhole and pollution events, and 30 calls about one dark stretch of street lights are solved
/// together.
/// </summary>
public static class TicketGenerator
{
    private const double TicketsPerDay = 200;
    private const double OverdueShare = 0.015;

    private static readonly (string Code, double Weight)[] CategoryWeights =
    [
        ("01", 18), ("02", 14), ("03", 10), ("04", 12), ("05", 8), ("06", 10), ("07", 5), ("08", 12), ("09", 11),
    ];

    private static readonly Dictionary<string, string[]> Details = new(StringComparer.Ordinal)
    {
        ["01"] = ["已持续多日无人清理", "影响周边居民出行", "气味难闻，影响市容"],
        ["02"] = ["夜间行人车辆通行存在安全隐患", "已经多次反映未解决", "附近老人小孩较多，容易发生意外"],
        ["03"] = ["影响居民正常生活", "雨后积水严重", "已经持续一天以上"],
        ["04"] = ["周边居民反映强烈", "夜间尤其明显", "怀疑有企业违规排放"],
        ["05"] = ["存在较大安全隐患", "请尽快派人排查", "居民担心发生事故"],
        ["06"] = ["双方多次协商未果", "希望社区出面调解", "已影响邻里关系"],
        ["07"] = ["影响行人通行", "无人管护", "存在安全隐患"],
        ["08"] = ["商家拒绝退换", "价格明显不合理", "要求相关部门查处"],
        ["09"] = ["咨询具体办理流程", "多次办理未果", "希望尽快答复"],
    };

    public static (List<TicketInfo> Tickets, TicketTruth Truth) Generate(Rng rng, SimulationOptions options, AdminMap admin,
        ManholeSystem manholes, IReadOnlyList<Incident> incidents, IReadOnlyList<Models.Rivers.Outfall> outfalls, IReadOnlyList<GridStaff> staff)
    {
        var from = options.End.AddDays(-options.TicketDays);
        var drafts = new List<Draft>();
        var roadSeed = Hash.Combine(options.Seed, Hash.Of("roads"));
        var households = admin.Grids.Select(g => (double)g.Households * Math.Sqrt(Math.Max(1, g.Density))).ToArray();

        // Ordinary tickets: a daily rhythm, busier on weekdays.
        var daily = rng.Fork("daily");
        for (var day = 0; day < options.TicketDays; day++)
        {
            var date = from.AddDays(day);
            var weekday = date.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday;
            var count = (int)Math.Round(TicketsPerDay * (weekday ? 1.08 : 0.8) * daily.Uniform(0.9, 1.1));
            for (var n = 0; n < count; n++)
            {
                var source = daily.PickWeighted([55, 33, 12]) switch { 0 => TicketSource.Hotline12345, 1 => TicketSource.GridPatrol, _ => TicketSource.CitizenApp };
                var hour = source switch
                {
                    TicketSource.GridPatrol => daily.Uniform(8.5, 17.5),
                    TicketSource.CitizenApp => daily.Chance(0.85) ? daily.Uniform(7, 23) : daily.Uniform(0, 7),
                    _ => 8 + daily.PickWeighted([1, 6, 9, 8, 5, 7, 8, 6, 4, 3]) * 1.4 + daily.Uniform(0, 1.4),
                };
                var category = CategoryWeights[daily.PickWeighted(CategoryWeights.Select(c => c.Weight).ToArray())].Code;
                var subs = TicketTaxonomy.SubCategories.Where(s => s.CategoryCode == category).ToList();
                var sub = subs[daily.Next(subs.Count)].Code;
                var grid = daily.PickWeighted(households);
                drafts.Add(new Draft(source, sub, date.AddHours(hour), grid, admin.RandomPointIn(grid, daily), null));
            }
        }

        // Citizens report what the sensors also see: knocked-off and stolen lids, gas smell, a river turning black.
        var linked = rng.Fork("linked");
        foreach (var e in manholes.Events.Where(e => e.Type is "lid_displaced" or "lid_missing" or "gas_accumulation"))
        {
            var cover = manholes.Covers[e.Device];
            var sub = e.Type == "gas_accumulation" ? "0502" : "0203";
            var at = e.Start.AddMinutes(linked.Uniform(4, 40));
            if (at >= options.End)
            {
                continue;
            }
            var p = new Coordinate(cover.LocationKm.X + linked.Normal(0, 0.004), cover.LocationKm.Y + linked.Normal(0, 0.004));
            drafts.Add(new Draft(TicketSource.Hotline12345, sub, at, cover.Grid, p, new Link(e.Id, e.Type, e.End, cover.Record.Id)));
        }
        foreach (var incident in incidents.Where(i => i.Type == "hidden_outfall"))
        {
            var outfall = outfalls.First(o => o.Id == incident.OutfallId);
            var (x, y) = LocalFrame.ToKm(outfall.Location.X, outfall.Location.Y);
            var at = incident.Start.AddHours(linked.Uniform(6, 10));
            var grid = admin.GridAt(x, y);
            if (at >= options.End || grid < 0)
            {
                continue;
            }
            drafts.Add(new Draft(TicketSource.Hotline12345, "0401", at, grid, new Coordinate(x + linked.Normal(0, 0.03), y + linked.Normal(0, 0.03)),
                new Link(incident.Id, incident.Type, at.AddHours(linked.Uniform(3, 6)), outfall.Id)));
        }

        // "Solve a class of problems": 30 calls about one dark stretch of a main road, fixed together by the lighting office.
        var lights = rng.Fork("street-lights");
        var urban = Enumerable.Range(0, admin.Grids.Count).Where(g => admin.Grids[g].Density > 25 && admin.Grids[g].Shape is Polygon).ToList();
        var anchor = urban[lights.Next(urban.Count)];
        var road = Streets.Of(admin, anchor, roadSeed);
        var start = admin.Grids[anchor].Shape.InteriorPoint.Coordinate;
        var angle = lights.Uniform(0, Math.PI);
        var firstCall = from.AddDays(Math.Max(0, options.TicketDays - 12) + lights.Uniform(0, 3)).Date;
        var fixedAt = new DateTimeOffset(firstCall, ChinaTime.Offset).AddDays(5).AddHours(15.5);
        var clusterDrafts = new List<Draft>();
        for (var i = 0; i < 30; i++)
        {
            var along = lights.Uniform(-0.75, 0.75);
            var p = new Coordinate(start.X + along * Math.Cos(angle) + lights.Normal(0, 0.01), start.Y + along * Math.Sin(angle) + lights.Normal(0, 0.01));
            var grid = admin.GridAt(p.X, p.Y);
            if (grid < 0)
            {
                p = start;
                grid = anchor;
            }
            var at = new DateTimeOffset(firstCall, ChinaTime.Offset).AddDays(lights.Next(5)).AddHours(lights.Uniform(18.5, 23.5));
            var draft = new Draft(lights.Chance(0.8) ? TicketSource.Hotline12345 : TicketSource.CitizenApp, "0202", at, grid, p,
                new Link("street-light-cluster", "street_light_cluster", fixedAt, road));
            clusterDrafts.Add(draft);
            drafts.Add(draft);
        }

        // Number tickets by report time within each source and day; then write each history.
        drafts = drafts.Where(d => d.At >= from && d.At < options.End).OrderBy(d => d.At).ThenBy(d => d.Grid).ThenBy(d => d.Sub, StringComparer.Ordinal).ToList();
        var numbers = new Dictionary<(TicketSource, DateTime), int>();
        var history = rng.Fork("history");
        var people = rng.Fork("people");
        var tickets = new List<TicketInfo>(drafts.Count);
        var links = new List<(string, string, string)>();
        var cluster = new List<string>();
        foreach (var draft in drafts)
        {
            var local = draft.At.ToOffset(ChinaTime.Offset);
            var key = (draft.Source, local.Date);
            numbers[key] = numbers.GetValueOrDefault(key) + 1;
            var prefix = draft.Source switch { TicketSource.Hotline12345 => "12345", TicketSource.GridPatrol => "WG", _ => "APP" };
            var id = $"{prefix}-{local:yyyyMMdd}-{numbers[key]:00000}";
            var ticketRng = history.Fork(id);
            var info = Build(id, draft, ticketRng, people, admin, staff, options, roadSeed);
            tickets.Add(info);
            if (draft.Link is { } link)
            {
                if (link.EventId == "street-light-cluster")
                {
                    cluster.Add(id);
                }
                else
                {
                    links.Add((id, link.EventId, link.Kind));
                    var manholeEvent = manholes.Events.FirstOrDefault(e => e.Id == link.EventId);
                    if (manholeEvent is not null)
                    {
                        manholeEvent.TicketId = id;
                    }
                }
            }
        }
        return (tickets, new TicketTruth(cluster, road, links));
    }

    private sealed record Link(string EventId, string Kind, DateTimeOffset ResolvedAt, string Subject);

    private sealed record Draft(TicketSource Source, string Sub, DateTimeOffset At, int Grid, Coordinate Location, Link? Link);

    private static TicketInfo Build(string id, Draft draft, Rng rng, Rng people, AdminMap admin, IReadOnlyList<GridStaff> staff,
        SimulationOptions options, ulong roadSeed)
    {
        var sub = TicketTaxonomy.SubCategory(draft.Sub);
        var grid = admin.Grids[draft.Grid];
        var community = admin.Communities[grid.Parent];
        var town = admin.Towns[community.Parent];
        var district = admin.Districts[town.Parent];
        var address = draft.Link?.Kind == "street_light_cluster"
            ? $"{PlaceNames.CityName}{district.Name}{town.Name}{draft.Link.Subject}{rng.Between(1, 300)}号路段"
            : Streets.Address(admin, draft.Grid, roadSeed, rng);
        var member = staff[draft.Grid];
        var (reporter, phone) = draft.Source switch
        {
            TicketSource.GridPatrol => ((string?)member.MemberName, member.MemberPhone),
            TicketSource.CitizenApp => (people.Chance(0.3) ? null : People.Name(people), People.Mobile(people)),
            _ => (People.Name(people), People.Mobile(people)),
        };
        var place = community.Name + (draft.Link?.Kind == "street_light_cluster" ? draft.Link.Subject : "");
        var title = $"{place}{sub.Name}";
        var description = Describe(rng, draft, sub, place);

        var events = new List<TicketEvent>();
        var handler = DepartmentCatalog.HandlerOf(sub.Code);
        var overdue = draft.Link is null && rng.Chance(OverdueShare);
        var t = draft.At;
        void Add(TicketEventKind kind, DateTimeOffset at, GovernanceLevel level, string actor, string? dept, DateTimeOffset? due, string? note, int? satisfaction = null)
        {
            at = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Offset).ToOffset(ChinaTime.Offset);
            events.Add(new TicketEvent(id, events.Count + 1, kind, at, level, actor, dept, due?.ToOffset(ChinaTime.Offset), note, satisfaction));
        }

        var reportLevel = draft.Source == TicketSource.GridPatrol ? GovernanceLevel.Grid : GovernanceLevel.City;
        Add(TicketEventKind.Report, t, reportLevel, draft.Source switch
        {
            TicketSource.GridPatrol => grid.Code,
            TicketSource.CitizenApp => "app",
            _ => "citizen",
        }, null, null, draft.Source == TicketSource.Hotline12345 ? "市民来电反映" : draft.Source == TicketSource.CitizenApp ? "市民通过随手拍上报" : "网格员巡查发现");
        t = t.AddMinutes(draft.Source == TicketSource.GridPatrol ? rng.Uniform(2, 30) : rng.Uniform(1, 10));
        Add(TicketEventKind.Accept, t, draft.Source == TicketSource.GridPatrol ? GovernanceLevel.Street : GovernanceLevel.City,
            draft.Source == TicketSource.GridPatrol ? town.Code : "12345", null, null, "已受理");

        // Where it goes: local matters to the grid (simple: do it yourself) or the street; the rest to the department.
        var local = sub.CategoryCode is "01" or "06" or "07";
        GovernanceLevel level;
        string? department;
        if (draft.Link is not null)
        {
            (level, department) = (GovernanceLevel.City, draft.Link.Kind == "street_light_cluster" ? "D51" : handler);
        }
        else if (draft.Source == TicketSource.GridPatrol)
        {
            (level, department) = local && rng.Chance(0.75) ? (GovernanceLevel.Grid, (string?)null)
                : rng.Chance(0.5) ? (GovernanceLevel.Community, null) : (GovernanceLevel.City, handler);
        }
        else
        {
            (level, department) = local && rng.Chance(0.5) ? (GovernanceLevel.Street, DepartmentCatalog.DistrictDepartment(district.Code)) : (GovernanceLevel.City, handler);
        }
        t = t.AddMinutes(rng.Uniform(3, 45));
        var due = t + TicketTaxonomy.Deadline(sub.Code, level);
        Add(TicketEventKind.Dispatch, t, level, draft.Source == TicketSource.GridPatrol ? town.Code : "12345", department, due,
            department is null ? $"派至{LevelName(level)}处置" : $"派至{Department(department).ShortName}");

        // Escalation up the levels for problems the lower level cannot solve.
        var escalateChance = level switch { GovernanceLevel.Grid => 0.12, GovernanceLevel.Community => 0.1, _ => 0 };
        while (draft.Link is null && level < GovernanceLevel.District && rng.Chance(escalateChance))
        {
            var deadline = TicketTaxonomy.Deadline(sub.Code, level);
            t = t + deadline * rng.Uniform(0.3, 0.9);
            var previous = level;
            level = level + 1;
            department = level == GovernanceLevel.District ? DepartmentCatalog.DistrictDepartment(district.Code) : null;
            due = t + TicketTaxonomy.Deadline(sub.Code, level);
            Add(TicketEventKind.Escalate, t, level, previous == GovernanceLevel.Grid ? grid.Code : previous == GovernanceLevel.Community ? community.Code : town.Code,
                department, due, $"{LevelName(previous)}无法解决，上报{LevelName(level)}");
            escalateChance = 0.4;
        }

        var handledAt = draft.Link is { } link
            ? link.ResolvedAt < t ? t.AddMinutes(rng.Uniform(20, 90)) : link.ResolvedAt
            : overdue
                ? due + (due - t) * rng.Uniform(0.05, 0.6)
                : t + (due - t) * Math.Min(0.95, rng.LogNormal(0.28, 0.55));
        var actor = department ?? (level == GovernanceLevel.Grid ? grid.Code : level == GovernanceLevel.Community ? community.Code : town.Code);
        Add(TicketEventKind.Handle, handledAt, level, actor, department, null, HandleNote(sub.CategoryCode, rng));
        t = handledAt.AddMinutes(rng.Uniform(10, 240));
        Add(TicketEventKind.Feedback, t, level, actor, department, null, draft.Source == TicketSource.GridPatrol ? "已反馈网格员" : "已电话回复市民");
        t = t.AddHours(rng.Uniform(1, 24));
        Add(TicketEventKind.Verify, t, draft.Source == TicketSource.GridPatrol ? GovernanceLevel.Grid : GovernanceLevel.City,
            draft.Source == TicketSource.GridPatrol ? grid.Code : "12345", null, null, draft.Source == TicketSource.GridPatrol ? "网格员现场核查已解决" : "回访核实已解决");
        t = t.AddMinutes(rng.Uniform(1, 30));
        Add(TicketEventKind.Close, t, GovernanceLevel.City, draft.Source == TicketSource.GridPatrol ? town.Code : "12345", null, null, "办结");
        if (draft.Source != TicketSource.GridPatrol || rng.Chance(0.5))
        {
            t = t.AddHours(rng.Uniform(0.1, 36));
            var satisfaction = Satisfaction(rng, overdue);
            Add(TicketEventKind.Evaluate, t, GovernanceLevel.City, "citizen", null, null, $"满意度{satisfaction}分", satisfaction);
            if (satisfaction <= 2 && rng.Chance(0.6))
            {
                t = t.AddHours(rng.Uniform(1, 24));
                Add(TicketEventKind.Reopen, t, GovernanceLevel.City, "12345", null, null, "市民不满意，重新办理");
                t = t.AddMinutes(rng.Uniform(10, 60));
                var redoLevel = department is null ? level : GovernanceLevel.City;
                var redoDept = department ?? (level >= GovernanceLevel.Street ? DepartmentCatalog.DistrictDepartment(district.Code) : null);
                due = t + TicketTaxonomy.Deadline(sub.Code, redoLevel);
                Add(TicketEventKind.Dispatch, t, redoLevel, "12345", redoDept, due, "重新派单");
                t = t + (due - t) * Math.Min(0.9, rng.LogNormal(0.3, 0.4));
                Add(TicketEventKind.Handle, t, redoLevel, redoDept ?? actor, redoDept, null, "二次处置完毕");
                t = t.AddMinutes(rng.Uniform(10, 120));
                Add(TicketEventKind.Feedback, t, redoLevel, redoDept ?? actor, redoDept, null, "已电话回复市民");
                t = t.AddHours(rng.Uniform(1, 12));
                Add(TicketEventKind.Verify, t, GovernanceLevel.City, "12345", null, null, "回访核实已解决");
                t = t.AddMinutes(rng.Uniform(1, 20));
                Add(TicketEventKind.Close, t, GovernanceLevel.City, "12345", null, null, "办结");
                t = t.AddHours(rng.Uniform(0.5, 24));
                var second = Math.Min(5, Satisfaction(rng, false) + 1);
                Add(TicketEventKind.Evaluate, t, GovernanceLevel.City, "citizen", null, null, $"满意度{second}分", second);
            }
        }

        // The export shows each ticket as it stood at export time.
        events.RemoveAll(e => e.At >= options.End);
        var last = events[^1];
        var lastDue = events.LastOrDefault(e => e.DueAt is not null)?.DueAt ?? draft.At.AddDays(7);
        var currentLevel = events.Last(e => e.Kind is TicketEventKind.Report or TicketEventKind.Dispatch or TicketEventKind.Escalate or TicketEventKind.Accept).Level;
        var dispatched = events.LastOrDefault(e => e.Kind is TicketEventKind.Dispatch or TicketEventKind.Escalate);
        var closed = events.LastOrDefault(e => e.Kind == TicketEventKind.Close);
        var reopened = events.LastOrDefault(e => e.Kind == TicketEventKind.Reopen);
        var closedAt = closed is not null && (reopened is null || reopened.At < closed.At) ? closed.At : (DateTimeOffset?)null;
        var rating = events.LastOrDefault(e => e.Kind == TicketEventKind.Evaluate)?.Satisfaction;
        var lastDispatch = events.LastOrDefault(e => e.Kind is TicketEventKind.Dispatch or TicketEventKind.Escalate);
        var handled = events.LastOrDefault(e => e.Kind == TicketEventKind.Handle && (lastDispatch is null || e.At > lastDispatch.At))?.At;
        var record = new Ticket(id, draft.Source, sub.CategoryCode, sub.Code, title, description, address, grid.Code, reporter, phone,
            draft.At.ToOffset(ChinaTime.Offset), lastDue, StatusOf(last.Kind), currentLevel, dispatched?.DepartmentCode, handled, closedAt, rating,
            last.At, LocalFrame.PointWgs84(draft.Location.X, draft.Location.Y));
        return new TicketInfo
        {
            Record = record, Events = events, LocationKm = draft.Location, Grid = draft.Grid,
            WithoutCoordinates = draft.Link is null && draft.Source == TicketSource.Hotline12345 && rng.Chance(0.004),
        };
    }

    private static Department Department(string code) => DepartmentCatalog.Departments.First(d => d.Code == code);

    private static TicketStatus StatusOf(TicketEventKind kind) => kind switch
    {
        TicketEventKind.Report => TicketStatus.Reported,
        TicketEventKind.Accept => TicketStatus.Accepted,
        TicketEventKind.Dispatch => TicketStatus.Dispatched,
        TicketEventKind.Escalate => TicketStatus.Escalated,
        TicketEventKind.Handle => TicketStatus.Handled,
        TicketEventKind.Feedback => TicketStatus.FeedbackGiven,
        TicketEventKind.Verify => TicketStatus.Verified,
        TicketEventKind.Close => TicketStatus.Closed,
        TicketEventKind.Reopen => TicketStatus.Reopened,
        _ => TicketStatus.Evaluated,
    };

    private static string LevelName(GovernanceLevel level) => level switch
    {
        GovernanceLevel.Grid => "网格",
        GovernanceLevel.Community => "社区",
        GovernanceLevel.Street => "街道(镇)",
        GovernanceLevel.District => "区(县)",
        _ => "市直部门",
    };

    private static int Satisfaction(Rng rng, bool overdue) =>
        rng.PickWeighted(overdue ? [10, 12, 25, 30, 23] : [2, 3, 8, 25, 62]) + 1;

    private static string HandleNote(string category, Rng rng) => category switch
    {
        "01" => rng.Pick(new[] { "已组织环卫人员清理", "已责令当事人整改", "已现场劝离并规范" }),
        "02" => rng.Pick(new[] { "已安排维修完毕", "已更换损坏设施", "已设置警示并修复" }),
        "03" => rng.Pick(new[] { "已抢修恢复", "已疏通管道", "已排查处理" }),
        "04" => rng.Pick(new[] { "已现场执法检查", "已责令停止排放", "已监测并督促整改" }),
        "05" => rng.Pick(new[] { "已排除隐患", "已现场整改", "已督促责任单位处理" }),
        "06" => rng.Pick(new[] { "已组织双方调解", "已达成调解协议", "已做好解释工作" }),
        "07" => rng.Pick(new[] { "已清理倒伏树木", "已修复绿地", "已开展防治" }),
        "08" => rng.Pick(new[] { "已立案调查", "已协调商家退赔", "已责令整改" }),
        _ => rng.Pick(new[] { "已电话答复政策", "已协调办理", "已转办相关窗口" }),
    };

    private static string Describe(Rng rng, Draft draft, TicketSubCategory sub, string place) => draft.Link?.Kind switch
    {
        "lid_displaced" => $"{place}路面井盖翘起移位，车辆经过有响声，存在安全隐患，请尽快处理。",
        "lid_missing" => $"{place}路面井盖不见了，井口敞开，非常危险，请马上派人处理。",
        "gas_accumulation" => $"{place}路边井盖附近闻到很重的燃气味，担心泄漏，请尽快排查。",
        "hidden_outfall" => $"{place}附近河道河水发黑发臭，早上发现有死鱼，怀疑有人夜间偷排污水。",
        "street_light_cluster" => $"{draft.Link.Subject}一段路灯晚上全部不亮，{place}周边一片漆黑，行人车辆通行很不安全。",
        _ => $"{place}{sub.Name}，{rng.Pick(Details[sub.CategoryCode])}，请相关部门尽快处理。",
    };
}
