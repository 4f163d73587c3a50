using System.Collections;

using OneMap.GraphQLApi.Hosting;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>Turns values read from DuckDB into the values GraphQL serializes: local times, dates, numbers, lists, WKB.</summary>
public static class RowValues
{
    public static object? Convert(object? value, ColumnKind kind, CityClock clock) => value switch
    {
        null or DBNull => null,
        DateTimeOffset t => kind == ColumnKind.Date ? DateOnly.FromDateTime(clock.ToLocal(t).DateTime) : clock.ToLocal(t),
        DateTime t when kind == ColumnKind.Date => DateOnly.FromDateTime(t),
        DateTime t => clock.ToLocal(t),
        IList list when value is not byte[] => list.Cast<object?>().Select(item => Convert(item, ColumnKind.Other, clock)).ToList(),
        _ => value,
    };

    /// <summary>A value read for a column of unknown kind (computed expressions): times local, the rest as read.</summary>
    public static object? Convert(object? value, CityClock clock) => Convert(value, ColumnKind.Other, clock);
}
