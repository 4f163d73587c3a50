using NetTopologySuite.Geometries;

namespace OneMap.Models.Tickets;

/// <summary>Where a ticket came from.</summary>
public enum TicketSource
{
    /// <summary>The 12345 citizens' service hotline (phone, web, WeChat).</summary>
    Hotline12345,

    /// <summary>A grid member's patrol report (网格员上报).</summary>
    GridPatrol,

    /// <summary>A citizen app report (Open311 GeoReport v2 in the sample city).</summary>
    CitizenApp,

    /// <summary>Raised from a sensor alarm (e.g. a manhole cover) by the platform.</summary>
    SensorAlarm,
}

/// <summary>The level handling a ticket; a ticket climbs grid → community → street → district → city.</summary>
public enum GovernanceLevel
{
    /// <summary>The grid member (网格员).</summary>
    Grid = 1,

    /// <summary>The community or village committee (社区/村).</summary>
    Community = 2,

    /// <summary>The street or town command centre (街道/镇).</summary>
    Street = 3,

    /// <summary>The district command centre (区).</summary>
    District = 4,

    /// <summary>A municipal department (市直部门), reached by dispatch from the 12345 centre.</summary>
    City = 5,
}

/// <summary>A ticket's state, as set by its latest event.</summary>
public enum TicketStatus
{
    Reported,
    Accepted,
    Dispatched,
    Escalated,
    Handled,
    FeedbackGiven,
    Verified,
    Closed,
    Reopened,
    Evaluated,
}

/// <summary>A step of the closed loop (闭环).</summary>
public enum TicketEventKind
{
    /// <summary>The problem is reported (上报/来电).</summary>
    Report,

    /// <summary>The centre accepts it as a valid ticket (受理).</summary>
    Accept,

    /// <summary>Dispatched to a level or department with a deadline (派遣/派单).</summary>
    Dispatch,

    /// <summary>Passed up one level because the current one cannot solve it (上报升级/吹哨).</summary>
    Escalate,

    /// <summary>The responsible party works on it and reports it done (处置).</summary>
    Handle,

    /// <summary>The result is fed back to the reporter (反馈/回复).</summary>
    Feedback,

    /// <summary>The centre or grid member checks the result on site (核查).</summary>
    Verify,

    /// <summary>The ticket is closed (结案/办结).</summary>
    Close,

    /// <summary>Reopened because the reporter is not satisfied or the problem came back (重办).</summary>
    Reopen,

    /// <summary>The reporter rates the handling, 1 (very unsatisfied) … 5 (very satisfied) (评价).</summary>
    Evaluate,
}

/// <summary>A ticket (工单): a problem reported by a citizen or a grid member.</summary>
/// <param name="Id">Ticket id (<c>T20240601-000123</c>).</param>
/// <param name="Source">Hotline, grid patrol, citizen app or sensor alarm.</param>
/// <param name="CategoryCode">Two-digit category code.</param>
/// <param name="SubCategoryCode">Four-digit sub-category code.</param>
/// <param name="Title">Short title.</param>
/// <param name="Description">The reporter's description.</param>
/// <param name="Address">Chinese address text.</param>
/// <param name="GridCode">The grid the location falls in.</param>
/// <param name="ReporterName">Caller or reporter name; personal data (null for anonymous reports).</param>
/// <param name="ReporterPhone">Caller phone; personal data.</param>
/// <param name="ReportedAt">When it was reported.</param>
/// <param name="DueAt">Deadline of the current handling level.</param>
/// <param name="Status">State after the latest event.</param>
/// <param name="Level">The level handling it now.</param>
/// <param name="DepartmentCode">The department it is dispatched to, if any.</param>
/// <param name="HandledAt">When the responsible party last reported it handled (处置完毕), if it has.</param>
/// <param name="ClosedAt">When it was (last) closed; null while open or after a reopening.</param>
/// <param name="Satisfaction">The reporter's rating 1…5, if given.</param>
/// <param name="UpdatedAt">Time of the latest event.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record Ticket(
    string Id,
    TicketSource Source,
    string CategoryCode,
    string SubCategoryCode,
    string Title,
    string Description,
    string Address,
    string GridCode,
    string? ReporterName,
    string? ReporterPhone,
    DateTimeOffset ReportedAt,
    DateTimeOffset DueAt,
    TicketStatus Status,
    GovernanceLevel Level,
    string? DepartmentCode,
    DateTimeOffset? HandledAt,
    DateTimeOffset? ClosedAt,
    int? Satisfaction,
    DateTimeOffset UpdatedAt,
    Point Location)
{
    /// <summary>
    /// Whether the ticket missed its deadline as of <paramref name="now"/>: handled after the deadline of the level
    /// holding it, or not handled yet although the deadline has passed.
    /// </summary>
    public bool IsOverdueAt(DateTimeOffset now) => HandledAt is { } handled ? handled > DueAt : now > DueAt;
}

/// <summary>One step of a ticket's history.</summary>
/// <param name="TicketId">The ticket.</param>
/// <param name="Sequence">1-based position in the ticket's history.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When it happened.</param>
/// <param name="Level">The level acting or receiving (for dispatch and escalate: the new level).</param>
/// <param name="Actor">Who acted (a department code, a grid code, "12345", or "citizen").</param>
/// <param name="DepartmentCode">The department involved, if any.</param>
/// <param name="DueAt">The deadline set by a dispatch or escalation.</param>
/// <param name="Note">Free text (handling result, reason for escalation…).</param>
/// <param name="Satisfaction">The rating of an Evaluate event, 1…5.</param>
public sealed record TicketEvent(
    string TicketId,
    int Sequence,
    TicketEventKind Kind,
    DateTimeOffset At,
    GovernanceLevel Level,
    string Actor,
    string? DepartmentCode,
    DateTimeOffset? DueAt,
    string? Note,
    int? Satisfaction);
