using System.Runtime.CompilerServices;
using System.Text.Json;

using OneMap.DuckDb.Data;
using OneMap.DuckDb.Types;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Geometry;
using OneMap.GraphQLApi.Hosting;

namespace OneMap.GraphQLApi.Querying;

/// <summary>
/// Writes one result column's values as JSON straight from DuckDB's chunks, exactly as the general path writes them:
/// the value read (<see cref="DuckDbChunk.GetValue(int, int)"/>), turned into an API value (<see cref="RowValues"/>),
/// then either serialized by the field's scalar and written by the GraphQL response writer, or written as a GeoJSON
/// property (<see cref="JsonValueWriter"/>). Doubles, integers and plain ASCII text take fast paths that give the
/// same bytes; dates and times are written once per distinct value and then copied; everything else goes the
/// general way, value by value.
/// </summary>
internal sealed class ColumnJson
{
    private readonly int column;
    private readonly ColumnKind kind;
    private readonly CityClock clock;
    private readonly ScalarType? scalar;
    private readonly Path path;
    private readonly Action<Utf8JsonWriter, object?> write;
    private readonly Dictionary<long, byte[]>? texts;
    private double[]? doubles;
    private long[]? integers;
    private ulong[]? validity;
    private bool allValid;
    private DuckDbChunk? chunk;

    private ColumnJson(int column, DuckDbType type, ColumnKind kind, CityClock clock, ScalarType? scalar)
    {
        this.column = column;
        this.kind = kind;
        this.clock = clock;
        this.scalar = scalar;
        write = scalar is null ? JsonValueWriter.Write : ResultJsonWriter.WriteValue;
        path = type.Id switch
        {
            DuckDbTypeId.Double when scalar?.Name is null or "Float" => Path.Double,
            DuckDbTypeId.BigInt or DuckDbTypeId.Integer or DuckDbTypeId.SmallInt or DuckDbTypeId.TinyInt
                or DuckDbTypeId.UTinyInt or DuckDbTypeId.USmallInt or DuckDbTypeId.UInteger when scalar?.Name is null or "Long" => Path.Integer,
            DuckDbTypeId.Varchar when scalar?.Name is null or "String" or "ID" => Path.Text,
            DuckDbTypeId.TimestampTz or DuckDbTypeId.Timestamp or DuckDbTypeId.Date => Path.Repeated,
            _ => Path.General,
        };
        if (path == Path.Repeated)
        {
            texts = [];
        }
    }

    /// <summary>A column whose values a GraphQL field of scalar type <paramref name="scalar"/> returns.</summary>
    public static ColumnJson ForField(int column, DuckDbType type, ColumnKind kind, ScalarType scalar, CityClock clock) => new(column, type, kind, clock, scalar);

    /// <summary>A column written as a GeoJSON feature property.</summary>
    public static ColumnJson ForProperty(int column, DuckDbType type, ColumnKind kind, CityClock clock) => new(column, type, kind, clock, null);

    /// <summary>Points the writer at a new chunk (fixed-width values are copied out once per chunk).</summary>
    // Optimized from the first call (no tier-0 code): a fresh server's first large answers run these per-value loops
    // tens of thousands of times, where unoptimized code is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bind(DuckDbChunk current)
    {
        chunk = current;
        var vector = current[column];
        var valid = vector.Validity;
        allValid = valid.AllValid;
        if (!allValid)
        {
            validity ??= new ulong[32];
            valid.Mask.CopyTo(validity);
        }
        switch (path)
        {
            case Path.Double:
                doubles ??= new double[Math.Max(2048, current.RowCount)];
                vector.GetData<double>().CopyTo(doubles);
                break;
            case Path.Integer or Path.Repeated:
                // Dates and times by their stored count (days, microseconds): the key of their written text.
                integers ??= new long[Math.Max(2048, current.RowCount)];
                CopyIntegers(vector, integers);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsNull(int row) => !allValid && ((validity![row >> 6] >> (row & 63)) & 1) == 0;

    /// <summary>Writes a row's value; throws <see cref="NotWritableException"/> when the general path would report an error instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(JsonText output, int row)
    {
        if (IsNull(row))
        {
            output.Null();
            return;
        }
        switch (path)
        {
            case Path.Double:
                WriteDouble(output, doubles![row]);
                return;
            case Path.Integer:
                output.Integer(integers![row]);
                return;
            case Path.Text:
                // No closure per value: the text is decoded only when it needs escaping.
                if (!output.TryPlainText(chunk!.GetBytes(column, row)))
                {
                    output.Value(ResultJsonWriter.WriteValue, chunk.GetString(column, row));
                }
                return;
            case Path.Repeated:
                var key = integers![row];
                if (!texts!.TryGetValue(key, out var text))
                {
                    text = output.Capture(write, Serialized(chunk!.GetValue(column, row)));
                    if (texts.Count < 100_000)
                    {
                        texts[key] = text;
                    }
                }
                output.Raw(text);
                return;
            default:
                output.Value(write, Serialized(chunk!.GetValue(column, row)));
                return;
        }
    }

    /// <summary>The value the general path hands to the JSON writer: converted, and serialized by the field's scalar.</summary>
    private object? Serialized(object? read)
    {
        var value = RowValues.Convert(read, kind, clock);
        if (value is null || scalar is null)
        {
            return value;
        }
        try
        {
            return scalar.Serialize(value) ?? throw new NotWritableException();
        }
        catch (Exception e) when (e is not NotWritableException)
        {
            // The engine would report a field error here: leave it to the general path.
            throw new NotWritableException(e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteDouble(JsonText output, double value)
    {
        if (!double.IsFinite(value))
        {
            // Float cannot represent NaN or infinities (a field error); a GeoJSON property writes null.
            if (scalar is not null)
            {
                throw new NotWritableException();
            }
            output.Null();
            return;
        }
        // The response writer prints whole numbers without a fraction, as JavaScript does; a feature property does not.
        if (scalar is not null && Math.Floor(value) == value && Math.Abs(value) < 9007199254740992d)
        {
            output.Integer((long)value);
            return;
        }
        output.Number(value);
    }

    private static void CopyIntegers(DuckDbVector vector, long[] target)
    {
        switch (vector.Type.Id)
        {
            case DuckDbTypeId.BigInt or DuckDbTypeId.Timestamp or DuckDbTypeId.TimestampTz:
                vector.GetData<long>().CopyTo(target);
                break;
            case DuckDbTypeId.Integer or DuckDbTypeId.Date:
                Widen(vector.GetData<int>(), target);
                break;
            case DuckDbTypeId.UInteger:
                Widen(vector.GetData<uint>(), target);
                break;
            case DuckDbTypeId.SmallInt:
                Widen(vector.GetData<short>(), target);
                break;
            case DuckDbTypeId.USmallInt:
                Widen(vector.GetData<ushort>(), target);
                break;
            case DuckDbTypeId.TinyInt:
                Widen(vector.GetData<sbyte>(), target);
                break;
            default:
                Widen(vector.GetData<byte>(), target);
                break;
        }
    }

    private static void Widen<T>(Span<T> values, long[] target) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            target[i] = long.CreateTruncating(values[i]);
        }
    }

    private enum Path
    {
        Double,
        Integer,
        Text,
        Repeated,
        General,
    }
}

/// <summary>A value the direct writer cannot write as the general path would (the general path reports an error for it).</summary>
internal sealed class NotWritableException(Exception? inner = null) : Exception("the value needs the general path", inner);
