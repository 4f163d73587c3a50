using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Index;

/// <summary>Which points a polygon matches, with PostGIS's predicate semantics for a point against a polygon.</summary>
public enum PointPredicate
{
    /// <summary>ST_Intersects / ST_Covers: inside or on the boundary.</summary>
    Intersects,

    /// <summary>ST_Contains: strictly inside (a point on the boundary does not match).</summary>
    Contains,
}

/// <summary>
/// Many keyed polygons (grids, communities, fences) indexed for assigning points: a uniform grid of cells over their
/// extent, each cell listing the polygons that reach it and whether it lies wholly inside one (then no test is
/// needed) or near its boundary (then <see cref="PreparedPolygonal"/> decides, exactly as PostGIS does). A cell counts
/// as wholly inside only when no edge comes within 1e-9° of it, far beyond the rounding of PostGIS's side test, so
/// the shortcut never changes an answer. Immutable and thread-safe once built.
/// </summary>
public sealed class PolygonIndex
{
    /// <summary>Cells closer than this (degrees) to an edge are boundary cells.</summary>
    private const double EdgeMargin = 1e-9;

    private readonly PreparedPolygonal[] _polygons;
    private readonly string[] _keys;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _cellWidth;
    private readonly double _cellHeight;
    private readonly int _columns;
    private readonly int _rows;
    private readonly int[] _cellStart;
    // Entry = polygon index << 1 | 1 when the cell is wholly inside that polygon.
    private readonly int[] _entries;

    /// <summary>Builds the index; polygons are ordered by key (ordinal), which is the order matches are reported in.</summary>
    public PolygonIndex(IEnumerable<(string Key, Geometry Polygon)> polygons)
    {
        var ordered = polygons
            .Where(p => !p.Polygon.IsEmpty)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
        foreach (var (key, polygon) in ordered)
        {
            if (polygon is not (NetTopologySuite.Geometries.Polygon or MultiPolygon))
            {
                throw new SpatialArgumentException("polygon index", "geom", $"key '{key}' is a {polygon.GeometryType.ToUpperInvariant()}; only polygons and multipolygons can be indexed for point assignment");
            }
        }
        _keys = ordered.Select(p => p.Key).ToArray();
        _polygons = ordered.Select(p => new PreparedPolygonal(p.Polygon)).ToArray();
        if (_polygons.Length == 0)
        {
            _cellStart = [0, 0];
            _entries = [];
            _columns = _rows = 1;
            _cellWidth = _cellHeight = 1;
            return;
        }
        var extent = new Envelope();
        var segments = 0L;
        foreach (var polygon in _polygons)
        {
            extent.ExpandToInclude(polygon.Envelope);
            segments += polygon.Geometry.NumPoints;
        }
        // Sixteen cells per edge (and at least a hundred per polygon) leave most cells free of edges, so most points
        // need no test at all; the cap keeps the index within ~50 MB.
        var cells = Math.Clamp(Math.Max(segments * 16, _polygons.Length * 100L), 1024, 8_000_000);
        var aspect = Math.Max(extent.Width, 1e-12) / Math.Max(extent.Height, 1e-12);
        _columns = (int)Math.Clamp(Math.Sqrt(cells * aspect), 1, 16384);
        _rows = (int)Math.Clamp(cells / _columns, 1, 16384);
        _minX = extent.MinX;
        _minY = extent.MinY;
        _cellWidth = Math.Max(extent.Width, 1e-12) / _columns;
        _cellHeight = Math.Max(extent.Height, 1e-12) / _rows;

        var perCell = new List<int>?[_columns * _rows];
        for (var p = 0; p < _polygons.Length; p++)
        {
            AddPolygon(p, perCell);
        }
        _cellStart = new int[perCell.Length + 1];
        for (var c = 0; c < perCell.Length; c++)
        {
            _cellStart[c + 1] = _cellStart[c] + (perCell[c]?.Count ?? 0);
        }
        _entries = new int[_cellStart[^1]];
        for (var c = 0; c < perCell.Length; c++)
        {
            perCell[c]?.CopyTo(_entries, _cellStart[c]);
        }
    }

    /// <summary>Number of polygons indexed.</summary>
    public int Count => _polygons.Length;

    public string Key(int polygon) => _keys[polygon];

    public Geometry Polygon(int polygon) => _polygons[polygon].Geometry;

