using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Geodesy;

/// <summary>
/// The bounding box of a geometry's great-circle edges in geocentric unit-sphere coordinates (PostGIS's geodetic
/// GBOX): used to find a point surely outside a polygon for the spherical point-in-polygon test.
/// </summary>
internal struct GeocentricBox
{
    public double XMin, XMax, YMin, YMax, ZMin, ZMax;

    private GeocentricBox(Vec3 p)
    {
        XMin = XMax = p.X;
        YMin = YMax = p.Y;
        ZMin = ZMax = p.Z;
    }

    private void Add(Vec3 p)
    {
        XMin = Math.Min(XMin, p.X);
        XMax = Math.Max(XMax, p.X);
        YMin = Math.Min(YMin, p.Y);
        YMax = Math.Max(YMax, p.Y);
        ZMin = Math.Min(ZMin, p.Z);
        ZMax = Math.Max(ZMax, p.Z);
    }

    private void Merge(GeocentricBox other)
    {
        XMin = Math.Min(XMin, other.XMin);
        XMax = Math.Max(XMax, other.XMax);
        YMin = Math.Min(YMin, other.YMin);
        YMax = Math.Max(YMax, other.YMax);
        ZMin = Math.Min(ZMin, other.ZMin);
        ZMax = Math.Max(ZMax, other.ZMax);
    }

    public readonly bool Contains(Vec3 p) =>
        !(XMin > p.X || YMin > p.Y || ZMin > p.Z || XMax < p.X || YMax < p.Y || ZMax < p.Z);

    public readonly bool Overlaps(GeocentricBox other) =>
        !(XMax < other.XMin || YMax < other.YMin || XMin > other.XMax || YMin > other.YMax || ZMax < other.ZMin || ZMin > other.ZMax);

    /// <summary>Box of a geometry; null when it has no coordinates.</summary>
    public static GeocentricBox? Of(Geometry geometry)
    {
        switch (geometry)
        {
            case Point point:
                return point.IsEmpty ? null : new GeocentricBox(Vec3.FromLonLatDegrees(point.X, point.Y));
            case LineString line:
                return OfSequence(line.CoordinateSequence);
            case Polygon polygon:
                if (polygon.IsEmpty)
                {
                    return null;
                }
                var box = OfSequence(polygon.ExteriorRing.CoordinateSequence);
                if (box is null)
                {
                    return null;
                }
                var merged = box.Value;
                foreach (var hole in polygon.InteriorRings)
                {
                    if (OfSequence(hole.CoordinateSequence) is { } holeBox)
                    {
                        merged.Merge(holeBox);
                    }
                }
                merged.CheckPoles();
                return merged;
            case GeometryCollection collection:
                GeocentricBox? result = null;
                for (var i = 0; i < collection.NumGeometries; i++)
                {
                    if (Of(collection.GetGeometryN(i)) is { } sub)
                    {
                        if (result is { } current)
                        {
                            current.Merge(sub);
                            result = current;
                        }
                        else
                        {
                            result = sub;
                        }
                    }
                }
                return result;
            default:
                return null;
        }
    }

    private static GeocentricBox? OfSequence(CoordinateSequence sequence)
    {
        if (sequence.Count == 0)
        {
            return null;
        }
        var a1 = Vec3.FromLonLatDegrees(sequence.GetX(0), sequence.GetY(0));
        if (sequence.Count == 1)
        {
            return new GeocentricBox(a1);
        }
        GeocentricBox? box = null;
        for (var i = 1; i < sequence.Count; i++)
        {
            var a2 = Vec3.FromLonLatDegrees(sequence.GetX(i), sequence.GetY(i));
            var edge = OfEdge(a1, a2);
            if (box is { } current)
            {
                current.Merge(edge);
                box = current;
            }
            else
            {
                box = edge;
            }
            a1 = a2;
        }
        return box;
    }

