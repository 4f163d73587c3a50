using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>
/// Writes .NET values into one vector of a data chunk (appender chunks, function outputs), converting to the
/// column's DuckDB type and refusing values that do not fit with an error naming the column. Re-pointed at a new
/// vector by <see cref="Bind"/>; a write costs a pointer store, except long strings, which DuckDB must copy.
/// </summary>
internal abstract unsafe class ColumnWriter(DuckDbType type)
{
    private ulong* _validity;

    public DuckDbType Type { get; } = type;

    public string? Name { get; set; }

    protected IntPtr Vector { get; private set; }

    public virtual void Bind(IntPtr vector)
    {
        Vector = vector;
        _validity = NativeMethods.VectorGetValidity(vector);
    }

    public virtual void SetNull(int row)
    {
        if (_validity == null)
        {
            NativeMethods.VectorEnsureValidityWritable(Vector);
            _validity = NativeMethods.VectorGetValidity(Vector);
        }
        _validity[row >> 6] &= ~(1UL << (row & 63));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void MarkValid(int row)
    {
        if (_validity != null)
        {
            _validity[row >> 6] |= 1UL << (row & 63);
        }
    }

    protected DuckDbConversionException Mismatch(Type clrType) =>
        new($"column '{Name}' is {Type}; a {clrType.Name} value cannot be written to it", DuckDbErrorType.MismatchType, null);

    protected DuckDbConversionException OutOfRange(object value, Exception? inner = null) =>
        new($"column '{Name}' is {Type}; the value {value} does not fit it", DuckDbErrorType.OutOfRange, null, inner);

    public virtual void WriteBoolean(int row, bool value) => throw Mismatch(typeof(bool));
    public virtual void WriteInt64(int row, long value) => throw Mismatch(typeof(long));
    public virtual void WriteUInt64(int row, ulong value) => throw Mismatch(typeof(ulong));
    public virtual void WriteInt128(int row, Int128 value) => throw Mismatch(typeof(Int128));
    public virtual void WriteUInt128(int row, UInt128 value) => throw Mismatch(typeof(UInt128));
    public virtual void WriteDouble(int row, double value) => throw Mismatch(typeof(double));
    public virtual void WriteDecimal(int row, decimal value) => throw Mismatch(typeof(decimal));
    public virtual void WriteString(int row, string value) => throw Mismatch(typeof(string));
    public virtual void WriteBytes(int row, ReadOnlySpan<byte> value) => throw Mismatch(typeof(byte[]));
    public virtual void WriteDate(int row, DateOnly value) => throw Mismatch(typeof(DateOnly));
    public virtual void WriteDateTime(int row, DateTime value) => throw Mismatch(typeof(DateTime));
    public virtual void WriteDateTimeOffset(int row, DateTimeOffset value) => throw Mismatch(typeof(DateTimeOffset));
    public virtual void WriteTime(int row, TimeOnly value) => throw Mismatch(typeof(TimeOnly));
    public virtual void WriteTimeSpan(int row, TimeSpan value) => throw Mismatch(typeof(TimeSpan));
    public virtual void WriteGuid(int row, Guid value) => throw Mismatch(typeof(Guid));
    public virtual void WriteInterval(int row, DuckDbInterval value) => throw Mismatch(typeof(DuckDbInterval));
    public virtual void WriteTimeTz(int row, DuckDbTimeTz value) => throw Mismatch(typeof(DuckDbTimeTz));

    /// <summary>Nested values (lists, structs, maps); scalar writers refuse them.</summary>
    protected virtual void WriteComposite(int row, object value) => throw Mismatch(value.GetType());

    /// <summary>Writes a value of a type known at compile time; the JIT keeps only the matching branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int row, T value)
    {
        if (value is null)
        {
            SetNull(row);
        }
        else if (typeof(T) == typeof(long))
        {
            WriteInt64(row, Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(double))
        {
            WriteDouble(row, Unsafe.As<T, double>(ref value));
        }
        else if (typeof(T) == typeof(int))
        {
            WriteInt64(row, Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(string))
        {
            WriteString(row, (string)(object)value);
        }
        else if (typeof(T) == typeof(bool))
        {
            WriteBoolean(row, Unsafe.As<T, bool>(ref value));
        }
        else if (typeof(T) == typeof(byte[]))
        {
            WriteBytes(row, (byte[])(object)value);
        }
        else if (typeof(T) == typeof(DateTime))
        {
            WriteDateTime(row, Unsafe.As<T, DateTime>(ref value));
        }
        else if (typeof(T) == typeof(float))
        {
            WriteDouble(row, Unsafe.As<T, float>(ref value));
        }
        else if (typeof(T) == typeof(short))
        {
            WriteInt64(row, Unsafe.As<T, short>(ref value));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            WriteInt64(row, Unsafe.As<T, sbyte>(ref value));
        }
        else if (typeof(T) == typeof(byte))
        {
            WriteUInt64(row, Unsafe.As<T, byte>(ref value));
        }
        else if (typeof(T) == typeof(ushort))
        {
            WriteUInt64(row, Unsafe.As<T, ushort>(ref value));
        }
        else if (typeof(T) == typeof(uint))
        {
            WriteUInt64(row, Unsafe.As<T, uint>(ref value));
        }
        else if (typeof(T) == typeof(ulong))
        {
            WriteUInt64(row, Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(Int128))
        {
            WriteInt128(row, Unsafe.As<T, Int128>(ref value));
        }
        else if (typeof(T) == typeof(UInt128))
        {
            WriteUInt128(row, Unsafe.As<T, UInt128>(ref value));
        }
        else if (typeof(T) == typeof(decimal))
        {
            WriteDecimal(row, Unsafe.As<T, decimal>(ref value));
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            WriteDateTimeOffset(row, Unsafe.As<T, DateTimeOffset>(ref value));
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            WriteDate(row, Unsafe.As<T, DateOnly>(ref value));
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            WriteTime(row, Unsafe.As<T, TimeOnly>(ref value));
        }
        else if (typeof(T) == typeof(TimeSpan))
        {
            WriteTimeSpan(row, Unsafe.As<T, TimeSpan>(ref value));
        }
        else if (typeof(T) == typeof(Guid))
        {
            WriteGuid(row, Unsafe.As<T, Guid>(ref value));
        }
        else
        {
            WriteObject(row, value);
        }
    }

    /// <summary>Writes a value whose type is known only at run time; null and DBNull write NULL.</summary>
    public void WriteObject(int row, object? value)
    {
        // Text and WKB are the commonest values of ingested rows: tested first.
        switch (value)
        {
            case null or DBNull:
                SetNull(row);
                break;
            case string v:
                WriteString(row, v);
                break;
            case byte[] v:
                WriteBytes(row, v);
                break;
            case long v:
                WriteInt64(row, v);
                break;
            case int v:
                WriteInt64(row, v);
                break;
            case short v:
                WriteInt64(row, v);
                break;
            case sbyte v:
                WriteInt64(row, v);
                break;
            case byte v:
                WriteUInt64(row, v);
                break;
            case ushort v:
                WriteUInt64(row, v);
                break;
            case uint v:
                WriteUInt64(row, v);
                break;
            case ulong v:
                WriteUInt64(row, v);
                break;
            case Int128 v:
                WriteInt128(row, v);
                break;
            case UInt128 v:
                WriteUInt128(row, v);
                break;
            case double v:
                WriteDouble(row, v);
                break;
            case float v:
                WriteDouble(row, v);
                break;
            case decimal v:
                WriteDecimal(row, v);
                break;
            case bool v:
                WriteBoolean(row, v);
                break;
            case ReadOnlyMemory<byte> v:
                WriteBytes(row, v.Span);
                break;
            case Memory<byte> v:
                WriteBytes(row, v.Span);
                break;
            case DateOnly v:
                WriteDate(row, v);
                break;
            case DateTime v:
                WriteDateTime(row, v);
                break;
            case DateTimeOffset v:
                WriteDateTimeOffset(row, v);
                break;
            case TimeOnly v:
                WriteTime(row, v);
                break;
            case TimeSpan v:
                WriteTimeSpan(row, v);
                break;
            case Guid v:
                WriteGuid(row, v);
                break;
            case DuckDbInterval v:
                WriteInterval(row, v);
                break;
            case DuckDbTimeTz v:
                WriteTimeTz(row, v);
                break;
            case char v:
                WriteString(row, v.ToString());
                break;
            case Enum v:
                WriteInt64(row, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                WriteComposite(row, value);
                break;
        }
    }

    public static ColumnWriter Create(DuckDbType type, string? name = null)
    {
        ColumnWriter writer = type.Id switch
        {
            DuckDbTypeId.Boolean => new BooleanWriter(type),
            DuckDbTypeId.TinyInt => new NumberWriter<sbyte>(type),
            DuckDbTypeId.SmallInt => new NumberWriter<short>(type),
            DuckDbTypeId.Integer => new NumberWriter<int>(type),
            DuckDbTypeId.BigInt => new NumberWriter<long>(type),
            DuckDbTypeId.UTinyInt => new NumberWriter<byte>(type),
            DuckDbTypeId.USmallInt => new NumberWriter<ushort>(type),
            DuckDbTypeId.UInteger => new NumberWriter<uint>(type),
            DuckDbTypeId.UBigInt => new NumberWriter<ulong>(type),
            DuckDbTypeId.HugeInt => new NumberWriter<Int128>(type),
            DuckDbTypeId.UHugeInt => new NumberWriter<UInt128>(type),
            DuckDbTypeId.Float => new NumberWriter<float>(type),
            DuckDbTypeId.Double => new NumberWriter<double>(type),
            DuckDbTypeId.Decimal => new DecimalWriter(type),
            DuckDbTypeId.Varchar => new VarcharWriter(type),
            DuckDbTypeId.Blob or DuckDbTypeId.Geometry => new BlobWriter(type),
            DuckDbTypeId.Date => new DateWriter(type),
            DuckDbTypeId.Timestamp => new TimestampWriter(type, 1, 1),
            DuckDbTypeId.TimestampS => new TimestampWriter(type, 1_000_000, 1),
            DuckDbTypeId.TimestampMs => new TimestampWriter(type, 1_000, 1),
            DuckDbTypeId.TimestampNs => new TimestampWriter(type, 1, 1_000),
            DuckDbTypeId.TimestampTz => new TimestampTzWriter(type),
            DuckDbTypeId.Time => new TimeWriter(type, 1),
            DuckDbTypeId.TimeNs => new TimeWriter(type, 1_000),
            DuckDbTypeId.TimeTz => new TimeTzWriter(type),
            DuckDbTypeId.Interval => new IntervalWriter(type),
            DuckDbTypeId.Uuid => new UuidWriter(type),
            DuckDbTypeId.Enum => new EnumWriter(type),
            DuckDbTypeId.List => new ListWriter(type),
            DuckDbTypeId.Array => new ArrayWriter(type),
            DuckDbTypeId.Struct => new StructWriter(type),
            DuckDbTypeId.Map => new MapWriter(type),
            _ => new UnsupportedWriter(type),
        };
        writer.Name = name;
        return writer;
    }
}

internal sealed unsafe class NumberWriter<T>(DuckDbType type) : ColumnWriter(type) where T : unmanaged, INumberBase<T>
{
    private static readonly bool IsFloating = typeof(T) == typeof(float) || typeof(T) == typeof(double);
    private T* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (T*)NativeMethods.VectorGetData(vector);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store<TSource>(int row, TSource value) where TSource : INumberBase<TSource>
    {
        try
        {
            _data[row] = T.CreateChecked(value);
        }
        catch (OverflowException e)
        {
            throw OutOfRange(value, e);
        }
        MarkValid(row);
    }

    public override void WriteInt64(int row, long value)
    {
        if (typeof(T) == typeof(long))
        {
            _data[row] = Unsafe.As<long, T>(ref value);
            MarkValid(row);
            return;
        }
        Store(row, value);
    }

    public override void WriteUInt64(int row, ulong value) => Store(row, value);

    public override void WriteInt128(int row, Int128 value) => Store(row, value);

    public override void WriteUInt128(int row, UInt128 value) => Store(row, value);

    public override void WriteDouble(int row, double value)
    {
        if (typeof(T) == typeof(double))
        {
            _data[row] = Unsafe.As<double, T>(ref value);
            MarkValid(row);
            return;
        }
        if (!IsFloating && (Math.Truncate(value) != value || double.IsInfinity(value)))
        {
            throw OutOfRange(value);
        }
        Store(row, value);
    }

    public override void WriteDecimal(int row, decimal value)
    {
        if (!IsFloating && Math.Truncate(value) != value)
        {
            throw OutOfRange(value);
        }
        Store(row, value);
    }
}

internal sealed unsafe class BooleanWriter(DuckDbType type) : ColumnWriter(type)
{
    private byte* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (byte*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteBoolean(int row, bool value)
    {
        _data[row] = value ? (byte)1 : (byte)0;
        MarkValid(row);
    }
}

internal sealed unsafe class DecimalWriter(DuckDbType type) : ColumnWriter(type)
{
    private void* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = NativeMethods.VectorGetData(vector);
    }

    public override void WriteDecimal(int row, decimal value)
    {
        Int128 unscaled;
        try
        {
            unscaled = DuckDbValues.UnscaledFromDecimal(value, Type.Width, Type.Scale);
        }
        catch (OverflowException e)
        {
            throw OutOfRange(value, e);
        }
        switch (Type.InternalType)
        {
            case DuckDbTypeId.SmallInt:
                ((short*)_data)[row] = (short)unscaled;
                break;
            case DuckDbTypeId.Integer:
                ((int*)_data)[row] = (int)unscaled;
                break;
            case DuckDbTypeId.BigInt:
                ((long*)_data)[row] = (long)unscaled;
                break;
            default:
                ((Int128*)_data)[row] = unscaled;
                break;
        }
        MarkValid(row);
    }

    public override void WriteInt64(int row, long value) => WriteDecimal(row, value);

    public override void WriteUInt64(int row, ulong value) => WriteDecimal(row, value);

    public override void WriteDouble(int row, double value)
    {
        decimal converted;
        try
        {
            converted = (decimal)value;
        }
        catch (OverflowException e)
        {
            throw OutOfRange(value, e);
        }
        WriteDecimal(row, converted);
    }
}

/// <summary>VARCHAR, BLOB and GEOMETRY values: up to 12 bytes are stored inline in the vector; longer ones DuckDB copies.</summary>
internal abstract unsafe class StringTWriter(DuckDbType type) : ColumnWriter(type)
{
    private DuckDbStringT* _data;
    private byte[]? _scratch;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (DuckDbStringT*)NativeMethods.VectorGetData(vector);
    }

    protected void Store(int row, ReadOnlySpan<byte> bytes, bool alreadyValidated)
    {
        if (bytes.Length <= DuckDbStringT.InlineLength)
        {
            var slot = (byte*)(_data + row);
            new Span<byte>(slot, 16).Clear();
            *(uint*)slot = (uint)bytes.Length;
            bytes.CopyTo(new Span<byte>(slot + 4, DuckDbStringT.InlineLength));
        }
        else
        {
            fixed (byte* pointer = bytes)
            {
                if (alreadyValidated)
                {
                    NativeMethods.UnsafeVectorAssignStringElementLen(Vector, (ulong)row, pointer, (ulong)bytes.Length);
                }
                else
                {
                    NativeMethods.VectorAssignStringElementLen(Vector, (ulong)row, pointer, (ulong)bytes.Length);
                }
            }
        }
        MarkValid(row);
    }

    protected void StoreText(int row, string value)
    {
        if (value.Length <= DuckDbStringT.InlineLength / 3)
        {
            Span<byte> small = stackalloc byte[DuckDbStringT.InlineLength];
            var written = System.Text.Encoding.UTF8.GetBytes(value, small);
            Store(row, small[..written], alreadyValidated: true);
            return;
        }
        var length = Utf8.Encode(value, ref _scratch);
        Store(row, _scratch.AsSpan(0, length), alreadyValidated: true);
    }
}

internal sealed class VarcharWriter(DuckDbType type) : StringTWriter(type)
{
    public override void WriteString(int row, string value) => StoreText(row, value);

    public override void WriteBytes(int row, ReadOnlySpan<byte> value)
    {
        if (!System.Text.Unicode.Utf8.IsValid(value))
        {
            throw new DuckDbConversionException($"column '{Name}' is VARCHAR; the bytes given are not valid UTF-8", DuckDbErrorType.Conversion, null);
        }
        Store(row, value, alreadyValidated: true);
    }
}

internal sealed class BlobWriter(DuckDbType type) : StringTWriter(type)
{
    public override void WriteBytes(int row, ReadOnlySpan<byte> value) => Store(row, value, alreadyValidated: false);
}

internal sealed unsafe class DateWriter(DuckDbType type) : ColumnWriter(type)
{
    private int* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (int*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteDate(int row, DateOnly value)
    {
        _data[row] = DuckDbValues.DaysFromDate(value);
        MarkValid(row);
    }

    public override void WriteDateTime(int row, DateTime value)
    {
        if (value.TimeOfDay != TimeSpan.Zero)
        {
            throw OutOfRange(value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
        WriteDate(row, DateOnly.FromDateTime(value));
    }
}

internal sealed unsafe class TimestampWriter(DuckDbType type, long microsPerUnit, long unitsPerMicro) : ColumnWriter(type)
{
    private long* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    private void Store(int row, long micros)
    {
        _data[row] = micros is DuckDbValues.InfinityMicros or DuckDbValues.NegativeInfinityMicros
            ? micros
            : unitsPerMicro == 1 ? micros / microsPerUnit : micros * unitsPerMicro;
        MarkValid(row);
    }

    public override void WriteDateTime(int row, DateTime value)
    {
        if (unitsPerMicro != 1 && value != DateTime.MaxValue && value != DateTime.MinValue)
        {
            _data[row] = (value.Ticks - DuckDbValues.UnixEpochTicks) * 100; // ticks → nanoseconds, keeping the sub-microsecond part
            MarkValid(row);
            return;
        }
        Store(row, DuckDbValues.MicrosFromDateTime(value));
    }

    public override void WriteDateTimeOffset(int row, DateTimeOffset value) => WriteDateTime(row, value.UtcDateTime);

    public override void WriteDate(int row, DateOnly value) => WriteDateTime(row, value.ToDateTime(TimeOnly.MinValue));
}

internal sealed unsafe class TimestampTzWriter(DuckDbType type) : ColumnWriter(type)
{
    private long* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteDateTimeOffset(int row, DateTimeOffset value)
    {
        _data[row] = value == DateTimeOffset.MaxValue ? DuckDbValues.InfinityMicros
            : value == DateTimeOffset.MinValue ? DuckDbValues.NegativeInfinityMicros
            : DuckDbValues.MicrosFromDateTimeOffset(value);
        MarkValid(row);
    }

    public override void WriteDateTime(int row, DateTime value)
    {
        _data[row] = DuckDbValues.UtcMicrosFromDateTime(value);
        MarkValid(row);
    }
}

internal sealed unsafe class TimeWriter(DuckDbType type, long unitsPerMicro) : ColumnWriter(type)
{
    private long* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (long*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteTime(int row, TimeOnly value)
    {
        _data[row] = unitsPerMicro == 1 ? value.Ticks / 10 : value.Ticks * 100;
        MarkValid(row);
    }

    public override void WriteTimeSpan(int row, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value >= TimeSpan.FromDays(1))
        {
            throw OutOfRange(value);
        }
        WriteTime(row, TimeOnly.FromTimeSpan(value));
    }
}

internal sealed unsafe class TimeTzWriter(DuckDbType type) : ColumnWriter(type)
{
    private ulong* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (ulong*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteTimeTz(int row, DuckDbTimeTz value)
    {
        _data[row] = NativeMethods.CreateTimeTz(value.Time.Ticks / 10, (int)value.Offset.TotalSeconds);
        MarkValid(row);
    }

    public override void WriteTime(int row, TimeOnly value) => WriteTimeTz(row, new DuckDbTimeTz(value, TimeSpan.Zero));
}

internal sealed unsafe class IntervalWriter(DuckDbType type) : ColumnWriter(type)
{
    private DuckDbIntervalStruct* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (DuckDbIntervalStruct*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteInterval(int row, DuckDbInterval value)
    {
        _data[row] = new DuckDbIntervalStruct { Months = value.Months, Days = value.Days, Micros = value.Micros };
        MarkValid(row);
    }

    public override void WriteTimeSpan(int row, TimeSpan value) => WriteInterval(row, DuckDbInterval.FromTimeSpan(value));
}

internal sealed unsafe class UuidWriter(DuckDbType type) : ColumnWriter(type)
{
    private Int128* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = (Int128*)NativeMethods.VectorGetData(vector);
    }

    public override void WriteGuid(int row, Guid value)
    {
        _data[row] = DuckDbValues.HugeIntFromGuid(value);
        MarkValid(row);
    }
}

internal sealed unsafe class EnumWriter(DuckDbType type) : ColumnWriter(type)
{
    private readonly Dictionary<string, int> _indexes = type.EnumMembers.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
    private void* _data;

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _data = NativeMethods.VectorGetData(vector);
    }

    public override void WriteString(int row, string value)
    {
        if (!_indexes.TryGetValue(value, out var index))
        {
            throw OutOfRange($"'{value}'");
        }
        switch (Type.InternalType)
        {
            case DuckDbTypeId.UTinyInt:
                ((byte*)_data)[row] = (byte)index;
                break;
            case DuckDbTypeId.USmallInt:
                ((ushort*)_data)[row] = (ushort)index;
                break;
            default:
                ((uint*)_data)[row] = (uint)index;
                break;
        }
        MarkValid(row);
    }
}

/// <summary>LIST values from any enumerable (not strings or byte arrays), appended to the list's child vector.</summary>
internal sealed unsafe class ListWriter : ColumnWriter
{
    private readonly ColumnWriter _element;

    public ListWriter(DuckDbType type) : base(type)
    {
        _element = Create(type.ElementType!);
    }

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _element.Name = $"{Name}[]";
    }

    protected override void WriteComposite(int row, object value)
    {
        if (value is string or not IEnumerable)
        {
            throw Mismatch(value.GetType());
        }
        var items = value as ICollection ?? ((IEnumerable)value).Cast<object?>().ToList();
        var offset = NativeMethods.ListVectorGetSize(Vector);
        var count = (ulong)items.Count;
        NativeMethods.ListVectorReserve(Vector, offset + count);
        // Reserving may move the child's buffers, so the entries and the child are looked up afresh.
        ((DuckDbListEntry*)NativeMethods.VectorGetData(Vector))[row] = new DuckDbListEntry(offset, count);
        _element.Bind(NativeMethods.ListVectorGetChild(Vector));
        var index = (int)offset;
        foreach (var item in items)
        {
            _element.WriteObject(index++, item);
        }
        NativeMethods.ListVectorSetSize(Vector, offset + count);
        MarkValid(row);
    }

    public override void WriteBytes(int row, ReadOnlySpan<byte> value)
    {
        if (Type.ElementType!.Id is DuckDbTypeId.UTinyInt)
        {
            WriteComposite(row, value.ToArray().Cast<object?>().ToList());
            return;
        }
        base.WriteBytes(row, value);
    }
}

internal sealed class ArrayWriter : ColumnWriter
{
    private readonly ColumnWriter _element;

    public ArrayWriter(DuckDbType type) : base(type)
    {
        _element = Create(type.ElementType!);
    }

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        _element.Name = $"{Name}[]";
        _element.Bind(NativeMethods.ArrayVectorGetChild(vector));
    }

    protected override void WriteComposite(int row, object value)
    {
        if (value is string or not IEnumerable)
        {
            throw Mismatch(value.GetType());
        }
        var items = ((IEnumerable)value).Cast<object?>().ToList();
        if (items.Count != Type.ArraySize)
        {
            throw OutOfRange($"a sequence of {items.Count} items");
        }
        for (var i = 0; i < items.Count; i++)
        {
            _element.WriteObject((row * Type.ArraySize) + i, items[i]);
        }
        MarkValid(row);
    }

    public override void SetNull(int row)
    {
        base.SetNull(row);
        for (var i = 0; i < Type.ArraySize; i++)
        {
            _element.SetNull((row * Type.ArraySize) + i);
        }
    }
}

/// <summary>STRUCT values from a dictionary keyed by field name (missing fields are NULL).</summary>
internal sealed class StructWriter : ColumnWriter
{
    private readonly ColumnWriter[] _fields;

    public StructWriter(DuckDbType type) : base(type)
    {
        _fields = type.Fields.Select(f => Create(f.Type, f.Name)).ToArray();
    }

    public override void Bind(IntPtr vector)
    {
        base.Bind(vector);
        for (var i = 0; i < _fields.Length; i++)
        {
            _fields[i].Name = $"{Name}.{Type.Fields[i].Name}";
            _fields[i].Bind(NativeMethods.StructVectorGetChild(vector, (ulong)i));
        }
    }

    protected override void WriteComposite(int row, object value)
    {
        switch (value)
        {
            case IDictionary<string, object?> fields:
                for (var i = 0; i < _fields.Length; i++)
                {
                    _fields[i].WriteObject(row, fields.TryGetValue(Type.Fields[i].Name, out var item) ? item : null);
                }
                break;
            case IReadOnlyDictionary<string, object?> fields:
                for (var i = 0; i < _fields.Length; i++)
                {
                    _fields[i].WriteObject(row, fields.TryGetValue(Type.Fields[i].Name, out var item) ? item : null);
                }
                break;
            case System.Runtime.CompilerServices.ITuple tuple when tuple.Length == _fields.Length:
                for (var i = 0; i < _fields.Length; i++)
                {
                    _fields[i].WriteObject(row, tuple[i]);
                }
                break;
            default:
                throw Mismatch(value.GetType());
        }
        MarkValid(row);
    }

    public override void SetNull(int row)
    {
        base.SetNull(row);
        foreach (var field in _fields)
        {
            field.SetNull(row);
        }
    }
}

/// <summary>MAP values from a dictionary; stored as a LIST of STRUCT(key, value).</summary>
internal sealed unsafe class MapWriter : ColumnWriter
{
    private readonly ColumnWriter _key;
    private readonly ColumnWriter _value;

    public MapWriter(DuckDbType type) : base(type)
    {
        _key = Create(type.Fields[0].Type, "key");
        _value = Create(type.Fields[1].Type, "value");
    }

    protected override void WriteComposite(int row, object value)
    {
        if (value is not IDictionary map)
        {
            throw Mismatch(value.GetType());
        }
        var offset = NativeMethods.ListVectorGetSize(Vector);
        var count = (ulong)map.Count;
        NativeMethods.ListVectorReserve(Vector, offset + count);
        ((DuckDbListEntry*)NativeMethods.VectorGetData(Vector))[row] = new DuckDbListEntry(offset, count);
        var entries = NativeMethods.ListVectorGetChild(Vector);
        _key.Bind(NativeMethods.StructVectorGetChild(entries, 0));
        _value.Bind(NativeMethods.StructVectorGetChild(entries, 1));
        var index = (int)offset;
        foreach (DictionaryEntry entry in map)
        {
            _key.WriteObject(index, entry.Key);
            _value.WriteObject(index, entry.Value);
            index++;
        }
        NativeMethods.ListVectorSetSize(Vector, offset + count);
        MarkValid(row);
    }
}

internal sealed class UnsupportedWriter(DuckDbType type) : ColumnWriter(type)
{
    protected override void WriteComposite(int row, object value) =>
        throw new NotSupportedException($"column '{Name}' has type {Type}, which the binding cannot write");
}
