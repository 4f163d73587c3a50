using System.Numerics;
using System.Runtime.CompilerServices;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>
/// Decodes one vector of a data chunk: created once per result column (or nested child) and re-pointed at each new
/// chunk's vector by <see cref="Bind"/>, so reading a row costs a pointer read, not a call into DuckDB.
/// </summary>
internal abstract unsafe class ColumnReader(DuckDbType type)
{
    private ulong* _validity;

    public DuckDbType Type { get; } = type;

    /// <summary>The column name used in error messages.</summary>
    public string? Name { get; set; }

    /// <summary>The CLR type of <see cref="GetValue"/>.</summary>
    public abstract Type FieldType { get; }

    public virtual void Bind(IntPtr vector)
    {
        _validity = NativeMethods.VectorGetValidity(vector);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(int row) => _validity == null || ((_validity[row >> 6] >> (row & 63)) & 1) != 0;

    /// <summary>The value of a row known to be valid (not NULL).</summary>
    public abstract object GetValue(int row);

    public object? GetValueOrNull(int row) => IsValid(row) ? GetValue(row) : null;

    /// <summary>The value of a row as <typeparamref name="T"/>; NULL gives null for nullable types and throws otherwise.</summary>
    public virtual T Get<T>(int row) => IsValid(row)
        ? ValueConverter.Convert<T>(GetValue(row), Type, Name)
        : ValueConverter.Convert<T>(null, Type, Name);

    public virtual string GetString(int row) => Get<string>(row);

    // Non-generic getters for the reader's hot paths: a virtual generic method call costs a runtime lookup per row.
    public virtual long GetInt64(int row) => Get<long>(row);

    public virtual int GetInt32(int row) => Get<int>(row);

    public virtual double GetDouble(int row) => Get<double>(row);

    public virtual bool GetBoolean(int row) => Get<bool>(row);

    public virtual DateTime GetDateTime(int row) => Get<DateTime>(row);

    /// <summary>The raw bytes of a VARCHAR, BLOB, BIT or GEOMETRY row, valid until the next chunk.</summary>
    public virtual ReadOnlySpan<byte> GetBytes(int row) =>
        throw new InvalidCastException($"column '{Name}' ({Type}) holds no bytes; only VARCHAR, BLOB, BIT and GEOMETRY do");

    protected InvalidCastException NotAs(Type target) => new($"column '{Name}' ({Type}) cannot be read as {target.Name}");

    public static ColumnReader Create(DuckDbType type, string? name = null)
    {
        ColumnReader reader = type.Id switch
        {
            DuckDbTypeId.Boolean => new BooleanReader(type),
            DuckDbTypeId.TinyInt => new NumberReader<sbyte>(type),
            DuckDbTypeId.SmallInt => new NumberReader<short>(type),
            DuckDbTypeId.Integer => new NumberReader<int>(type),
            DuckDbTypeId.BigInt => new NumberReader<long>(type),
            DuckDbTypeId.UTinyInt => new NumberReader<byte>(type),
            DuckDbTypeId.USmallInt => new NumberReader<ushort>(type),
            DuckDbTypeId.UInteger => new NumberReader<uint>(type),
            DuckDbTypeId.UBigInt => new NumberReader<ulong>(type),
            DuckDbTypeId.HugeInt => new NumberReader<Int128>(type),
            DuckDbTypeId.UHugeInt => new NumberReader<UInt128>(type),
            DuckDbTypeId.Float => new NumberReader<float>(type),
            DuckDbTypeId.Double => new NumberReader<double>(type),
            DuckDbTypeId.Decimal => new DecimalReader(type),
            DuckDbTypeId.Varchar => new StringReader(type),
            DuckDbTypeId.Blob or DuckDbTypeId.Geometry => new BlobReader(type),
            DuckDbTypeId.Bit => new BitReader(type),
            DuckDbTypeId.Date => new DateReader(type),
            DuckDbTypeId.Timestamp => new TimestampReader(type, 1, 1),
            DuckDbTypeId.TimestampS => new TimestampReader(type, 1_000_000, 1),
            DuckDbTypeId.TimestampMs => new TimestampReader(type, 1_000, 1),
            DuckDbTypeId.TimestampNs => new TimestampReader(type, 1, 1_000),
            DuckDbTypeId.TimestampTz => new TimestampTzReader(type),
            DuckDbTypeId.Time => new TimeReader(type, 1),
            DuckDbTypeId.TimeNs => new TimeReader(type, 1_000),
            DuckDbTypeId.TimeTz => new TimeTzReader(type),
            DuckDbTypeId.Interval => new IntervalReader(type),
            DuckDbTypeId.Uuid => new UuidReader(type),
            DuckDbTypeId.Enum => new EnumReader(type),
            DuckDbTypeId.List => new ListReader(type),
            DuckDbTypeId.Array => new ArrayReader(type),
            DuckDbTypeId.Struct => new StructReader(type),
            DuckDbTypeId.Map => new MapReader(type),
            DuckDbTypeId.Union => new UnionReader(type),
            DuckDbTypeId.SqlNull => new NullReader(type),
            _ => new UnsupportedReader(type),
        };
        reader.Name = name;
        return reader;
    }
}

/// <summary>Fixed-width numbers: reads in place and converts with generic math when another number type is asked for.</summary>
internal sealed unsafe class NumberReader<T>(DuckDbType type) : ColumnReader(type) where T : unmanaged, INumberBase<T>
{
    private T* _data;

