using System.Runtime.CompilerServices;

using OneMap.DuckDb.Native;
using OneMap.DuckDb.Types;

namespace OneMap.DuckDb.Data;

/// <summary>
/// One column of a data chunk, in DuckDB's memory: typed spans over its values, its validity mask, strings and
/// blobs by row, nested children, and writes (for function outputs and appender chunks). Valid only while the
/// chunk it came from is (until the reader moves on, or the callback returns).
/// </summary>
public readonly unsafe struct DuckDbVector
{
    internal DuckDbVector(IntPtr handle, DuckDbType type, int count)
    {
        Handle = handle;
        Type = type;
        Count = count;
    }

    internal IntPtr Handle { get; }

    public DuckDbType Type { get; }

    /// <summary>Rows in the vector (the chunk's row count; for a list child, the total number of elements).</summary>
    public int Count { get; }

    /// <summary>
    /// The values as a span of <typeparamref name="T"/>, which must have the column's in-memory width: e.g. long for
    /// BIGINT and TIMESTAMP (µs since 1970), int for DATE (days since 1970), double for DOUBLE, byte for BOOLEAN,
    /// Int128 for HUGEINT, <see cref="DuckDbListEntry"/> for LIST. Rows that are NULL hold unspecified values.
    /// Writable for output vectors; do not write to query results.
    /// </summary>
    public Span<T> GetData<T>() where T : unmanaged
    {
        var width = Type.PhysicalSize;
        if (width == 0 || sizeof(T) != width || Type.Id is DuckDbTypeId.Varchar or DuckDbTypeId.Blob or DuckDbTypeId.Geometry or DuckDbTypeId.Bit)
        {
            throw new InvalidCastException($"a {Type} vector cannot be viewed as {typeof(T).Name} values"
                + (width == 16 && Type.Id is DuckDbTypeId.Varchar or DuckDbTypeId.Blob or DuckDbTypeId.Geometry ? "; use GetString/GetBytes per row" : ""));
        }
        return new Span<T>(NativeMethods.VectorGetData(Handle), Count);
    }

    /// <summary>The validity mask (empty when no row is NULL).</summary>
    public DuckDbValidity Validity
    {
        get
        {
            var mask = NativeMethods.VectorGetValidity(Handle);
            return mask == null ? default : new DuckDbValidity(new ReadOnlySpan<ulong>(mask, (Count + 63) / 64));
        }
    }

    public bool IsNull(int row)
    {
        CheckRow(row);
        var mask = NativeMethods.VectorGetValidity(Handle);
        return mask != null && ((mask[row >> 6] >> (row & 63)) & 1) == 0;
    }

    /// <summary>The UTF-8 bytes of a VARCHAR, or the bytes of a BLOB or GEOMETRY (WKB), without copying.</summary>
    public ReadOnlySpan<byte> GetBytes(int row)
    {
        CheckRow(row);
        if (Type.Id is not (DuckDbTypeId.Varchar or DuckDbTypeId.Blob or DuckDbTypeId.Geometry or DuckDbTypeId.Bit))
        {
            throw new InvalidCastException($"a {Type} vector holds no bytes; only VARCHAR, BLOB, BIT and GEOMETRY do");
        }
        var data = (DuckDbStringT*)NativeMethods.VectorGetData(Handle);
        return data[row].AsSpan((byte*)(data + row));
    }

    public string GetString(int row)
    {
        if (Type.Id is not DuckDbTypeId.Varchar)
        {
            throw new InvalidCastException($"a {Type} vector holds no strings");
        }
        return Utf8.Decode(GetBytes(row));
    }

    /// <summary>A row's value as <typeparamref name="T"/> (the general, slower path; prefer spans in loops).</summary>
    public T GetValue<T>(int row)
    {
        CheckRow(row);
        var reader = ColumnReader.Create(Type);
        reader.Bind(Handle);
        return reader.Get<T>(row);
    }

    /// <summary>A row's value as the reader would return it (null for NULL).</summary>
    public object? GetValue(int row)
    {
        CheckRow(row);
        var reader = ColumnReader.Create(Type);
        reader.Bind(Handle);
        return reader.GetValueOrNull(row);
    }

    /// <summary>A LIST vector's per-row entries (offset and length into <see cref="GetListChild"/>).</summary>
    public ReadOnlySpan<DuckDbListEntry> GetListEntries() => Type.Id is DuckDbTypeId.List or DuckDbTypeId.Map
        ? new ReadOnlySpan<DuckDbListEntry>(NativeMethods.VectorGetData(Handle), Count)
        : throw new InvalidCastException($"a {Type} vector is not a LIST");

    /// <summary>A LIST vector's child, holding every row's elements back to back.</summary>
    public DuckDbVector GetListChild() => Type.Id is DuckDbTypeId.List
        ? new DuckDbVector(NativeMethods.ListVectorGetChild(Handle), Type.ElementType!, checked((int)NativeMethods.ListVectorGetSize(Handle)))
        : throw new InvalidCastException($"a {Type} vector is not a LIST");

    /// <summary>A STRUCT vector's field, by position.</summary>
    public DuckDbVector GetStructField(int index) => Type.Id is DuckDbTypeId.Struct
        ? new DuckDbVector(NativeMethods.StructVectorGetChild(Handle, (ulong)index), Type.Fields[index].Type, Count)
        : throw new InvalidCastException($"a {Type} vector is not a STRUCT");

    /// <summary>An ARRAY vector's child: row r's elements are at [r·size, (r+1)·size).</summary>
    public DuckDbVector GetArrayChild() => Type.Id is DuckDbTypeId.Array
        ? new DuckDbVector(NativeMethods.ArrayVectorGetChild(Handle), Type.ElementType!, Count * Type.ArraySize)
        : throw new InvalidCastException($"a {Type} vector is not an ARRAY");

    // Writes: output vectors of functions and chunks being filled.

    public void SetNull(int row)
    {
        CheckRow(row);
        NativeMethods.VectorEnsureValidityWritable(Handle);
        var mask = NativeMethods.VectorGetValidity(Handle);
        mask[row >> 6] &= ~(1UL << (row & 63));
    }

    /// <summary>A writable view of the validity mask (allocated if the vector had none); clear a bit to make a row NULL.</summary>
    public Span<ulong> GetWritableValidity()
    {
        NativeMethods.VectorEnsureValidityWritable(Handle);
        return new Span<ulong>(NativeMethods.VectorGetValidity(Handle), (Count + 63) / 64);
    }

    /// <summary>Sets a VARCHAR row (DuckDB copies strings longer than 12 bytes into the vector's own storage).</summary>
    public void SetString(int row, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckRow(row);
        if (Type.Id is not DuckDbTypeId.Varchar)
        {
            throw new InvalidCastException($"a {Type} vector holds no strings");
        }
        using var utf8 = new Utf8.Buffer(value);
        fixed (byte* pointer = utf8)
        {
            NativeMethods.UnsafeVectorAssignStringElementLen(Handle, (ulong)row, pointer, (ulong)utf8.Length);
        }
    }

    /// <summary>Sets a BLOB or GEOMETRY row (WKB), or a VARCHAR row from UTF-8 bytes (invalid UTF-8 is refused).</summary>
    public void SetBytes(int row, ReadOnlySpan<byte> value)
    {
        CheckRow(row);
        if (Type.Id is DuckDbTypeId.Varchar && !System.Text.Unicode.Utf8.IsValid(value))
        {
            throw new DuckDbConversionException("the bytes given for a VARCHAR row are not valid UTF-8", DuckDbErrorType.Conversion, null);
        }
        if (Type.Id is not (DuckDbTypeId.Varchar or DuckDbTypeId.Blob or DuckDbTypeId.Geometry))
        {
            throw new InvalidCastException($"a {Type} vector holds no bytes");
        }
        fixed (byte* pointer = value)
        {
            NativeMethods.VectorAssignStringElementLen(Handle, (ulong)row, pointer, (ulong)value.Length);
        }
    }

    /// <summary>Sets a row from a .NET value, converting to the vector's type (nested values: lists, dictionaries).</summary>
    public void SetValue<T>(int row, T value)
    {
        CheckRow(row);
        var writer = ColumnWriter.Create(Type);
        writer.Bind(Handle);
        writer.Write(row, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"the vector has {Count} rows");
        }
    }

    public override string ToString() => $"{Type} vector of {Count} rows";
}
