using OneMap.Models.Crs;
using OneMap.Models.Spatial;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace OneMap.Models.Tests.Crs;

public sealed class GaussKrugerTests
{
    private static readonly CrsId Zone40Prefixed = CrsId.FromEpsg(4528);
    private static readonly CrsId Zone40 = CrsId.FromEpsg(4549);

    [Fact]
    public void central_meridian_maps_to_the_false_easting_and_the_equator_to_zero()
    {
        var (e, n) = CoordinateConverter.FromWgs84(Zone40, 120, 0);
        Assert.Equal(500_000, e, 1e-6);
        Assert.Equal(0, n, 1e-6);
        var (ep, _) = CoordinateConverter.FromWgs84(Zone40Prefixed, 120, 0);
        Assert.Equal(40_500_000, ep, 1e-6);
    }

    [Fact]
    public void meridian_arc_to_45_degrees_matches_the_grs80_value()
    {
        // GRS80 (= CGCS2000 to 1e-4 mm here) meridian arc from the equator to 45°N: 4,984,944.378 m.
        var (_, n) = CoordinateConverter.FromWgs84(Zone40, 120, 45);
        Assert.Equal(4_984_944.378, n, 1e-3);
    }

    [Fact]
    public void zone_prefix_is_the_only_difference_between_4528_and_4549()
    {
        var (e1, n1) = CoordinateConverter.FromWgs84(Zone40Prefixed, 119.0077, 25.4540);
        var (e2, n2) = CoordinateConverter.FromWgs84(Zone40, 119.0077, 25.4540);
        Assert.Equal(40_000_000, e1 - e2, 1e-6);
        Assert.Equal(n1, n2);
    }

    [Fact]
    public void round_trips_to_a_tenth_of_a_millimetre_across_the_zone()
    {
        for (var lon = 118.5; lon <= 121.5; lon += 0.25)
        {
            for (var lat = 18.0; lat <= 45.0; lat += 1.5)
            {
                var (e, n) = CoordinateConverter.FromWgs84(Zone40Prefixed, lon, lat);
                var (backLon, backLat) = CoordinateConverter.ToWgs84(Zone40Prefixed, e, n);
                Assert.True(Geo.DistanceMeters(lon, lat, backLon, backLat) < 1e-4, $"({lon}, {lat}) came back as ({backLon}, {backLat})");
            }
        }
    }

    [Fact]
    public void agrees_with_projnet_transverse_mercator_to_a_millimetre_in_putian()
    {
        // A second, independent implementation (ProjNet's series) of the same projection.
        var factory = new CoordinateSystemFactory();
        var ellipsoid = factory.CreateFlattenedSphere("CGCS2000", 6378137, 298.257222101, LinearUnit.Metre);
        var datum = factory.CreateHorizontalDatum("China_2000", DatumType.HD_Geocentric, ellipsoid, null);
        var geographic = factory.CreateGeographicCoordinateSystem("China Geodetic Coordinate System 2000", AngularUnit.Degrees,
            datum, PrimeMeridian.Greenwich, new AxisInfo("Lon", AxisOrientationEnum.East), new AxisInfo("Lat", AxisOrientationEnum.North));
        var parameters = new List<ProjectionParameter>
        {
            new("latitude_of_origin", 0), new("central_meridian", 120), new("scale_factor", 1),
            new("false_easting", 500000), new("false_northing", 0),
        };
        var projection = factory.CreateProjection("Transverse Mercator", "Transverse_Mercator", parameters);
        var projected = factory.CreateProjectedCoordinateSystem("CGCS2000 / 3-degree Gauss-Kruger CM 120E", geographic, projection,
            LinearUnit.Metre, new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
        var transform = new CoordinateTransformationFactory().CreateFromCoordinateSystems(geographic, projected).MathTransform;

        for (var lon = 118.6; lon <= 119.6; lon += 0.1)
        {
            for (var lat = 25.0; lat <= 25.8; lat += 0.1)
            {
                var (pe, pn) = transform.Transform(lon, lat);
                var (e, n) = CoordinateConverter.FromWgs84(Zone40, lon, lat);
                Assert.Equal(pe, e, 1e-3);
                Assert.Equal(pn, n, 1e-3);
            }
        }
    }

    [Fact]
    public void an_easting_with_a_zone_prefix_is_refused_by_the_unprefixed_system_with_a_hint()
    {
        var error = Assert.Throws<CoordinateOutOfRangeException>(() => CoordinateConverter.ToWgs84(Zone40, 40_401_234.5, 2_815_000));
        Assert.Contains("zone prefix 40", error.Message, StringComparison.Ordinal);
        Assert.Contains("EPSG:4549", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_easting_without_its_prefix_is_refused_by_the_prefixed_system()
    {
        var error = Assert.Throws<CoordinateOutOfRangeException>(() => CoordinateConverter.ToWgs84(Zone40Prefixed, 401_234.5, 2_815_000));
        Assert.Contains("no zone prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void projected_metres_given_as_degrees_are_refused()
    {
        var error = Assert.Throws<CoordinateOutOfRangeException>(() => CoordinateConverter.ToWgs84(CrsId.Wgs84, 401_234.5, 2_815_000));
        Assert.Contains("looks projected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void converts_whole_geometries_and_keeps_their_shape()
    {
        var polygon = Geo.FromWkt("POLYGON ((119 25.4, 119.01 25.4, 119.01 25.41, 119 25.41, 119 25.4))");
        var projected = CoordinateConverter.FromWgs84(polygon, Zone40);
        Assert.Equal(4549, projected.SRID);
        // About 1 km × 1.1 km.
        Assert.InRange(projected.Area, 1.0e6, 1.2e6);
        var back = CoordinateConverter.ToWgs84(projected, Zone40);
        Assert.Equal(4326, back.SRID);
        Assert.True(back.EqualsExact(polygon, 1e-9));
    }
}