    public override Type FieldType => typeof(T);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (T*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => _data[row];

    public override long GetInt64(int row) => IsValid(row) ? Convert<long>(_data[row]) : base.GetInt64(row);

    public override int GetInt32(int row) => IsValid(row) ? Convert<int>(_data[row]) : base.GetInt32(row);

    public override double GetDouble(int row) => IsValid(row) ? Convert<double>(_data[row]) : base.GetDouble(row);

    private TOut Convert<TOut>(T value) where TOut : INumberBase<TOut>
    {
        if (typeof(TOut) == typeof(T))
        {
            return Unsafe.As<T, TOut>(ref value);
        }
        if (typeof(TOut) != typeof(double) && !T.IsInteger(value))
        {
            throw new InvalidCastException($"column '{Name}' ({Type}) value {value} is not a whole number; read it as double");
        }
        try
        {
            return TOut.CreateChecked(value);
        }
        catch (OverflowException e)
        {
            throw new InvalidCastException($"column '{Name}' ({Type}) value {value} does not fit {typeof(TOut).Name}", e);
        }
    }

    public override TOut Get<TOut>(int row)
    {
        if (!IsValid(row))
        {
            return base.Get<TOut>(row);
        }
        var value = _data[row];
        if (typeof(TOut) == typeof(T))
        {
            return Unsafe.As<T, TOut>(ref value);
        }
        try
        {
            if (typeof(TOut) == typeof(long) || typeof(TOut) == typeof(long?))
            {
                var converted = long.CreateChecked(value);
                return typeof(TOut) == typeof(long) ? Unsafe.As<long, TOut>(ref converted) : (TOut)(object)converted;
            }
            if (typeof(TOut) == typeof(int))
            {
                var converted = int.CreateChecked(value);
                return Unsafe.As<int, TOut>(ref converted);
            }
            if (typeof(TOut) == typeof(double))
            {
                var converted = double.CreateChecked(value);
                return Unsafe.As<double, TOut>(ref converted);
            }
        }
        catch (OverflowException e)
        {
            throw new InvalidCastException($"column '{Name}' ({Type}) value {value} does not fit {typeof(TOut).Name}", e);
        }
        return base.Get<TOut>(row);
    }
}

internal sealed unsafe class BooleanReader(DuckDbType type) : ColumnReader(type)
{
    private byte* _data;

    public override Type FieldType => typeof(bool);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (byte*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => _data[row] != 0;

    public override bool GetBoolean(int row) => IsValid(row) ? _data[row] != 0 : base.GetBoolean(row);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(bool) && IsValid(row))
        {
            var value = _data[row] != 0;
            return Unsafe.As<bool, T>(ref value);
        }
        return base.Get<T>(row);
    }
}

internal sealed unsafe class DecimalReader(DuckDbType type) : ColumnReader(type)
{
    private void* _data;

    public override Type FieldType => typeof(decimal);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = NativeMethods.VectorGetData(vector);
    }

    public Int128 GetUnscaled(int row) => Type.InternalType switch
    {
        DuckDbTypeId.SmallInt => ((short*)_data)[row],
        DuckDbTypeId.Integer => ((int*)_data)[row],
        DuckDbTypeId.BigInt => ((long*)_data)[row],
        _ => ((Int128*)_data)[row],
    };

