namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// The predicates over SQL argument values: a point against a polygon goes straight to PostGIS's point-in-polygon
/// test (banded when the polygon repeats), and a repeated geometry is prepared once, as PostGIS's caches do.
/// </summary>
internal static class SqlPredicates
{
    public static bool Contains(SpatialValue a, SpatialValue b)
    {
        if (b.IsPoint && a.IsPolygonal)
        {
            return Locate(a, b) == PointLocation.Inside;
        }
        return SpatialPredicates.Contains(a.Geometry, b.Geometry, a.Repeats > 0 && !a.IsPoint ? a.Prepared : null);
    }

    public static bool Covers(SpatialValue a, SpatialValue b)
    {
        if (b.IsPoint && a.IsPolygonal)
        {
            return Locate(a, b) != PointLocation.Outside;
        }
        return SpatialPredicates.Covers(a.Geometry, b.Geometry, a.Repeats > 0 && !a.IsPoint ? a.Prepared : null);
    }

    public static bool Intersects(SpatialValue a, SpatialValue b)
    {
        if (b.IsPoint && a.IsPolygonal)
        {
            return Locate(a, b) != PointLocation.Outside;
        }
        if (a.IsPoint && b.IsPolygonal)
        {
            return Locate(b, a) != PointLocation.Outside;
        }
        return SpatialPredicates.Intersects(a.Geometry, b.Geometry,
            a.Repeats > 0 && !a.IsPoint ? a.Prepared : null, b.Repeats > 0 && !b.IsPoint ? b.Prepared : null);
    }

    public static bool DWithin(SpatialValue a, SpatialValue b, double metres)
    {
        if (double.IsNaN(metres) || metres < 0)
        {
            throw new SpatialArgumentException("ST_DWithin", "distance", $"must be a non-negative number of metres, was {metres}");
        }
        return Geodesy.GeodeticDistance.Within(a.Shape, b.Shape, metres, Geodesy.Spheroid.Wgs84);
    }

    private static PointLocation Locate(SpatialValue polygon, SpatialValue point)
    {
        if (polygon.Geometry.IsEmpty || !polygon.Geometry.EnvelopeInternal.Covers(point.X, point.Y))
        {
            return PointLocation.Outside;
        }
        return polygon.Repeats > 0
            ? polygon.PointInPolygon.Locate(point.X, point.Y)
            : PointInPolygon.Locate(polygon.Geometry, point.X, point.Y);
    }
}
