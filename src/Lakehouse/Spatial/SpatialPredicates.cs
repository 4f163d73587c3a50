using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Relate;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// The DE-9IM predicates with PostGIS's semantics: anything with an empty geometry is false; a point or multipoint
/// against a polygon or multipolygon goes through PostGIS's own point-in-polygon test (<see cref="PointInPolygon"/>);
/// everything else goes to NetTopologySuite, the same algorithms GEOS (PostGIS's engine) runs.
/// </summary>
public static class SpatialPredicates
{
    /// <summary>ST_Contains(a, b): b lies in a and at least one point of b is in a's interior.</summary>
    /// <param name="a">The container.</param>
    /// <param name="b">The contained.</param>
    /// <param name="preparedA"><paramref name="a"/> prepared, when it repeats over many calls (as PostGIS caches it).</param>
    public static bool Contains(Geometry a, Geometry b, IPreparedGeometry? preparedA = null)
    {
        if (a.IsEmpty || b.IsEmpty || !a.EnvelopeInternal.Covers(b.EnvelopeInternal))
        {
            return false;
        }
        if (IsPolygonal(a) && IsPuntal(b))
        {
            var anyInside = false;
            foreach (var (x, y) in PointsOf(b))
            {
                var location = PointInPolygon.Locate(a, x, y);
                if (location == PointLocation.Outside)
                {
                    return false;
                }
                anyInside |= location == PointLocation.Inside;
            }
            return anyInside;
        }
        return preparedA is not null && CanPrepare(a, b)
            ? Run("ST_Contains", a, b, (_, g2) => preparedA.Contains(g2), static m => m.IsContains())
            : Run("ST_Contains", a, b, static (g1, g2) => g1.Contains(g2), static m => m.IsContains());
    }

    /// <summary>ST_Within(a, b) = ST_Contains(b, a).</summary>
    public static bool Within(Geometry a, Geometry b) => Contains(b, a);

    /// <summary>ST_Covers(a, b): no point of b lies outside a.</summary>
    public static bool Covers(Geometry a, Geometry b, IPreparedGeometry? preparedA = null)
    {
        if (a.IsEmpty || b.IsEmpty || !a.EnvelopeInternal.Covers(b.EnvelopeInternal))
        {
            return false;
        }
        if (IsPolygonal(a) && IsPuntal(b))
        {
            foreach (var (x, y) in PointsOf(b))
            {
                if (PointInPolygon.Locate(a, x, y) == PointLocation.Outside)
                {
                    return false;
                }
            }
            return true;
        }
        return preparedA is not null && CanPrepare(a, b)
            ? Run("ST_Covers", a, b, (_, g2) => preparedA.Covers(g2), static m => m.IsCovers())
            : Run("ST_Covers", a, b, static (g1, g2) => g1.Covers(g2), static m => m.IsCovers());
    }

    /// <summary>ST_Intersects(a, b): the geometries share at least one point.</summary>
    public static bool Intersects(Geometry a, Geometry b, IPreparedGeometry? preparedA = null, IPreparedGeometry? preparedB = null)
    {
        if (a.IsEmpty || b.IsEmpty || !a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
        {
            return false;
        }
        if ((IsPuntal(a) && IsPolygonal(b)) || (IsPolygonal(a) && IsPuntal(b)))
        {
            var (polygonal, puntal) = IsPolygonal(a) ? (a, b) : (b, a);
            foreach (var (x, y) in PointsOf(puntal))
            {
                if (PointInPolygon.Locate(polygonal, x, y) != PointLocation.Outside)
                {
                    return true;
                }
            }
            return false;
        }
        if (CanPrepare(a, b))
        {
            if (preparedA is not null)
            {
                return Run("ST_Intersects", a, b, (_, g2) => preparedA.Intersects(g2), static m => m.IsIntersects());
            }
            if (preparedB is not null)
            {
                return Run("ST_Intersects", a, b, (g1, _) => preparedB.Intersects(g1), static m => m.IsIntersects());
            }
        }
        return Run("ST_Intersects", a, b, static (g1, g2) => g1.Intersects(g2), static m => m.IsIntersects());
    }

    /// <summary>ST_Touches(a, b): the geometries meet only on their boundaries.</summary>
    public static bool Touches(Geometry a, Geometry b)
    {
        if (a.IsEmpty || b.IsEmpty || !a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
        {
            return false;
        }
        return Run("ST_Touches", a, b, static (g1, g2) => g1.Touches(g2), m => m.IsTouches(a.Dimension, b.Dimension));
    }

    private static bool CanPrepare(Geometry a, Geometry b) => !IsHeterogeneous(a) && !IsHeterogeneous(b);

    private static bool IsHeterogeneous(Geometry g) => g.OgcGeometryType == OgcGeometryType.GeometryCollection;

    internal static bool IsPolygonal(Geometry g) => g is Polygon or MultiPolygon;

    internal static bool IsPuntal(Geometry g) => g is Point or MultiPoint;

    private static IEnumerable<(double X, double Y)> PointsOf(Geometry puntal)
    {
        if (puntal is Point point)
        {
            yield return (point.X, point.Y);
            yield break;
        }
        for (var i = 0; i < puntal.NumGeometries; i++)
        {
            var member = (Point)puntal.GetGeometryN(i);
            if (!member.IsEmpty)
            {
                yield return (member.X, member.Y);
            }
        }
    }

    private static bool Run(string name, Geometry a, Geometry b, Func<Geometry, Geometry, bool> predicate, Func<IntersectionMatrix, bool> fromMatrix)
    {
        try
        {
            // NetTopologySuite refuses heterogeneous collections in its predicates; GEOS (and so PostGIS) relates
            // them, and the relate graph underneath handles them, so compute their matrix directly.
            if (IsHeterogeneous(a) || IsHeterogeneous(b))
            {
                return fromMatrix(RelateOp.Relate(a, b));
            }
            return predicate(a, b);
        }
        catch (Exception e) when (e is TopologyException or ArgumentException or InvalidOperationException)
        {
            throw new GeometryOperationException(name, e.Message, e);
        }
    }
}
