using System.Text.Json;
using NetTopologySuite.Geometries;
using OneMap.Models.Spatial;

namespace OneMap.Models.Tests.Spatial;

public sealed class GeoTests
{
    [Fact]
    public void points_are_lon_lat_with_srid_4326()
    {
        var point = Geo.Point(119.0077, 25.454);
        Assert.Equal(4326, point.SRID);
        Assert.Equal(119.0077, point.X);
        Assert.Equal(25.454, point.Y);
    }

    [Theory]
    [InlineData(181, 25)]
    [InlineData(119, -91)]
    [InlineData(double.NaN, 25)]
    public void rejects_coordinates_out_of_range(double lon, double lat)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Geo.Point(lon, lat));
    }

    [Theory]
    [InlineData("POINT (119 25.4)")]
    [InlineData("LINESTRING (119 25.4, 119.1 25.5, 119.2 25.45)")]
    [InlineData("POLYGON ((119 25, 119.1 25, 119.1 25.1, 119 25.1, 119 25), (119.02 25.02, 119.02 25.05, 119.05 25.05, 119.02 25.02))")]
    [InlineData("MULTIPOLYGON (((119 25, 119.1 25, 119.1 25.1, 119 25), (119.02 25.01, 119.08 25.01, 119.08 25.02, 119.02 25.01)), ((120 25, 120.1 25, 120.1 25.1, 120 25)))")]
    [InlineData("MULTILINESTRING ((119 25, 119.1 25), (119.2 25, 119.3 25.1))")]
    [InlineData("MULTIPOINT ((119 25), (119.1 25.1))")]
    [InlineData("GEOMETRYCOLLECTION (POINT (119 25), LINESTRING (119 25, 119.1 25.1))")]
    public void wkt_wkb_and_geojson_round_trip(string wkt)
    {
        var geometry = Geo.FromWkt(wkt);
        Assert.Equal(4326, geometry.SRID);
        Assert.True(Geo.FromWkb(Geo.ToWkb(geometry)).EqualsExact(geometry));
        Assert.True(Geo.FromWkb(Geo.ToEwkb(geometry)).EqualsExact(geometry));
        Assert.True(Geo.FromWkt(Geo.ToWkt(geometry)).EqualsExact(geometry));
        var back = GeoJson.Parse(GeoJson.ToJson(geometry));
        Assert.Equal(4326, back.SRID);
        // GeoJSON may reverse rings to the RFC 7946 orientation, so compare topologically.
        Assert.True(back.Normalized().EqualsExact(geometry.Normalized()), $"{wkt} came back as {back}");
    }

    [Fact]
    public void geojson_polygons_follow_the_right_hand_rule()
    {
        var clockwise = Geo.FromWkt("POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))");
        var json = GeoJson.ToJson(clockwise);
        Assert.Equal("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}", json);
    }

    [Fact]
    public void geojson_rounds_coordinates_when_asked()
    {
        Assert.Equal("{\"type\":\"Point\",\"coordinates\":[119.123457,25.1]}", GeoJson.ToJson(Geo.Point(119.1234567, 25.1), decimals: 6));
    }

    [Fact]
    public void refuses_ewkb_in_another_srid_naming_it()
    {
        var projected = new GeometryFactory(new PrecisionModel(), 4549).CreatePoint(new Coordinate(500000, 2800000));
        var ewkb = new NetTopologySuite.IO.WKBWriter(NetTopologySuite.IO.ByteOrder.LittleEndian, handleSRID: true).Write(projected);
        var error = Assert.Throws<GeometryFormatException>(() => Geo.FromWkb(ewkb));
        Assert.Contains("4549", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POINT (1 2", "invalid WKT")]
    [InlineData("CIRCLE (1 2)", "invalid WKT")]
    public void bad_wkt_gets_a_clear_error(string wkt, string expected)
    {
        var error = Assert.Throws<GeometryFormatException>(() => Geo.FromWkt(wkt));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"Point\"}", "no \"coordinates\"")]
    [InlineData("{\"type\":\"Circle\",\"coordinates\":[1,2]}", "unknown GeoJSON geometry type")]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[\"1\",2]}", "holds numbers")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", "must be closed")]
    [InlineData("[1,2]", "must be an object")]
    [InlineData("{\"type\":", "invalid GeoJSON")]
    public void bad_geojson_gets_a_clear_error(string json, string expected)
    {
        var error = Assert.Throws<GeometryFormatException>(() => GeoJson.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void reads_the_legacy_crs_member()
    {
        using var document = JsonDocument.Parse(
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4549\"}},\"features\":[]}");
        Assert.Equal("urn:ogc:def:crs:EPSG::4549", GeoJson.ReadCrsName(document.RootElement));
    }

    private sealed record Place(string Name, Point Location, Geometry Area);

    [Fact]
    public void the_json_converter_serializes_geometry_properties_as_geojson()
    {
        var options = new JsonSerializerOptions { Converters = { new GeoJsonGeometryConverter() } };
        var place = new Place("x", Geo.Point(119, 25.4), Geo.FromWkt("POLYGON ((0 0, 1 0, 1 1, 0 0))"));
        var json = JsonSerializer.Serialize(place, options);
        Assert.Contains("\"Location\":{\"type\":\"Point\",\"coordinates\":[119,25.4]}", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<Place>(json, options)!;
        Assert.True(back.Location.EqualsExact(place.Location));
        Assert.True(back.Area.EqualsTopologically(place.Area));
    }

    [Fact]
    public void distances_and_areas_are_in_metres()
    {
        // One degree of latitude on the mean sphere: 111.195 km.
        Assert.Equal(111_195, Geo.DistanceMeters(119, 25, 119, 26), 1.0);
        // A 1° × 1° cell at the equator: R² × (π/180) × sin(1°) ≈ 12,364 km².
        var cell = Geo.FromWkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
        Assert.Equal(12_364e6, Geo.AreaSquareMeters(cell), 0.002 * 12_364e6);
        var line = (LineString)Geo.FromWkt("LINESTRING (119 25, 119 25.5, 119 26)");
        Assert.Equal(111_195, Geo.LengthMeters(line), 1.0);
    }
}
