using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

using NetTopologySuite.Geometries;

using OneMap.DuckDb;
using OneMap.Lakehouse.Spatial.Sql;
using OneMap.Models.Rivers;

namespace OneMap.Lakehouse.Spatial.Rivers;

/// <summary>
/// The tables (or views) a river network is read from; the defaults are the lake's dataset names, whose columns
/// are those of OneMap.Models' dataset contracts.
/// </summary>
public sealed class RiverTables
{
    /// <summary>Default <c>river_reaches</c>.</summary>
    public string Reaches { get; set; } = "river_reaches";

    /// <summary>Default <c>monitoring_stations</c>.</summary>
    public string Stations { get; set; } = "monitoring_stations";

    /// <summary>Default <c>outfalls</c>.</summary>
    public string Outfalls { get; set; } = "outfalls";

    /// <summary>Default <c>enterprises</c>.</summary>
    public string Enterprises { get; set; } = "enterprises";
}

/// <summary>The river networks of each DuckDB database, by name, loaded from its tables.</summary>
public static class RiverNetworks
{
    private static readonly ConditionalWeakTable<DuckDbDatabase, ConcurrentDictionary<string, RiverNetwork>> ByDatabase = [];

    private static ConcurrentDictionary<string, RiverNetwork> Of(DuckDbDatabase database) =>
        ByDatabase.GetValue(database, _ => new ConcurrentDictionary<string, RiverNetwork>(StringComparer.OrdinalIgnoreCase));

    public static RiverNetwork Get(DuckDbDatabase database, string name) =>
        Of(database).TryGetValue(name, out var network)
            ? network
            : throw new SpatialArgumentException("river network", "name", $"'{name}' names no loaded river network (SELECT * FROM st_river_load('{name}') loads one)");

    /// <summary>Reads reaches, stations, outfalls and enterprises through <paramref name="connection"/> and keeps the network as <paramref name="name"/>.</summary>
    public static RiverNetwork Load(DuckDbConnection connection, string name, RiverTables? tables = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        tables ??= new RiverTables();
        const string function = "st_river_load";
        var reaches = Rows(connection, $"""
            SELECT CAST(reach_id AS VARCHAR), CAST(river_name AS VARCHAR), CAST(from_node AS VARCHAR), CAST(to_node AS VARCHAR),
                   CAST(downstream_reach_id AS VARCHAR), CAST(length_m AS DOUBLE), CAST(flow_speed_mps AS DOUBLE), CAST(stream_order AS BIGINT), geom
            FROM {SqlNames.Relation(tables.Reaches, function)}
            """, r => new RiverReach(Text(r[0])!, Text(r[1]) ?? "", "", Text(r[2]) ?? "", Text(r[3]) ?? "",
                Number(r[5]), Number(r[6]), (int)(r[7] is long order ? order : 0), string.IsNullOrEmpty(Text(r[4])) ? null : Text(r[4]), Line(r[8], Text(r[0])!)));
        var stations = Rows(connection, $"""
            SELECT CAST(station_id AS VARCHAR), CAST(name AS VARCHAR), CAST(kind AS VARCHAR), CAST(reach_id AS VARCHAR),
                   CAST(distance_along_reach_m AS DOUBLE), CAST(target_class AS BIGINT), geom
            FROM {SqlNames.Relation(tables.Stations, function)}
            """, r => new MonitoringStation(Text(r[0])!, Text(r[1]) ?? "", Text(r[2]) == "sampling_point" ? StationKind.SamplingPoint : StationKind.Automatic,
                Text(r[3])!, Number(r[4]), (int)(r[5] is long c ? c : 3), TimeSpan.FromMinutes(5), PointOf(r[6], Text(r[0])!)));
        var outfalls = Rows(connection, $"""
            SELECT CAST(outfall_id AS VARCHAR), CAST(name AS VARCHAR), CAST(kind AS VARCHAR), CAST(reach_id AS VARCHAR),
                   CAST(enterprise_credit_code AS VARCHAR), CAST(permitted_flow_m3_per_day AS DOUBLE), geom
            FROM {SqlNames.Relation(tables.Outfalls, function)}
            """, r => new Outfall(Text(r[0])!, Text(r[1]) ?? "", Text(r[2]) == "storm_drain" ? OutfallKind.StormDrain : Text(r[2]) == "hidden" ? OutfallKind.Hidden : OutfallKind.Permitted,
                Text(r[3])!, 0, string.IsNullOrEmpty(Text(r[4])) ? null : Text(r[4]), r[5] as double?, PointOf(r[6], Text(r[0])!)));
        var enterprises = Rows(connection, $"""
            SELECT CAST(credit_code AS VARCHAR), CAST(name AS VARCHAR), CAST(industry_code AS VARCHAR), geom
            FROM {SqlNames.Relation(tables.Enterprises, function)} WHERE geom IS NOT NULL
            """, r => new RiverEnterprise(Text(r[0])!, Text(r[1]) ?? "", Text(r[2]), PointOf(r[3], Text(r[0])!)));
        var network = new RiverNetwork(reaches, stations.Where(s => s.Location is not null), outfalls, enterprises);
        Of(connection.Database)[name] = network;
        return network;
    }

