using Microsoft.Extensions.Options;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>The city's time zone and the current time: timestamps leave the API in local time with their offset.</summary>
public sealed class CityClock(IOptions<ApiOptions> options, TimeProvider? time = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    /// <summary>The IANA id DuckDB's <c>AT TIME ZONE</c> understands.</summary>
    public string ZoneId => options.Value.TimeZone;

    public DateTimeOffset Now => ToLocal(time.GetUtcNow());

    /// <summary>
    /// The zone's UTC offset from the time its last daylight-saving or offset change ended, when it has had no such
    /// rule since (Asia/Shanghai: none after 1991); null for zones that still change. From then on, local calendar
    /// buckets are plain arithmetic on instants.
    /// </summary>
    public (TimeSpan Offset, DateTimeOffset Since)? FixedOffset { get; } = FindFixedOffset(TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone));

    private static (TimeSpan, DateTimeOffset)? FindFixedOffset(TimeZoneInfo zone)
    {
        var rules = zone.GetAdjustmentRules();
        if (rules.Length == 0)
        {
            return (zone.BaseUtcOffset, DateTimeOffset.MinValue);
        }
        var last = rules.Max(r => r.DateEnd);
        if (last.Year >= 9000)
        {
            return null;
        }
        // A day's margin past the rule's end (rule dates are local calendar dates).
        var since = new DateTimeOffset(DateTime.SpecifyKind(last.Date.AddDays(2), DateTimeKind.Utc));
        return (zone.GetUtcOffset(since), since);
    }

    /// <summary>An instant in the city's local time (a fixed offset after the zone's last change, no rule lookup per value).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) =>
        FixedOffset is { } fixedOffset && instant >= fixedOffset.Since ? instant.ToOffset(fixedOffset.Offset) : TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A value read from DuckDB (UTC instants come back as DateTime or DateTimeOffset) as a local time.</summary>
    public DateTimeOffset ToLocal(DateTime value) =>
        ToLocal(new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime()));
}
