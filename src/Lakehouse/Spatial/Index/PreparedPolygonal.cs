using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Index;

/// <summary>
/// A Polygon or MultiPolygon prepared for many point-in-polygon tests: each ring's segments are bucketed by latitude
/// band, so a test visits only the few segments level with the point. The answer is PostGIS's, bit for bit: only
/// segments whose latitude range holds the point can change PostGIS's winding number or put the point on the
/// boundary, and those get exactly <see cref="PointInPolygon"/>'s arithmetic.
/// </summary>
public sealed class PreparedPolygonal
{
    private readonly Part[] _parts;

    public PreparedPolygonal(Geometry polygonal)
    {
        if (polygonal is not (Polygon or MultiPolygon))
        {
            throw new ArgumentException($"expected a Polygon or MultiPolygon, got {polygonal.GeometryType}", nameof(polygonal));
        }
        Geometry = polygonal;
        IsMulti = polygonal is MultiPolygon;
        var parts = new List<Part>();
        for (var i = 0; i < polygonal.NumGeometries; i++)
        {
            var polygon = (Polygon)polygonal.GetGeometryN(i);
            if (polygon.IsEmpty)
            {
                continue;
            }
            var rings = new List<BandedRing> { new(polygon.ExteriorRing.CoordinateSequence) };
            rings.AddRange(polygon.InteriorRings.Select(r => new BandedRing(r.CoordinateSequence)));
            parts.Add(new Part(rings.ToArray()));
        }
        _parts = parts.ToArray();
        Envelope = polygonal.EnvelopeInternal;
    }

    public Geometry Geometry { get; }

    public Envelope Envelope { get; }

    private bool IsMulti { get; }

    /// <summary>The same answer as <see cref="PointInPolygon.Locate"/> for this geometry.</summary>
    public PointLocation Locate(double x, double y)
    {
        if (!IsMulti)
        {
            // PostGIS's polygon test: outside the shell is outside; a hole holding the point makes it outside.
            if (_parts.Length == 0)
            {
                return PointLocation.Outside;
            }
            var rings = _parts[0].Rings;
            var inShell = rings[0].Locate(x, y);
            if (inShell == PointLocation.Outside)
            {
                return PointLocation.Outside;
            }
            for (var r = 1; r < rings.Length; r++)
            {
                var inHole = rings[r].Locate(x, y);
                if (inHole == PointLocation.Inside)
                {
                    return PointLocation.Outside;
                }
                if (inHole == PointLocation.Boundary)
                {
                    return PointLocation.Boundary;
                }
            }
            return inShell;
        }
        var result = PointLocation.Outside;
        foreach (var part in _parts)
        {
            var rings = part.Rings;
            var inShell = rings[0].Locate(x, y);
            if (inShell == PointLocation.Outside)
            {
                continue;
            }
            if (inShell == PointLocation.Boundary)
            {
                return PointLocation.Boundary;
            }
            result = inShell;
            for (var r = 1; r < rings.Length; r++)
            {
                var inHole = rings[r].Locate(x, y);
                if (inHole == PointLocation.Inside)
                {
                    result = PointLocation.Outside;
                    break;
                }
                if (inHole == PointLocation.Boundary)
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

    /// <summary>Segments within this many degrees of a cell make it a boundary cell (see <see cref="PolygonIndex"/>).</summary>
    internal IEnumerable<(double MinX, double MinY, double MaxX, double MaxY)> SegmentBoxes()
    {
        foreach (var part in _parts)
        {
            foreach (var ring in part.Rings)
            {
                foreach (var box in ring.SegmentBoxes())
                {
                    yield return box;
                }
            }
        }
    }

    private sealed record Part(BandedRing[] Rings);

    /// <summary>One closed ring with its segments bucketed into latitude bands.</summary>
    private sealed class BandedRing
    {
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly double _minY;
        private readonly double _maxY;
        private readonly double _bandHeight;
        private readonly int[] _bandStart;
        private readonly int[] _bandSegments;

        public BandedRing(CoordinateSequence ring)
        {
            _x = new double[ring.Count];
            _y = new double[ring.Count];
            for (var i = 0; i < ring.Count; i++)
            {
                _x[i] = ring.GetX(i);
                _y[i] = ring.GetY(i);
            }
            _minY = _y.Length == 0 ? 0 : _y.Min();
            _maxY = _y.Length == 0 ? 0 : _y.Max();
            var segments = Math.Max(0, _x.Length - 1);
            var bands = Math.Clamp(segments / 2, 1, 4096);
            _bandHeight = _maxY > _minY ? (_maxY - _minY) / bands : 1;
            var counts = new int[bands + 1];
            for (var s = 0; s < segments; s++)
            {
                var (first, last) = Bands(Math.Min(_y[s], _y[s + 1]), Math.Max(_y[s], _y[s + 1]), bands);
                for (var b = first; b <= last; b++)
                {
                    counts[b + 1]++;
                }
            }
            for (var b = 0; b < bands; b++)
            {
                counts[b + 1] += counts[b];
            }
            _bandStart = counts;
            _bandSegments = new int[counts[bands]];
            var fill = (int[])counts.Clone();
            for (var s = 0; s < segments; s++)
            {
                var (first, last) = Bands(Math.Min(_y[s], _y[s + 1]), Math.Max(_y[s], _y[s + 1]), bands);
                for (var b = first; b <= last; b++)
                {
                    _bandSegments[fill[b]++] = s;
                }
            }
        }

        private (int First, int Last) Bands(double low, double high, int bands) =>
            (Math.Clamp((int)((low - _minY) / _bandHeight), 0, bands - 1), Math.Clamp((int)((high - _minY) / _bandHeight), 0, bands - 1));

        public PointLocation Locate(double x, double y)
        {
            if (!(y >= _minY && y <= _maxY))
            {
                // No segment spans this latitude: PostGIS's winding number stays 0.
                return PointLocation.Outside;
            }
            var bands = _bandStart.Length - 1;
            var band = Math.Clamp((int)((y - _minY) / _bandHeight), 0, bands - 1);
            var winding = 0;
            for (var i = _bandStart[band]; i < _bandStart[band + 1]; i++)
            {
                var s = _bandSegments[i];
                var step = PointInPolygon.Segment(_x[s], _y[s], _x[s + 1], _y[s + 1], x, y);
                if (step == PointInPolygon.BoundaryStep)
                {
                    return PointLocation.Boundary;
                }
                winding += step;
            }
            return winding == 0 ? PointLocation.Outside : PointLocation.Inside;
        }

        public IEnumerable<(double, double, double, double)> SegmentBoxes()
        {
            for (var s = 0; s + 1 < _x.Length; s++)
            {
                yield return (Math.Min(_x[s], _x[s + 1]), Math.Min(_y[s], _y[s + 1]), Math.Max(_x[s], _x[s + 1]), Math.Max(_y[s], _y[s + 1]));
            }
        }
    }
}