    private static List<T> Rows<T>(DuckDbConnection connection, string sql, Func<object?[], T> map)
    {
        using var reader = connection.Query(sql);
        var rows = new List<T>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(map(values));
        }
        return rows;
    }

    private static string? Text(object? value) => value as string;

    private static double Number(object? value) => value is double d ? d : double.NaN;

    private static Geometry Geometry(object? value, string key) => value switch
    {
        byte[] wkb => GeometryCodec.ReadWkb(wkb),
        string wkt => GeometryCodec.ReadWkt(wkt),
        _ => throw new SpatialArgumentException("st_river_load", "geom", $"row '{key}' has no geometry (WKB or WKT)"),
    };

    private static LineString Line(object? value, string key) => Geometry(value, key) switch
    {
        LineString line => line,
        MultiLineString { NumGeometries: 1 } multi => (LineString)multi.GetGeometryN(0),
        var other => throw new SpatialArgumentException("st_river_load", "geom", $"reach '{key}' is a {other.GeometryType.ToUpperInvariant()}, not a LINESTRING"),
    };

    private static Point PointOf(object? value, string key) => Geometry(value, key) switch
    {
        Point point => point,
        var other => throw new SpatialArgumentException("st_river_load", "geom", $"'{key}' is a {other.GeometryType.ToUpperInvariant()}, not a POINT"),
    };

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Station readings from a lake table or view (default <c>water_quality_readings</c>; only rows flagged N when it has a flag column).</summary>
public sealed class DuckDbWaterReadings(DuckDbConnection connection, string relation = "water_quality_readings", bool normalFlagOnly = true) : IWaterReadings
{
    // A separator that never occurs in ids, so one text parameter can carry a list of them.
    private const string Separator = "\u001f";

    public IEnumerable<WaterReading> Read(IReadOnlyCollection<string> stations, IReadOnlyCollection<string> indicators, DateTimeOffset from, DateTimeOffset to)
    {
        var flag = normalFlagOnly ? " AND (flag IS NULL OR flag = 'N')" : "";
        var sql = $"""
            SELECT CAST(station_id AS VARCHAR), CAST(indicator AS VARCHAR), CAST(ts AS TIMESTAMPTZ), CAST(value AS DOUBLE)
            FROM {SqlNames.Relation(relation, "st_river_sources")}
            WHERE list_contains(string_split($1, '{Separator}'), station_id) AND list_contains(string_split($2, '{Separator}'), indicator)
              AND CAST(ts AS TIMESTAMPTZ) >= $3 AND CAST(ts AS TIMESTAMPTZ) < $4 AND value IS NOT NULL{flag}
            """;
        using var reader = connection.Query(sql, string.Join(Separator, stations), string.Join(Separator, indicators), from, to);
        var readings = new List<WaterReading>();
        while (reader.Read())
        {
            readings.Add(new WaterReading(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetDouble(3)));
        }
        return readings;
    }
}
