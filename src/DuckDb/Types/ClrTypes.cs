namespace OneMap.DuckDb.Types;

/// <summary>The DuckDB type a .NET type maps to (for functions declared from delegates).</summary>
internal static class ClrTypes
{
    public static DuckDbType ToDuckDbType(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(bool) => DuckDbType.Boolean,
            _ when t == typeof(sbyte) => DuckDbType.TinyInt,
            _ when t == typeof(short) => DuckDbType.SmallInt,
            _ when t == typeof(int) => DuckDbType.Integer,
            _ when t == typeof(long) => DuckDbType.BigInt,
            _ when t == typeof(byte) => DuckDbType.UTinyInt,
            _ when t == typeof(ushort) => DuckDbType.USmallInt,
            _ when t == typeof(uint) => DuckDbType.UInteger,
            _ when t == typeof(ulong) => DuckDbType.UBigInt,
            _ when t == typeof(Int128) => DuckDbType.HugeInt,
            _ when t == typeof(UInt128) => DuckDbType.UHugeInt,
            _ when t == typeof(float) => DuckDbType.Float,
            _ when t == typeof(double) => DuckDbType.Double,
            _ when t == typeof(decimal) => DuckDbType.Decimal(38, 10),
            _ when t == typeof(string) => DuckDbType.Varchar,
            _ when t == typeof(byte[]) => DuckDbType.Blob,
            _ when t == typeof(DateOnly) => DuckDbType.Date,
            _ when t == typeof(DateTime) => DuckDbType.Timestamp,
            _ when t == typeof(DateTimeOffset) => DuckDbType.TimestampTz,
            _ when t == typeof(TimeOnly) => DuckDbType.Time,
            _ when t == typeof(TimeSpan) || t == typeof(DuckDbInterval) => DuckDbType.Interval,
            _ when t == typeof(Guid) => DuckDbType.Uuid,
            _ when t.IsArray && t.GetElementType() != typeof(byte) => DuckDbType.List(ToDuckDbType(t.GetElementType()!)),
            _ when t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) => DuckDbType.List(ToDuckDbType(t.GetGenericArguments()[0])),
            _ => throw new NotSupportedException($"no DuckDB type corresponds to {type.Name}; declare the DuckDbType explicitly"),
        };
    }
}
