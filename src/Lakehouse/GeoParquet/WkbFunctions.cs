using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.Lakehouse.GeoParquet;

/// <summary>
/// DuckDB scalar functions the writers use on WKB columns (DuckDB's core has no envelope functions): one walk of
/// incoming values giving bbox, type and whether ISO normalization is needed (malformed WKB fails the query), ISO
/// normalization, the type code of stored values from their header, and a validation message. Vectorised over chunks.
/// </summary>
public static class WkbFunctions
{
    public const string Iso = "onemap_wkb_iso";
    public const string Bbox = "onemap_wkb_bbox";
    public const string Info = "onemap_wkb_info";
    public const string TypeCode = "onemap_wkb_type_code";
    public const string Error = "onemap_wkb_error";

    /// <summary>Starts the message of the error <see cref="Info"/> raises for malformed WKB.</summary>
    public const string MalformedMarker = "malformed WKB";

    private static readonly DuckDbType BboxType = DuckDbType.Struct(
        new DuckDbField("xmin", DuckDbType.Double),
        new DuckDbField("ymin", DuckDbType.Double),
        new DuckDbField("xmax", DuckDbType.Double),
        new DuckDbField("ymax", DuckDbType.Double));

    public static void Register(DuckDbConnection connection)
    {
        // One walk per incoming value: the bbox covering struct, the ISO type code, and whether EWKB flags need rewriting.
        var infoType = DuckDbType.Struct(
            new DuckDbField("bbox", BboxType),
            new DuckDbField("type", DuckDbType.SmallInt),
            new DuckDbField("rewrite", DuckDbType.Boolean));
        connection.RegisterScalarFunction(Info, [DuckDbType.Blob], infoType, (input, output) =>
        {
            var source = input[0];
            var validity = source.Validity;
            var allValid = validity.AllValid;
            var bbox = output.GetStructField(0);
            var xmin = bbox.GetStructField(0).GetData<double>();
            var ymin = bbox.GetStructField(1).GetData<double>();
            var xmax = bbox.GetStructField(2).GetData<double>();
            var ymax = bbox.GetStructField(3).GetData<double>();
            var types = output.GetStructField(1).GetData<short>();
            var rewrites = output.GetStructField(2).GetData<byte>();
            for (var row = 0; row < input.RowCount; row++)
            {
                if (!allValid && !validity.IsValid(row))
                {
                    output.SetNull(row);
                    SetBboxNull(bbox, row);
                    output.GetStructField(1).SetNull(row);
                    output.GetStructField(2).SetNull(row);
                    continue;
                }
                (int TypeCode, Envelope Envelope, bool NeedsIsoRewrite) info;
                try
                {
                    info = Wkb.Inspect(source.GetBytes(row));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{MalformedMarker}: {e.Message}", e);
                }
                types[row] = (short)info.TypeCode;
                rewrites[row] = info.NeedsIsoRewrite ? (byte)1 : (byte)0;
                if (info.Envelope.IsEmpty)
                {
                    SetBboxNull(bbox, row);
                    continue;
                }
                xmin[row] = info.Envelope.XMin;
                ymin[row] = info.Envelope.YMin;
                xmax[row] = info.Envelope.XMax;
                ymax[row] = info.Envelope.YMax;
            }
        });

        connection.RegisterScalarFunction(TypeCode, [DuckDbType.Blob], DuckDbType.SmallInt, (input, output) =>
        {
            var source = input[0];
            var validity = source.Validity;
            var allValid = validity.AllValid;
            var codes = output.GetData<short>();
            for (var row = 0; row < input.RowCount; row++)
            {
                if (!allValid && !validity.IsValid(row))
                {
                    output.SetNull(row);
                    continue;
                }
                codes[row] = (short)Wkb.TypeCodeOfHeader(source.GetBytes(row));
            }
        });

        connection.RegisterScalarFunction(Iso, [DuckDbType.Blob], DuckDbType.Blob, (input, output) =>
        {
            var source = input[0];
            for (var row = 0; row < input.RowCount; row++)
            {
                if (source.IsNull(row))
                {
                    output.SetNull(row);
                    continue;
                }
                // Called only for values whose EWKB flags need rewriting (see Info).
                output.SetBytes(row, Wkb.ToIso(source.GetBytes(row).ToArray()));
            }
        });

        connection.RegisterScalarFunction(Error, [DuckDbType.Blob], DuckDbType.Varchar, (input, output) =>
        {
            var source = input[0];
            for (var row = 0; row < input.RowCount; row++)
            {
                if (source.IsNull(row))
                {
                    output.SetNull(row);
                    continue;
                }
                try
                {
                    Wkb.Read(source.GetBytes(row));
                    output.SetNull(row);
                }
                catch (FormatException e)
                {
                    output.SetString(row, e.Message);
                }
            }
        });
    }

    /// <summary>A NULL bbox needs NULL fields too: the Parquet writer's statistics read the fields' own validity.</summary>
    private static void SetBboxNull(DuckDbVector bbox, int row)
    {
        bbox.SetNull(row);
        for (var field = 0; field < 4; field++)
        {
            bbox.GetStructField(field).SetNull(row);
        }
    }
}