    /// <summary>Box of a great-circle arc: its end points plus any axis extreme the arc passes.</summary>
    private static GeocentricBox OfEdge(Vec3 a1, Vec3 a2)
    {
        var box = new GeocentricBox(a1);
        box.Add(a2);
        if (a1.NearlyEquals(a2))
        {
            return box;
        }
        if (Math.Abs(a1.X + a2.X) <= Sphere.Tolerance && Math.Abs(a1.Y + a2.Y) <= Sphere.Tolerance && Math.Abs(a1.Z + a2.Z) <= Sphere.Tolerance)
        {
            throw new GeometryOperationException("geodetic box", "antipodal (180 degrees long) edge detected");
        }
        var an = Sphere.UnitNormal(a1, a2);
        var a3 = Sphere.UnitNormal(an, a1);
        // Work in the plane of the arc: a1 is (1, 0), a2 is (r2x, r2y).
        var r2x = a2.Dot(a1);
        var r2y = a2.Dot(a3);
        var originSide = SegmentSide(1, 0, r2x, r2y, 0, 0);
        Span<Vec3> axes = [new(1, 0, 0), new(-1, 0, 0), new(0, 1, 0), new(0, -1, 0), new(0, 0, 1), new(0, 0, -1)];
        foreach (var axis in axes)
        {
            var rx = axis.Dot(a1);
            var ry = axis.Dot(a3);
            var d = Math.Sqrt((rx * rx) + (ry * ry));
            if (Math.Abs(d) <= Sphere.Tolerance)
            {
                rx = ry = 0;
            }
            else
            {
                rx /= d;
                ry /= d;
            }
            if (SegmentSide(1, 0, r2x, r2y, rx, ry) != originSide)
            {
                box.Add(new Vec3((rx * a1.X) + (ry * a3.X), (rx * a1.Y) + (ry * a3.Y), (rx * a1.Z) + (ry * a3.Z)));
            }
        }
        return box;
    }

    private static int SegmentSide(double p1x, double p1y, double p2x, double p2y, double qx, double qy)
    {
        var side = ((qx - p1x) * (p2y - p1y)) - ((p2x - p1x) * (qy - p1y));
        return Math.Sign(side);
    }

    /// <summary>A polygon box that straddles an axis in both other coordinates wraps that axis: push it to ±1.</summary>
    private void CheckPoles()
    {
        if (XMin < 0.0 && XMax > 0.0 && YMin < 0.0 && YMax > 0.0)
        {
            if (ZMin > 0.0 && ZMax > 0.0)
            {
                ZMax = 1.0;
            }
            else if (ZMin < 0.0 && ZMax < 0.0)
            {
                ZMin = -1.0;
            }
            else
            {
                ZMin = -1.0;
                ZMax = 1.0;
            }
        }
        if (XMin < 0.0 && XMax > 0.0 && ZMin < 0.0 && ZMax > 0.0)
        {
            if (YMin > 0.0 && YMax > 0.0)
            {
                YMax = 1.0;
            }
            else if (YMin < 0.0 && YMax < 0.0)
            {
                YMin = -1.0;
            }
            else
            {
                YMax = 1.0;
                YMin = -1.0;
            }
        }
        if (YMin < 0.0 && YMax > 0.0 && ZMin < 0.0 && ZMax > 0.0)
        {
            if (XMin > 0.0 && XMax > 0.0)
            {
                XMax = 1.0;
            }
            else if (XMin < 0.0 && XMax < 0.0)
            {
                XMin = -1.0;
            }
            else
            {
                XMax = 1.0;
                XMin = -1.0;
            }
        }
    }

    /// <summary>The box as PostGIS serialises it: each bound rounded outward to single precision.</summary>
    public readonly GeocentricBox RoundedOutwardToFloat()
    {
        var box = this;
        box.XMin = FloatDown(XMin);
        box.YMin = FloatDown(YMin);
        box.ZMin = FloatDown(ZMin);
        box.XMax = FloatUp(XMax);
        box.YMax = FloatUp(YMax);
        box.ZMax = FloatUp(ZMax);
        return box;
    }

