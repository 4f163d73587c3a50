using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.Lakehouse.GeoParquet;

/// <summary>
/// DuckDB scalar functions the writers use on WKB columns (DuckDB's core has no envelope functions): ISO
/// normalization, the bbox covering struct, the geometry type name, and a validation message. Vectorised over chunks.
/// </summary>
internal static class WkbFunctions
{
    public const string Iso = "onemap_wkb_iso";
    public const string Bbox = "onemap_wkb_bbox";
    public const string Type = "onemap_wkb_type";
    public const string Error = "onemap_wkb_error";

    public static void Register(DuckDbConnection connection)
    {
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
                var bytes = source.GetBytes(row);
                // Most writers already produce ISO WKB; only EWKB headers are rewritten.
                var iso = Wkb.ToIso(bytes.ToArray());
                output.SetBytes(row, iso);
            }
        });

        var bboxType = DuckDbType.Struct(
            new DuckDbField("xmin", DuckDbType.Double),
            new DuckDbField("ymin", DuckDbType.Double),
            new DuckDbField("xmax", DuckDbType.Double),
            new DuckDbField("ymax", DuckDbType.Double));
        connection.RegisterScalarFunction(Bbox, [DuckDbType.Blob], bboxType, (input, output) =>
        {
            var source = input[0];
            var xmin = output.GetStructField(0).GetData<double>();
            var ymin = output.GetStructField(1).GetData<double>();
            var xmax = output.GetStructField(2).GetData<double>();
            var ymax = output.GetStructField(3).GetData<double>();
            // A NULL struct needs NULL fields too: the Parquet writer's statistics read the fields' own validity.
            void SetNull(int row)
            {
                output.SetNull(row);
                for (var field = 0; field < 4; field++)
                {
                    output.GetStructField(field).SetNull(row);
                }
            }
            for (var row = 0; row < input.RowCount; row++)
            {
                if (source.IsNull(row))
                {
                    SetNull(row);
                    continue;
                }
                var envelope = Wkb.Read(source.GetBytes(row)).Envelope;
                if (envelope.IsEmpty)
                {
                    SetNull(row);
                    continue;
                }
                xmin[row] = envelope.XMin;
                ymin[row] = envelope.YMin;
                xmax[row] = envelope.XMax;
                ymax[row] = envelope.YMax;
            }
        });

        connection.RegisterScalarFunction(Type, [DuckDbType.Blob], DuckDbType.Varchar, (input, output) =>
        {
            var source = input[0];
            for (var row = 0; row < input.RowCount; row++)
            {
                if (source.IsNull(row))
                {
                    output.SetNull(row);
                    continue;
                }
                output.SetString(row, Wkb.Read(source.GetBytes(row)).GeometryType);
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
}
