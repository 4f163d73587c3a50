using System.Runtime.CompilerServices;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Appending;

/// <summary>
/// One column's values for <see cref="DuckDbAppender.AppendColumns"/>: an array (converted implicitly) or
/// <see cref="From{T}(ReadOnlyMemory{T}, ReadOnlyMemory{bool})"/> with an optional NULL mask.
/// </summary>
public abstract class DuckDbColumnData
{
    public abstract int Length { get; }

    internal abstract void CopyTo(ColumnWriter writer, IntPtr vector, int offset, int count);

    /// <summary>Values of any supported type; <paramref name="isNull"/> (same length) marks NULL rows.</summary>
    public static DuckDbColumnData From<T>(ReadOnlyMemory<T> values, ReadOnlyMemory<bool> isNull = default)
    {
        if (!isNull.IsEmpty && isNull.Length != values.Length)
        {
            throw new ArgumentException($"the NULL mask has {isNull.Length} entries but there are {values.Length} values", nameof(isNull));
        }
        return new ColumnData<T>(values, isNull);
    }

    public static implicit operator DuckDbColumnData(long[] values) => From<long>(values);
    public static implicit operator DuckDbColumnData(int[] values) => From<int>(values);
    public static implicit operator DuckDbColumnData(short[] values) => From<short>(values);
    public static implicit operator DuckDbColumnData(sbyte[] values) => From<sbyte>(values);
    public static implicit operator DuckDbColumnData(ulong[] values) => From<ulong>(values);
    public static implicit operator DuckDbColumnData(uint[] values) => From<uint>(values);
    public static implicit operator DuckDbColumnData(ushort[] values) => From<ushort>(values);
    public static implicit operator DuckDbColumnData(double[] values) => From<double>(values);
    public static implicit operator DuckDbColumnData(float[] values) => From<float>(values);
    public static implicit operator DuckDbColumnData(decimal[] values) => From<decimal>(values);
    public static implicit operator DuckDbColumnData(bool[] values) => From<bool>(values);
    public static implicit operator DuckDbColumnData(string?[] values) => From<string?>(values);
    public static implicit operator DuckDbColumnData(byte[]?[] values) => From<byte[]?>(values);
    public static implicit operator DuckDbColumnData(DateTime[] values) => From<DateTime>(values);
    public static implicit operator DuckDbColumnData(DateTimeOffset[] values) => From<DateTimeOffset>(values);
    public static implicit operator DuckDbColumnData(DateOnly[] values) => From<DateOnly>(values);
    public static implicit operator DuckDbColumnData(TimeOnly[] values) => From<TimeOnly>(values);
    public static implicit operator DuckDbColumnData(Guid[] values) => From<Guid>(values);
    public static implicit operator DuckDbColumnData(Int128[] values) => From<Int128>(values);
}

internal sealed unsafe class ColumnData<T>(ReadOnlyMemory<T> values, ReadOnlyMemory<bool> isNull) : DuckDbColumnData
{
    public override int Length => values.Length;

    internal override void CopyTo(ColumnWriter writer, IntPtr vector, int offset, int count)
    {
        var source = values.Span.Slice(offset, count);
        if (IsSameLayout(writer.Type.Id))
        {
            // Same in-memory representation as DuckDB's: one block copy.
            var bytes = MemoryMarshalBytes(source);
            bytes.CopyTo(new Span<byte>(NativeMethods.VectorGetData(vector), bytes.Length));
        }
        else if (typeof(T) == typeof(DateTime) && writer.Type.Id == DuckDbTypeId.Timestamp)
        {
            var target = (long*)NativeMethods.VectorGetData(vector);
            var times = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(
                ref Unsafe.As<T, DateTime>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source)), source.Length);
            for (var i = 0; i < times.Length; i++)
            {
                target[i] = DuckDbValues.MicrosFromDateTime(times[i]);
            }
        }
        else
        {
            for (var i = 0; i < source.Length; i++)
            {
                writer.Write(i, source[i]);
            }
        }
        if (!isNull.IsEmpty)
        {
            var nulls = isNull.Span.Slice(offset, count);
            for (var i = 0; i < nulls.Length; i++)
            {
                if (nulls[i])
                {
                    writer.SetNull(i);
                }
            }
        }
    }

    private static ReadOnlySpan<byte> MemoryMarshalBytes(ReadOnlySpan<T> source)
    {
        ref var first = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(source);
        return System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref first), source.Length * Unsafe.SizeOf<T>());
    }

    private static bool IsSameLayout(DuckDbTypeId id) =>
        (typeof(T) == typeof(long) && id == DuckDbTypeId.BigInt)
        || (typeof(T) == typeof(double) && id == DuckDbTypeId.Double)
        || (typeof(T) == typeof(int) && id == DuckDbTypeId.Integer)
        || (typeof(T) == typeof(float) && id == DuckDbTypeId.Float)
        || (typeof(T) == typeof(short) && id == DuckDbTypeId.SmallInt)
        || (typeof(T) == typeof(sbyte) && id == DuckDbTypeId.TinyInt)
        || (typeof(T) == typeof(ulong) && id == DuckDbTypeId.UBigInt)
        || (typeof(T) == typeof(uint) && id == DuckDbTypeId.UInteger)
        || (typeof(T) == typeof(ushort) && id == DuckDbTypeId.USmallInt)
        || (typeof(T) == typeof(byte) && id == DuckDbTypeId.UTinyInt)
        || (typeof(T) == typeof(bool) && id == DuckDbTypeId.Boolean)
        || (typeof(T) == typeof(Int128) && id == DuckDbTypeId.HugeInt)
        || (typeof(T) == typeof(UInt128) && id == DuckDbTypeId.UHugeInt);
}
