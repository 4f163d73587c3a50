using System.Globalization;
using System.Text.Json.Nodes;

using NetTopologySuite.Geometries;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;
using OneMap.Models.Spatial;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// Aggregates on every table: counts, sums, averages, extremes, percentiles and distinct counts, by column, by time
/// bucket of the city's calendar and by administrative unit, checked against values computed here from the raw rows.
/// </summary>
public sealed class AggregateTests(SampleCity city)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    private async Task<JsonNode> Query(string query, object? variables = null, string? key = null) =>
        (await city.Server.QueryAsync(key ?? city.Keys.Analyst, query, variables, Ct)).Ok();

    [Fact]
    public async Task every_aggregate_function_by_column_matches_the_raw_rows()
    {
        var data = await Query("""
            {
              manhole_covers_aggregate(groupBy: [network]) {
                groups {
                  key { network }
                  count
                  countDistinct { road owner_department }
                  sum { depth_cm } avg { depth_cm } min { depth_cm installed_on road } max { depth_cm installed_on }
                  stddev { depth_cm } median { depth_cm } p90: percentile(p: 0.9) { depth_cm } p10: percentile(p: 0.1) { depth_cm }
                }
              }
            }
            """);
        var rows = LakeFiles.Query(Lake, "manhole_covers", "SELECT network, depth_cm, road, owner_department, installed_on FROM {t}");
        var groups = data["manhole_covers_aggregate"]!["groups"]!.AsArray();
        var networks = rows.Select(r => (string)r[0]!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(networks, groups.Select(g => (string)g!["key"]!["network"]!));
        foreach (var group in groups)
        {
            var network = (string)group!["key"]!["network"]!;
            var mine = rows.Where(r => (string)r[0]! == network).ToList();
            var depths = mine.Select(r => (double)(long)r[1]!).Order().ToList();
            Assert.Equal(mine.Count, (long)group["count"]!);
            Assert.Equal(mine.Select(r => r[2]).Distinct().Count(x => x is not null), (long)group["countDistinct"]!["road"]!);
            Assert.Equal(mine.Select(r => r[3]).Distinct().Count(x => x is not null), (long)group["countDistinct"]!["owner_department"]!);
            Assert.Equal(depths.Sum(), (double)group["sum"]!["depth_cm"]!, 6);
            Assert.Equal(depths.Average(), (double)group["avg"]!["depth_cm"]!, 9);
            Assert.Equal((long)depths.Min(), (long)group["min"]!["depth_cm"]!);
            Assert.Equal((long)depths.Max(), (long)group["max"]!["depth_cm"]!);
            var dates = mine.Select(r => r[4] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)r[4]!)).ToList();
            Assert.Equal(dates.Min().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (string?)group["min"]!["installed_on"]);
            Assert.Equal(dates.Max().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (string?)group["max"]!["installed_on"]);
            Assert.Equal(mine.Select(r => (string)r[2]!).Min(StringComparer.Ordinal), (string?)group["min"]!["road"]);
            var mean = depths.Average();
            Assert.Equal(Math.Sqrt(depths.Sum(d => (d - mean) * (d - mean)) / (depths.Count - 1)), (double)group["stddev"]!["depth_cm"]!, 6);
            Assert.Equal(Quantile(depths, 0.5), (double)group["median"]!["depth_cm"]!, 9);
            Assert.Equal(Quantile(depths, 0.9), (double)group["p90"]!["depth_cm"]!, 9);
            Assert.Equal(Quantile(depths, 0.1), (double)group["p10"]!["depth_cm"]!, 9);
        }
    }

    [Fact]
    public async Task aliases_of_groups_aggregates_and_columns_each_get_their_own_value()
    {
        var data = await Query("""
            { manhole_covers_aggregate(groupBy: [network], filter: { network: { eq: "gas" } }) {
                groups { k: key { net: network } key: max { deepest: depth_cm depth_cm } count: min { depth_cm } n: count lo: percentile(p: 0.0) { depth_cm } hi: percentile(p: 1.0) { depth_cm } } } }
            """);
        var group = Assert.Single(data["manhole_covers_aggregate"]!["groups"]!.AsArray())!;
        var depths = LakeFiles.Query(Lake, "manhole_covers", "SELECT depth_cm FROM {t} WHERE network = 'gas'").Select(r => (long)r[0]!).ToList();
        Assert.Equal("gas", (string?)group["k"]!["net"]);
        Assert.Equal(depths.Count, (long)group["n"]!);
        Assert.Equal(depths.Max(), (long)group["key"]!["deepest"]!);
        Assert.Equal(depths.Max(), (long)group["key"]!["depth_cm"]!);
        Assert.Equal(depths.Min(), (long)group["count"]!["depth_cm"]!);
        Assert.Equal(depths.Min(), (double)group["lo"]!["depth_cm"]!);
        Assert.Equal(depths.Max(), (double)group["hi"]!["depth_cm"]!);
    }

    [Fact]
    public async Task an_aggregate_without_groups_is_one_group_of_the_filtered_rows()
    {
        var data = await Query("""{ enterprises_aggregate(filter: { above_designated_size: { eq: true } }) { groups { count sum { employees output_value_10k_yuan } } } }""");
        var group = data["enterprises_aggregate"]!["groups"]!.AsArray().Single()!;
        var expected = LakeFiles.Query(Lake, "enterprises", "SELECT count(*), sum(employees)::DOUBLE, sum(output_value_10k_yuan)::DOUBLE FROM {t} WHERE above_designated_size")[0];
        Assert.Equal(Convert.ToInt64(expected[0], CultureInfo.InvariantCulture), (long)group["count"]!);
        Assert.Equal((double)expected[1]!, (double)group["sum"]!["employees"]!, 3);
        Assert.Equal((double)expected[2]!, (double)group["sum"]!["output_value_10k_yuan"]!, 2);
    }

    [Fact]
    public async Task hourly_buckets_follow_the_city_clock()
    {
        var data = await Query("""
            {
              water_quality_readings_aggregate(
                filter: { station_id: { eq: "WQS-001" }, indicator: { eq: "do" } },
                timeBucket: { column: ts, unit: HOUR }) { groups { key { bucket } count avg { value } max { value } } }
            }
            """);
        var raw = LakeFiles.Query(Lake, "water_quality_readings", "SELECT ts, value FROM {t} WHERE station_id = 'WQS-001' AND indicator = 'do'");
        var expected = raw.GroupBy(r => LocalHour((DateTimeOffset)r[0]!)).OrderBy(g => g.Key).ToList();
        var groups = data["water_quality_readings_aggregate"]!["groups"]!.AsArray();
        Assert.Equal(48, expected.Count);
        Assert.Equal(expected.Count, groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var bucket = DateTimeOffset.Parse((string)groups[i]!["key"]!["bucket"]!, CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromHours(8), bucket.Offset);
            Assert.Equal(expected[i].Key, bucket);
            Assert.Equal(expected[i].Count(), (long)groups[i]!["count"]!);
            Assert.Equal(expected[i].Average(r => (double)r[1]!), (double)groups[i]!["avg"]!["value"]!, 9);
        }
    }

    [Fact]
    public async Task minute_day_week_month_quarter_and_year_buckets_start_on_the_city_calendar()
    {
        var raw = LakeFiles.Query(Lake, "tickets", "SELECT reported_at FROM {t}").Select(r => TimeZoneInfo.ConvertTime((DateTimeOffset)r[0]!, Shanghai)).ToList();
        foreach (var (unit, start) in new (string, Func<DateTimeOffset, DateTimeOffset>)[]
                 {
                     ("DAY", t => new DateTimeOffset(t.Date, t.Offset)),
                     ("WEEK", t => new DateTimeOffset(t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)), t.Offset)),
                     ("MONTH", t => new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, t.Offset)),
                     ("QUARTER", t => new DateTimeOffset(t.Year, (t.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, t.Offset)),
                     ("YEAR", t => new DateTimeOffset(t.Year, 1, 1, 0, 0, 0, t.Offset)),
                     ("MINUTE", t => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Offset)),
                 })
        {
            var data = await Query($"{{ tickets_aggregate(timeBucket: {{ column: reported_at, unit: {unit} }}) {{ groups {{ key {{ bucket }} count }} }} }}");
            var expected = raw.GroupBy(start).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())).ToList();
            var actual = data["tickets_aggregate"]!["groups"]!.AsArray()
                .Select(g => (DateTimeOffset.Parse((string)g!["key"]!["bucket"]!, CultureInfo.InvariantCulture), (long)g["count"]!)).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task grouping_by_district_town_community_or_grid_assigns_each_point_to_the_polygon_holding_it()
    {
        var units = LakeFiles.Query(Lake, "admin_units", "SELECT code, level, geom FROM {t} WHERE level IN ('district', 'town', 'community', 'grid')")
            .Select(r => (Code: (string)r[0]!, Level: (string)r[1]!, Area: Geo.FromWkb((byte[])r[2]!))).ToList();
        var covers = LakeFiles.Query(Lake, "manhole_covers", "SELECT geom FROM {t}").Select(r => (Point)Geo.FromWkb((byte[])r[0]!)).ToList();
        foreach (var level in new[] { "district", "town", "community", "grid" })
        {
            var areas = units.Where(u => u.Level == level).ToList();
            var expected = covers.Select(p => areas.FirstOrDefault(a => a.Area.Covers(p)).Code)
                .GroupBy(c => c).Where(g => g.Key is not null).ToDictionary(g => g.Key!, g => (long)g.Count());
            var data = await Query($"{{ manhole_covers_aggregate(spatialUnit: {level.ToUpperInvariant()}) {{ groups {{ key {{ unit {{ code name level }} }} count }} }} }}");
            var actual = data["manhole_covers_aggregate"]!["groups"]!.AsArray().Where(g => g!["key"]!["unit"] is not null)
                .ToDictionary(g => (string)g!["key"]!["unit"]!["code"]!, g => (long)g!["count"]!);
            Assert.Equal(expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
            Assert.All(data["manhole_covers_aggregate"]!["groups"]!.AsArray().Where(g => g!["key"]!["unit"] is not null),
                g => Assert.False(string.IsNullOrEmpty((string?)g!["key"]!["unit"]!["name"])));
        }
    }

    [Fact]
    public async Task spatial_groups_come_as_a_feature_collection_of_the_units()
    {
        var data = await Query("""{ enterprises_aggregate(spatialUnit: DISTRICT) { groups { key { unit { code } } count avg { employees } } featureCollection } }""");
        var result = data["enterprises_aggregate"]!;
        var features = result["featureCollection"]!["features"]!.AsArray();
        var groups = result["groups"]!.AsArray();
        Assert.Equal(groups.Count, features.Count);
        foreach (var feature in features)
        {
            var code = (string?)feature!["properties"]!["unit"];
            var group = groups.Single(g => (string?)g!["key"]!["unit"]?["code"] == code);
            Assert.Equal((long)group!["count"]!, (long)feature["properties"]!["count"]!);
            Assert.Equal((double)group["avg"]!["employees"]!, (double)feature["properties"]!["avg_employees"]!, 9);
            if (code is not null)
            {
                Assert.IsAssignableFrom<IPolygonal>(GeoJson.Parse(feature["geometry"]!.ToJsonString()));
            }
        }
    }

    [Fact]
    public async Task the_public_role_gets_aggregates_without_small_groups()
    {
        var data = await Query("{ tickets_aggregate(groupBy: [ticket_id]) { groups { count } suppressedGroups } }", key: city.Keys.Public);
        // Grouping by a unique column would list the rows: every group of one is withheld.
        Assert.Empty(data["tickets_aggregate"]!["groups"]!.AsArray());
        Assert.True((int)data["tickets_aggregate"]!["suppressedGroups"]! > 5_000);
        var byLevel = await Query("{ tickets_aggregate(groupBy: [level]) { groups { key { level } count } suppressedGroups } }", key: city.Keys.Public);
        Assert.NotEmpty(byLevel["tickets_aggregate"]!["groups"]!.AsArray());
        Assert.Equal(LakeFiles.Count(Lake, "tickets"), byLevel["tickets_aggregate"]!["groups"]!.AsArray().Sum(g => (long)g!["count"]!));
    }

    private static DateTimeOffset LocalHour(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Shanghai);
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
    }

    /// <summary>The continuous quantile (linear interpolation between order statistics), as DuckDB's quantile_cont and numpy's default.</summary>
    private static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
