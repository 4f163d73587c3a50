using System.Globalization;

using NetTopologySuite.Geometries;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;
using OneMap.Models.Spatial;

namespace OneMap.GraphQLApi.Tests.Grids;

/// <summary>Grids: households, tickets (open and overdue), governance elements by point in polygon, and red/yellow/green.</summary>
public sealed class GridTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    [Fact]
    public async Task every_grid_has_its_households_tickets_and_a_status_from_open_and_overdue_tickets()
    {
        var data = (await city.Server.QueryAsync(city.Keys.Analyst, "query($at: DateTime!) { grids(at: $at) { code name households population tickets { total open overdue closed } status } }",
            new { at = SampleCity.ExportTime }, Ct)).Ok();
        var grids = data["grids"]!.AsArray();
        var units = LakeFiles.Query(Lake, "admin_units", "SELECT code, households, population FROM {t} WHERE level = 'grid'").ToDictionary(r => (string)r[0]!, r => r);
        Assert.Equal(units.Count, grids.Count);
        var tickets = LakeFiles.Query(Lake, "tickets", "SELECT grid_code, closed_at, handled_at, due_at FROM {t}").GroupBy(r => (string?)r[0] ?? "").ToDictionary(g => g.Key, g => g.ToList());
        foreach (var grid in grids)
        {
            var code = (string)grid!["code"]!;
            Assert.Equal((long?)units[code][1], (long?)grid["households"]);
            Assert.Equal((long?)units[code][2], (long?)grid["population"]);
            var mine = tickets.GetValueOrDefault(code) ?? [];
            var open = mine.Where(t => t[1] is null).ToList();
            var overdue = open.Count(t => t[2] is null && SampleCity.ExportTime > (DateTimeOffset)t[3]!);
            Assert.Equal(mine.Count, (long)grid["tickets"]!["total"]!);
            Assert.Equal(open.Count, (long)grid["tickets"]!["open"]!);
            Assert.Equal(overdue, (long)grid["tickets"]!["overdue"]!);
            var expected = overdue >= 1 ? "RED" : open.Count >= 3 ? "YELLOW" : "GREEN";
            Assert.Equal(expected, (string?)grid["status"]);
        }
        Assert.Contains(grids, g => (string?)g!["status"] == "RED");
        Assert.Contains(grids, g => (string?)g!["status"] == "GREEN");
        var red = (await city.Server.QueryAsync(city.Keys.Analyst, "query($at: DateTime!) { grids(status: RED, at: $at) { code status } }", new { at = SampleCity.ExportTime }, Ct)).Ok();
        Assert.Equal(grids.Count(g => (string?)g!["status"] == "RED"), red["grids"]!.AsArray().Count);
    }

    [Fact]
    public async Task elements_are_the_points_of_element_datasets_inside_the_grid()
    {
        var covers = LakeFiles.Query(Lake, "manhole_covers", "SELECT geom FROM {t}").Select(r => (Point)Geo.FromWkb((byte[])r[0]!)).ToList();
        var stations = LakeFiles.Query(Lake, "monitoring_stations", "SELECT geom FROM {t}").Select(r => (Point)Geo.FromWkb((byte[])r[0]!)).ToList();
        var busiest = LakeFiles.Query(Lake, "admin_units", "SELECT code, geom FROM {t} WHERE level = 'grid'")
            .Select(r => (Code: (string)r[0]!, Area: Geo.FromWkb((byte[])r[1]!)))
            .Select(g => (g.Code, Covers: covers.Count(p => g.Area.Covers(p)), Stations: stations.Count(p => g.Area.Covers(p))))
            .OrderByDescending(g => g.Covers + g.Stations).Take(5).ToList();
        var data = (await city.Server.QueryAsync(city.Keys.Analyst, "query($codes: [String!]) { grids(codes: $codes) { code elements { total byKind { kind count } } } }",
            new { codes = busiest.Select(b => b.Code).ToArray() }, Ct)).Ok();
        foreach (var grid in data["grids"]!.AsArray())
        {
            var expected = busiest.Single(b => b.Code == (string)grid!["code"]!);
            var byKind = grid!["elements"]!["byKind"]!.AsArray().ToDictionary(k => (string)k!["kind"]!, k => (long)k!["count"]!);
            Assert.Equal(expected.Covers, byKind.GetValueOrDefault("manhole_covers"));
            Assert.Equal(expected.Stations, byKind.GetValueOrDefault("monitoring_stations"));
            Assert.Equal(byKind.Values.Sum(), (long)grid["elements"]!["total"]!);
        }
    }
}
