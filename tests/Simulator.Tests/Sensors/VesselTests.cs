using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using OneMap.Models.Spatial;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Sensors;

[Collection("sample")]
public sealed class VesselTests(SampleFixture sample)
{
    [Fact]
    public void fence_crossings_in_the_ground_truth_are_exactly_those_in_the_exported_positions()
    {
        // Independent of the generator: positions and fences read back from the files.
        using var fencesDoc = sample.Json("marine/fences.geojson");
        var fences = fencesDoc.RootElement.GetProperty("features").EnumerateArray().Select(f =>
            (Id: f.GetProperty("properties").GetProperty("fence_id").GetString()!, Area: PreparedGeometryFactory.Prepare(GeoJson.ReadGeometry(f.GetProperty("geometry"))))).ToList();
        Assert.True(fences.Count >= 4);
        var inside = new Dictionary<(string, string), DateTimeOffset>();
        var found = new List<(string Vessel, string Fence, string Entered, string? Exited)>();
        var open = new Dictionary<(string, string), int>();
        foreach (var cells in sample.GzipLines("marine/vessel-positions.csv.gz").Skip(1).Select(l => l.Split(',')))
        {
            var (lon, lat) = (double.Parse(cells[3], CultureInfo.InvariantCulture), double.Parse(cells[4], CultureInfo.InvariantCulture));
            if (lon == 0 && lat == 0)
            {
                continue; // a GPS glitch, listed as a bad row
            }
            var point = Geo.Point(lon, lat);
            foreach (var (id, area) in fences)
            {
                var key = (cells[1], id);
                var now = area.Contains(point);
                if (now && !inside.ContainsKey(key))
                {
                    inside[key] = default;
                    open[key] = found.Count;
                    found.Add((cells[1], id, cells[2], null));
                }
                else if (!now && inside.Remove(key))
                {
                    found[open[key]] = found[open[key]] with { Exited = cells[2] };
                }
            }
        }
        using var truth = sample.Json("ground-truth/fence-crossings.json");
        var stated = truth.RootElement.EnumerateArray().Select(c => (c.GetProperty("vessel_id").GetString()!, c.GetProperty("fence_id").GetString()!,
            c.GetProperty("entered_at").GetString()!, c.GetProperty("exited_at").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("exited_at").GetString())).ToList();
        Assert.NotEmpty(stated);
        Assert.Equal(stated.Order(), found.Order());
        Assert.Contains(stated, c => c.Item2 == "F-01");
    }

    [Fact]
    public void vessels_report_every_minute_and_stay_at_sea()
    {
        var fleet = sample.City.Fleet;
        var minutes = sample.City.Options.VesselDays * 1440;
        Assert.Equal(fleet.Vessels.Count * minutes, fleet.Fixes.Count);
        foreach (var group in fleet.Fixes.GroupBy(f => f.Vessel))
        {
            var times = group.Select(f => f.At).ToList();
            Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(TimeSpan.FromMinutes(1), p.Second - p.First));
        }
        var land = sample.City.Land;
        var ashore = fleet.Fixes.Count(f =>
        {
            var (x, y) = Geography.LocalFrame.ToKm(f.Lon, f.Lat);
            return land.Contains(x, y);
        });
        Assert.True(ashore == 0, $"{ashore} fixes on land");
        Assert.True(fleet.Fixes.Max(f => f.SpeedKnots) > 5);
    }
}
