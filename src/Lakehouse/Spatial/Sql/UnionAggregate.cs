using NetTopologySuite.Geometries;

using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>ST_Union_Agg(geom): the union of a group's geometries (PostGIS's ST_Union aggregate), as WKB.</summary>
internal sealed class UnionAggregate(DuckDbTypeId inputType) : DuckDbAggregateFunction<List<Geometry>, byte[]>
{
    public static void Register(DuckDbConnection connection)
    {
        connection.RegisterAggregateFunction("st_union_agg", [DuckDbType.Blob], DuckDbType.Blob, new UnionAggregate(DuckDbTypeId.Blob));
        try
        {
            connection.RegisterAggregateFunction("st_union_agg", [DuckDbType.Geometry], DuckDbType.Geometry, new UnionAggregate(DuckDbTypeId.Geometry));
        }
        catch (DuckDbException)
        {
            // This DuckDB keeps one aggregate per name; GEOMETRY values then need ST_AsWKB(geom) first.
        }
    }

    public override List<Geometry> CreateState() => [];

    public override void Update(List<Geometry> state, DuckDbChunk input, int row)
    {
        var bytes = input.GetBytes(0, row);
        state.Add(inputType == DuckDbTypeId.Varchar ? GeometryCodec.ReadWkt(System.Text.Encoding.UTF8.GetString(bytes)) : GeometryCodec.ReadWkb(bytes));
    }

    public override void Combine(List<Geometry> source, List<Geometry> target) => target.AddRange(source);

    // PostGIS: the union of no rows is NULL.
    public override byte[]? Finalize(List<Geometry> state) => state.Count == 0 ? null : GeometryCodec.ToWkb(GeometryOperations.Union(state));
}
