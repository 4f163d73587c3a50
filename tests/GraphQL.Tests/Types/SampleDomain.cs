using System.ComponentModel;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Types;

/// <summary>A water-quality monitoring station on a river.</summary>
public sealed class Station
{
    /// <summary>Stable identifier of the station.</summary>
    [GraphQLType("ID!")]
    public required string Code { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Water-quality class of the latest sample, if any.</summary>
    public WaterClass? Class { get; init; }

    [Description("Readings, newest first.")]
    public IReadOnlyList<Reading> Readings { get; init; } = [];

    /// <summary>Where the station stands, as longitude/latitude.</summary>
    public double[] Position { get; init; } = [];

    [Obsolete("Use code.")]
    public string? LegacyId { get; init; }

    [GraphQLIgnore]
    public string Secret { get; init; } = "hidden";

    /// <summary>Readings above a threshold.</summary>
    /// <param name="threshold">Lowest value returned.</param>
    /// <param name="limit">At most this many.</param>
    [GraphQLField]
    [GraphQLCost(1, "limit")]
    public IEnumerable<Reading> ReadingsAbove(double threshold, int limit = 10) =>
        Readings.Where(r => r.Value >= threshold).Take(limit);

    /// <summary>The station's name, loaded asynchronously.</summary>
    [GraphQLField]
    public async Task<string> DelayedNameAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Name;
    }
}

/// <summary>One measured value.</summary>
/// <param name="Parameter">What was measured (e.g. dissolved oxygen).</param>
/// <param name="Value">The value in the parameter's unit.</param>
/// <param name="At">When it was measured.</param>
public sealed record Reading(string Parameter, double Value, DateTimeOffset At);

/// <summary>Surface water classes of GB 3838-2002.</summary>
public enum WaterClass
{
    /// <summary>Source water, national nature reserves.</summary>
    ClassI,
    ClassII,
    ClassIII,
    ClassIV,
    ClassV,
    [Obsolete("Not a class of the standard.")]
    WorseThanV,
}

/// <summary>Filters stations.</summary>
public sealed class StationFilter
{
    /// <summary>Part of the name.</summary>
    public string? NameContains { get; init; }

    public WaterClass? Class { get; init; }
}

/// <summary>The root of the code-first sample schema.</summary>
public sealed class SampleQuery(IReadOnlyList<Station> stations)
{
    /// <summary>Stations matching a filter.</summary>
    [GraphQLField]
    public IEnumerable<Station> Stations(StationFilter? filter, ResolveContext context) =>
        stations.Where(s => filter?.NameContains is null || s.Name.Contains(filter.NameContains, StringComparison.Ordinal))
            .Where(s => filter?.Class is null || s.Class == filter.Class);

    /// <summary>A station by code.</summary>
    [GraphQLField]
    public Station? Station(string code) => stations.FirstOrDefault(s => s.Code == code);
}

/// <summary>Builds the code-first sample schema: CLR types plus types generated at run time from a catalog.</summary>
public static class SampleSchema
{
    public static IReadOnlyList<Station> Stations { get; } =
    [
        new()
        {
            Code = "MLR-01", Name = "Mulan River Bridge", Class = WaterClass.ClassII, Position = [119.0, 25.4],
            Readings = [new Reading("do", 7.5, DateTimeOffset.Parse("2024-05-01T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)),
                new Reading("do", 4.2, DateTimeOffset.Parse("2024-05-01T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture))],
        },
        new() { Code = "MLR-02", Name = "Estuary", Class = WaterClass.ClassIV, Position = [119.1, 25.3] },
    ];

    /// <summary>A table of a catalog: the API generates one object type per table at run time.</summary>
    public sealed record Table(string Name, string Description, IReadOnlyList<(string Column, string Type, string? Description)> Columns,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows);

    public static IReadOnlyList<Table> Catalog { get; } =
    [
        new("manhole_alerts", "Manhole cover alerts from IoT sensors.",
            [("id", "ID!", "Alert id"), ("grid", "String", "Grid cell"), ("tilt_degrees", "Float", null), ("open", "Boolean!", "Cover is open")],
            [
                new Dictionary<string, object?> { ["id"] = "a1", ["grid"] = "G-12", ["tilt_degrees"] = 12.5, ["open"] = true },
                new Dictionary<string, object?> { ["id"] = "a2", ["grid"] = "G-07", ["tilt_degrees"] = null, ["open"] = false },
            ]),
        new("tickets", "Citizen tickets.",
            [("id", "ID!", null), ("status", "String!", "Ticket status")],
            [new Dictionary<string, object?> { ["id"] = "t1", ["status"] = "open" }]),
    ];

    public static SchemaBuilder Builder()
    {
        var builder = new SchemaBuilder()
            .Description("The code-first sample schema.")
            .AddClrType<SampleQuery>("Query")
            .Scalar(Scalars.Json);
        foreach (var table in Catalog)
        {
            var typeName = string.Concat(table.Name.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            builder.Object(typeName, o =>
            {
                o.Description(table.Description).Metadata("table", table.Name);
                foreach (var (column, type, description) in table.Columns)
                {
                    o.Field(column, type, f => f.Description(description).Metadata("column", column));
                }
            });
            var rows = table.Rows;
            builder.Query(q => q.Field(table.Name, $"[{typeName}!]!", f => f
                .Description($"Rows of {table.Name}.")
                .Argument("limit", "Int", 100, "At most this many rows.")
                .Cost(1, "limit")
                .Resolve(context => rows.Take(context.Argument<int>("limit")).ToList())));
        }
        return builder;
    }

    public static Schema Build() => Builder().Build();
}
