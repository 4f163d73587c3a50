using System.Runtime.CompilerServices;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb;

/// <summary>Binds .NET values to a prepared statement with DuckDB's typed bind functions, so DuckDB sees the right type.</summary>
internal static unsafe class ParameterBinder
{
    public static void BindAll(IntPtr statement, IReadOnlyList<object?> values, string sql)
    {
        var count = (int)NativeMethods.ParameterCount(statement);
        var positional = 0;
        foreach (var value in values)
        {
            if (value is DuckDbParameter named)
            {
                Bind(statement, ResolveName(statement, named.Name, sql), named.Value, sql);
            }
            else
            {
                positional++;
                if (positional > count)
                {
                    throw new DuckDbException($"the SQL takes {count} parameter(s) but more values were given", DuckDbErrorType.InvalidInput, sql);
                }
                Bind(statement, (ulong)positional, value, sql);
            }
        }
        if (positional > 0 && positional != count && values.All(v => v is not DuckDbParameter))
        {
            throw new DuckDbException($"the SQL takes {count} parameter(s) but {positional} value(s) were given", DuckDbErrorType.InvalidInput, sql);
        }
    }

    public static ulong ResolveName(IntPtr statement, string name, string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var bare = name.StartsWith('$') ? name[1..] : name;
        if (NativeMethods.BindParameterIndex(statement, out var index, bare) != DuckDbState.Success)
        {
            throw new DuckDbException($"the SQL has no parameter named ${bare}", DuckDbErrorType.InvalidInput, sql);
        }
        return index;
    }

