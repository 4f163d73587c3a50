using System.Globalization;

using NetTopologySuite.Geometries;

using OneMap.DuckDb;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Geodesy;
using OneMap.Lakehouse.Spatial.Sql;
using OneMap.Models;
using OneMap.Models.Crs;

namespace OneMap.Lakehouse.Spatial;

/// <summary>
/// OneMap's spatial SQL for DuckDB: functions with PostGIS / DuckDB-spatial names and semantics over WKB BLOBs,
/// DuckDB's GEOMETRY type and WKT text, vectorised over chunks; the named spatial indexes behind point-in-polygon,
/// nearest-neighbour and distance joins; hexagon binning; geofence events and river tracing as table functions.
/// <c>SpatialFunctions.Register(connection)</c> makes all of them available to every connection of the database.
/// </summary>
public static class SpatialFunctions
{
    private static readonly Parameter G = Parameter.Geometry;
    private static readonly Parameter Double = Parameter.Of(DuckDbType.Double);
    private static readonly Parameter Integer = Parameter.Of(DuckDbType.Integer);
    private static readonly Parameter Text = Parameter.Of(DuckDbType.Varchar);

    // DuckDB's core owns these signatures for its GEOMETRY type; OneMap adds the BLOB (and text) ones beside them.
    private static readonly HashSet<DuckDbTypeId> NotGeometryType = [DuckDbTypeId.Blob, DuckDbTypeId.Varchar];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DuckDbDatabase, object> Registered = [];

    /// <summary>
    /// Registers every spatial function with the connection's database; they are then visible to all its
    /// connections. Calling it again for the same database does nothing.
    /// </summary>
    public static void Register(DuckDbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (Registered)
        {
            if (Registered.TryGetValue(connection.Database, out _))
            {
                return;
            }
            RegisterAll(connection);
            Registered.Add(connection.Database, new object());
        }
    }

    private static void RegisterAll(DuckDbConnection connection)
    {
        RegisterConstructors(connection);
        RegisterAccessors(connection);
        RegisterPredicates(connection);
        RegisterMeasures(connection);
        RegisterProcessing(connection);
        IndexFunctions.Register(connection);
        JoinTableFunctions.Register(connection);
        GeofenceFunctions.Register(connection);
        HexFunctions.Register(connection);
        RiverFunctions.Register(connection);
    }

    private static void RegisterConstructors(DuckDbConnection c)
    {
        c.RegisterScalarFunctionSet("st_point", new DuckDbScalarOverload([DuckDbType.Double, DuckDbType.Double], DuckDbType.Blob, (input, output) =>
        {
            var xs = input.GetColumn<double>(0);
            var ys = input.GetColumn<double>(1);
            Span<byte> wkb = stackalloc byte[21];
            for (var row = 0; row < input.RowCount; row++)
            {
                if (input.IsNull(0, row) || input.IsNull(1, row))
                {
                    output.SetNull(row);
                    continue;
                }
                GeometryCodec.WritePointWkb(wkb, xs[row], ys[row]);
                output.SetBytes(row, wkb);
            }
        }));

        c.RegisterScalarFunctionSet("st_makeenvelope",
            new DuckDbScalarOverload([DuckDbType.Double, DuckDbType.Double, DuckDbType.Double, DuckDbType.Double], DuckDbType.Blob, MakeEnvelope),
            new DuckDbScalarOverload([DuckDbType.Double, DuckDbType.Double, DuckDbType.Double, DuckDbType.Double, DuckDbType.Integer], DuckDbType.Blob, MakeEnvelope));

        ScalarDefinitions.Define(c, "st_geomfromtext", [Text], DuckDbType.Blob,
            a => GeometryCodec.ToWkb(GeometryCodec.ReadWkt(a.String(0))));
        ScalarDefinitions.Define(c, "st_geomfromtext", [Text, Integer], DuckDbType.Blob, a =>
        {
            RequireWgs84("ST_GeomFromText", a.Int(1));
            return GeometryCodec.ToWkb(GeometryCodec.ReadWkt(a.String(0)));
        });
        ScalarDefinitions.Define(c, "st_geomfromgeojson", [Text], DuckDbType.Blob,
            a => GeometryCodec.ToWkb(GeoJsonFormat.Read(a.String(0))));
    }

