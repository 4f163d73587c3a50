using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>
/// SQL for the start of a timestamp's bucket in the city's calendar (minute … year), as an instant. Where the zone's
/// offset no longer changes (the usual case: Asia/Shanghai has had none since 1991), calendar-aligned buckets are
/// integer arithmetic on the instant, several times cheaper than DuckDB's time-zone conversion per row; older rows,
/// multi-unit buckets and zones with daylight saving take the exact ICU path. Both give the same bucket.
/// </summary>
public static class TimeBuckets
{
    private const long Minute = 60_000_000;
    private const long Day = 86_400_000_000;

    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal) { "minute", "hour", "day", "week", "month", "quarter", "year" };

    /// <summary>The bucket start (TIMESTAMPTZ) of <paramref name="column"/> (a TIMESTAMPTZ expression).</summary>
    public static string OfTimestamp(SqlBuilder sql, string column, string unit, int size, CityClock clock)
    {
        if (!Units.Contains(unit))
        {
            throw new ApiArgumentException("timeBucket.unit", $"'{unit}' is not a time unit");
        }
        var zone = sql.Param(clock.ZoneId);
        var local = $"timezone({zone}, {column})";
        string exact;
        if (size == 1)
        {
            exact = $"timezone({zone}, CAST(date_trunc('{unit}', {local}) AS TIMESTAMP))";
        }
        else
        {
            var interval = unit switch
            {
                "minute" => $"to_minutes({sql.Param((long)size)})",
                "hour" => $"to_hours({sql.Param((long)size)})",
                "day" => $"to_days({sql.Param(size)})",
                "week" => $"to_weeks({sql.Param(size)})",
                "month" => $"to_months({sql.Param(size)})",
                "quarter" => $"to_months({sql.Param(3 * size)})",
                _ => $"to_years({sql.Param(size)})",
            };
            return $"timezone({zone}, CAST(time_bucket({interval}, {local}) AS TIMESTAMP))";
        }
        if (clock.FixedOffset is not { } fixedOffset)
        {
            return exact;
        }
        var offset = sql.Param((long)(fixedOffset.Offset.Ticks / TimeSpan.TicksPerMicrosecond));
        string fast;
        if (unit is "minute" or "hour" or "day" or "week")
        {
            var width = unit switch { "minute" => Minute, "hour" => 60 * Minute, "day" => Day, _ => 7 * Day };
            // 1970-01-01 was a Thursday: shifting by three days puts week starts (Mondays) on multiples of seven days.
            var shift = unit == "week" ? 3 * Day : 0;
            var w = sql.Param(width);
            var s = sql.Param(shift);
            fast = $"make_timestamptz((epoch_us({column}) + {offset} + {s}) // {w} * {w} - {s} - {offset})";
        }
        else
        {
            fast = $"(date_trunc('{unit}', {column} + to_microseconds({offset})) - to_microseconds({offset}))";
        }
        return fixedOffset.Since == DateTimeOffset.MinValue
            ? fast
            : $"CASE WHEN {column} >= {sql.Param(fixedOffset.Since)} THEN {fast} ELSE {exact} END";
    }
}
