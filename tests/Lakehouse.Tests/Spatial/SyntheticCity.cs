using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>
/// Deterministic synthetic city layers for the join tests: a tiling of grid cells with jagged shared edges (so that
/// neighbours share every boundary vertex exactly), points including ones on shared edges and at shared corners,
/// point features (manholes), polylines (reaches) and fences with vessel tracks.
/// </summary>
internal static class SyntheticCity
{
    public const double West = 118.95;
    public const double South = 25.40;
    private static GeometryFactory Factory => GeometryCodec.Factory;

    /// <summary>columns × rows grid cells over a jittered lattice; each edge has <paramref name="edgePoints"/> shared bends.</summary>
    public static List<(string Key, Polygon Cell)> Grid(int columns, int rows, int edgePoints, int seed, double cellSize = 0.004)
    {
        var random = new Random(seed);
        var lattice = new Coordinate[columns + 1, rows + 1];
        for (var i = 0; i <= columns; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                var jitter = i == 0 || j == 0 || i == columns || j == rows ? 0 : 0.3;
                lattice[i, j] = new Coordinate(
                    West + ((i + ((random.NextDouble() - 0.5) * jitter)) * cellSize),
                    South + ((j + ((random.NextDouble() - 0.5) * jitter)) * cellSize));
            }
        }
        // Bends of each lattice edge, computed once so both neighbours use the same coordinates.
        var horizontal = new Dictionary<(int, int), Coordinate[]>();
        var vertical = new Dictionary<(int, int), Coordinate[]>();
        Coordinate[] Bends(Coordinate a, Coordinate b)
        {
            var bends = new Coordinate[edgePoints];
            for (var k = 0; k < edgePoints; k++)
            {
                var t = (k + 1.0) / (edgePoints + 1);
                var wobble = (random.NextDouble() - 0.5) * 0.1 * cellSize;
                bends[k] = new Coordinate(a.X + ((b.X - a.X) * t) + wobble, a.Y + ((b.Y - a.Y) * t) - wobble);
            }
            return bends;
        }
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                horizontal[(i, j)] = Bends(lattice[i, j], lattice[i + 1, j]);
            }
        }
        for (var i = 0; i <= columns; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                vertical[(i, j)] = Bends(lattice[i, j], lattice[i, j + 1]);
            }
        }
        var cells = new List<(string, Polygon)>();
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                var ring = new List<Coordinate> { lattice[i, j] };
                ring.AddRange(horizontal[(i, j)]);
                ring.Add(lattice[i + 1, j]);
                ring.AddRange(vertical[(i + 1, j)]);
                ring.Add(lattice[i + 1, j + 1]);
                ring.AddRange(horizontal[(i, j + 1)].Reverse());
                ring.Add(lattice[i, j + 1]);
                ring.AddRange(vertical[(i, j)].Reverse());
                ring.Add(lattice[i, j].Copy());
                cells.Add(($"G{i:D3}{j:D3}", Factory.CreatePolygon(ring.Select(c => c.Copy()).ToArray())));
            }
        }
        return cells;
    }

    /// <summary>Random points over the grid's extent plus points exactly at shared vertices and on shared edges.</summary>
    public static List<(string Key, Point Point)> Points(IReadOnlyList<(string Key, Polygon Cell)> grid, int random, int onBoundary, int seed)
    {
        var rng = new Random(seed);
        var extent = new Envelope();
        foreach (var (_, cell) in grid)
        {
            extent.ExpandToInclude(cell.EnvelopeInternal);
        }
        var points = new List<(string, Point)>();
        for (var n = 0; n < random; n++)
        {
            // A little beyond the extent too, so some points fall in no cell.
            var x = extent.MinX + (((rng.NextDouble() * 1.04) - 0.02) * extent.Width);
            var y = extent.MinY + (((rng.NextDouble() * 1.04) - 0.02) * extent.Height);
            points.Add(($"P{points.Count:D6}", Factory.CreatePoint(new Coordinate(x, y))));
        }
        for (var n = 0; n < onBoundary; n++)
        {
            var ring = grid[rng.Next(grid.Count)].Cell.ExteriorRing.Coordinates;
            var k = rng.Next(ring.Length - 1);
            var point = rng.Next(3) == 0
                ? ring[k].Copy()
                : new Coordinate(ring[k].X + ((ring[k + 1].X - ring[k].X) * rng.NextDouble()), ring[k].Y + ((ring[k + 1].Y - ring[k].Y) * rng.NextDouble()));
            points.Add(($"P{points.Count:D6}", Factory.CreatePoint(point)));
        }
        return points;
    }

    /// <summary>Random points inside an envelope.</summary>
    public static List<(string Key, Point Point)> Scatter(string prefix, int count, Envelope area, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(n => ($"{prefix}{n:D6}", Factory.CreatePoint(new Coordinate(area.MinX + (rng.NextDouble() * area.Width), area.MinY + (rng.NextDouble() * area.Height)))))
            .ToList();
    }

    /// <summary>Wandering polylines (river reaches) inside an envelope.</summary>
    public static List<(string Key, LineString Line)> Lines(string prefix, int count, int vertices, Envelope area, int seed)
    {
        var rng = new Random(seed);
        var lines = new List<(string, LineString)>();
        for (var n = 0; n < count; n++)
        {
            var points = new List<Coordinate> { new(area.MinX + (rng.NextDouble() * area.Width), area.MinY + (rng.NextDouble() * area.Height)) };
            var heading = rng.NextDouble() * 2 * Math.PI;
            for (var k = 1; k < vertices; k++)
            {
                heading += (rng.NextDouble() - 0.5) * 0.8;
                var last = points[^1];
                points.Add(new Coordinate(last.X + (Math.Cos(heading) * 0.002), last.Y + (Math.Sin(heading) * 0.002)));
            }
            lines.Add(($"{prefix}{n:D4}", Factory.CreateLineString(points.ToArray())));
        }
        return lines;
    }
}
