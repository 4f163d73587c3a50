using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

using OneMap.DuckDb.Data;
using OneMap.GraphQL.Execution;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;

namespace OneMap.GraphQLApi.Geometry;

/// <summary>
/// A page of rows written as a GeoJSON FeatureCollection straight from the statement's result chunks: the same bytes
/// as <see cref="FeatureCollectionWriter"/> over the rows read one value at a time (the tests compare both), without
/// a row dictionary, a boxed value or a parsed geometry per feature. Points in plain little-endian WKB (every
/// ticket, station and manhole) are written from their 21 bytes; other geometries go through the general writer.
/// </summary>
internal static class FeatureCollectionChunks
{
    // GeoJsonValues.Decimals (9) places, as GeoJson.WriteCoordinateValue prints them.
    private const string CoordinateFormat = "0.#########";

    /// <summary>A page of no rows.</summary>
    public static Written Empty { get; } = new(new SerializedValue("{\"type\":\"FeatureCollection\",\"features\":[]}"u8.ToArray()), 0, false);

    /// <summary>
    /// Writes the first <paramref name="limit"/> rows of <paramref name="reader"/> as features: the WKB geometry at
    /// <paramref name="geometryOrdinal"/> (-1: none), the other columns as properties in the given order.
    /// </summary>
    // Optimized from the first call (no tier-0 code): a fresh server's first large answers run these per-value loops
    // tens of thousands of times, where unoptimized code is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Written Write(DuckDbDataReader reader, int geometryOrdinal, IReadOnlyList<Property> properties, long limit, CityClock clock,
        CancellationToken cancellationToken)
    {
        var columns = properties.Select(p => ColumnJson.ForProperty(p.Ordinal, reader.GetColumnType(p.Ordinal), p.Kind, clock)).ToArray();
        var names = properties.Select((p, i) => Encoding.UTF8.GetBytes((i == 0 ? "\"" : ",\"") + p.Name + "\":")).ToArray();
        using var output = new JsonText(16 * 1024);
        output.Raw("{\"type\":\"FeatureCollection\",\"features\":["u8);
        long rows = 0;
        while (reader.ReadChunk() is { } chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var column in columns)
            {
                column.Bind(chunk);
            }
            var geometryValidity = geometryOrdinal < 0 ? default : chunk.GetValidity(geometryOrdinal);
            for (var row = 0; row < chunk.RowCount; row++)
            {
                // One row past the page tells whether there is a next page; it is not written.
                if (rows++ >= limit)
                {
                    continue;
                }
                output.Raw(rows == 1 ? "{\"type\":\"Feature\",\"geometry\":"u8 : ",{\"type\":\"Feature\",\"geometry\":"u8);
                if (geometryOrdinal < 0 || !geometryValidity.IsValid(row))
                {
                    output.Null();
                }
                else
                {
                    var wkb = chunk.GetBytes(geometryOrdinal, row);
                    if (!TryWritePoint(output, wkb))
                    {
                        output.Value((writer, value) => GeoJsonValues.WriteWkb(writer, (byte[]?)value), wkb.ToArray());
                    }
                }
                output.Raw(",\"properties\":{"u8);
                for (var p = 0; p < columns.Length; p++)
                {
                    output.Raw(names[p]);
                    columns[p].Write(output, row);
                }
                output.Raw("}}"u8);
            }
        }
        output.Raw("]}"u8);
        return new Written(new SerializedValue(output.Written), (int)Math.Min(rows, limit), rows > limit);
    }

    /// <summary>Writes a 2D point in little-endian WKB as GeoJSON; false for anything else (the general writer's case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryWritePoint(JsonText output, ReadOnlySpan<byte> wkb)
    {
        if (wkb.Length != 21 || wkb[0] != 1 || BinaryPrimitives.ReadUInt32LittleEndian(wkb[1..]) != 1)
        {
            return false;
        }
        var x = BinaryPrimitives.ReadDoubleLittleEndian(wkb[5..]);
        var y = BinaryPrimitives.ReadDoubleLittleEndian(wkb[13..]);
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return false;
        }
        output.Raw("{\"type\":\"Point\",\"coordinates\":["u8);
        Coordinate(output, x);
        output.Raw((byte)',');
        Coordinate(output, y);
        output.Raw("]}"u8);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Coordinate(JsonText output, double value)
    {
        var span = output.GetSpan(64);
        Math.Round(value, GeoJsonValues.Decimals, MidpointRounding.AwayFromZero).TryFormat(span, out var written, CoordinateFormat, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>A property: its name, its result column and its kind.</summary>
    public sealed record Property(string Name, int Ordinal, ColumnKind Kind);

    /// <summary>The collection, the features written, and whether the result had a row past the page.</summary>
    public sealed record Written(SerializedValue Collection, int Features, bool More);
}
