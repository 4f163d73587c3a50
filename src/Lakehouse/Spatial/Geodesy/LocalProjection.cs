using NetTopologySuite.Geometries;

using OneMap.Models.Crs;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// The metric projection PostGIS picks for a geography operation done in a plane (its <c>_ST_BestSRID</c>): the UTM zone
/// of the geometry's centre when the geometry is under 6° wide, which covers any city. Wider geometries use an
/// azimuthal equal-area projection on the mean sphere centred on them (PostGIS uses its own LAEA zones there).
/// </summary>
public sealed class LocalProjection
{
    private readonly TransverseMercator? _utm;
    private readonly double _centerLon;
    private readonly double _centerLat;

    private LocalProjection(TransverseMercator? utm, double centerLon, double centerLat, string name)
    {
        _utm = utm;
        _centerLon = centerLon;
        _centerLat = centerLat;
        Name = name;
    }

    /// <summary>e.g. <c>UTM 50N</c>.</summary>
    public string Name { get; }

    /// <summary>The projection for a non-empty geometry, chosen from its geocentric bounding box as PostGIS does.</summary>
    public static LocalProjection For(Geometry geometry)
    {
        var box = GeocentricBox.Of(geometry) ?? throw new GeometryOperationException("best projection", "empty geometry");
        var (centerLon, centerLat) = box.Centroid();
        var widthDegrees = 180.0 * box.AngularWidth() / Math.PI;
        if (widthDegrees < 6.0 && Math.Abs(centerLat) <= 70.0)
        {
            var zone = Math.Min((int)Math.Floor((centerLon + 180.0) / 6.0), 59);
            var south = centerLat < 0.0;
            return new LocalProjection(Utm(zone + 1, south), centerLon, centerLat, $"UTM {zone + 1}{(south ? 'S' : 'N')}");
        }
        return new LocalProjection(null, centerLon, centerLat, $"LAEA {centerLat:0.###} {centerLon:0.###}");
    }

    /// <summary>UTM zone 1–60 on WGS84 (k0 0.9996, false easting 500 km, false northing 10,000 km in the south).</summary>
    private static TransverseMercator Utm(int zone, bool south) =>
        new(Ellipsoid.Wgs84, (zone * 6) - 183, 0.9996, 500000, south ? 10000000 : 0);

    public Geometry Project(Geometry geometry) => Transform(geometry, Forward);

    public Geometry Unproject(Geometry geometry) => Transform(geometry, Inverse);

    private (double X, double Y) Forward(double lon, double lat)
    {
        if (_utm is not null)
        {
            return _utm.Forward(lon, lat);
        }
        // Lambert azimuthal equal-area on the mean sphere.
        var r = Spheroid.Wgs84.Radius;
        double phi = lat * Math.PI / 180, phi0 = _centerLat * Math.PI / 180, dl = (lon - _centerLon) * Math.PI / 180;
        var k = Math.Sqrt(2 / (1 + (Math.Sin(phi0) * Math.Sin(phi)) + (Math.Cos(phi0) * Math.Cos(phi) * Math.Cos(dl))));
        return (r * k * Math.Cos(phi) * Math.Sin(dl), r * k * ((Math.Cos(phi0) * Math.Sin(phi)) - (Math.Sin(phi0) * Math.Cos(phi) * Math.Cos(dl))));
    }

    private (double X, double Y) Inverse(double x, double y)
    {
        if (_utm is not null)
        {
            return _utm.Inverse(x, y);
        }
        var r = Spheroid.Wgs84.Radius;
        var rho = Math.Sqrt((x * x) + (y * y));
        if (rho == 0)
        {
            return (_centerLon, _centerLat);
        }
        var c = 2 * Math.Asin(rho / (2 * r));
        var phi0 = _centerLat * Math.PI / 180;
        var phi = Math.Asin((Math.Cos(c) * Math.Sin(phi0)) + (y * Math.Sin(c) * Math.Cos(phi0) / rho));
        var lambda = Math.Atan2(x * Math.Sin(c), (rho * Math.Cos(phi0) * Math.Cos(c)) - (y * Math.Sin(phi0) * Math.Sin(c)));
        return (_centerLon + (lambda * 180 / Math.PI), phi * 180 / Math.PI);
    }

    private static Geometry Transform(Geometry geometry, Func<double, double, (double, double)> map)
    {
        var copy = geometry.Copy();
        copy.Apply(new MapFilter(map));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class MapFilter(Func<double, double, (double, double)> map) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = map(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
