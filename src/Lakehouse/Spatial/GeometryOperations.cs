using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

using OneMap.Lakehouse.Spatial.Geodesy;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// Constructors, accessors and measures behind the SQL functions, with PostGIS's semantics. Lengths, areas and
/// distances are metres on WGS84 (PostGIS's geography measures); constructors and accessors are planar, in degrees.
/// </summary>
public static class GeometryOperations
{
    private static GeometryFactory Factory => GeometryCodec.Factory;

    /// <summary>ST_Point(x, y): x is longitude, y latitude.</summary>
    public static Point Point(double x, double y) => Factory.CreatePoint(new Coordinate(x, y));

    /// <summary>ST_MakeEnvelope: the rectangle with PostGIS's vertex order (xmin ymin, xmin ymax, xmax ymax, xmax ymin).</summary>
    public static Polygon MakeEnvelope(double xmin, double ymin, double xmax, double ymax) =>
        Factory.CreatePolygon(
        [
            new Coordinate(xmin, ymin), new Coordinate(xmin, ymax), new Coordinate(xmax, ymax),
            new Coordinate(xmax, ymin), new Coordinate(xmin, ymin),
        ]);

    /// <summary>ST_X: the point's x; null for an empty point. Other types are refused, as PostGIS does.</summary>
    public static double? X(Geometry geometry) => PointOf("ST_X", geometry)?.X;

    /// <summary>ST_Y: the point's y; null for an empty point.</summary>
    public static double? Y(Geometry geometry) => PointOf("ST_Y", geometry)?.Y;

    private static Point? PointOf(string function, Geometry geometry)
    {
        if (geometry is not Point point)
        {
            throw new SpatialArgumentException(function, "geom", $"must be a POINT, got {geometry.GeometryType.ToUpperInvariant()}");
        }
        return point.IsEmpty ? null : point;
    }

    /// <summary>ST_Envelope: the bounding box as a polygon, or a point / line when the box is degenerate.</summary>
    public static Geometry Envelope(Geometry geometry)
    {
        if (geometry.IsEmpty)
        {
            return geometry.Copy();
        }
        var e = geometry.EnvelopeInternal;
        if (e.MinX == e.MaxX && e.MinY == e.MaxY)
        {
            return Point(e.MinX, e.MinY);
        }
        if (e.MinX == e.MaxX || e.MinY == e.MaxY)
        {
            return Factory.CreateLineString([new Coordinate(e.MinX, e.MinY), new Coordinate(e.MaxX, e.MaxY)]);
        }
        return MakeEnvelope(e.MinX, e.MinY, e.MaxX, e.MaxY);
    }

    /// <summary>ST_Centroid (planar, in degrees): of the highest-dimension parts; POINT EMPTY for an empty geometry.</summary>
    public static Point Centroid(Geometry geometry) => geometry.IsEmpty ? Factory.CreatePoint() : geometry.Centroid;

    /// <summary>
    /// ST_Buffer in metres: buffered in the UTM zone PostGIS would pick for the geography (8 segments per quarter
    /// circle, round caps and joins), then back to lon/lat — PostGIS's <c>ST_Buffer(geography, metres)</c>.
    /// </summary>
    public static Geometry BufferMetres(Geometry geometry, double metres, int quadrantSegments = 8)
    {
        if (double.IsNaN(metres) || double.IsInfinity(metres))
        {
            throw new SpatialArgumentException("ST_Buffer", "radius", $"must be a finite number of metres, was {metres}");
        }
        if (geometry.IsEmpty)
        {
            return Factory.CreatePolygon();
        }
        var projection = LocalProjection.For(geometry);
        try
        {
            var buffered = projection.Project(geometry).Buffer(metres, quadrantSegments);
            var result = projection.Unproject(buffered);
            result.SRID = GeometryCodec.Wgs84Srid;
            return result;
        }
        catch (TopologyException e)
        {
            throw new GeometryOperationException("ST_Buffer", e.Message, e);
        }
    }

