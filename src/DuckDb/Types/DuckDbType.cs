using System.Collections.Immutable;
using System.Text;

using OneMap.DuckDb.Native;

namespace OneMap.DuckDb.Types;

/// <summary>
/// A DuckDB logical type as the binding sees it: the type id plus what nested, decimal and enum types need.
/// Immutable; used to declare function signatures and table-function columns, and to describe result columns.
/// </summary>
public sealed class DuckDbType : IEquatable<DuckDbType>
{
    private DuckDbType(DuckDbTypeId id)
    {
        Id = id;
    }

    public DuckDbTypeId Id { get; }

    /// <summary>DECIMAL width (total digits), else 0.</summary>
    public byte Width { get; private init; }

    /// <summary>DECIMAL scale (digits after the point), else 0.</summary>
    public byte Scale { get; private init; }

    /// <summary>Element type of a LIST or ARRAY.</summary>
    public DuckDbType? ElementType { get; private init; }

    /// <summary>Fixed length of an ARRAY, else 0.</summary>
    public int ArraySize { get; private init; }

    /// <summary>Fields of a STRUCT, members of a UNION, or (key, value) of a MAP.</summary>
    public ImmutableArray<DuckDbField> Fields { get; private init; } = [];

    /// <summary>Members of an ENUM, in dictionary order.</summary>
    public ImmutableArray<string> EnumMembers { get; private init; } = [];

    /// <summary>The physical type behind a DECIMAL or ENUM (SMALLINT…HUGEINT, UTINYINT…UINTEGER).</summary>
    public DuckDbTypeId InternalType { get; private init; }

    /// <summary>Alias of the type (e.g. a user-defined type name), when DuckDB reports one.</summary>
    public string? Alias { get; private init; }

    /// <summary>Coordinate reference system of a GEOMETRY type, when it carries one.</summary>
    public string? Crs { get; private init; }

    public static DuckDbType Boolean { get; } = new(DuckDbTypeId.Boolean);
    public static DuckDbType TinyInt { get; } = new(DuckDbTypeId.TinyInt);
    public static DuckDbType SmallInt { get; } = new(DuckDbTypeId.SmallInt);
    public static DuckDbType Integer { get; } = new(DuckDbTypeId.Integer);
    public static DuckDbType BigInt { get; } = new(DuckDbTypeId.BigInt);
    public static DuckDbType HugeInt { get; } = new(DuckDbTypeId.HugeInt);
    public static DuckDbType UTinyInt { get; } = new(DuckDbTypeId.UTinyInt);
    public static DuckDbType USmallInt { get; } = new(DuckDbTypeId.USmallInt);
    public static DuckDbType UInteger { get; } = new(DuckDbTypeId.UInteger);
    public static DuckDbType UBigInt { get; } = new(DuckDbTypeId.UBigInt);
    public static DuckDbType UHugeInt { get; } = new(DuckDbTypeId.UHugeInt);
    public static DuckDbType Float { get; } = new(DuckDbTypeId.Float);
    public static DuckDbType Double { get; } = new(DuckDbTypeId.Double);
    public static DuckDbType Varchar { get; } = new(DuckDbTypeId.Varchar);
    public static DuckDbType Blob { get; } = new(DuckDbTypeId.Blob);
    public static DuckDbType Date { get; } = new(DuckDbTypeId.Date);
    public static DuckDbType Time { get; } = new(DuckDbTypeId.Time);
    public static DuckDbType TimeTz { get; } = new(DuckDbTypeId.TimeTz);
    public static DuckDbType Timestamp { get; } = new(DuckDbTypeId.Timestamp);
    public static DuckDbType TimestampS { get; } = new(DuckDbTypeId.TimestampS);
    public static DuckDbType TimestampMs { get; } = new(DuckDbTypeId.TimestampMs);
    public static DuckDbType TimestampNs { get; } = new(DuckDbTypeId.TimestampNs);
    public static DuckDbType TimestampTz { get; } = new(DuckDbTypeId.TimestampTz);
    public static DuckDbType Interval { get; } = new(DuckDbTypeId.Interval);
    public static DuckDbType Uuid { get; } = new(DuckDbTypeId.Uuid);

