using System.Collections.Concurrent;
using System.Globalization;
using NetTopologySuite.Geometries;
using OneMap.Models.Spatial;

namespace OneMap.Models.Crs;

/// <summary>
/// Converts coordinates between WGS84 (what OneMap stores) and the coordinate systems departments send:
/// CGCS2000 geographic (taken as WGS84: the two agree within centimetres), CGCS2000 Gauss-Krüger zones, GCJ-02, BD-09.
/// </summary>
public static class CoordinateConverter
{
    private static readonly ConcurrentDictionary<int, TransverseMercator> Projections = new();

    /// <summary>Converts (x, y) in <paramref name="from"/> (lon/lat, or easting/northing in metres) to WGS84 (lon, lat).</summary>
    public static (double Longitude, double Latitude) ToWgs84(CrsId from, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            throw new CoordinateOutOfRangeException($"coordinate ({Format(x)}, {Format(y)}) in {from} is not a pair of finite numbers");
        }
        switch (from.Kind)
        {
            case CrsKind.Wgs84 or CrsKind.Cgcs2000:
                CheckGeographic(from, x, y);
                return (x, y);
            case CrsKind.Gcj02:
                CheckGeographic(from, x, y);
                return ChinaOffsets.Gcj02ToWgs84(x, y);
            case CrsKind.Bd09:
                CheckGeographic(from, x, y);
                return ChinaOffsets.Bd09ToWgs84(x, y);
            default:
                CheckProjected(from, x, y);
                return ProjectionOf(from).Inverse(x, y);
        }
    }

    /// <summary>
    /// Converts many points in place (x/y in <paramref name="from"/> to WGS84 lon/lat), vectorised for GCJ-02 and BD-09.
    /// A point that cannot be converted keeps its input and gets the reason in <paramref name="errors"/>; a point whose
    /// error is already set is skipped.
    /// </summary>
    public static void ToWgs84(CrsId from, Span<double> xs, Span<double> ys, Span<string?> errors)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (xs.Length != ys.Length || xs.Length != errors.Length)
        {
            throw new ArgumentException($"{xs.Length} x, {ys.Length} y and {errors.Length} error slots must be as many", nameof(errors));
        }
        if (from.Kind is not (CrsKind.Gcj02 or CrsKind.Bd09))
        {
            for (var i = 0; i < xs.Length; i++)
            {
                if (errors[i] is null)
                {
                    try
                    {
                        (xs[i], ys[i]) = ToWgs84(from, xs[i], ys[i]);
                    }
                    catch (ModelException e)
                    {
                        errors[i] = e.Message;
                    }
                }
            }
            return;
        }
        // Checked one by one first; a point that fails (or was skipped) goes through the batch as (0, 0), outside China,
        // where both offsets are the identity, and gets its input back afterwards.
        Span<double> keptX = xs.Length <= 512 ? stackalloc double[xs.Length] : new double[xs.Length];
        Span<double> keptY = ys.Length <= 512 ? stackalloc double[ys.Length] : new double[ys.Length];
        xs.CopyTo(keptX);
        ys.CopyTo(keptY);
        for (var i = 0; i < xs.Length; i++)
        {
            if (errors[i] is null)
            {
                errors[i] = GeographicProblem(from, xs[i], ys[i]);
            }
            if (errors[i] is not null)
            {
                xs[i] = 0;
                ys[i] = 0;
            }
        }
        if (from.Kind == CrsKind.Gcj02)
        {
            ChinaOffsets.Gcj02ToWgs84(xs, ys);
        }
        else
        {
            ChinaOffsets.Bd09ToWgs84(xs, ys);
        }
        for (var i = 0; i < xs.Length; i++)
        {
            if (errors[i] is not null)
            {
                xs[i] = keptX[i];
                ys[i] = keptY[i];
            }
        }
    }

    private static string? GeographicProblem(CrsId from, double x, double y)
    {
        try
        {
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                throw new CoordinateOutOfRangeException($"coordinate ({Format(x)}, {Format(y)}) in {from} is not a pair of finite numbers");
            }
            CheckGeographic(from, x, y);
            return null;
        }
        catch (ModelException e)
        {
            return e.Message;
        }
    }

    /// <summary>Converts WGS84 (lon, lat) to (x, y) in <paramref name="to"/>.</summary>
    public static (double X, double Y) FromWgs84(CrsId to, double longitude, double latitude)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (!Geo.IsValidLonLat(longitude, latitude))
        {
            throw new CoordinateOutOfRangeException($"({Format(longitude)}, {Format(latitude)}) is not a WGS84 longitude/latitude");
        }
        return to.Kind switch
        {
            CrsKind.Wgs84 or CrsKind.Cgcs2000 => (longitude, latitude),
            CrsKind.Gcj02 => ChinaOffsets.Wgs84ToGcj02(longitude, latitude),
            CrsKind.Bd09 => ChinaOffsets.Wgs84ToBd09(longitude, latitude),
            _ => ProjectionOf(to).Forward(longitude, latitude),
        };
    }

    /// <summary>Converts (x, y) between any two supported systems (through WGS84).</summary>
    public static (double X, double Y) Convert(CrsId from, CrsId to, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from == to)
        {
            return (x, y);
        }
        var (lon, lat) = ToWgs84(from, x, y);
        return FromWgs84(to, lon, lat);
    }

    /// <summary>A copy of <paramref name="geometry"/> (coordinates in <paramref name="from"/>) in WGS84 with SRID 4326.</summary>
    public static Geometry ToWgs84(Geometry geometry, CrsId from)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return Transform(geometry, c => ToWgs84(from, c.X, c.Y));
    }

    /// <summary>A copy of the WGS84 <paramref name="geometry"/> with coordinates in <paramref name="to"/> (SRID kept at 4326 only for WGS84).</summary>
    public static Geometry FromWgs84(Geometry geometry, CrsId to)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var result = Transform(geometry, c => FromWgs84(to, c.X, c.Y));
        result.SRID = to.Epsg ?? 0;
        return result;
    }

    /// <summary>The transverse Mercator of a Gauss-Krüger system (for callers that project many points).</summary>
    public static TransverseMercator ProjectionOf(CrsId crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var zone = crs.Zone ?? throw new UnknownCrsException($"{crs} is not a projected coordinate system");
        return Projections.GetOrAdd(crs.Epsg!.Value, _ =>
            new TransverseMercator(Ellipsoid.Cgcs2000, zone.CentralMeridian, 1.0, zone.FalseEasting, 0.0));
    }

    private static Geometry Transform(Geometry geometry, Func<Coordinate, (double X, double Y)> convert)
    {
        var copy = Geo.Factory.CreateGeometry(geometry);
        copy.Apply(new CoordinateFilter(convert));
        copy.GeometryChanged();
        return copy;
    }

    private static void CheckGeographic(CrsId crs, double lon, double lat)
    {
        if (!Geo.IsValidLonLat(lon, lat))
        {
            throw new CoordinateOutOfRangeException(
                $"({Format(lon)}, {Format(lat)}) is not a longitude/latitude in {crs}" +
                (Math.Abs(lon) > 1000 ? "; it looks projected (metres), so name the projected system, e.g. EPSG:4549" : ""));
        }
    }

    private static void CheckProjected(CrsId crs, double easting, double northing)
    {
        var zone = crs.Zone!;
        var offset = easting - (zone.ZonePrefix ? zone.Number * 1_000_000.0 : 0);
        // A zone spans at most ±3° of longitude, i.e. ±350 km at the equator: eastings stay within 0…1,000 km.
        if (offset is < 0 or >= 1_000_000)
        {
            var hint = !zone.ZonePrefix && easting >= 1_000_000
                ? $"; it seems to carry zone prefix {Math.Floor(easting / 1_000_000).ToString(CultureInfo.InvariantCulture)}, so use the prefixed EPSG code"
                : zone.ZonePrefix && easting < 1_000_000 ? "; it has no zone prefix, so use the unprefixed EPSG code" : "";
            throw new CoordinateOutOfRangeException(
                $"easting {Format(easting)} is outside {crs} (zone {zone.Number}, central meridian {zone.CentralMeridian}°E){hint}");
        }
        if (northing is < -10_000_000 or > 10_000_000)
        {
            throw new CoordinateOutOfRangeException($"northing {Format(northing)} is outside {crs}");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class CoordinateFilter(Func<Coordinate, (double X, double Y)> convert) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = convert(seq.GetCoordinate(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
