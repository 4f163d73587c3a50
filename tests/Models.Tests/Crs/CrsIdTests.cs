using OneMap.Models.Crs;

namespace OneMap.Models.Tests.Crs;

public sealed class CrsIdTests
{
    [Theory]
    [InlineData("EPSG:4326", "EPSG:4326")]
    [InlineData("WGS84", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326")]
    [InlineData("CGCS2000", "EPSG:4490")]
    [InlineData("urn:ogc:def:crs:EPSG::4490", "EPSG:4490")]
    [InlineData("epsg:4549", "EPSG:4549")]
    [InlineData("4528", "EPSG:4528")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4528", "EPSG:4528")]
    [InlineData("GCJ-02", "GCJ-02")]
    [InlineData("gcj02", "GCJ-02")]
    [InlineData("BD-09", "BD-09")]
    [InlineData("bd09ll", "BD-09")]
    public void parses_the_names_departments_use(string name, string canonical)
    {
        Assert.Equal(canonical, CrsId.Parse(name).Name);
    }

    [Theory]
    [InlineData(4528, 3, 40, 120, true)]
    [InlineData(4549, 3, 40, 120, false)]
    [InlineData(4513, 3, 25, 75, true)]
    [InlineData(4554, 3, 45, 135, false)]
    [InlineData(4500, 6, 22, 129, true)]
    [InlineData(4511, 6, 22, 129, false)]
    public void gauss_kruger_codes_map_to_their_zones(int epsg, int width, int zone, int centralMeridian, bool prefix)
    {
        var crs = CrsId.FromEpsg(epsg);
        Assert.Equal(CrsKind.Cgcs2000GaussKruger, crs.Kind);
        Assert.Equal(new GaussKrugerZone(width, zone, centralMeridian, prefix), crs.Zone);
    }

    [Fact]
    public void putian_zone_40_is_epsg_4528_with_prefix_and_4549_without()
    {
        Assert.Equal("EPSG:4528", CrsId.GaussKruger3(120, zonePrefix: true).Name);
        Assert.Equal("EPSG:4549", CrsId.GaussKruger3(120, zonePrefix: false).Name);
    }

    [Theory]
    [InlineData("EPSG:3857")]
    [InlineData("Beijing54")]
    [InlineData("")]
    public void refuses_unknown_systems_with_their_name(string name)
    {
        var error = Assert.Throws<UnknownCrsException>(() => CrsId.Parse(name));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }
}