    /// <summary>DuckDB's core GEOMETRY type (WKB values). Functions taking WKB may declare this or <see cref="Blob"/>.</summary>
    public static DuckDbType Geometry { get; } = new(DuckDbTypeId.Geometry);

    /// <summary>Any type: for function parameters that accept every type (the function inspects the vector's type).</summary>
    public static DuckDbType Any { get; } = new(DuckDbTypeId.Any);

    public static DuckDbType Decimal(byte width, byte scale)
    {
        if (width is < 1 or > 38)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "DECIMAL width must be within [1, 38]");
        }
        if (scale > width)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"DECIMAL scale must not exceed the width ({width})");
        }
        return new DuckDbType(DuckDbTypeId.Decimal)
        {
            Width = width,
            Scale = scale,
            InternalType = width <= 4 ? DuckDbTypeId.SmallInt : width <= 9 ? DuckDbTypeId.Integer : width <= 18 ? DuckDbTypeId.BigInt : DuckDbTypeId.HugeInt,
        };
    }

    public static DuckDbType List(DuckDbType element) =>
        new(DuckDbTypeId.List) { ElementType = element ?? throw new ArgumentNullException(nameof(element)) };

    public static DuckDbType Array(DuckDbType element, int size) =>
        size > 0
            ? new DuckDbType(DuckDbTypeId.Array) { ElementType = element ?? throw new ArgumentNullException(nameof(element)), ArraySize = size }
            : throw new ArgumentOutOfRangeException(nameof(size), size, "ARRAY size must be positive");

    public static DuckDbType Struct(params IEnumerable<DuckDbField> fields)
    {
        var list = fields.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("a STRUCT needs at least one field", nameof(fields));
        }
        return new DuckDbType(DuckDbTypeId.Struct) { Fields = list };
    }

    public static DuckDbType Map(DuckDbType key, DuckDbType value) =>
        new(DuckDbTypeId.Map) { Fields = [new DuckDbField("key", key), new DuckDbField("value", value)] };

    public static DuckDbType Enum(params IEnumerable<string> members)
    {
        var list = members.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("an ENUM needs at least one member", nameof(members));
        }
        return new DuckDbType(DuckDbTypeId.Enum)
        {
            EnumMembers = list,
            InternalType = list.Length <= byte.MaxValue + 1 ? DuckDbTypeId.UTinyInt : list.Length <= ushort.MaxValue + 1 ? DuckDbTypeId.USmallInt : DuckDbTypeId.UInteger,
        };
    }

    /// <summary>The DuckDB type a .NET type maps to: long → BIGINT, string → VARCHAR, byte[] → BLOB, DateTime → TIMESTAMP,
    /// DateTimeOffset → TIMESTAMPTZ, Guid → UUID, decimal → DECIMAL(38,10), T[] and List&lt;T&gt; → LIST …</summary>
    public static DuckDbType FromClrType(Type type) => ClrTypes.ToDuckDbType(type);

    /// <summary>A type that has no parameters (BIGINT, VARCHAR, …) by its id.</summary>
    public static DuckDbType FromId(DuckDbTypeId id) => id switch
    {
        DuckDbTypeId.Boolean => Boolean,
        DuckDbTypeId.TinyInt => TinyInt,
        DuckDbTypeId.SmallInt => SmallInt,
        DuckDbTypeId.Integer => Integer,
        DuckDbTypeId.BigInt => BigInt,
        DuckDbTypeId.HugeInt => HugeInt,
        DuckDbTypeId.UTinyInt => UTinyInt,
        DuckDbTypeId.USmallInt => USmallInt,
        DuckDbTypeId.UInteger => UInteger,
        DuckDbTypeId.UBigInt => UBigInt,
        DuckDbTypeId.UHugeInt => UHugeInt,
        DuckDbTypeId.Float => Float,
        DuckDbTypeId.Double => Double,
        DuckDbTypeId.Varchar => Varchar,
        DuckDbTypeId.Blob => Blob,
        DuckDbTypeId.Date => Date,
        DuckDbTypeId.Time => Time,
        DuckDbTypeId.TimeTz => TimeTz,
        DuckDbTypeId.Timestamp => Timestamp,
        DuckDbTypeId.TimestampS => TimestampS,
        DuckDbTypeId.TimestampMs => TimestampMs,
        DuckDbTypeId.TimestampNs => TimestampNs,
        DuckDbTypeId.TimestampTz => TimestampTz,
        DuckDbTypeId.Interval => Interval,
        DuckDbTypeId.Uuid => Uuid,
        DuckDbTypeId.Geometry => Geometry,
        DuckDbTypeId.Any => Any,
        DuckDbTypeId.Decimal or DuckDbTypeId.List or DuckDbTypeId.Array or DuckDbTypeId.Struct or DuckDbTypeId.Map or DuckDbTypeId.Enum or DuckDbTypeId.Union
            => throw new ArgumentException($"{id} needs parameters; use DuckDbType.{id}(…)", nameof(id)),
        _ => new DuckDbType(id),
    };

    /// <summary>Whether values of this type are fixed-width in a vector (numbers, dates, times, UUID, …).</summary>
    public bool IsFixedWidth => PhysicalSize > 0 && Id is not (DuckDbTypeId.List or DuckDbTypeId.Map);

    /// <summary>Bytes per value in a vector's data array; 0 for STRUCT and ARRAY (their data lives in child vectors).</summary>
    public int PhysicalSize => Id switch
    {
        DuckDbTypeId.Boolean or DuckDbTypeId.TinyInt or DuckDbTypeId.UTinyInt => 1,
        DuckDbTypeId.SmallInt or DuckDbTypeId.USmallInt => 2,
        DuckDbTypeId.Integer or DuckDbTypeId.UInteger or DuckDbTypeId.Float or DuckDbTypeId.Date => 4,
        DuckDbTypeId.BigInt or DuckDbTypeId.UBigInt or DuckDbTypeId.Double or DuckDbTypeId.Time or DuckDbTypeId.TimeNs
            or DuckDbTypeId.TimeTz or DuckDbTypeId.Timestamp or DuckDbTypeId.TimestampS or DuckDbTypeId.TimestampMs
            or DuckDbTypeId.TimestampNs or DuckDbTypeId.TimestampTz => 8,
        DuckDbTypeId.HugeInt or DuckDbTypeId.UHugeInt or DuckDbTypeId.Uuid or DuckDbTypeId.Interval => 16,
        DuckDbTypeId.Varchar or DuckDbTypeId.Blob or DuckDbTypeId.Bit or DuckDbTypeId.Geometry or DuckDbTypeId.BigNum => 16,
        DuckDbTypeId.List or DuckDbTypeId.Map => 16,
        DuckDbTypeId.Decimal or DuckDbTypeId.Enum => FromId(InternalType).PhysicalSize,
        _ => 0,
    };

    /// <summary>Creates DuckDB's logical type; the caller destroys it with <c>duckdb_destroy_logical_type</c>.</summary>
    internal unsafe IntPtr CreateNative()
    {
        switch (Id)
        {
            case DuckDbTypeId.Decimal:
                return NativeMethods.CreateDecimalType(Width, Scale);
            case DuckDbTypeId.List:
            {
                var child = ElementType!.CreateNative();
                try
                {
                    return NativeMethods.CreateListType(child);
                }
                finally
                {
                    NativeMethods.DestroyLogicalType(ref child);
                }
            }
            case DuckDbTypeId.Array:
            {
                var child = ElementType!.CreateNative();
                try
                {
                    return NativeMethods.CreateArrayType(child, (ulong)ArraySize);
                }
                finally
                {
                    NativeMethods.DestroyLogicalType(ref child);
                }
            }
            case DuckDbTypeId.Map:
            {
                var key = Fields[0].Type.CreateNative();
                var value = Fields[1].Type.CreateNative();
                try
                {
                    return NativeMethods.CreateMapType(key, value);
                }
                finally
                {
                    NativeMethods.DestroyLogicalType(ref key);
                    NativeMethods.DestroyLogicalType(ref value);
                }
            }
            case DuckDbTypeId.Struct:
                return CreateNamedChildren(Fields.Select(f => f.Name).ToArray(), Fields.Select(f => f.Type).ToArray());
            case DuckDbTypeId.Enum:
                return CreateNamedChildren(EnumMembers.ToArray(), null);
            case DuckDbTypeId.Union:
                throw new NotSupportedException("declaring UNION types from C# is not supported; read them from results instead");
            default:
                return NativeMethods.CreateLogicalType(Id);
        }
    }

    private unsafe IntPtr CreateNamedChildren(string[] names, DuckDbType[]? types)
    {
        // Names go to native memory as one block of NUL-terminated strings; DuckDB copies them.
        var encoded = names.Select(n => Encoding.UTF8.GetBytes(n + "\0")).ToArray();
        var block = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)encoded.Sum(e => e.Length));
        var namePointers = new IntPtr[names.Length];
        var nativeTypes = new IntPtr[names.Length];
        try
        {
            var offset = 0;
            for (var i = 0; i < names.Length; i++)
            {
                encoded[i].CopyTo(new Span<byte>(block + offset, encoded[i].Length));
                namePointers[i] = (IntPtr)(block + offset);
                offset += encoded[i].Length;
                if (types is not null)
                {
                    nativeTypes[i] = types[i].CreateNative();
                }
            }
            fixed (IntPtr* namesPointer = namePointers)
            fixed (IntPtr* typesPointer = nativeTypes)
            {
                return types is null
                    ? NativeMethods.CreateEnumType((byte**)namesPointer, (ulong)names.Length)
                    : NativeMethods.CreateStructType(typesPointer, (byte**)namesPointer, (ulong)names.Length);
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(block);
            for (var i = 0; i < nativeTypes.Length; i++)
            {
                if (nativeTypes[i] != IntPtr.Zero)
                {
                    NativeMethods.DestroyLogicalType(ref nativeTypes[i]);
                }
            }
        }
    }

    /// <summary>Describes DuckDB's logical type (not destroyed here).</summary>
    internal static DuckDbType FromNative(IntPtr type)
    {
        var id = NativeMethods.GetTypeId(type);
        var alias = Utf8.FromOwnedPointer(NativeMethods.LogicalTypeGetAlias(type));
        DuckDbType result;
        switch (id)
        {
            case DuckDbTypeId.Decimal:
                result = new DuckDbType(id)
                {
                    Width = NativeMethods.DecimalWidth(type),
                    Scale = NativeMethods.DecimalScale(type),
                    InternalType = NativeMethods.DecimalInternalType(type),
                };
                break;
            case DuckDbTypeId.Enum:
            {
                var size = NativeMethods.EnumDictionarySize(type);
                var members = ImmutableArray.CreateBuilder<string>((int)size);
                for (ulong i = 0; i < size; i++)
                {
                    members.Add(Utf8.FromOwnedPointer(NativeMethods.EnumDictionaryValue(type, i)) ?? "");
                }
                result = new DuckDbType(id) { EnumMembers = members.MoveToImmutable(), InternalType = NativeMethods.EnumInternalType(type) };
                break;
            }
            case DuckDbTypeId.List:
                result = new DuckDbType(id) { ElementType = FromOwnedNative(NativeMethods.ListTypeChildType(type)) };
                break;
            case DuckDbTypeId.Array:
                result = new DuckDbType(id)
                {
                    ElementType = FromOwnedNative(NativeMethods.ArrayTypeChildType(type)),
                    ArraySize = checked((int)NativeMethods.ArrayTypeArraySize(type)),
                };
                break;
            case DuckDbTypeId.Map:
                result = new DuckDbType(id)
                {
                    Fields =
                    [
                        new DuckDbField("key", FromOwnedNative(NativeMethods.MapTypeKeyType(type))),
                        new DuckDbField("value", FromOwnedNative(NativeMethods.MapTypeValueType(type))),
                    ],
                };
                break;
            case DuckDbTypeId.Struct:
            {
                var count = NativeMethods.StructTypeChildCount(type);
                var fields = ImmutableArray.CreateBuilder<DuckDbField>((int)count);
                for (ulong i = 0; i < count; i++)
                {
                    fields.Add(new DuckDbField(
                        Utf8.FromOwnedPointer(NativeMethods.StructTypeChildName(type, i)) ?? $"f{i}",
                        FromOwnedNative(NativeMethods.StructTypeChildType(type, i))));
                }
                result = new DuckDbType(id) { Fields = fields.MoveToImmutable() };
                break;
            }
            case DuckDbTypeId.Union:
            {
                var count = NativeMethods.UnionTypeMemberCount(type);
                var fields = ImmutableArray.CreateBuilder<DuckDbField>((int)count);
                for (ulong i = 0; i < count; i++)
                {
                    fields.Add(new DuckDbField(
                        Utf8.FromOwnedPointer(NativeMethods.UnionTypeMemberName(type, i)) ?? $"m{i}",
                        FromOwnedNative(NativeMethods.UnionTypeMemberType(type, i))));
                }
                result = new DuckDbType(id) { Fields = fields.MoveToImmutable() };
                break;
            }
            case DuckDbTypeId.Geometry:
            {
                var crs = Utf8.FromOwnedPointer(NativeMethods.GeometryTypeGetCrs(type));
                result = string.IsNullOrEmpty(crs) && alias is null ? Geometry : new DuckDbType(id) { Crs = string.IsNullOrEmpty(crs) ? null : crs };
                break;
            }
            default:
                result = alias is null ? FromId(id) : new DuckDbType(id);
                break;
        }
        return alias is null ? result : result.WithAlias(alias);
    }

    /// <summary>Describes and destroys a logical type DuckDB handed over.</summary>
    internal static DuckDbType FromOwnedNative(IntPtr type)
    {
        try
        {
            return FromNative(type);
        }
        finally
        {
            NativeMethods.DestroyLogicalType(ref type);
        }
    }

    private DuckDbType WithAlias(string alias) => new(Id)
    {
        Width = Width,
        Scale = Scale,
        ElementType = ElementType,
        ArraySize = ArraySize,
        Fields = Fields,
        EnumMembers = EnumMembers,
        InternalType = InternalType,
        Crs = Crs,
        Alias = alias,
    };

    /// <summary>The type as DuckDB's SQL spells it, e.g. <c>DECIMAL(18,3)</c>, <c>STRUCT(a INTEGER, b VARCHAR[])</c>.</summary>
    public override string ToString() => Id switch
    {
        DuckDbTypeId.Decimal => $"DECIMAL({Width},{Scale})",
        DuckDbTypeId.List => $"{ElementType}[]",
        DuckDbTypeId.Array => $"{ElementType}[{ArraySize}]",
        DuckDbTypeId.Map => $"MAP({Fields[0].Type}, {Fields[1].Type})",
        DuckDbTypeId.Struct => $"STRUCT({string.Join(", ", Fields.Select(f => $"\"{f.Name}\" {f.Type}"))})",
        DuckDbTypeId.Union => $"UNION({string.Join(", ", Fields.Select(f => $"\"{f.Name}\" {f.Type}"))})",
        DuckDbTypeId.Enum => $"ENUM({string.Join(", ", EnumMembers.Select(m => $"'{m.Replace("'", "''", StringComparison.Ordinal)}'"))})",
        DuckDbTypeId.Geometry when Crs is not null => $"GEOMETRY('{Crs}')",
        DuckDbTypeId.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbTypeId.TimeTz => "TIME WITH TIME ZONE",
        DuckDbTypeId.TimestampS => "TIMESTAMP_S",
        DuckDbTypeId.TimestampMs => "TIMESTAMP_MS",
        DuckDbTypeId.TimestampNs => "TIMESTAMP_NS",
        DuckDbTypeId.TimeNs => "TIME_NS",
        _ => Id.ToString().ToUpperInvariant(),
    };

    public bool Equals(DuckDbType? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Id == other.Id && Width == other.Width && Scale == other.Scale && ArraySize == other.ArraySize
             && Equals(ElementType, other.ElementType) && Fields.SequenceEqual(other.Fields)
             && EnumMembers.SequenceEqual(other.EnumMembers) && Crs == other.Crs));

    public override bool Equals(object? obj) => Equals(obj as DuckDbType);

    public override int GetHashCode() => HashCode.Combine(Id, Width, Scale, ArraySize, ElementType, Fields.Length, EnumMembers.Length);
}

/// <summary>A named member of a STRUCT, UNION or MAP type.</summary>
public sealed record DuckDbField(string Name, DuckDbType Type);