    public override object GetValue(int row) => DuckDbValues.DecimalFromUnscaled(GetUnscaled(row), Type.Scale);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(decimal) && IsValid(row))
        {
            var value = DuckDbValues.DecimalFromUnscaled(GetUnscaled(row), Type.Scale);
            return Unsafe.As<decimal, T>(ref value);
        }
        if (typeof(T) == typeof(double) && IsValid(row))
        {
            var value = (double)GetUnscaled(row) / Math.Pow(10, Type.Scale);
            return Unsafe.As<double, T>(ref value);
        }
        return base.Get<T>(row);
    }
}

/// <summary>VARCHAR, BLOB, BIT and GEOMETRY share DuckDB's 16-byte string_t layout.</summary>
internal abstract unsafe class StringTReader(DuckDbType type) : ColumnReader(type)
{
    private DuckDbStringT* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (DuckDbStringT*)NativeMethods.VectorGetData(vector);
    }

    public override ReadOnlySpan<byte> GetBytes(int row) => _data[row].AsSpan((byte*)(_data + row));
}

internal sealed class StringReader(DuckDbType type) : StringTReader(type)
{
    public override Type FieldType => typeof(string);

    public override object GetValue(int row) => Utf8.Decode(GetBytes(row));

    public override string GetString(int row) => IsValid(row) ? Utf8.Decode(GetBytes(row)) : base.GetString(row);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(string) && IsValid(row))
        {
            return (T)(object)Utf8.Decode(GetBytes(row));
        }
        return base.Get<T>(row);
    }
}

internal sealed class BlobReader(DuckDbType type) : StringTReader(type)
{
    public override Type FieldType => typeof(byte[]);

    public override object GetValue(int row) => GetBytes(row).ToArray();

    public override string GetString(int row) => throw NotAs(typeof(string));
}

internal sealed class BitReader(DuckDbType type) : StringTReader(type)
{
    public override Type FieldType => typeof(string);

    public override object GetValue(int row) => DuckDbValues.BitsToString(GetBytes(row));
}

internal sealed unsafe class DateReader(DuckDbType type) : ColumnReader(type)
{
    private int* _data;

    public override Type FieldType => typeof(DateOnly);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (int*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => DuckDbValues.DateFromDays(_data[row]);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(DateOnly) && IsValid(row))
        {
            var value = DuckDbValues.DateFromDays(_data[row]);
            return Unsafe.As<DateOnly, T>(ref value);
        }
        return base.Get<T>(row);
    }
}

/// <summary>TIMESTAMP in seconds, milliseconds, microseconds or nanoseconds since 1970, without a time zone.</summary>
internal sealed unsafe class TimestampReader(DuckDbType type, long microsPerUnit, long unitsPerMicro) : ColumnReader(type)
{
    private long* _data;

    public override Type FieldType => typeof(DateTime);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    private DateTime Read(int row)
    {
        var raw = _data[row];
        if (raw is DuckDbValues.InfinityMicros or DuckDbValues.NegativeInfinityMicros)
        {
            return DuckDbValues.DateTimeFromMicros(raw);
        }
        return unitsPerMicro == 1
            ? DuckDbValues.DateTimeFromMicros(checked(raw * microsPerUnit))
            : new DateTime((raw / 100) + DuckDbValues.UnixEpochTicks, DateTimeKind.Unspecified); // nanoseconds → ticks
    }

    public override object GetValue(int row) => Read(row);

    public override DateTime GetDateTime(int row) => IsValid(row) ? Read(row) : base.GetDateTime(row);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(DateTime) && IsValid(row))
        {
            var value = Read(row);
            return Unsafe.As<DateTime, T>(ref value);
        }
        return base.Get<T>(row);
    }
}

/// <summary>TIMESTAMP WITH TIME ZONE: the UTC instant in microseconds, read as a DateTimeOffset at offset zero.</summary>
internal sealed unsafe class TimestampTzReader(DuckDbType type) : ColumnReader(type)
{
    private long* _data;

    public override Type FieldType => typeof(DateTimeOffset);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => DuckDbValues.DateTimeOffsetFromMicros(_data[row]);

