using NetTopologySuite.Geometries;
using OneMap.Models.Spatial;

namespace OneMap.Simulator.Geography;

/// <summary>
/// The simulator builds the city in a local planar frame in kilometres (equirectangular around Putian), where
/// distances and Voronoi cells are isotropic, and converts to WGS84 only on output. The conversion is a fixed affine
/// map evaluated per coordinate, so vertices shared by two polygons stay bit-identical after it.
/// </summary>
public static class LocalFrame
{
    /// <summary>Origin of the frame.</summary>
    public const double OriginLon = 119.0, OriginLat = 25.4;

    /// <summary>Kilometres per degree of longitude at 25.4°N and per degree of latitude (WGS84, rounded to 1 m).</summary>
    public const double KmPerDegLon = 100.593, KmPerDegLat = 110.775;

    /// <summary>Geometries in the local frame (SRID 0, kilometres).</summary>
    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 0);

    public static (double Lon, double Lat) ToLonLat(double x, double y) => (OriginLon + x / KmPerDegLon, OriginLat + y / KmPerDegLat);

    public static (double X, double Y) ToKm(double lon, double lat) => ((lon - OriginLon) * KmPerDegLon, (lat - OriginLat) * KmPerDegLat);

    public static Coordinate Km(double lon, double lat)
    {
        var (x, y) = ToKm(lon, lat);
        return new Coordinate(x, y);
    }

    /// <summary>A WGS84 copy (SRID 4326) of a local-frame geometry.</summary>
    public static T ToWgs84<T>(T geometry)
        where T : NetTopologySuite.Geometries.Geometry
    {
        var copy = (T)Geo.Factory.CreateGeometry(geometry);
        copy.Apply(new ToLonLatFilter());
        copy.GeometryChanged();
        return copy;
    }

    public static Point PointWgs84(double x, double y)
    {
        var (lon, lat) = ToLonLat(x, y);
        return Geo.Point(lon, lat);
    }

    private sealed class ToLonLatFilter : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (lon, lat) = ToLonLat(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, lon);
                seq.SetY(i, lat);
            }
        }
    }
}