    private static double FloatDown(double value)
    {
        var f = (float)value;
        return f <= value ? f : MathF.BitDecrement(f);
    }

    private static double FloatUp(double value)
    {
        var f = (float)value;
        return f >= value ? f : MathF.BitIncrement(f);
    }

    private readonly double Corner(int index) => index switch
    {
        0 => XMin,
        1 => XMax,
        2 => YMin,
        3 => YMax,
        4 => ZMin,
        _ => ZMax,
    };

    /// <summary>The normalised mean of the box's eight corners, as lon/lat degrees (PostGIS gbox_centroid).</summary>
    public readonly (double Lon, double Lat) Centroid()
    {
        var sum = default(Vec3);
        for (var i = 0; i < 8; i++)
        {
            sum += new Vec3(Corner(i / 4), Corner(2 + ((i % 4) / 2)), Corner(4 + (i % 2))).Normalized();
        }
        var center = GeoPoint.FromCartesian((sum * (1.0 / 8.0)).Normalized());
        return (center.LonDegrees, center.LatDegrees);
    }

    /// <summary>The longitudinal span of the box in radians (PostGIS gbox_angular_width).</summary>
    public readonly double AngularWidth()
    {
        Span<(double X, double Y)> seeds = stackalloc (double, double)[3];
        var magnitude = Math.Sqrt((XMin * XMin) + (YMin * YMin));
        seeds[0] = (XMin / magnitude, YMin / magnitude);
        var maxAngle = double.MinValue;
        for (var j = 0; j < 2; j++)
        {
            maxAngle = -float.MaxValue;
            for (var i = 0; i < 4; i++)
            {
                var x = Corner(i / 2);
                var y = Corner(2 + (i % 2));
                var m = Math.Sqrt((x * x) + (y * y));
                x /= m;
                y /= m;
                var dot = (x * seeds[j].X) + (y * seeds[j].Y);
                var angle = Math.Acos(dot > 1.0 ? 1.0 : dot);
                if (angle > maxAngle)
                {
                    seeds[j + 1] = (x, y);
                    maxAngle = angle;
                }
            }
        }
        return maxAngle;
    }

    /// <summary>A lon/lat point (degrees) outside the box, found by growing it until a corner leaves it.</summary>
    public readonly bool TryPointOutside(out double lon, out double lat)
    {
        var grow = Math.PI / 180.0 / 60.0;
        Span<Vec3> corners = stackalloc Vec3[8];
        while (grow < Math.PI)
        {
            var g = this;
            if (g.XMin > -1)
            {
                g.XMin -= grow;
            }
            if (g.YMin > -1)
            {
                g.YMin -= grow;
            }
            if (g.ZMin > -1)
            {
                g.ZMin -= grow;
            }
            if (g.XMax < 1)
            {
                g.XMax += grow;
            }
            if (g.YMax < 1)
            {
                g.YMax += grow;
            }
            if (g.ZMax < 1)
            {
                g.ZMax += grow;
            }
            corners[0] = new Vec3(g.XMin, g.YMin, g.ZMin);
            corners[1] = new Vec3(g.XMin, g.YMax, g.ZMin);
            corners[2] = new Vec3(g.XMin, g.YMin, g.ZMax);
            corners[3] = new Vec3(g.XMax, g.YMin, g.ZMin);
            corners[4] = new Vec3(g.XMax, g.YMax, g.ZMin);
            corners[5] = new Vec3(g.XMax, g.YMin, g.ZMax);
            corners[6] = new Vec3(g.XMin, g.YMax, g.ZMax);
            corners[7] = new Vec3(g.XMax, g.YMax, g.ZMax);
            foreach (var corner in corners)
            {
                var c = corner.Normalized();
                if (!Contains(c))
                {
                    var point = GeoPoint.FromCartesian(c.Normalized());
                    lon = point.LonDegrees;
                    lat = point.LatDegrees;
                    return true;
                }
            }
            grow *= 2.0;
        }
        lon = lat = double.NaN;
        return false;
    }
}
