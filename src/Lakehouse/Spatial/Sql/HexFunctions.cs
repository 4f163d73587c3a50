using OneMap.DuckDb;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Hex;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// <c>st_hexbin(geom, size)</c> → the hexagon cell id of a point; <c>st_hexagon(cell, size)</c> and
/// <c>st_hexcenter(cell, size)</c> → the cell's polygon and centre as WKB (see <see cref="HexGrid"/>).
/// </summary>
internal static class HexFunctions
{
    public static void Register(DuckDbConnection connection)
    {
        ScalarDefinitions.Define<long?>(connection, "st_hexbin", [Parameter.Geometry, Parameter.Of(DuckDbType.Double)], DuckDbType.BigInt, a =>
        {
            var point = a.Geometry(0);
            if (!point.IsPoint)
            {
                if (point.Geometry.IsEmpty)
                {
                    return null;
                }
                throw new SpatialArgumentException("st_hexbin", "geom", $"hexagon binning takes points, got {point.Geometry.GeometryType.ToUpperInvariant()} (bin ST_Centroid(geom))");
            }
            return HexGrid.Cell(point.X, point.Y, a.Double(1));
        });
        connection.RegisterScalarFunction("st_hexagon", [DuckDbType.BigInt, DuckDbType.Double], DuckDbType.Blob, (input, output) =>
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || input.IsNull(1, row))
                {
                    output.SetNull(row);
                    continue;
                }
                output.SetBytes(row, GeometryCodec.ToWkb(HexGrid.Hexagon(input.GetValue<long>(0, row), input.GetValue<double>(1, row))));
            }
        });
        connection.RegisterScalarFunction("st_hexcenter", [DuckDbType.BigInt, DuckDbType.Double], DuckDbType.Blob, (input, output) =>
        {
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || input.IsNull(1, row))
                {
                    output.SetNull(row);
                    continue;
                }
                output.SetBytes(row, GeometryCodec.ToWkb(HexGrid.Center(input.GetValue<long>(0, row), input.GetValue<double>(1, row))));
            }
        });
    }
}
