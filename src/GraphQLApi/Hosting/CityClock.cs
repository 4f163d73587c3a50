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

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A value read from DuckDB (UTC instants come back as DateTime or DateTimeOffset) as a local time.</summary>
    public DateTimeOffset ToLocal(DateTime value) =>
        ToLocal(new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime()));
}