    private void AddPolygon(int p, List<int>?[] perCell)
    {
        var polygon = _polygons[p];
        var (c0, r0) = Cell(polygon.Envelope.MinX, polygon.Envelope.MinY);
        var (c1, r1) = Cell(polygon.Envelope.MaxX, polygon.Envelope.MaxY);
        var width = c1 - c0 + 1;
        var boundary = new bool[width * (r1 - r0 + 1)];
        foreach (var (minX, minY, maxX, maxY) in polygon.SegmentBoxes())
        {
            var (sc0, sr0) = Cell(minX - EdgeMargin, minY - EdgeMargin);
            var (sc1, sr1) = Cell(maxX + EdgeMargin, maxY + EdgeMargin);
            for (var r = Math.Max(sr0, r0); r <= Math.Min(sr1, r1); r++)
            {
                for (var c = Math.Max(sc0, c0); c <= Math.Min(sc1, c1); c++)
                {
                    boundary[((r - r0) * width) + (c - c0)] = true;
                }
            }
        }
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                int entry;
                if (boundary[((r - r0) * width) + (c - c0)])
                {
                    entry = p << 1;
                }
                else
                {
                    // Edge-free cell: the polygon either holds all of it or none of it.
                    var centerX = _minX + ((c + 0.5) * _cellWidth);
                    var centerY = _minY + ((r + 0.5) * _cellHeight);
                    if (polygon.Locate(centerX, centerY) != PointLocation.Inside)
                    {
                        continue;
                    }
                    entry = (p << 1) | 1;
                }
                (perCell[(r * _columns) + c] ??= []).Add(entry);
            }
        }
    }

    private (int Column, int Row) Cell(double x, double y) =>
        (Math.Clamp((int)Math.Floor((x - _minX) / _cellWidth), 0, _columns - 1),
         Math.Clamp((int)Math.Floor((y - _minY) / _cellHeight), 0, _rows - 1));

    private bool TryCell(double x, double y, out int cell)
    {
        var column = Math.Floor((x - _minX) / _cellWidth);
        var row = Math.Floor((y - _minY) / _cellHeight);
        // A point just past the last edge of the extent still belongs to the last cell.
        if (column == _columns && x <= _minX + (_columns * _cellWidth) + EdgeMargin)
        {
            column--;
        }
        if (row == _rows && y <= _minY + (_rows * _cellHeight) + EdgeMargin)
        {
            row--;
        }
        if (!(column >= 0 && column < _columns && row >= 0 && row < _rows))
        {
            cell = -1;
            return false;
        }
        cell = ((int)row * _columns) + (int)column;
        return true;
    }

    private bool Matches(int entry, double x, double y, PointPredicate predicate)
    {
        if ((entry & 1) == 1)
        {
            return true;
        }
        var location = _polygons[entry >> 1].Locate(x, y);
        return predicate == PointPredicate.Contains ? location == PointLocation.Inside : location != PointLocation.Outside;
    }

    /// <summary>Polygons whose bounding box meets the envelope, in key order (candidates for a general predicate).</summary>
    public IReadOnlyList<int> Candidates(Envelope envelope)
    {
        if (_polygons.Length == 0 || envelope.IsNull)
        {
            return [];
        }
        var (c0, r0) = Cell(envelope.MinX, envelope.MinY);
        var (c1, r1) = Cell(envelope.MaxX, envelope.MaxY);
        var found = new SortedSet<int>();
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                var cell = (r * _columns) + c;
                for (var i = _cellStart[cell]; i < _cellStart[cell + 1]; i++)
                {
                    found.Add(_entries[i] >> 1);
                }
            }
        }
        return found.Where(p => _polygons[p].Envelope.Intersects(envelope)).ToList();
    }

    /// <summary>The first polygon (in key order) matching the point, or -1.</summary>
    public int First(double x, double y, PointPredicate predicate = PointPredicate.Intersects)
    {
        if (!TryCell(x, y, out var cell))
        {
            return -1;
        }
        // Entries of a cell are in polygon order, which is key order.
        for (var i = _cellStart[cell]; i < _cellStart[cell + 1]; i++)
        {
            if (Matches(_entries[i], x, y, predicate))
            {
                return _entries[i] >> 1;
            }
        }
        return -1;
    }

    /// <summary>Adds every polygon matching the point to <paramref name="matches"/>, in key order.</summary>
    public void All(double x, double y, PointPredicate predicate, List<int> matches)
    {
        if (!TryCell(x, y, out var cell))
        {
            return;
        }
        for (var i = _cellStart[cell]; i < _cellStart[cell + 1]; i++)
        {
            if (Matches(_entries[i], x, y, predicate))
            {
                matches.Add(_entries[i] >> 1);
            }
        }
    }
}