    public static void Bind(IntPtr statement, ulong index, object? value, string sql)
    {
        switch (value)
        {
            case null or DBNull:
                Check(NativeMethods.BindNull(statement, index), statement, index, sql);
                break;
            case bool v:
                Bind(statement, index, v, sql);
                break;
            case sbyte v:
                Bind(statement, index, v, sql);
                break;
            case short v:
                Bind(statement, index, v, sql);
                break;
            case int v:
                Bind(statement, index, v, sql);
                break;
            case long v:
                Bind(statement, index, v, sql);
                break;
            case byte v:
                Bind(statement, index, v, sql);
                break;
            case ushort v:
                Bind(statement, index, v, sql);
                break;
            case uint v:
                Bind(statement, index, v, sql);
                break;
            case ulong v:
                Bind(statement, index, v, sql);
                break;
            case Int128 v:
                Bind(statement, index, v, sql);
                break;
            case UInt128 v:
                Bind(statement, index, v, sql);
                break;
            case float v:
                Bind(statement, index, v, sql);
                break;
            case double v:
                Bind(statement, index, v, sql);
                break;
            case decimal v:
                Bind(statement, index, v, sql);
                break;
            case string v:
                Bind(statement, index, v, sql);
                break;
            case byte[] v:
                Bind(statement, index, v, sql);
                break;
            case ReadOnlyMemory<byte> v:
                BindBlob(statement, index, v.Span, sql);
                break;
            case DateOnly v:
                Bind(statement, index, v, sql);
                break;
            case DateTime v:
                Bind(statement, index, v, sql);
                break;
            case DateTimeOffset v:
                Bind(statement, index, v, sql);
                break;
            case TimeOnly v:
                Bind(statement, index, v, sql);
                break;
            case TimeSpan v:
                Bind(statement, index, v, sql);
                break;
            case DuckDbInterval v:
                Bind(statement, index, v, sql);
                break;
            case Guid v:
                Bind(statement, index, v, sql);
                break;
            case char v:
                Bind(statement, index, v.ToString(), sql);
                break;
            case Enum v:
                Bind(statement, index, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), sql);
                break;
            default:
                throw new DuckDbConversionException(
                    $"parameter {index} is a {value.GetType().Name}, which the binding cannot pass to DuckDB "
                    + "(use bool, integers, float, double, decimal, string, byte[], DateOnly, DateTime, DateTimeOffset, TimeOnly, TimeSpan, Guid or null)",
                    DuckDbErrorType.MismatchType, sql);
        }
    }

    /// <summary>Typed binding without boxing; the JIT keeps only the branch for <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Bind<T>(IntPtr statement, ulong index, T value, string sql)
    {
        DuckDbState state;
        if (value is null)
        {
            state = NativeMethods.BindNull(statement, index);
        }
        else if (typeof(T) == typeof(bool))
        {
            state = NativeMethods.BindBoolean(statement, index, Unsafe.As<T, bool>(ref value));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            state = NativeMethods.BindInt8(statement, index, Unsafe.As<T, sbyte>(ref value));
        }
        else if (typeof(T) == typeof(short))
        {
            state = NativeMethods.BindInt16(statement, index, Unsafe.As<T, short>(ref value));
        }
        else if (typeof(T) == typeof(int))
        {
            state = NativeMethods.BindInt32(statement, index, Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(long))
        {
            state = NativeMethods.BindInt64(statement, index, Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(byte))
        {
            state = NativeMethods.BindUInt8(statement, index, Unsafe.As<T, byte>(ref value));
        }
        else if (typeof(T) == typeof(ushort))
        {
            state = NativeMethods.BindUInt16(statement, index, Unsafe.As<T, ushort>(ref value));
        }
        else if (typeof(T) == typeof(uint))
        {
            state = NativeMethods.BindUInt32(statement, index, Unsafe.As<T, uint>(ref value));
        }
        else if (typeof(T) == typeof(ulong))
        {
            state = NativeMethods.BindUInt64(statement, index, Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(Int128))
        {
            state = NativeMethods.BindHugeInt(statement, index, new DuckDbHugeInt(Unsafe.As<T, Int128>(ref value)));
        }
        else if (typeof(T) == typeof(UInt128))
        {
            var v = Unsafe.As<T, UInt128>(ref value);
            state = NativeMethods.BindUHugeInt(statement, index, new DuckDbUHugeInt { Lower = (ulong)v, Upper = (ulong)(v >> 64) });
        }
        else if (typeof(T) == typeof(float))
        {
            state = NativeMethods.BindFloat(statement, index, Unsafe.As<T, float>(ref value));
        }
        else if (typeof(T) == typeof(double))
        {
            state = NativeMethods.BindDouble(statement, index, Unsafe.As<T, double>(ref value));
        }
        else if (typeof(T) == typeof(decimal))
        {
            var (width, scale, unscaled) = DuckDbValues.DecimalParameter(Unsafe.As<T, decimal>(ref value));
            state = NativeMethods.BindDecimal(statement, index, new DuckDbDecimalStruct { Width = width, Scale = scale, Value = new DuckDbHugeInt(unscaled) });
        }
        else if (typeof(T) == typeof(string))
        {
            using var utf8 = new Utf8.Buffer((string)(object)value);
            fixed (byte* pointer = utf8)
            {
                state = NativeMethods.BindVarcharLength(statement, index, pointer, (ulong)utf8.Length);
            }
        }
        else if (typeof(T) == typeof(byte[]))
        {
            BindBlob(statement, index, (byte[])(object)value, sql);
            return;
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            state = NativeMethods.BindDate(statement, index, DuckDbValues.DaysFromDate(Unsafe.As<T, DateOnly>(ref value)));
        }
        else if (typeof(T) == typeof(DateTime))
        {
            state = NativeMethods.BindTimestamp(statement, index, DuckDbValues.MicrosFromDateTime(Unsafe.As<T, DateTime>(ref value)));
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            var v = Unsafe.As<T, DateTimeOffset>(ref value);
            var micros = v == DateTimeOffset.MaxValue ? DuckDbValues.InfinityMicros
                : v == DateTimeOffset.MinValue ? DuckDbValues.NegativeInfinityMicros
                : DuckDbValues.MicrosFromDateTimeOffset(v);
            state = NativeMethods.BindTimestampTz(statement, index, micros);
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            state = NativeMethods.BindTime(statement, index, DuckDbValues.MicrosFromTime(Unsafe.As<T, TimeOnly>(ref value)));
        }
        else if (typeof(T) == typeof(TimeSpan) || typeof(T) == typeof(DuckDbInterval))
        {
            var interval = typeof(T) == typeof(TimeSpan)
                ? DuckDbInterval.FromTimeSpan(Unsafe.As<T, TimeSpan>(ref value))
                : Unsafe.As<T, DuckDbInterval>(ref value);
            state = NativeMethods.BindInterval(statement, index, new DuckDbIntervalStruct { Months = interval.Months, Days = interval.Days, Micros = interval.Micros });
        }
        else if (typeof(T) == typeof(Guid))
        {
            var uuid = NativeMethods.CreateUuid(DuckDbValues.UHugeIntFromGuid(Unsafe.As<T, Guid>(ref value)));
            try
            {
                state = NativeMethods.BindValue(statement, index, uuid);
            }
            finally
            {
                NativeMethods.DestroyValue(ref uuid);
            }
        }
        else
        {
            Bind(statement, index, (object)value, sql);
            return;
        }
        Check(state, statement, index, sql);
    }

    public static void BindBlob(IntPtr statement, ulong index, ReadOnlySpan<byte> value, string sql)
    {
        fixed (byte* pointer = value)
        {
            // A zero-length span pins no memory; DuckDB still wants a non-null pointer.
            byte dummy = 0;
            Check(NativeMethods.BindBlob(statement, index, pointer == null ? &dummy : pointer, (ulong)value.Length), statement, index, sql);
        }
    }

    private static void Check(DuckDbState state, IntPtr statement, ulong index, string sql)
    {
        if (state != DuckDbState.Success)
        {
            var count = NativeMethods.ParameterCount(statement);
            throw new DuckDbException(
                index == 0 || index > count
                    ? $"parameter {index} does not exist: the SQL takes {count} parameter(s), numbered from 1"
                    : $"DuckDB refused the value for parameter {index}",
                DuckDbErrorType.InvalidInput, sql);
        }
    }
}