    public override T Get<T>(int row)
    {
        if (IsValid(row))
        {
            if (typeof(T) == typeof(DateTimeOffset))
            {
                var value = DuckDbValues.DateTimeOffsetFromMicros(_data[row]);
                return Unsafe.As<DateTimeOffset, T>(ref value);
            }
            if (typeof(T) == typeof(DateTime))
            {
                var value = DuckDbValues.DateTimeFromMicros(_data[row], DateTimeKind.Utc);
                return Unsafe.As<DateTime, T>(ref value);
            }
        }
        return base.Get<T>(row);
    }
}

internal sealed unsafe class TimeReader(DuckDbType type, long unitsPerMicro) : ColumnReader(type)
{
    private long* _data;

    public override Type FieldType => typeof(TimeOnly);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => DuckDbValues.TimeFromMicros(_data[row] / unitsPerMicro);
}

internal sealed unsafe class TimeTzReader(DuckDbType type) : ColumnReader(type)
{
    private ulong* _data;

    public override Type FieldType => typeof(DuckDbTimeTz);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (ulong*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => DuckDbValues.TimeTzFromBits(_data[row]);
}

internal sealed unsafe class IntervalReader(DuckDbType type) : ColumnReader(type)
{
    private DuckDbIntervalStruct* _data;

    public override Type FieldType => typeof(DuckDbInterval);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (DuckDbIntervalStruct*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => new DuckDbInterval(_data[row].Months, _data[row].Days, _data[row].Micros);
}

internal sealed unsafe class UuidReader(DuckDbType type) : ColumnReader(type)
{
    private Int128* _data;

    public override Type FieldType => typeof(Guid);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (Int128*)NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row) => DuckDbValues.GuidFromHugeInt(_data[row]);

    public override T Get<T>(int row)
    {
        if (typeof(T) == typeof(Guid) && IsValid(row))
        {
            var value = DuckDbValues.GuidFromHugeInt(_data[row]);
            return Unsafe.As<Guid, T>(ref value);
        }
        return base.Get<T>(row);
    }
}

internal sealed unsafe class EnumReader(DuckDbType type) : ColumnReader(type)
{
    private void* _data;

    public override Type FieldType => typeof(string);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = NativeMethods.VectorGetData(vector);
    }

    public override object GetValue(int row)
    {
        var index = Type.InternalType switch
        {
            DuckDbTypeId.UTinyInt => ((byte*)_data)[row],
            DuckDbTypeId.USmallInt => ((ushort*)_data)[row],
            _ => (int)((uint*)_data)[row],
        };
        return Type.EnumMembers[index];
    }
}

internal sealed unsafe class ListReader : ColumnReader
{
    private readonly ColumnReader _element;
    private DuckDbListEntry* _entries;

    public ListReader(DuckDbType type) : base(type)
    {
        _element = Create(type.ElementType!);
    }

    public override Type FieldType => typeof(List<object?>);

    public ColumnReader Element => _element;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _entries = (DuckDbListEntry*)NativeMethods.VectorGetData(vector);
        _element.Name = Name;
        _element.Bind(NativeMethods.ListVectorGetChild(vector));
    }

    public DuckDbListEntry GetEntry(int row) => _entries[row];

    public override object GetValue(int row)
    {
        var entry = _entries[row];
        var list = new List<object?>((int)entry.Length);
        for (var i = (int)entry.Offset; i < (int)(entry.Offset + entry.Length); i++)
        {
            list.Add(_element.GetValueOrNull(i));
        }
        return list;
    }

    /// <summary>Typed list access without boxing for element types the element reader knows natively.</summary>
    public List<T> GetList<T>(int row)
    {
        var entry = _entries[row];
        var list = new List<T>((int)entry.Length);
        for (var i = (int)entry.Offset; i < (int)(entry.Offset + entry.Length); i++)
        {
            list.Add(_element.Get<T>(i));
        }
        return list;
    }

    public override T Get<T>(int row)
    {
        if (IsValid(row) && typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(List<>) && typeof(T) != typeof(List<object?>))
        {
            return (T)ListAccess.GetTyped(this, typeof(T).GetGenericArguments()[0], row);
        }
        return base.Get<T>(row);
    }
}

