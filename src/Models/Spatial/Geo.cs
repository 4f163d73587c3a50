using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace OneMap.Models.Spatial;

/// <summary>
/// The one entry point for geometry in OneMap: every stored geometry is WGS84 lon/lat (EPSG:4326) built by
/// <see cref="Factory"/>, with x = longitude and y = latitude.
/// </summary>
public static class Geo
{
    /// <summary>The SRID of every geometry OneMap stores (WGS84 longitude/latitude).</summary>
    public const int Srid = 4326;

    /// <summary>Mean Earth radius (IUGG) used for the spherical distance and area approximations, in metres.</summary>
    public const double EarthRadiusMeters = 6_371_008.8;

    private static readonly NtsGeometryServices Services = new(
        NetTopologySuite.Geometries.Implementation.CoordinateArraySequenceFactory.Instance,
        new PrecisionModel(PrecisionModels.Floating),
        Srid);

    /// <summary>The geometry factory for SRID 4326 with floating precision.</summary>
    public static GeometryFactory Factory { get; } = Services.CreateGeometryFactory();

    /// <summary>A point at (longitude, latitude); both are checked against their ranges.</summary>
    public static Point Point(double longitude, double latitude)
    {
        CheckLonLat(longitude, latitude);
        return Factory.CreatePoint(new Coordinate(longitude, latitude));
    }

    /// <summary>A line through the given (longitude, latitude) pairs.</summary>
    public static LineString Line(IEnumerable<(double Lon, double Lat)> points)
    {
        var coordinates = points.Select(p =>
        {
            CheckLonLat(p.Lon, p.Lat);
            return new Coordinate(p.Lon, p.Lat);
        }).ToArray();
        return Factory.CreateLineString(coordinates);
    }

    /// <summary>Throws when a longitude or latitude is outside its range or not a number.</summary>
    public static void CheckLonLat(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || longitude < -180 || longitude > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "longitude must be within [-180, 180]");
        }
        if (!double.IsFinite(latitude) || latitude < -90 || latitude > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "latitude must be within [-90, 90]");
        }
    }

    /// <summary>True when (longitude, latitude) are finite numbers inside their ranges.</summary>
    public static bool IsValidLonLat(double longitude, double latitude) =>
        double.IsFinite(longitude) && double.IsFinite(latitude) &&
        longitude is >= -180 and <= 180 && latitude is >= -90 and <= 90;

    /// <summary>Reads WKT into a geometry with SRID 4326 (an EWKT <c>SRID=…;</c> prefix other than 4326 is refused).</summary>
    public static Geometry FromWkt(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        try
        {
            var geometry = new WKTReader(Services).Read(wkt);
            return WithSrid(geometry, "WKT");
        }
        catch (ParseException e)
        {
            throw new GeometryFormatException($"invalid WKT: {e.Message} (input starts with '{Truncate(wkt)}')", e);
        }
    }

    /// <summary>Writes WKT (2D, no SRID prefix).</summary>
    public static string ToWkt(Geometry geometry) =>
        new WKTWriter(2) { OutputOrdinates = Ordinates.XY }.Write(geometry);

    /// <summary>Reads WKB or EWKB (either byte order) into a geometry with SRID 4326.</summary>
    public static Geometry FromWkb(byte[] wkb)
    {
        ArgumentNullException.ThrowIfNull(wkb);
        try
        {
            var geometry = new WKBReader(Services).Read(wkb);
            return WithSrid(geometry, "WKB");
        }
        catch (Exception e) when (e is ParseException or ArgumentException or IOException)
        {
            throw new GeometryFormatException($"invalid WKB ({wkb.Length} bytes): {e.Message}", e);
        }
    }

    /// <summary>Writes ISO/OGC WKB, little-endian, 2D, without SRID (what GeoParquet stores).</summary>
    public static byte[] ToWkb(Geometry geometry) =>
        new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false).Write(geometry);

    /// <summary>Writes PostGIS EWKB with the SRID (what <c>ST_GeomFromEWKB</c> and Npgsql parameters take).</summary>
    public static byte[] ToEwkb(Geometry geometry) =>
        new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false, emitM: false).Write(geometry);

    /// <summary>Great-circle distance in metres between two lon/lat points (haversine on the mean sphere).</summary>
    public static double DistanceMeters(double lon1, double lat1, double lon2, double lat2)
    {
        var p1 = double.DegreesToRadians(lat1);
        var p2 = double.DegreesToRadians(lat2);
        var dp = p2 - p1;
        var dl = double.DegreesToRadians(lon2 - lon1);
        var h = Math.Sin(dp / 2) * Math.Sin(dp / 2) + Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Length in metres of a lon/lat line (sum of great-circle segment lengths).</summary>
    public static double LengthMeters(LineString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var total = 0.0;
        var coordinates = line.Coordinates;
        for (var i = 1; i < coordinates.Length; i++)
        {
            total += DistanceMeters(coordinates[i - 1].X, coordinates[i - 1].Y, coordinates[i].X, coordinates[i].Y);
        }
        return total;
    }

    /// <summary>
    /// Area in square metres of a lon/lat polygon or multipolygon on the mean sphere (exact spherical polygon area;
    /// within about 0.5 % of the ellipsoidal area).
    /// </summary>
    public static double AreaSquareMeters(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return geometry switch
        {
            Polygon polygon => Math.Abs(RingArea(polygon.ExteriorRing.Coordinates)) -
                               polygon.InteriorRings.Sum(r => Math.Abs(RingArea(r.Coordinates))),
            GeometryCollection collection => collection.Geometries.Sum(AreaSquareMeters),
            _ => 0,
        };
    }

    // Signed area of a ring on the sphere by the line-integral formula (Chamberlain & Duquette, JPL 2007).
    private static double RingArea(Coordinate[] ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Length - 1; i++)
        {
            var a = ring[i];
            var b = ring[i + 1];
            sum += double.DegreesToRadians(b.X - a.X) *
                   (2 + Math.Sin(double.DegreesToRadians(a.Y)) + Math.Sin(double.DegreesToRadians(b.Y)));
        }
        return sum * EarthRadiusMeters * EarthRadiusMeters / 2;
    }

    private static Geometry WithSrid(Geometry geometry, string format)
    {
        if (geometry.SRID != Srid && geometry.SRID > 0)
        {
            throw new GeometryFormatException(
                $"{format} carries SRID {geometry.SRID}; OneMap stores EPSG:4326 only (convert with OneMap.Models.Crs first)");
        }
        if (geometry.SRID != Srid)
        {
            geometry = Factory.CreateGeometry(geometry);
        }
        return geometry;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
