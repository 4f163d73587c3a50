using System.Text;

using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Geodesy;
using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// One geometry argument value inside a SQL function call. Points keep their coordinates and only become NTS objects
/// when asked; values that repeat from row to row (a constant fence, a grid joined to many points) are parsed once
/// and get prepared forms (point-in-polygon bands, NTS prepared geometry, the geodetic shape) built on their second use.
/// </summary>
internal sealed class SpatialValue
{
    private Geometry? _geometry;
    private PreparedPolygonal? _pointInPolygon;
    private IPreparedGeometry? _prepared;
    private GeodeticShape? _shape;

    private SpatialValue()
    {
    }

    /// <summary>True for a non-empty 2D point read straight from its coordinates.</summary>
    public bool IsPoint { get; private set; }

    public double X { get; private set; }

    public double Y { get; private set; }

    /// <summary>How many rows have used this same value after the first.</summary>
    public int Repeats { get; set; }

    public Geometry Geometry => _geometry ??= GeometryCodec.Factory.CreatePoint(new Coordinate(X, Y));

    public bool IsPolygonal => !IsPoint && Geometry is Polygon or MultiPolygon;

    public PreparedPolygonal PointInPolygon => _pointInPolygon ??= new PreparedPolygonal(Geometry);

    public IPreparedGeometry Prepared => _prepared ??= PreparedGeometryFactory.Prepare(Geometry);

    public GeodeticShape Shape => _shape ??= GeodeticShape.From(Geometry);

    public static SpatialValue ForGeometry(Geometry geometry) => new() { _geometry = geometry };

    /// <summary>Turns a reused point holder into the given point (all cached forms dropped).</summary>
    public SpatialValue SetPoint(double x, double y)
    {
        IsPoint = true;
        X = x;
        Y = y;
        Repeats = 0;
        _geometry = null;
        _pointInPolygon = null;
        _prepared = null;
        _shape = null;
        return this;
    }

    public static SpatialValue NewPointHolder() => new();
}

/// <summary>
/// Reads one geometry argument of a SQL function from its vector — WKB in a BLOB, DuckDB's GEOMETRY (WKB inside) or
/// WKT text — remembering, per worker thread, the last value it parsed so repeated values are parsed once.
/// </summary>
internal sealed class GeometryArgument(DuckDbTypeId type)
{
    [ThreadStatic]
    private static Dictionary<GeometryArgument, Slot>? _slots;

    public DuckDbTypeId Type { get; } = type;

    /// <summary>The SQL type name of this argument's overload, for messages.</summary>
    public string TypeName => Type switch { DuckDbTypeId.Geometry => "GEOMETRY", DuckDbTypeId.Varchar => "VARCHAR", _ => "BLOB" };

    /// <summary>This argument's memory on the calling thread (fetch once per chunk, then <see cref="Slot.Read"/> per row).</summary>
    public Slot ForThread()
    {
        var slots = _slots ??= [];
        if (!slots.TryGetValue(this, out var slot))
        {
            slot = new Slot(Type);
            slots[this] = slot;
        }
        return slot;
    }

    public SpatialValue Read(DuckDbChunk chunk, int column, int row) => ForThread().Read(chunk, column, row);

    /// <summary>The last value read on one thread, and the bytes it came from.</summary>
    internal sealed class Slot(DuckDbTypeId type)
    {
        private byte[] _bytes = new byte[64];
        private int _length;
        private SpatialValue? _current;
        private readonly SpatialValue _point = SpatialValue.NewPointHolder();

        public SpatialValue Read(DuckDbChunk chunk, int column, int row)
        {
            var bytes = chunk.GetBytes(column, row);
            if (_current is not null && bytes.SequenceEqual(_bytes.AsSpan(0, _length)))
            {
                _current.Repeats++;
                return _current;
            }
            if (_bytes.Length < bytes.Length)
            {
                _bytes = new byte[Math.Max(bytes.Length, _bytes.Length * 2)];
            }
            bytes.CopyTo(_bytes);
            _length = bytes.Length;
            if (type != DuckDbTypeId.Varchar && GeometryCodec.TryReadPoint(bytes, out var x, out var y) && !(double.IsNaN(x) && double.IsNaN(y)))
            {
                _current = _point.SetPoint(x, y);
                return _current;
            }
            var geometry = type == DuckDbTypeId.Varchar ? GeometryCodec.ReadWkt(Encoding.UTF8.GetString(bytes)) : GeometryCodec.ReadWkb(bytes);
            _current = SpatialValue.ForGeometry(geometry);
            return _current;
        }
    }
}
