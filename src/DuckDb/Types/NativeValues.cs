using System.Runtime.InteropServices;

using OneMap.DuckDb.Native;

namespace OneMap.DuckDb.Types;

/// <summary>Reads a <c>duckdb_value</c> (table-function parameters) into the .NET value a reader would return.</summary>
internal static class NativeValues
{
    /// <summary>Converts and destroys the value.</summary>
    public static object? ToObjectAndDestroy(IntPtr value)
    {
        if (value == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return ToObject(value);
        }
        finally
        {
            NativeMethods.DestroyValue(ref value);
        }
    }

    public static object? ToObject(IntPtr value)
    {
        if (NativeMethods.IsNullValue(value))
        {
            return null;
        }
        // The value's type belongs to the value: described here, never destroyed.
        var type = DuckDbType.FromNative(NativeMethods.GetValueType(value));
        switch (type.Id)
        {
            case DuckDbTypeId.Boolean:
                return NativeMethods.GetBool(value);
            case DuckDbTypeId.TinyInt:
                return (sbyte)NativeMethods.GetInt64(value);
            case DuckDbTypeId.SmallInt:
                return (short)NativeMethods.GetInt64(value);
            case DuckDbTypeId.Integer:
                return (int)NativeMethods.GetInt64(value);
            case DuckDbTypeId.BigInt:
                return NativeMethods.GetInt64(value);
            case DuckDbTypeId.UTinyInt:
                return (byte)NativeMethods.GetUInt64(value);
            case DuckDbTypeId.USmallInt:
                return (ushort)NativeMethods.GetUInt64(value);
            case DuckDbTypeId.UInteger:
                return (uint)NativeMethods.GetUInt64(value);
            case DuckDbTypeId.UBigInt:
                return NativeMethods.GetUInt64(value);
            case DuckDbTypeId.HugeInt:
                return NativeMethods.GetHugeInt(value).ToInt128();
            case DuckDbTypeId.Float:
                return (float)NativeMethods.GetDouble(value);
            case DuckDbTypeId.Double:
                return NativeMethods.GetDouble(value);
            case DuckDbTypeId.Decimal:
            {
                var d = NativeMethods.GetDecimal(value);
                return DuckDbValues.DecimalFromUnscaled(d.Value.ToInt128(), d.Scale);
            }
            case DuckDbTypeId.Date:
                return DuckDbValues.DateFromDays(NativeMethods.GetDate(value));
            case DuckDbTypeId.Time:
                return DuckDbValues.TimeFromMicros(NativeMethods.GetTime(value));
            case DuckDbTypeId.Timestamp:
                return DuckDbValues.DateTimeFromMicros(NativeMethods.GetTimestamp(value));
            case DuckDbTypeId.TimestampTz:
                return DuckDbValues.DateTimeOffsetFromMicros(NativeMethods.GetTimestampTz(value));
            case DuckDbTypeId.Interval:
            {
                var i = NativeMethods.GetInterval(value);
                return new DuckDbInterval(i.Months, i.Days, i.Micros);
            }
            case DuckDbTypeId.Uuid:
            {
                var u = NativeMethods.GetUuid(value);
                Span<byte> bytes = stackalloc byte[16];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, new UInt128(u.Upper, u.Lower));
                return new Guid(bytes, bigEndian: true);
            }
            case DuckDbTypeId.Blob or DuckDbTypeId.Geometry:
            {
                var blob = NativeMethods.GetBlob(value);
                try
                {
                    var bytes = new byte[blob.Size];
                    if (blob.Size > 0)
                    {
                        Marshal.Copy(blob.Data, bytes, 0, bytes.Length);
                    }
                    return bytes;
                }
                finally
                {
                    NativeMethods.Free(blob.Data);
                }
            }
            case DuckDbTypeId.List or DuckDbTypeId.Array:
            {
                var size = NativeMethods.GetListSize(value);
                var list = new List<object?>((int)size);
                for (ulong i = 0; i < size; i++)
                {
                    list.Add(ToObjectAndDestroy(NativeMethods.GetListChild(value, i)));
                }
                return list;
            }
            case DuckDbTypeId.Struct:
            {
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < type.Fields.Length; i++)
                {
                    fields[type.Fields[i].Name] = ToObjectAndDestroy(NativeMethods.GetStructChild(value, (ulong)i));
                }
                return fields;
            }
            case DuckDbTypeId.Map:
            {
                var size = NativeMethods.GetMapSize(value);
                var map = new Dictionary<object, object?>((int)size);
                for (ulong i = 0; i < size; i++)
                {
                    var key = ToObjectAndDestroy(NativeMethods.GetMapKey(value, i));
                    if (key is not null)
                    {
                        map[key] = ToObjectAndDestroy(NativeMethods.GetMapValue(value, i));
                    }
                }
                return map;
            }
            default:
                // VARCHAR, ENUM and anything without a closer .NET type arrive as text.
                return Utf8.FromOwnedPointer(NativeMethods.GetVarchar(value));
        }
    }
}
