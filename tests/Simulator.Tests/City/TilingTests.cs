using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using OneMap.Models.Crs;
using OneMap.Models.Spatial;
using OneMap.Simulator.Geography;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.City;

/// <summary>Every level of the administrative hierarchy tiles its parent: areas add up, nothing overlaps, nothing is missing.</summary>
[Collection("sample")]
public sealed class TilingTests(SampleFixture sample)
{
    private AdminMap Map => sample.City.Admin;

    [Fact]
    public void the_city_has_the_sizes_issue_3_asks_for()
    {
        Assert.Equal(5, Map.Districts.Count);
        Assert.InRange(Map.Towns.Count, 35, 45);
        Assert.InRange(Map.Communities.Count, 400, 500);
        Assert.InRange(Map.Grids.Count, 1300, 1500);
        Assert.InRange(Map.MicroGrids.Count, 200, 600);
        Assert.All(Map.Grids, g => Assert.InRange(g.Households, 1, 500));
        Assert.All(Map.MicroGrids, m => Assert.InRange(m.Households, 50, 80));
        Assert.Equal(Map.Grids.Count, Map.Grids.Select(g => g.Code).Distinct().Count());
    }

    [Fact]
    public void districts_tile_the_land()
    {
        AssertTiles(sample.City.Land.Outline, Map.Districts.Select(d => d.Shape).ToList(), "land");
    }

    [Fact]
    public void towns_tile_districts_communities_tile_towns_grids_tile_communities_micro_grids_tile_grids()
    {
        AssertLevel(Map.Districts, Map.Towns);
        AssertLevel(Map.Towns, Map.Communities);
        AssertLevel(Map.Communities, Map.Grids);
        var withMicro = Map.MicroGrids.Select(m => m.Parent).Distinct().ToList();
        Assert.NotEmpty(withMicro);
        foreach (var g in withMicro)
        {
            AssertTiles(Map.Grids[g].Shape, Map.MicroGrids.Where(m => m.Parent == g).Select(m => m.Shape).ToList(), Map.Grids[g].Code);
        }
    }

    [Fact]
    public void households_roll_up_the_hierarchy()
    {
        for (var c = 0; c < Map.Communities.Count; c++)
        {
            Assert.Equal(Map.Communities[c].Households, Map.Grids.Where(g => g.Parent == c).Sum(g => g.Households));
        }
        Assert.Equal(Map.Grids.Sum(g => g.Households), Map.Districts.Sum(d => d.Households));
    }

    [Fact]
    public void exported_grids_in_epsg_4549_tile_the_exported_communities_after_conversion()
    {
        // Read both files back: communities in WGS84, grids in CGCS2000 Gauss-Krüger zone 40 without prefix.
        var communities = ReadFeatures("admin/communities.geojson", "code");
        var grids = ReadFeatures("admin/grids.geojson", "code", "parent_code");
        Assert.Equal(Map.Grids.Count, grids.Count);
        Assert.All(grids, g => Assert.True(g.Geometry.IsValid, $"grid {g.Code} is not valid"));
        Assert.All(communities, c => Assert.True(c.Geometry.IsValid, $"community {c.Code} is not valid"));
        var byParent = grids.ToLookup(g => g.Parent);
        foreach (var community in communities)
        {
            var children = byParent[community.Code].Select(g => g.Geometry).ToList();
            Assert.NotEmpty(children);
            var area = community.Geometry.Area;
            // Millimetre rounding of the projected file moves each vertex by up to ~1e-8°: allow the perimeter times that.
            Assert.Equal(area, children.Sum(c => c.Area), community.Geometry.Length * 3e-8);
        }
        AssertNoOverlaps(grids.Select(g => g.Geometry).ToList(), 1e-14);
    }

    [Fact]
    public void reaches_exported_in_epsg_4528_convert_back_to_their_course_within_a_centimetre()
    {
        var reaches = ReadFeatures("water/river-reaches.geojson", "reach_id");
        Assert.Equal(sample.City.Rivers.Reaches.Count, reaches.Count);
        foreach (var reach in reaches)
        {
            var original = sample.City.Rivers.Reaches.Single(r => r.Record.Id == reach.Code).Record.Geometry;
            var a = original.Coordinates;
            var b = reach.Geometry.Coordinates;
            Assert.Equal(a.Length, b.Length);
            for (var i = 0; i < a.Length; i++)
            {
                Assert.True(Geo.DistanceMeters(a[i].X, a[i].Y, b[i].X, b[i].Y) < 0.01, $"{reach.Code} vertex {i} moved");
            }
        }
    }

    internal sealed record Feature(string Code, string Parent, Geometry Geometry);

    /// <summary>Features of an exported GeoJSON file, converted to WGS84 from the CRS its <c>crs</c> member names.</summary>
    internal List<Feature> ReadFeatures(string file, string codeProperty, string? parentProperty = null)
    {
        using var document = sample.Json(file);
        var crs = GeoJson.ReadCrsName(document.RootElement) is { } name ? CrsId.Parse(name) : CrsId.Wgs84;
        return document.RootElement.GetProperty("features").EnumerateArray().Select(f =>
        {
            var geometry = GeoJson.ReadGeometry(f.GetProperty("geometry"));
            var properties = f.GetProperty("properties");
            return new Feature(properties.GetProperty(codeProperty).GetString()!,
                parentProperty is null ? "" : properties.GetProperty(parentProperty).GetString()!,
                crs == CrsId.Wgs84 ? geometry : CoordinateConverter.ToWgs84(geometry, crs));
        }).ToList();
    }

    private static void AssertLevel(List<Unit> parents, List<Unit> children)
    {
        for (var p = 0; p < parents.Count; p++)
        {
            AssertTiles(parents[p].Shape, children.Where(c => c.Parent == p).Select(c => c.Shape).ToList(), parents[p].Code);
        }
    }

    // In the local frame the shared edges are bit-identical, so the tolerances are at floating-point noise.
    private static void AssertTiles(Geometry parent, List<Geometry> children, string name)
    {
        Assert.NotEmpty(children);
        Assert.True(parent.IsValid, $"{name} is not valid");
        Assert.All(children, c => Assert.True(c.IsValid && !c.IsEmpty, $"a part of {name} is invalid or empty"));
        var sum = children.Sum(c => c.Area);
        Assert.True(Math.Abs(parent.Area - sum) <= parent.Area * 1e-9, $"{name}: parts add up to {sum} km², the whole is {parent.Area} km²");
        var union = NetTopologySuite.Operation.Union.UnaryUnionOp.Union(children);
        var gap = parent.SymmetricDifference(union).Area;
        Assert.True(gap <= parent.Area * 1e-9, $"{name}: union of its parts differs from it by {gap} km²");
        AssertNoOverlaps(children, parent.Area * 1e-12);
    }

    private static void AssertNoOverlaps(List<Geometry> parts, double tolerance)
    {
        var index = new STRtree<int>();
        for (var i = 0; i < parts.Count; i++)
        {
            index.Insert(parts[i].EnvelopeInternal, i);
        }
        for (var i = 0; i < parts.Count; i++)
        {
            foreach (var j in index.Query(parts[i].EnvelopeInternal))
            {
                if (j <= i)
                {
                    continue;
                }
                var overlap = parts[i].Intersection(parts[j]).Area;
                Assert.True(overlap <= tolerance, $"parts {i} and {j} overlap by {overlap}");
            }
        }
    }
}
