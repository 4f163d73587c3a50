using NetTopologySuite.Geometries;

namespace OneMap.Lakehouse.Spatial.Hex;

/// <summary>
/// Hexagon binning for heatmaps, on the same tiling as PostGIS's <c>ST_HexagonGrid(size, bounds)</c> applied in Web
/// Mercator (EPSG:3857, the projection of web map tiles): flat-topped hexagons of edge <c>size</c> metres of the
/// projection, column i centred at x = 1.5·size·i, row j at y = √3·size·(j + ½·(|i| mod 2)). A cell is named by
/// (i, j), packed into one 64-bit id, so any resolution is just another size (a heatmap at several resolutions
/// bins the same points with several sizes). Mercator metres shrink by cos(latitude) on the ground: at 25° N a
/// 1,000 m hexagon is 906 m across the ground.
/// </summary>
public static class HexGrid
{
    private const double EarthRadius = 6378137.0;
    private const double HeightFactor = 2 * 0.8660254037844387;
    private static readonly double[] VertexX = [-1.0, -0.5, 0.5, 1.0, 0.5, -0.5, -1.0];
    private static readonly double[] VertexY = [0.0, -0.5, -0.5, 0.0, 0.5, 0.5, 0.0];

    /// <summary>Web Mercator (x, y) in metres of a lon/lat point.</summary>
    public static (double X, double Y) ToMercator(double lon, double lat) =>
        (EarthRadius * lon * Math.PI / 180, EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360))));

    public static (double Lon, double Lat) FromMercator(double x, double y) =>
        (x / EarthRadius * 180 / Math.PI, ((2 * Math.Atan(Math.Exp(y / EarthRadius))) - (Math.PI / 2)) * 180 / Math.PI);

    public static long Pack(int i, int j) => ((long)i << 32) | (uint)j;

    public static (int I, int J) Unpack(long cell) => ((int)(cell >> 32), (int)(cell & 0xFFFFFFFF));

    /// <summary>The cell holding a lon/lat point (on a shared edge, the first of the cells by column, then row).</summary>
    public static long Cell(double lon, double lat, double size)
    {
        CheckSize(size);
        if (!double.IsFinite(lon) || !double.IsFinite(lat) || Math.Abs(lat) >= 90)
        {
            throw new SpatialArgumentException("st_hexbin", "geom", $"({lon}, {lat}) has no Web Mercator position");
        }
        var (x, y) = ToMercator(lon, lat);
        var height = size * HeightFactor;
        var column = (int)Math.Floor(x / (1.5 * size));
        for (var i = column - 1; i <= column + 1; i++)
        {
            var row = (int)Math.Floor((y / height) - (0.5 * (Math.Abs(i) % 2)));
            for (var j = row - 1; j <= row + 1; j++)
            {
                if (Contains(i, j, size, x, y))
                {
                    return Pack(i, j);
                }
            }
        }
        throw new GeometryOperationException("st_hexbin", $"no hexagon of size {size} found for ({lon}, {lat})");
    }

    private static bool Contains(int i, int j, double size, double x, double y)
    {
        var ring = Ring(i, j, size);
        var winding = 0;
        for (var k = 0; k < 6; k++)
        {
            var step = PointInPolygon.Segment(ring[k].X, ring[k].Y, ring[k + 1].X, ring[k + 1].Y, x, y);
            if (step == PointInPolygon.BoundaryStep)
            {
                return true;
            }
            winding += step;
        }
        return winding != 0;
    }

    /// <summary>The hexagon's vertices in Web Mercator metres, computed as PostGIS computes them.</summary>
    private static Coordinate[] Ring(int i, int j, double size)
    {
        var height = size * HeightFactor;
        var ring = new Coordinate[7];
        for (var k = 0; k < 7; k++)
        {
            ring[k] = new Coordinate(size * ((1.5 * i) + VertexX[k]), height * (j + (0.5 * (Math.Abs(i) % 2)) + VertexY[k]));
        }
        return ring;
    }

    /// <summary>The cell's hexagon in lon/lat.</summary>
    public static Polygon Hexagon(long cell, double size)
    {
        CheckSize(size);
        var (i, j) = Unpack(cell);
        var ring = Ring(i, j, size).Select(c =>
        {
            var (lon, lat) = FromMercator(c.X, c.Y);
            return new Coordinate(lon, lat);
        }).ToArray();
        return GeometryCodec.Factory.CreatePolygon(ring);
    }

    /// <summary>The cell's centre in lon/lat.</summary>
    public static Point Center(long cell, double size)
    {
        CheckSize(size);
        var (i, j) = Unpack(cell);
        var (lon, lat) = FromMercator(1.5 * size * i, size * HeightFactor * (j + (0.5 * (Math.Abs(i) % 2))));
        return GeometryCodec.Factory.CreatePoint(new Coordinate(lon, lat));
    }

    private static void CheckSize(double size)
    {
        if (!(size > 0) || double.IsInfinity(size))
        {
            throw new SpatialArgumentException("st_hexbin", "size", $"must be a positive number of Web Mercator metres, was {size}");
        }
    }
}
