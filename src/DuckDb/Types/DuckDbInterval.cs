namespace OneMap.DuckDb.Types;

/// <summary>
/// DuckDB's INTERVAL: months, days and microseconds kept apart, because a month has no fixed length.
/// Converts to <see cref="TimeSpan"/> when it has no months.
/// </summary>
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    public static DuckDbInterval FromTimeSpan(TimeSpan value)
    {
        var days = value.Days;
        return new DuckDbInterval(0, days, (value.Ticks - (days * TimeSpan.TicksPerDay)) / 10);
    }

    /// <summary>The interval as a <see cref="TimeSpan"/>; throws when it counts months, which have no fixed length.</summary>
    public TimeSpan ToTimeSpan() => Months == 0
        ? TimeSpan.FromTicks((Days * TimeSpan.TicksPerDay) + (Micros * 10))
        : throw new InvalidCastException($"the interval {this} counts months, which have no fixed length in a TimeSpan");

    public override string ToString() => $"{Months} months {Days} days {Micros} µs";
}

/// <summary>DuckDB's TIME WITH TIME ZONE: a time of day and its UTC offset.</summary>
public readonly record struct DuckDbTimeTz(TimeOnly Time, TimeSpan Offset);
