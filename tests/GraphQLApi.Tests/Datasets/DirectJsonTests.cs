using System.Diagnostics;
using System.Text.Json.Nodes;

using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Tests.Support;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Spatial;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// Large results written straight from DuckDB's chunks (an aggregate's groups, a page as a FeatureCollection) give
/// the very bytes the general path gives, where the GraphQL engine completes every value: the same request is sent
/// with <see cref="ApiOptions.DirectJson"/> on and off and the response texts compared, over the sample city and a
/// table of awkward values (escapes, Chinese text, NaN, nulls, whole and tiny numbers, non-point geometries), for
/// every role's column and row rules.
/// </summary>
public sealed class DirectJsonTests(SingleThreadCity city) : IClassFixture<SingleThreadCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiOptions Options => city.Server.Get<IOptions<ApiOptions>>().Value;

    private DirectJsonCounts Counts => city.Server.Get<DirectJsonCounts>();

    /// <summary>Sends the request with the direct writer and without; asserts both texts are equal and returns it.</summary>
    private async Task<string> SameBothWays(string key, string query, object? variables = null, bool expectDirect = true)
    {
        var written = Counts.Written;
        var direct = await city.Server.QueryAsync(key, query, variables, Ct);
        var directCount = Counts.Written - written;
        Options.DirectJson = false;
        try
        {
            var general = await city.Server.QueryAsync(key, query, variables, Ct);
            Assert.Equal(general.Status, direct.Status);
            Assert.Equal(general.Text, direct.Text);
            Assert.Equal(0, Counts.Written - written - directCount);
        }
        finally
        {
            Options.DirectJson = true;
        }
        Assert.Equal(expectDirect, directCount > 0);
        return direct.Text;
    }

    [Fact]
    public async Task hourly_groups_are_written_as_the_engine_writes_them()
    {
        var text = await SameBothWays(city.Keys.Analyst, """
            query($from: DateTime!, $to: DateTime!) {
              water_quality_readings_aggregate(filter: { ts: { gte: $from, lt: $to } }, groupBy: [station_id, indicator],
                                               timeBucket: { column: ts, unit: HOUR }) {
                version
                groups {
                  key { station_id bucket indicator unit date }
                  n: count
                  avg { value }
                  hi: max { value ts flag }
                  min { value date }
                  p90: percentile(p: 0.9) { value }
                  stddev { value other: value }
                  sum { value }
                  countDistinct { flag }
                  count
                }
                suppressedGroups
              }
            }
            """, new { from = "2024-06-06T00:00:00+08:00", to = "2024-06-08T00:00:00+08:00" });
        var groups = JsonNode.Parse(text)!["data"]!["water_quality_readings_aggregate"]!["groups"]!.AsArray();
        Assert.True(groups.Count > 100, text[..Math.Min(text.Length, 500)]);
        // Columns not grouped by read as null; the bucket is a local time with its offset.
        Assert.All(groups, g => Assert.Null(g!["key"]!["unit"]));
        Assert.EndsWith("+08:00", (string)groups[0]!["key"]!["bucket"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task text_times_nulls_and_chinese_in_groups_are_written_as_the_engine_writes_them()
    {
        await SameBothWays(city.Keys.Analyst, """
            {
              tickets_aggregate(groupBy: [department_code, level, category_code], orderByCount: DESC) {
                groups {
                  key { department_code level category_code bucket }
                  count
                  min { title address closed_at satisfaction reported_at }
                  max { title handled_at }
                  avg { satisfaction }
                  median { satisfaction }
                }
              }
            }
            """);
        // Without any grouping: one group.
        await SameBothWays(city.Keys.Analyst, "{ tickets_aggregate { groups { count max { reported_at description } } } }");
        // Days as buckets of a date column.
        await SameBothWays(city.Keys.Analyst, "{ water_quality_readings_aggregate(timeBucket: { column: date, unit: WEEK }) { groups { key { bucket } count } } }");
    }

    [Fact]
    public async Task every_role_gets_the_same_groups_either_way()
    {
        const string query = "{ tickets_aggregate(groupBy: [grid_code, status]) { groups { key { grid_code status } count min { reported_at } } suppressedGroups } }";
        // Public: groups under the minimum size are withheld, in both paths alike.
        var text = await SameBothWays(city.Keys.Public, query);
        Assert.True((int)JsonNode.Parse(text)!["data"]!["tickets_aggregate"]!["suppressedGroups"]! > 0);
        // The housing bureau: other departments' tickets are out of its reach (row rule), its own in full.
        await SameBothWays(city.Keys.HousingDepartment, "{ tickets_aggregate(groupBy: [department_code]) { groups { key { department_code } count min { reporter_name reporter_phone } } } }");
        await SameBothWays(city.Keys.Admin, "{ tickets_aggregate(groupBy: [level]) { groups { key { level } count countDistinct { reporter_phone } max { reporter_name } } } }");
        // A column the role may not see is refused before any SQL, the same way in both paths.
        var refused = await SameBothWays(city.Keys.Analyst, "{ tickets_aggregate(groupBy: [level]) { groups { max { reporter_name } } } }", expectDirect: false);
        Assert.Contains("reporter_name", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("\"data\"", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task selections_the_direct_writer_does_not_cover_take_the_general_path()
    {
        await SameBothWays(city.Keys.Analyst, "{ tickets_aggregate(groupBy: [level]) { groups { __typename key { level } count } } }", expectDirect: false);
        await SameBothWays(city.Keys.Analyst, "{ tickets_aggregate(groupBy: [level]) { a: groups { count } b: groups { key { level } } } }", expectDirect: false);
        await SameBothWays(city.Keys.Analyst, "{ tickets_aggregate(spatialUnit: DISTRICT) { groups { key { unit { code name } } count } } }", expectDirect: false);
        // Fragments and skipped fields are collected by the engine before the writer plans.
        await SameBothWays(city.Keys.Analyst, """
            query($skip: Boolean!) { tickets_aggregate(groupBy: [level]) { groups { ...G count @skip(if: $skip) } } }
            fragment G on TicketsGroup { key { level } max { reported_at } }
            """, new { skip = true });
    }

    [Fact]
    public async Task awkward_values_are_written_as_the_engine_writes_them_and_nan_takes_the_general_path()
    {
        await WriteOddTableAsync();
        await SameBothWays(city.Keys.Analyst, "{ odd_values_aggregate(filter: { group_name: { ne: \"nan\" } }, groupBy: [label, n]) { groups { key { label n } count avg { x } min { x day at } max { label } } } }");
        var fellBack = Counts.FellBack;
        // NaN averages are field errors for a Float: the direct writer leaves them to the general path.
        var nan = await SameBothWays(city.Keys.Analyst, "{ odd_values_aggregate(groupBy: [group_name]) { groups { key { group_name } avg { x } } } }", expectDirect: false);
        Assert.Contains("Float cannot represent", nan, StringComparison.Ordinal);
        Assert.True(Counts.FellBack > fellBack);
        // As GeoJSON properties NaN is null, and lines, polygons and empty geometries go through the general writer.
        var features = await SameBothWays(city.Keys.Analyst, "{ odd_values(first: 100) { featureCollection } }");
        Assert.Contains("\"LineString\"", features, StringComparison.Ordinal);
        Assert.Contains("\"x\":null", features, StringComparison.Ordinal);
        Assert.Contains("引号\\\"和反斜杠\\\\", features, StringComparison.Ordinal);
    }

    [Fact]
    public async Task feature_collections_are_written_as_the_general_writer_writes_them_for_every_role()
    {
        const string query = """
            { tickets(filter: { geom: { withinBbox: { west: 118.9, south: 25.3, east: 119.2, north: 25.6 } } }, first: 300, after: "CURSOR") {
                totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } version featureCollection } }
            """;
        var first = await SameBothWays(city.Keys.Analyst, query.Replace(", after: \"CURSOR\"", "", StringComparison.Ordinal));
        var page = JsonNode.Parse(first)!["data"]!["tickets"]!;
        Assert.Equal(300, page["featureCollection"]!["features"]!.AsArray().Count);
        Assert.DoesNotContain("reporter_name", first, StringComparison.Ordinal);
        Assert.Contains("\"description\"", first, StringComparison.Ordinal);
        // The next page through the cursor, then the department (own rows, personal columns) and the admin.
        await SameBothWays(city.Keys.Analyst, query.Replace("CURSOR", (string)page["pageInfo"]!["endCursor"]!, StringComparison.Ordinal));
        var housing = await SameBothWays(city.Keys.HousingDepartment, query.Replace(", after: \"CURSOR\"", "", StringComparison.Ordinal));
        Assert.Contains("reporter_name", housing, StringComparison.Ordinal);
        await SameBothWays(city.Keys.Admin, "{ tickets(first: 50, orderBy: [{ column: closed_at, nullsFirst: true }]) { featureCollection } }");
        // Past the end: an empty collection; lines of rivers through the general geometry writer.
        await SameBothWays(city.Keys.Analyst, "{ tickets(first: 0) { pageInfo { hasNextPage } featureCollection } }");
        await SameBothWays(city.Keys.Analyst, "{ river_reaches(first: 20) { featureCollection } }");
        // With nodes the page is read once for both, by the general path.
        await SameBothWays(city.Keys.Analyst, "{ tickets(first: 5) { nodes { ticket_id } featureCollection } }", expectDirect: false);
    }

    /// <summary>A table of values that are awkward to write: escapes, Chinese, NaN, whole and tiny numbers, nulls, several geometry types.</summary>
    private async Task WriteOddTableAsync()
    {
        var lake = city.Server.Get<Lake>();
        var definition = new TableDefinition
        {
            Name = "odd_values",
            Columns =
            [
                new("id", DeltaType.String) { Nullable = false }, new("label", DeltaType.String), new("group_name", DeltaType.String),
                new("x", DeltaType.Double), new("n", DeltaType.Long), new("day", DeltaType.Date), new("at", DeltaType.Timestamp),
                ColumnDefinition.Geometry("geom"),
            ],
        };
        var descriptor = new DatasetDescriptor { Name = "odd_values", Title = "Odd values", OwnerDepartment = "D12" };
        var table = await lake.Catalog.CreateDatasetAsync(definition, descriptor, Ct);
        var at = new DateTimeOffset(2024, 6, 1, 8, 30, 15, 120, TimeSpan.Zero);
        using (var batch = table.CreateBatch())
        {
            batch.AppendRow("1", "plain", "g1", 1.0, 1L, new DateOnly(2024, 6, 1), at, Geo.ToWkb(Geo.Point(119.0, 25.43)));
            batch.AppendRow("2", "引号\"和反斜杠\\", "g1", 0.1 + 0.2, null, null, at.AddTicks(1), Geo.ToWkb(Geo.Point(119.123456789012, -25.000000000049)));
            batch.AppendRow("3", "tab\tnew\nline \u0001 <html> & 'quote' 😀", "g2", -0.0, -7L, new DateOnly(1990, 1, 1), at.AddYears(-40),
                Geo.ToWkb(Geo.FromWkt("LINESTRING (119 25.4, 119.05 25.41)")));
            batch.AppendRow("4", null, "g2", 1e21, long.MaxValue, new DateOnly(2024, 2, 29), null, null);
            batch.AppendRow("5", "tiny", "nan", double.NaN, 0L, null, at, Geo.ToWkb(Geo.FromWkt("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25))")));
            batch.AppendRow("6", "tiny", "g3", 1.5e-7, 3L, null, null, Geo.ToWkb(Geo.Point(-0.0, 0.0)));
            batch.AppendRow("8", "ascii \"quoted\" \\ tab\t del\u007f ctl\u0001 <&>'+`", "g4", 2.5, 8L, null, at, Geo.ToWkb(Geo.Point(119.5, 25.5)));
            batch.AppendRow("7", "", "g3", 123456789.125, 3L, null, at.AddMonths(3), Geo.ToWkb(Geo.FromWkt("MULTIPOINT ((119 25), (119.2 25.1))")));
            await batch.AppendAsync(cancellationToken: Ct);
        }
        await lake.Catalog.RegisterAsync(descriptor, Ct);
        // The registry sees the new table at its next catalog poll.
        var watch = Stopwatch.StartNew();
        while ((await city.Server.QueryAsync(city.Keys.Analyst, "{ __type(name: \"OddValues\") { name } }", cancellationToken: Ct)).Ok()["__type"] is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "odd_values did not appear in the schema");
            await Task.Delay(200, Ct);
        }
    }
}