    private static void MakeEnvelope(OneMap.DuckDb.Data.DuckDbChunk input, OneMap.DuckDb.Data.DuckDbVector output)
    {
        for (var row = 0; row < input.RowCount; row++)
        {
            var anyNull = false;
            for (var col = 0; col < input.ColumnCount; col++)
            {
                anyNull |= input.IsNull(col, row);
            }
            if (anyNull)
            {
                output.SetNull(row);
                continue;
            }
            if (input.ColumnCount == 5)
            {
                RequireWgs84("ST_MakeEnvelope", input.GetValue<int>(4, row));
            }
            var envelope = GeometryOperations.MakeEnvelope(input.GetValue<double>(0, row), input.GetValue<double>(1, row),
                input.GetValue<double>(2, row), input.GetValue<double>(3, row));
            output.SetBytes(row, GeometryCodec.ToWkb(envelope));
        }
    }

    private static void RequireWgs84(string function, int srid)
    {
        if (srid != GeometryCodec.Wgs84Srid && srid != 0)
        {
            throw new SpatialArgumentException(function, "srid", $"is {srid}; OneMap geometries are EPSG:4326 lon/lat (convert with ST_Transform)");
        }
    }

    private static void RegisterAccessors(DuckDbConnection c)
    {
        ScalarDefinitions.Define(c, "st_astext", [G], DuckDbType.Varchar, a => GeometryCodec.ToWkt(a.Geometry(0).Geometry), NotGeometryType, skipExisting: true);
        ScalarDefinitions.Define(c, "st_aswkt", [G], DuckDbType.Varchar, a => GeometryCodec.ToWkt(a.Geometry(0).Geometry), NotGeometryType, skipExisting: true);
        ScalarDefinitions.Define(c, "st_aswkb", [G], DuckDbType.Blob, a => GeometryCodec.ToWkb(a.Geometry(0).Geometry), NotGeometryType, skipExisting: true);
        ScalarDefinitions.Define(c, "st_asbinary", [G], DuckDbType.Blob, a => GeometryCodec.ToWkb(a.Geometry(0).Geometry), NotGeometryType, skipExisting: true);
        ScalarDefinitions.Define(c, "st_asgeojson", [G], DuckDbType.Varchar, a => GeoJsonFormat.Write(a.Geometry(0).Geometry));
        ScalarDefinitions.Define(c, "st_asgeojson", [G, Integer], DuckDbType.Varchar, a => GeoJsonFormat.Write(a.Geometry(0).Geometry, a.Int(1)));
        ScalarDefinitions.Define<double?>(c, "st_x", [G], DuckDbType.Double, a => GeometryOperations.X(a.Geometry(0).Geometry));
        ScalarDefinitions.Define<double?>(c, "st_y", [G], DuckDbType.Double, a => GeometryOperations.Y(a.Geometry(0).Geometry));
        ScalarDefinitions.Define(c, "st_geometrytype", [G], DuckDbType.Varchar, a => "ST_" + a.Geometry(0).Geometry.GeometryType);
        ScalarDefinitions.Define<bool?>(c, "st_isempty", [G], DuckDbType.Boolean, a => a.Geometry(0).Geometry.IsEmpty);
    }

    private static void RegisterPredicates(DuckDbConnection c)
    {
        ScalarDefinitions.Define<bool?>(c, "st_contains", [G, G], DuckDbType.Boolean, a => SqlPredicates.Contains(a.Geometry(0), a.Geometry(1)));
        ScalarDefinitions.Define<bool?>(c, "st_within", [G, G], DuckDbType.Boolean, a => SqlPredicates.Contains(a.Geometry(1), a.Geometry(0)));
        ScalarDefinitions.Define<bool?>(c, "st_intersects", [G, G], DuckDbType.Boolean, a => SqlPredicates.Intersects(a.Geometry(0), a.Geometry(1)));
        ScalarDefinitions.Define<bool?>(c, "st_covers", [G, G], DuckDbType.Boolean, a => SqlPredicates.Covers(a.Geometry(0), a.Geometry(1)));
        ScalarDefinitions.Define<bool?>(c, "st_coveredby", [G, G], DuckDbType.Boolean, a => SqlPredicates.Covers(a.Geometry(1), a.Geometry(0)));
        ScalarDefinitions.Define<bool?>(c, "st_touches", [G, G], DuckDbType.Boolean, a => SpatialPredicates.Touches(a.Geometry(0).Geometry, a.Geometry(1).Geometry));
        ScalarDefinitions.Define<bool?>(c, "st_dwithin", [G, G, Double], DuckDbType.Boolean, a => SqlPredicates.DWithin(a.Geometry(0), a.Geometry(1), a.Double(2)));
    }

