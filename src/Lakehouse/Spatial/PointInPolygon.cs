using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial;

/// <summary>Where a point lies relative to a polygonal geometry.</summary>
public enum PointLocation
{
    Outside = -1,
    Boundary = 0,
    Inside = 1,
}

/// <summary>
/// PostGIS's point-in-polygon short-circuit (the winding-number test ST_Contains, ST_Covers and ST_Intersects use for a
/// point or multipoint against a polygon or multipolygon). It is reproduced operation for operation, including its
/// plain floating-point side test, so that points on or a hair off an edge land on the same side as in PostGIS.
/// </summary>
public static class PointInPolygon
{
    /// <summary>Locates (x, y) against a Polygon or MultiPolygon; empty polygons contain nothing.</summary>
    public static PointLocation Locate(Geometry polygonal, double x, double y) => polygonal switch
    {
        Polygon polygon => LocateInPolygon(polygon, x, y),
        MultiPolygon multi => LocateInMultiPolygon(multi, x, y),
        _ => throw new ArgumentException($"expected a Polygon or MultiPolygon, got {polygonal.GeometryType}", nameof(polygonal)),
    };

    private static PointLocation LocateInPolygon(Polygon polygon, double x, double y)
    {
        if (polygon.IsEmpty)
        {
            return PointLocation.Outside;
        }
        var inRing = LocateInRing(polygon.ExteriorRing.CoordinateSequence, x, y);
        if (inRing == PointLocation.Outside)
        {
            return PointLocation.Outside;
        }
        var result = inRing;
        foreach (var hole in polygon.InteriorRings)
        {
            inRing = LocateInRing(hole.CoordinateSequence, x, y);
            if (inRing == PointLocation.Inside)
            {
                return PointLocation.Outside;
            }
            if (inRing == PointLocation.Boundary)
            {
                return PointLocation.Boundary;
            }
        }
        return result;
    }

    private static PointLocation LocateInMultiPolygon(MultiPolygon multi, double x, double y)
    {
        var result = PointLocation.Outside;
        for (var j = 0; j < multi.NumGeometries; j++)
        {
            var polygon = (Polygon)multi.GetGeometryN(j);
            if (polygon.IsEmpty)
            {
                continue;
            }
            var inRing = LocateInRing(polygon.ExteriorRing.CoordinateSequence, x, y);
            if (inRing == PointLocation.Outside)
            {
                continue;
            }
            if (inRing == PointLocation.Boundary)
            {
                return PointLocation.Boundary;
            }
            result = inRing;
            foreach (var hole in polygon.InteriorRings)
            {
                inRing = LocateInRing(hole.CoordinateSequence, x, y);
                if (inRing == PointLocation.Inside)
                {
                    result = PointLocation.Outside;
                    break;
                }
                if (inRing == PointLocation.Boundary)
                {
                    return PointLocation.Boundary;
                }
            }
            if (result != PointLocation.Outside)
            {
                return result;
            }
        }
        return result;
    }

    /// <summary>Winding-number location of (x, y) against one closed ring.</summary>
    public static PointLocation LocateInRing(CoordinateSequence ring, double x, double y)
    {
        var winding = 0;
        var x2 = ring.GetX(0);
        var y2 = ring.GetY(0);
        for (var i = 0; i < ring.Count - 1; i++)
        {
            var x1 = x2;
            var y1 = y2;
            x2 = ring.GetX(i + 1);
            y2 = ring.GetY(i + 1);
            var step = Segment(x1, y1, x2, y2, x, y);
            if (step == BoundaryStep)
            {
                return PointLocation.Boundary;
            }
            winding += step;
        }
        return winding == 0 ? PointLocation.Outside : PointLocation.Inside;
    }

    /// <summary>Returned by <see cref="Segment"/> when the point lies on the segment.</summary>
    internal const int BoundaryStep = int.MinValue;

    /// <summary>
    /// One segment's contribution to the winding number of (x, y): +1 upward with the point on its left, -1 downward
    /// with the point on its right, 0 otherwise, or <see cref="BoundaryStep"/> when the point is on the segment.
    /// </summary>
    internal static int Segment(double x1, double y1, double x2, double y2, double x, double y)
    {
        // Zero-length segments are skipped.
        if (x2 == x1 && y2 == y1)
        {
            return 0;
        }
        // Kept as PostGIS writes it (no fused or reordered arithmetic), so the sign matches bit for bit.
        var side = ((x2 - x1) * (y - y1)) - ((x - x1) * (y2 - y1));
        if (side == 0.0 && IsWithinSegmentBox(x1, y1, x2, y2, x, y))
        {
            return BoundaryStep;
        }
        if (y1 <= y && y < y2 && side > 0)
        {
            return 1;
        }
        if (y2 <= y && y < y1 && side < 0)
        {
            return -1;
        }
        return 0;
    }

    private static bool IsWithinSegmentBox(double x1, double y1, double x2, double y2, double x, double y)
    {
        double maxX, minX, maxY, minY;
        if (x1 > x2)
        {
            maxX = x1;
            minX = x2;
        }
        else
        {
            maxX = x2;
            minX = x1;
        }
        if (y1 > y2)
        {
            maxY = y1;
            minY = y2;
        }
        else
        {
            maxY = y2;
            minY = y1;
        }
        return !(maxX < x || minX > x) && !(maxY < y || minY > y);
    }
}