    /// <summary>ST_Union_Agg: the union of all geometries (empties ignored); GEOMETRYCOLLECTION EMPTY for none.</summary>
    public static Geometry Union(IEnumerable<Geometry> geometries)
    {
        var parts = geometries.Where(g => !g.IsEmpty).ToList();
        if (parts.Count == 0)
        {
            return Factory.CreateGeometryCollection();
        }
        try
        {
            var result = UnaryUnionOp.Union(parts) ?? Factory.CreateGeometryCollection();
            result.SRID = GeometryCodec.Wgs84Srid;
            return result;
        }
        catch (TopologyException e)
        {
            throw new GeometryOperationException("ST_Union_Agg", e.Message, e);
        }
    }

    /// <summary>ST_Area_Spheroid: area in m² on WGS84 with geodesic edges (PostGIS <c>ST_Area(geography)</c>).</summary>
    public static double AreaSpheroid(Geometry geometry)
    {
        var area = GeodesicArea.Area(geometry, Spheroid.Wgs84);
        if (area < 0)
        {
            // Only an invalid polygon (holes larger than the shell) gets here; PostGIS refuses it the same way.
            throw new GeometryOperationException("ST_Area_Spheroid", $"negative area {area} m²: the polygon's holes exceed its shell (invalid polygon)");
        }
        return area;
    }

    /// <summary>
    /// ST_Length_Spheroid: geodesic length in metres on WGS84 (PostGIS <c>ST_LengthSpheroid</c>: polygon rings count,
    /// points are 0).
    /// </summary>
    public static double LengthSpheroid(Geometry geometry) => LengthSpheroid(geometry, Spheroid.Wgs84);

    public static double LengthSpheroid(Geometry geometry, Spheroid spheroid)
    {
        switch (geometry)
        {
            case { IsEmpty: true } or NetTopologySuite.Geometries.Point or MultiPoint:
                return 0;
            case LineString line:
                return PathLength(line.CoordinateSequence, spheroid);
            case Polygon polygon:
                var length = PathLength(polygon.ExteriorRing.CoordinateSequence, spheroid);
                foreach (var hole in polygon.InteriorRings)
                {
                    length += PathLength(hole.CoordinateSequence, spheroid);
                }
                return length;
            default:
                var total = 0.0;
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    total += LengthSpheroid(geometry.GetGeometryN(i), spheroid);
                }
                return total;
        }
    }

    private static double PathLength(CoordinateSequence sequence, Spheroid spheroid)
    {
        var length = 0.0;
        for (var i = 1; i < sequence.Count; i++)
        {
            var a = GeoPoint.FromDegrees(sequence.GetX(i - 1), sequence.GetY(i - 1));
            var b = GeoPoint.FromDegrees(sequence.GetX(i), sequence.GetY(i));
            length += spheroid.IsSphere
                ? spheroid.Radius * Sphere.Distance(a, b)
                : a.NearlyEquals(b) ? 0 : Geodesic.Distance(a.Lat, a.Lon, b.Lat, b.Lon, spheroid);
        }
        return length;
    }

    /// <summary>ST_Distance_Sphere: metres on the sphere of WGS84's mean radius; null when either geometry is empty.</summary>
    public static double? DistanceSphere(Geometry a, Geometry b) => GeodeticDistance.Distance(a, b, Spheroid.Wgs84Sphere);

    /// <summary>ST_Distance_Spheroid: metres on WGS84 (PostGIS <c>ST_Distance(geography)</c>); null when either is empty.</summary>
    public static double? DistanceSpheroid(Geometry a, Geometry b) => GeodeticDistance.Distance(a, b, Spheroid.Wgs84);

    /// <summary>ST_DWithin: within <paramref name="metres"/> on WGS84 (PostGIS <c>ST_DWithin(geography)</c>).</summary>
    public static bool DWithin(Geometry a, Geometry b, double metres)
    {
        if (double.IsNaN(metres) || metres < 0)
        {
            throw new SpatialArgumentException("ST_DWithin", "distance", $"must be a non-negative number of metres, was {metres}");
        }
        return GeodeticDistance.Within(GeodeticShape.From(a), GeodeticShape.From(b), metres, Spheroid.Wgs84);
    }
}