    private static void RegisterMeasures(DuckDbConnection c)
    {
        foreach (var name in new[] { "st_distance_sphere", "st_distancesphere" })
        {
            ScalarDefinitions.Define<double?>(c, name, [G, G], DuckDbType.Double,
                a => GeodeticDistance.Distance(a.Geometry(0).Shape, a.Geometry(1).Shape, Spheroid.Wgs84Sphere));
            ScalarDefinitions.Define<double?>(c, name, [G, G, Double], DuckDbType.Double,
                a => GeodeticDistance.Distance(a.Geometry(0).Shape, a.Geometry(1).Shape, Spheroid.Sphere(a.Double(2))));
        }
        foreach (var name in new[] { "st_distance_spheroid", "st_distancespheroid" })
        {
            ScalarDefinitions.Define<double?>(c, name, [G, G], DuckDbType.Double,
                a => GeodeticDistance.Distance(a.Geometry(0).Shape, a.Geometry(1).Shape, Spheroid.Wgs84));
            ScalarDefinitions.Define<double?>(c, name, [G, G, Text], DuckDbType.Double,
                a => GeodeticDistance.Distance(a.Geometry(0).Shape, a.Geometry(1).Shape, Spheroid.Parse(a.String(2))));
        }
        ScalarDefinitions.Define<double?>(c, "st_area_spheroid", [G], DuckDbType.Double, a => GeometryOperations.AreaSpheroid(a.Geometry(0).Geometry));
        foreach (var name in new[] { "st_length_spheroid", "st_lengthspheroid" })
        {
            ScalarDefinitions.Define<double?>(c, name, [G], DuckDbType.Double, a => GeometryOperations.LengthSpheroid(a.Geometry(0).Geometry));
            ScalarDefinitions.Define<double?>(c, name, [G, Text], DuckDbType.Double,
                a => GeometryOperations.LengthSpheroid(a.Geometry(0).Geometry, Spheroid.Parse(a.String(1))));
        }
    }

    private static void RegisterProcessing(DuckDbConnection c)
    {
        ScalarDefinitions.DefineGeometry(c, "st_centroid", [G], a => GeometryOperations.Centroid(a.Geometry(0).Geometry));
        ScalarDefinitions.DefineGeometry(c, "st_envelope", [G], a => GeometryOperations.Envelope(a.Geometry(0).Geometry));
        ScalarDefinitions.DefineGeometry(c, "st_buffer", [G, Double], a => GeometryOperations.BufferMetres(a.Geometry(0).Geometry, a.Double(1)));
        ScalarDefinitions.DefineGeometry(c, "st_buffer", [G, Double, Integer], a => GeometryOperations.BufferMetres(a.Geometry(0).Geometry, a.Double(1), a.Int(2)));
        ScalarDefinitions.DefineGeometry(c, "st_transform", [G, Integer],
            a => Transform(a.Geometry(0).Geometry, CrsId.Wgs84, Crs(() => CrsId.FromEpsg(a.Int(1)))));
        ScalarDefinitions.DefineGeometry(c, "st_transform", [G, Text, Text],
            a => Transform(a.Geometry(0).Geometry, Crs(() => CrsId.Parse(a.String(1))), Crs(() => CrsId.Parse(a.String(2)))));
        // DuckDB spatial's form; OneMap's axis order is always x = longitude (easting), so always_xy changes nothing.
        ScalarDefinitions.DefineGeometry(c, "st_transform", [G, Text, Text, Parameter.Of(DuckDbType.Boolean)],
            a => Transform(a.Geometry(0).Geometry, Crs(() => CrsId.Parse(a.String(1))), Crs(() => CrsId.Parse(a.String(2)))));
        UnionAggregate.Register(c);
    }

    private static CrsId Crs(Func<CrsId> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ModelException or ArgumentException)
        {
            throw new SpatialArgumentException("ST_Transform", "crs", e.Message);
        }
    }

    /// <summary>ST_Transform: coordinates in <paramref name="from"/> to <paramref name="to"/> (through WGS84).</summary>
    public static Geometry Transform(Geometry geometry, CrsId from, CrsId to)
    {
        if (from == to || geometry.IsEmpty)
        {
            return geometry;
        }
        try
        {
            var wgs84 = from == CrsId.Wgs84 ? geometry : CoordinateConverter.ToWgs84(geometry, from);
            return to == CrsId.Wgs84 ? wgs84 : CoordinateConverter.FromWgs84(wgs84, to);
        }
        catch (ModelException e)
        {
            throw new GeometryOperationException("ST_Transform", $"{from} → {to}: {e.Message}", e);
        }
    }

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
