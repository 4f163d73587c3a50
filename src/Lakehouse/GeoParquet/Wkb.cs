using System.Buffers.Binary;

namespace OneMap.Lakehouse.GeoParquet;

/// <summary>The envelope of a geometry; <see cref="IsEmpty"/> for empty geometries (no coordinates).</summary>
public readonly record struct Envelope(double XMin, double YMin, double XMax, double YMax)
{
    public static readonly Envelope Empty = new(double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity);

    public bool IsEmpty => XMin > XMax;

    public Envelope Expand(double x, double y) =>
        new(Math.Min(XMin, x), Math.Min(YMin, y), Math.Max(XMax, x), Math.Max(YMax, y));

    public Envelope Union(Envelope other) => other.IsEmpty ? this : IsEmpty ? other
        : new(Math.Min(XMin, other.XMin), Math.Min(YMin, other.YMin), Math.Max(XMax, other.XMax), Math.Max(YMax, other.YMax));
}

/// <summary>What GeoParquet metadata needs from one WKB value: its geometry type name and envelope.</summary>
public readonly record struct WkbInfo(string GeometryType, Envelope Envelope);

/// <summary>
/// A reader of ISO and extended (PostGIS EWKB) well-known binary that walks the coordinates once to find the geometry
/// type and envelope, and rewrites EWKB into the ISO WKB GeoParquet requires (Z as type + 1000, no SRID).
/// </summary>
public static class Wkb
{
    private const uint EwkbZ = 0x80000000;
    private const uint EwkbM = 0x40000000;
    private const uint EwkbSrid = 0x20000000;

    private static readonly string[] TypeNames = ["Geometry", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"];

    /// <summary>Reads type and envelope; throws <see cref="FormatException"/> naming the byte offset of malformed input.</summary>
    public static WkbInfo Read(ReadOnlySpan<byte> wkb)
    {
        var reader = new Walker(wkb, output: null);
        var (type, hasZ) = reader.Geometry(depth: 0);
        if (reader.Position != wkb.Length)
        {
            throw new FormatException($"WKB has {wkb.Length - reader.Position} trailing bytes after the geometry at offset {reader.Position}");
        }
        return new WkbInfo(TypeNames[type] + (hasZ ? " Z" : ""), reader.Envelope);
    }

    /// <summary>The input when it already is ISO WKB, else the same geometry rewritten as ISO WKB.</summary>
    public static byte[] ToIso(byte[] wkb)
    {
        if (!NeedsRewrite(wkb))
        {
            return wkb;
        }
        using var output = new MemoryStream(wkb.Length);
        var writer = new Walker(wkb, output);
        writer.Geometry(depth: 0);
        return output.ToArray();
    }

    private static bool NeedsRewrite(ReadOnlySpan<byte> wkb)
    {
        if (wkb.Length < 5)
        {
            throw new FormatException($"WKB of {wkb.Length} bytes is too short for a geometry header");
        }
        var little = wkb[0] == 1;
        var type = little ? BinaryPrimitives.ReadUInt32LittleEndian(wkb[1..]) : BinaryPrimitives.ReadUInt32BigEndian(wkb[1..]);
        // Nested headers of multi-geometries follow the top-level style in every writer we know of.
        return (type & (EwkbZ | EwkbM | EwkbSrid)) != 0;
    }

    private ref struct Walker
    {
        private readonly ReadOnlySpan<byte> data;
        private readonly Stream? output;
        private bool little;

        public Walker(ReadOnlySpan<byte> data, Stream? output)
        {
            this.data = data;
            this.output = output;
            Envelope = Envelope.Empty;
        }

        public int Position { get; private set; }

        public Envelope Envelope { get; private set; }

        public (int Type, bool HasZ) Geometry(int depth)
        {
            if (depth > 32)
            {
                throw new FormatException("WKB nests geometry collections deeper than 32 levels");
            }
            var start = Position;
            var order = Byte();
            if (order > 1)
            {
                throw new FormatException($"WKB byte order {order} at offset {start} is neither 0 nor 1");
            }
            little = order == 1;
            var raw = UInt32();
            var hasZ = (raw & EwkbZ) != 0;
            var hasM = (raw & EwkbM) != 0;
            if ((raw & EwkbSrid) != 0)
            {
                UInt32();
            }
            var code = raw & 0x0FFFFFFF;
            var dimension = code / 1000;
            var type = (int)(code % 1000);
            hasZ |= dimension is 1 or 3;
            hasM |= dimension is 2 or 3;
            if (type is < 1 or > 7 || dimension > 3)
            {
                throw new FormatException($"WKB geometry type code {raw} at offset {start} is not a simple-features type");
            }
            if (hasM)
            {
                throw new FormatException($"WKB at offset {start} has M values, which GeoParquet 1.1 does not allow");
            }
            if (output is not null)
            {
                output.WriteByte(order);
                WriteUInt32((uint)(type + (hasZ ? 1000 : 0)));
            }
            var dims = hasZ ? 3 : 2;
            switch (type)
            {
                case 1:
                    Point(dims);
                    break;
                case 2:
                    Points(dims, Count());
                    break;
                case 3:
                    var rings = Count();
                    for (var r = 0; r < rings; r++)
                    {
                        Points(dims, Count());
                    }
                    break;
                default:
                    var parts = Count();
                    for (var p = 0; p < parts; p++)
                    {
                        var (partType, _) = Geometry(depth + 1);
                        if (type != 7 && partType != type - 3)
                        {
                            throw new FormatException($"WKB multi-geometry of type {type} holds a part of type {partType}");
                        }
                    }
                    break;
            }
            return (type, hasZ);
        }

        private void Points(int dims, uint count)
        {
            if ((long)count * dims * 8 > data.Length - Position)
            {
                throw new FormatException($"WKB at offset {Position} declares {count} points, more than the remaining bytes hold");
            }
            for (var i = 0; i < count; i++)
            {
                Point(dims);
            }
        }

        private void Point(int dims)
        {
            var x = Double();
            var y = Double();
            for (var d = 2; d < dims; d++)
            {
                Double();
            }
            // An empty point is written as NaN coordinates.
            if (!double.IsNaN(x) && !double.IsNaN(y))
            {
                Envelope = Envelope.Expand(x, y);
            }
        }

        private uint Count()
        {
            var count = UInt32();
            if (count > data.Length)
            {
                throw new FormatException($"WKB count {count} at offset {Position - 4} exceeds the size of the value");
            }
            if (output is not null)
            {
                WriteUInt32(count);
            }
            return count;
        }

        private byte Byte()
        {
            Need(1);
            return data[Position++];
        }

        private uint UInt32()
        {
            Need(4);
            var value = little ? BinaryPrimitives.ReadUInt32LittleEndian(data[Position..]) : BinaryPrimitives.ReadUInt32BigEndian(data[Position..]);
            Position += 4;
            return value;
        }

        private double Double()
        {
            Need(8);
            var bits = little ? BinaryPrimitives.ReadInt64LittleEndian(data[Position..]) : BinaryPrimitives.ReadInt64BigEndian(data[Position..]);
            output?.Write(data.Slice(Position, 8));
            Position += 8;
            return BitConverter.Int64BitsToDouble(bits);
        }

        private void WriteUInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            if (little)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            }
            output!.Write(bytes);
        }

        private readonly void Need(int bytes)
        {
            if (Position + bytes > data.Length)
            {
                throw new FormatException($"WKB ends at offset {data.Length} in the middle of a geometry (needed {bytes} more bytes at {Position})");
            }
        }
    }
}
