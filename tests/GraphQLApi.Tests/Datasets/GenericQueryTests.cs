using System.Globalization;
using System.Text.Json.Nodes;

using NetTopologySuite.Geometries;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;
using OneMap.Models.Spatial;

namespace OneMap.GraphQLApi.Tests.Datasets;

/// <summary>
/// Every lake table as a typed query field: filters, order, cursor pagination, GeoJSON out and in, spatial filters and
/// time travel, each answer checked against DuckDB reading the table's Parquet files directly.
/// </summary>
public sealed class GenericQueryTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    private async Task<JsonNode> Query(string query, object? variables = null) =>
        (await city.Server.QueryAsync(city.Keys.Analyst, query, variables, Ct)).Ok();

    private static List<string> Ids(JsonNode connection, string field) =>
        connection["nodes"]!.AsArray().Select(n => (string)n![field]!).ToList();

    [Fact]
    public async Task comparison_filters_match_the_same_conditions_on_the_parquet_files()
    {
        var cases = new (string Filter, string Sql)[]
        {
            ("{ network: { eq: \"gas\" } }", "network = 'gas'"),
            ("{ network: { ne: \"gas\" } }", "network <> 'gas'"),
            ("{ network: { in: [\"gas\", \"power\"] } }", "network IN ('gas', 'power')"),
            ("{ depth_cm: { gt: 250 } }", "depth_cm > 250"),
            ("{ depth_cm: { gte: 250 } }", "depth_cm >= 250"),
            ("{ depth_cm: { lt: 140 } }", "depth_cm < 140"),
            ("{ depth_cm: { lte: 140 } }", "depth_cm <= 140"),
            ("{ depth_cm: { between: { from: 120, to: 130 } } }", "depth_cm BETWEEN 120 AND 130"),
            ("{ installed_on: { gte: \"2023-01-01\" } }", "installed_on >= DATE '2023-01-01'"),
            ("{ road: { like: \"%大道\" } }", "road LIKE '%大道'"),
            ("{ device_id: { ilike: \"mh-0001%\" } }", "device_id ILIKE 'mh-0001%'"),
            ("{ road: { isNull: false } }", "road IS NOT NULL"),
            ("{ or: [{ network: { eq: \"gas\" } }, { depth_cm: { gt: 290 } }] }", "(network = 'gas' OR depth_cm > 290)"),
            ("{ and: [{ network: { eq: \"gas\" } }, { depth_cm: { gt: 200 } }] }", "(network = 'gas' AND depth_cm > 200)"),
            ("{ not: { network: { in: [\"gas\", \"sewage\"] } } }", "NOT (network IN ('gas', 'sewage'))"),
            ("{ network: { eq: \"storm\" }, depth_cm: { gte: 150, lt: 200 } }", "network = 'storm' AND depth_cm >= 150 AND depth_cm < 200"),
        };
        foreach (var (filter, sql) in cases)
        {
            var data = await Query($"{{ manhole_covers(filter: {filter}, first: 10000) {{ totalCount nodes {{ device_id }} }} }}");
            var expected = LakeFiles.Query(Lake, "manhole_covers", $"SELECT device_id FROM {{t}} WHERE {sql} ORDER BY device_id").Select(r => (string)r[0]!).ToList();
            Assert.True(expected.Count > 0, $"the case {sql} selects nothing in the sample");
            Assert.Equal(expected.Count, (long)data["manhole_covers"]!["totalCount"]!);
            Assert.Equal(expected, Ids(data["manhole_covers"]!, "device_id"));
        }
    }

    [Fact]
    public async Task filters_on_times_dates_booleans_and_decimals_use_their_types()
    {
        var from = "2024-06-01T00:00:00+08:00";
        var data = await Query($$"""
            {
              t: tickets(filter: { reported_at: { gte: "{{from}}" }, satisfaction: { isNull: false } }, first: 0) { totalCount }
              e: enterprises(filter: { above_designated_size: { eq: true }, output_value_10k_yuan: { gt: 50000.5 }, founded_on: { lt: "2010-01-01" } }, first: 0) { totalCount }
            }
            """);
        Assert.Equal(LakeFiles.Count(Lake, "tickets", "reported_at >= $1 AND satisfaction IS NOT NULL", DateTimeOffset.Parse(from, CultureInfo.InvariantCulture)),
            (long)data["t"]!["totalCount"]!);
        Assert.Equal(LakeFiles.Count(Lake, "enterprises", "above_designated_size AND output_value_10k_yuan > 50000.5 AND founded_on < DATE '2010-01-01'"),
            (long)data["e"]!["totalCount"]!);
    }

    [Fact]
    public async Task order_by_any_column_with_ties_broken_by_the_key()
    {
        var data = await Query("""{ manhole_covers(orderBy: [{ column: depth_cm, direction: DESC }, { column: road }], first: 50) { nodes { device_id depth_cm road } } }""");
        var expected = LakeFiles.Query(Lake, "manhole_covers", "SELECT device_id FROM {t} ORDER BY depth_cm DESC, road ASC NULLS LAST, device_id LIMIT 50")
            .Select(r => (string)r[0]!).ToList();
        Assert.Equal(expected, Ids(data["manhole_covers"]!, "device_id"));
    }

    [Fact]
    public async Task cursors_page_forward_and_backward_through_the_whole_result()
    {
        const string filter = "{ network: { eq: \"gas\" } }";
        var expected = LakeFiles.Query(Lake, "manhole_covers", "SELECT device_id FROM {t} WHERE network = 'gas' ORDER BY device_id").Select(r => (string)r[0]!).ToList();
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await Query($$"""query($after: String) { manhole_covers(filter: {{filter}}, first: 70, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { device_id } } } }""",
                new { after }))["manhole_covers"]!;
            Assert.Equal(expected.Count, (long)page["totalCount"]!);
            Assert.Equal(pages > 0, (bool)page["pageInfo"]!["hasPreviousPage"]!);
            seen.AddRange(page["edges"]!.AsArray().Select(e => (string)e!["node"]!["device_id"]!));
            after = (bool)page["pageInfo"]!["hasNextPage"]! ? (string)page["pageInfo"]!["endCursor"]! : null;
            pages++;
        }
        while (after is not null);
        Assert.Equal(expected, seen);
        Assert.Equal((expected.Count + 69) / 70, pages);

        var last = (await Query($"{{ manhole_covers(filter: {filter}, last: 5) {{ pageInfo {{ hasPreviousPage hasNextPage startCursor }} nodes {{ device_id }} }} }}"))["manhole_covers"]!;
        Assert.Equal(expected.TakeLast(5), Ids(last, "device_id"));
        Assert.True((bool)last["pageInfo"]!["hasPreviousPage"]!);
        var before = (await Query($$"""query($before: String) { manhole_covers(filter: {{filter}}, last: 3, before: $before) { nodes { device_id } } }""",
            new { before = (string)last["pageInfo"]!["startCursor"]! }))["manhole_covers"]!;
        Assert.Equal(expected.SkipLast(5).TakeLast(3), Ids(before, "device_id"));
    }

    [Fact]
    public async Task a_bad_cursor_or_page_size_is_refused_with_the_argument_named()
    {
        (await city.Server.QueryAsync(city.Keys.Analyst, """{ manhole_covers(first: 2, after: "not-a-cursor") { nodes { device_id } } }""", cancellationToken: Ct))
            .Fails("after: is not a cursor");
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ manhole_covers(first: 1000000) { nodes { device_id } } }", cancellationToken: Ct)).Fails("first: at most");
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ manhole_covers(first: -1) { nodes { device_id } } }", cancellationToken: Ct)).Fails("first: must not be negative");
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ manhole_covers(first: 2, last: 2) { nodes { device_id } } }", cancellationToken: Ct)).Fails("first or last");
    }

    [Fact]
    public async Task geometries_come_out_as_geojson_and_a_page_as_a_feature_collection()
    {
        var data = await Query("""{ admin_units(filter: { level: { eq: "district" } }, first: 10) { nodes { code geom } featureCollection } }""");
        var expected = LakeFiles.Query(Lake, "admin_units", "SELECT code, geom FROM {t} WHERE level = 'district' ORDER BY code")
            .ToDictionary(r => (string)r[0]!, r => Geo.FromWkb((byte[])r[1]!));
        var nodes = data["admin_units"]!["nodes"]!.AsArray();
        Assert.Equal(5, nodes.Count);
        foreach (var node in nodes)
        {
            var geometry = GeoJson.Parse(node!["geom"]!.ToJsonString());
            Assert.IsAssignableFrom<IPolygonal>(geometry);
            Assert.True(geometry.EqualsExact(expected[(string)node["code"]!], 1e-9), "GeoJSON differs from the stored WKB beyond 1e-9 degrees");
        }
        var collection = data["admin_units"]!["featureCollection"]!;
        Assert.Equal("FeatureCollection", (string?)collection["type"]);
        var features = collection["features"]!.AsArray();
        Assert.Equal(5, features.Count);
        Assert.All(features, f =>
        {
            Assert.Equal("Feature", (string?)f!["type"]);
            Assert.Equal("district", (string?)f["properties"]!["level"]);
            Assert.NotNull(GeoJson.Parse(f["geometry"]!.ToJsonString()));
        });
    }

    [Fact]
    public async Task any_result_comes_as_a_feature_collection_when_asked_for_geojson()
    {
        // A curated field: the automatic stations with their locations and classes.
        var stations = await AskForGeoJson("""{ stations(kind: "automatic") { id name location waterClass { class } } }""");
        var stored = LakeFiles.Query(Lake, "monitoring_stations", "SELECT station_id, geom FROM {t} WHERE kind = 'automatic'")
            .ToDictionary(r => (string)r[0]!, r => Geo.FromWkb((byte[])r[1]!));
        var features = stations["features"]!.AsArray();
        Assert.Equal(stored.Count, features.Count);
        Assert.All(features, f =>
        {
            var id = (string)f!["properties"]!["id"]!;
            Assert.True(GeoJson.Parse(f["geometry"]!.ToJsonString()).EqualsExact(stored[id], 1e-9), id);
            Assert.Null(f["properties"]!["location"]);
            Assert.NotNull(f["properties"]!["waterClass"]!["class"]);
        });
        // A dataset's page through its edges: the rows are the features, the geometry column their geometry.
        var covers = await AskForGeoJson("""{ manhole_covers(first: 7, orderBy: [{ column: device_id }]) { pageInfo { hasNextPage } edges { cursor node { device_id network geom } } } }""");
        var expected = LakeFiles.Query(Lake, "manhole_covers", "SELECT device_id FROM {t} ORDER BY device_id LIMIT 7").Select(r => (string)r[0]!);
        Assert.Equal(expected, covers["features"]!.AsArray().Select(f => (string)f!["properties"]!["device_id"]!));
        Assert.All(covers["features"]!.AsArray(), f => Assert.IsType<Point>(GeoJson.Parse(f!["geometry"]!.ToJsonString())));
        // Errors stay GraphQL errors.
        using var client = city.Server.ClientWith(city.Keys.Analyst);
        using var bad = await SendGeoJson(client, "{ stations { nope } }");
        Assert.Equal("application/json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nope", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private async Task<JsonNode> AskForGeoJson(string query)
    {
        using var client = city.Server.ClientWith(city.Keys.Analyst);
        using var response = await SendGeoJson(client, query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var collection = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("FeatureCollection", (string?)collection["type"]);
        return collection;
    }

    private static async Task<HttpResponseMessage> SendGeoJson(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/geo+json");
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task spatial_filters_agree_with_netTopologySuite_over_the_stored_geometries()
    {
        var points = LakeFiles.Query(Lake, "manhole_covers", "SELECT device_id, geom FROM {t}").Select(r => ((string)r[0]!, (Point)Geo.FromWkb((byte[])r[1]!))).ToList();
        // A polygon over the central city, given as GeoJSON in a variable.
        var polygon = Geo.FromWkt("POLYGON ((118.99 25.42, 119.02 25.42, 119.03 25.445, 118.995 25.45, 118.99 25.42))");
        var inPolygon = points.Where(p => polygon.Intersects(p.Item2)).Select(p => p.Item1).Order(StringComparer.Ordinal).ToList();
        var data = await Query("""query($area: GeoJSON!) { manhole_covers(filter: { geom: { intersects: $area } }, first: 10000) { nodes { device_id } } }""",
            new { area = JsonNode.Parse(GeoJson.ToJson(polygon)) });
        Assert.NotEmpty(inPolygon);
        Assert.Equal(inPolygon, Ids(data["manhole_covers"]!, "device_id"));

        var box = new Envelope(118.97, 119.0, 25.40, 25.43);
        var inBox = points.Where(p => box.Contains(p.Item2.Coordinate)).Select(p => p.Item1).Order(StringComparer.Ordinal).ToList();
        var boxed = await Query("{ manhole_covers(filter: { geom: { withinBbox: { west: 118.97, south: 25.40, east: 119.0, north: 25.43 } } }, first: 10000) { nodes { device_id } } }");
        Assert.NotEmpty(inBox);
        Assert.Equal(inBox, Ids(boxed["manhole_covers"]!, "device_id"));

        // Within 800 m of a point on the WGS84 spheroid; the reference is the great-circle distance on a sphere, which
        // differs by well under 0.5 %: points in that band around the circle may fall either way, all others must agree.
        var distances = points.Select(p => (Id: p.Item1, Metres: Geo.DistanceMeters(119.005, 25.435, p.Item2.X, p.Item2.Y))).ToList();
        var around = await Query("{ manhole_covers(filter: { geom: { withinDistance: { point: { lon: 119.005, lat: 25.435 }, meters: 800 } } }, first: 10000) { nodes { device_id } } }");
        var returned = Ids(around["manhole_covers"]!, "device_id").ToHashSet();
        Assert.Contains(distances, d => d.Metres < 796);
        foreach (var (id, metres) in distances.Where(d => Math.Abs(d.Metres - 800) > 4))
        {
            Assert.True(returned.Contains(id) == metres < 800, $"{id} at {metres:F1} m");
        }
    }

    [Fact]
    public async Task bad_geojson_and_bad_boxes_are_refused_naming_the_problem()
    {
        (await city.Server.QueryAsync(city.Keys.Analyst, """query($g: GeoJSON!) { manhole_covers(filter: { geom: { intersects: $g } }) { totalCount } }""",
            new { g = new { type = "Polygon", coordinates = new[] { new[] { new[] { 0.0, 0.0 }, new[] { 200.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 0.0, 0.0 } } } } }, Ct))
            .Fails("outside longitude");
        (await city.Server.QueryAsync(city.Keys.Analyst, """query($g: GeoJSON!) { manhole_covers(filter: { geom: { intersects: $g } }) { totalCount } }""",
            new { g = new { type = "Blob" } }, Ct)).Fails("GeoJSON");
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ manhole_covers(filter: { geom: { withinBbox: { west: 120, south: 25, east: 119, north: 26 } } }) { totalCount } }",
            cancellationToken: Ct)).Fails("west ≤ east");
    }

    [Fact]
    public async Task as_of_a_version_or_a_time_reads_the_table_as_it_was()
    {
        var history = (await Query("{ catalog { dataset(name: \"admin_units\") { version lineage(limit: 50) { version time operation } } } }"))["catalog"]!["dataset"]!;
        var lineage = history["lineage"]!.AsArray();
        Assert.True(lineage.Count >= 5, history.ToJsonString());
        // Version 1 holds the first file the feed worker took (admin units arrive one level per file).
        var first = await Query("{ admin_units(asOf: { version: 1 }, first: 0) { totalCount version } now: admin_units(first: 0) { totalCount version } }");
        Assert.Equal(1L, (long)first["admin_units"]!["version"]!);
        var atVersion1 = Convert.ToInt64(LakeFiles.QueryVersion(Lake, "admin_units", 1, "SELECT count(*) FROM {t}")[0][0], CultureInfo.InvariantCulture);
        Assert.Equal(atVersion1, (long)first["admin_units"]!["totalCount"]!);
        Assert.True((long)first["admin_units"]!["totalCount"]! < (long)first["now"]!["totalCount"]!);
        var v1Count = (long)first["admin_units"]!["totalCount"]!;
        var v1Time = (string)lineage.Single(l => (long)l!["version"]! == 1)!["time"]!;
        var byTime = await Query("query($t: DateTime!) { admin_units(asOf: { time: $t }, first: 0) { totalCount version } }", new { t = v1Time });
        Assert.Equal(1L, (long)byTime["admin_units"]!["version"]!);
        Assert.Equal(v1Count, (long)byTime["admin_units"]!["totalCount"]!);
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ admin_units(asOf: { version: 100000 }) { totalCount } }", cancellationToken: Ct)).Fails("asOf.version");
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ admin_units(asOf: { time: \"1999-01-01T00:00:00Z\" }) { totalCount } }", cancellationToken: Ct)).Fails("asOf.time");
    }

    [Fact]
    public async Task catalog_descriptions_and_units_become_field_descriptions()
    {
        var type = (await Query("""{ __type(name: "ManholeCovers") { description fields { name description type { name kind ofType { name } } } } }"""))["__type"]!;
        Assert.Contains("D14", (string?)type["description"], StringComparison.Ordinal);
        var fields = type["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!);
        Assert.Contains("Unit: cm.", (string?)fields["depth_cm"]["description"], StringComparison.Ordinal);
        Assert.Equal("Long", (string?)fields["depth_cm"]["type"]!["name"] ?? (string?)fields["depth_cm"]["type"]!["ofType"]!["name"]);
        Assert.Equal("GeoJSON", (string?)fields["geom"]["type"]!["name"] ?? (string?)fields["geom"]["type"]!["ofType"]!["name"]);
        Assert.Equal("Date", (string?)fields["installed_on"]["type"]!["name"] ?? (string?)fields["installed_on"]["type"]!["ofType"]!["name"]);
    }
}
