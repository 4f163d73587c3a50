using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using OneMap.Models.Rivers;
using OneMap.Models.Spatial;
using OneMap.Simulator.Output;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.City;

[Collection("sample")]
public sealed class RiverTests(SampleFixture sample)
{
    [Fact]
    public void reaches_form_a_tree_that_drains_to_one_mouth_at_the_sea()
    {
        var reaches = sample.City.Rivers.Reaches.Select(r => r.Record).ToList();
        var byId = reaches.ToDictionary(r => r.Id);
        var outlets = reaches.Where(r => r.DownstreamReachId is null).ToList();
        Assert.Single(outlets);
        var nodes = sample.City.Rivers.Nodes.ToDictionary(n => n.Id);
        Assert.Equal(RiverNodeKind.Mouth, nodes[outlets[0].ToNode].Kind);
        foreach (var reach in reaches)
        {
            // Following the flow from any reach ends at the mouth without revisiting a reach.
            var seen = new HashSet<string>();
            var current = reach;
            while (current.DownstreamReachId is { } next)
            {
                Assert.True(seen.Add(current.Id), $"cycle through {current.Id}");
                Assert.Equal(current.ToNode, byId[next].FromNode);
                current = byId[next];
            }
            Assert.Equal(outlets[0].Id, current.Id);
        }
        // A tree: every node but the sources has reaches flowing in; every node but the mouth has exactly one flowing out.
        foreach (var node in nodes.Values)
        {
            var outgoing = reaches.Count(r => r.FromNode == node.Id);
            var incoming = reaches.Count(r => r.ToNode == node.Id);
            Assert.Equal(node.Kind == RiverNodeKind.Mouth ? 0 : 1, outgoing);
            Assert.Equal(node.Kind == RiverNodeKind.Source ? 0 : node.Kind == RiverNodeKind.Confluence ? 2 : 1, incoming);
        }
        // The mouth lies at sea, off the land.
        var mouth = sample.City.Rivers.Rivers[0].Points[^1];
        Assert.True(sample.City.Land.IsSea(mouth.X, mouth.Y));
        Assert.True(reaches.Count(r => r.RiverName == "木兰溪") >= 10);
        Assert.InRange(sample.City.Rivers.Rivers.Count, 8, 14);
    }

    [Fact]
    public void reach_geometry_runs_in_flow_direction_from_node_to_node_and_rivers_meet_only_at_nodes()
    {
        var nodes = sample.City.Rivers.Nodes.ToDictionary(n => n.Id);
        var reaches = sample.City.Rivers.Reaches.Select(r => r.Record).ToList();
        foreach (var r in reaches)
        {
            Assert.True(r.Geometry.StartPoint.EqualsExact(nodes[r.FromNode].Location, 1e-12), $"{r.Id} does not start at {r.FromNode}");
            Assert.True(r.Geometry.EndPoint.EqualsExact(nodes[r.ToNode].Location, 1e-12), $"{r.Id} does not end at {r.ToNode}");
            Assert.Equal(Geo.LengthMeters(r.Geometry), r.LengthMeters, 0.1);
            Assert.InRange(r.FlowSpeedMetersPerSecond, 0.2, 1.5);
            Assert.True(r.Geometry.IsSimple, $"{r.Id} crosses itself");
        }
        for (var i = 0; i < reaches.Count; i++)
        {
            for (var j = i + 1; j < reaches.Count; j++)
            {
                var meet = reaches[i].Geometry.Intersection(reaches[j].Geometry);
                if (meet.IsEmpty)
                {
                    continue;
                }
                var shared = new[] { reaches[i].FromNode, reaches[i].ToNode }.Intersect([reaches[j].FromNode, reaches[j].ToNode]).ToList();
                Assert.True(meet is Point && shared.Count == 1 && meet.EqualsExact(nodes[shared[0]].Location, 1e-9),
                    $"{reaches[i].Id} and {reaches[j].Id} meet at {meet} away from a shared node");
            }
        }
    }

    [Fact]
    public void every_station_and_sampling_point_in_the_gb18030_export_lies_on_its_reach()
    {
        var reaches = sample.City.Rivers.Reaches.ToDictionary(r => r.Record.Id, r => r.Record.Geometry);
        var text = TextEncodings.Gb18030.GetString(File.ReadAllBytes(sample.PathOf("ecology/stations.csv")));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("站点编码,站点名称,站点类型,所在河流,所在河段,距河段起点(米),水质目标,监测频次,经度,纬度", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(60, rows.Count(r => r[2] == "水质自动站"));
        Assert.Equal(53, rows.Count(r => r[2] == "手工监测断面"));
        foreach (var row in rows)
        {
            var lon = double.Parse(row[8], CultureInfo.InvariantCulture);
            var lat = double.Parse(row[9], CultureInfo.InvariantCulture);
            var line = reaches[row[4]];
            var nearest = NetTopologySuite.Operation.Distance.DistanceOp.NearestPoints(line, Geo.Point(lon, lat))[0];
            var metres = Geo.DistanceMeters(lon, lat, nearest.X, nearest.Y);
            Assert.True(metres < 0.5, $"{row[0]} is {metres:F2} m off reach {row[4]}");
            // And where along the reach it says it is.
            var along = new NetTopologySuite.LinearReferencing.LengthIndexedLine(line).ExtractPoint(
                new NetTopologySuite.LinearReferencing.LengthIndexedLine(line).Project(new Coordinate(lon, lat)));
            Assert.True(Geo.DistanceMeters(along.X, along.Y, lon, lat) < 0.5);
        }
    }
}