/// <summary>Calls <see cref="ListReader.GetList{T}"/> for an element type known only at run time.</summary>
internal static class ListAccess
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<ListReader, int, object>> Cache = new();

    public static object GetTyped(ListReader reader, Type element, int row) =>
        Cache.GetOrAdd(element, static e =>
        {
            var method = typeof(ListReader).GetMethod(nameof(ListReader.GetList))!.MakeGenericMethod(e);
            return (r, i) => method.Invoke(r, [i])!;
        })(reader, row);
}

internal sealed class ArrayReader : ColumnReader
{
    private readonly ColumnReader _element;

    public ArrayReader(DuckDbType type) : base(type)
    {
        _element = Create(type.ElementType!);
    }

    public override Type FieldType => typeof(List<object?>);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _element.Name = Name;
        _element.Bind(NativeMethods.ArrayVectorGetChild(vector));
    }

    public override object GetValue(int row)
    {
        var size = Type.ArraySize;
        var list = new List<object?>(size);
        for (var i = row * size; i < (row + 1) * size; i++)
        {
            list.Add(_element.GetValueOrNull(i));
        }
        return list;
    }
}

internal sealed class StructReader : ColumnReader
{
    private readonly ColumnReader[] _fields;

    public StructReader(DuckDbType type) : base(type)
    {
        _fields = type.Fields.Select(f => Create(f.Type, f.Name)).ToArray();
    }

    public override Type FieldType => typeof(Dictionary<string, object?>);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        for (var i = 0; i < _fields.Length; i++)
        {
            _fields[i].Bind(NativeMethods.StructVectorGetChild(vector, (ulong)i));
        }
    }

    public override object GetValue(int row)
    {
        var result = new Dictionary<string, object?>(_fields.Length, StringComparer.Ordinal);
        for (var i = 0; i < _fields.Length; i++)
        {
            result[Type.Fields[i].Name] = _fields[i].GetValueOrNull(row);
        }
        return result;
    }
}

/// <summary>MAP is a LIST of STRUCT(key, value) in a vector.</summary>
internal sealed unsafe class MapReader : ColumnReader
{
    private readonly ColumnReader _key;
    private readonly ColumnReader _value;
    private DuckDbListEntry* _entries;

    public MapReader(DuckDbType type) : base(type)
    {
        _key = Create(type.Fields[0].Type, "key");
        _value = Create(type.Fields[1].Type, "value");
    }

    public override Type FieldType => typeof(Dictionary<object, object?>);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _entries = (DuckDbListEntry*)NativeMethods.VectorGetData(vector);
        var entries = NativeMethods.ListVectorGetChild(vector);
        _key.Bind(NativeMethods.StructVectorGetChild(entries, 0));
        _value.Bind(NativeMethods.StructVectorGetChild(entries, 1));
    }

    public override object GetValue(int row)
    {
        var entry = _entries[row];
        var map = new Dictionary<object, object?>((int)entry.Length);
        for (var i = (int)entry.Offset; i < (int)(entry.Offset + entry.Length); i++)
        {
            map[_key.GetValue(i)] = _value.GetValueOrNull(i);
        }
        return map;
    }
}

/// <summary>UNION is a STRUCT whose first child is the tag; a row's value is the value of its tagged member.</summary>
internal sealed unsafe class UnionReader : ColumnReader
{
    private readonly ColumnReader[] _members;
    private byte* _tags;

    public UnionReader(DuckDbType type) : base(type)
    {
        _members = type.Fields.Select(f => Create(f.Type, f.Name)).ToArray();
    }

    public override Type FieldType => typeof(object);

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _tags = (byte*)NativeMethods.VectorGetData(NativeMethods.StructVectorGetChild(vector, 0));
        for (var i = 0; i < _members.Length; i++)
        {
            _members[i].Bind(NativeMethods.StructVectorGetChild(vector, (ulong)i + 1));
        }
    }

    public override object GetValue(int row) => _members[_tags[row]].GetValueOrNull(row) ?? DBNull.Value;
}

internal sealed class NullReader(DuckDbType type) : ColumnReader(type)
{
    public override Type FieldType => typeof(object);

    public override object GetValue(int row) => DBNull.Value;
}

internal sealed class UnsupportedReader(DuckDbType type) : ColumnReader(type)
{
    public override Type FieldType => typeof(object);

    public override object GetValue(int row) =>
        throw new NotSupportedException($"column '{Name}' has type {Type}, which the binding cannot read; cast it in SQL (e.g. ::VARCHAR)");
}
