using OneMap.DuckDb;
using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>The spatial SQL functions from DuckDB: names, types, NULLs, errors and values.</summary>
public sealed class SqlFunctionTests : IDisposable
{
    private readonly DuckDbSpatial _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void constructors_and_accessors_round_trip_through_wkb_wkt_and_geojson()
    {
        Assert.Equal("POINT (119.0123 25.4567)", _db.Scalar<string>("SELECT st_astext(st_point(119.0123, 25.4567))"));
        Assert.Equal(119.0123, _db.Scalar<double>("SELECT st_x(st_point(119.0123, 25.4567))"));
        Assert.Equal(25.4567, _db.Scalar<double>("SELECT st_y(st_geomfromtext('POINT(119.0123 25.4567)'))"));
        Assert.Equal("POLYGON ((0 0, 0 1, 2 1, 2 0, 0 0))", _db.Scalar<string>("SELECT st_astext(st_makeenvelope(0, 0, 2, 1))"));
        Assert.Equal("""{"type":"Polygon","coordinates":[[[0,0],[0,1],[2,1],[2,0],[0,0]]]}""",
            _db.Scalar<string>("SELECT st_asgeojson(st_makeenvelope(0, 0, 2, 1))"));
        Assert.Equal("LINESTRING (1 2, 3 4.5)",
            _db.Scalar<string>("""SELECT st_astext(st_geomfromgeojson('{"type":"LineString","coordinates":[[1,2],[3,4.5]]}'))"""));
        Assert.Equal("""{"type":"Point","coordinates":[1.123456789,2]}""", _db.Scalar<string>("SELECT st_asgeojson(st_point(1.1234567891234, 2))"));
        Assert.Equal("""{"type":"Point","coordinates":[1.12,2]}""", _db.Scalar<string>("SELECT st_asgeojson(st_point(1.1234567891234, 2), 2)"));
        var wkb = _db.Scalar<byte[]>("SELECT st_aswkb(st_geomfromtext('SRID=4326;POINT(1 2)'))");
        Assert.Equal("0101000000000000000000F03F0000000000000040", Convert.ToHexString(wkb!));
    }

    [Fact]
    public void blob_geometry_and_text_inputs_give_the_same_answers_and_geometry_in_gives_geometry_out()
    {
        const string polygon = "POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))";
        var rows = _db.Rows($"""
            SELECT st_contains(st_geomfromtext('{polygon}'), st_point(1, 1)),
                   st_contains('{polygon}'::GEOMETRY, 'POINT(1 1)'::GEOMETRY),
                   st_contains('{polygon}', 'POINT(1 1)'),
                   st_contains(st_geomfromtext('{polygon}'), 'POINT(1 1)'::GEOMETRY),
                   typeof(st_centroid('{polygon}'::GEOMETRY)), typeof(st_centroid(st_geomfromtext('{polygon}'))),
                   st_astext(st_centroid('{polygon}'::GEOMETRY)), st_astext(st_envelope('LINESTRING(1 1, 1 3)'::GEOMETRY))
            """);
        Assert.Equal([true, true, true, true, "GEOMETRY", "BLOB", "POINT (2 2)", "LINESTRING (1 1, 1 3)"], rows.Single());
        // DuckDB's own ST_AsText still serves its GEOMETRY type; OneMap's serves WKB blobs beside it.
        Assert.Equal("POINT (1 2)", _db.Scalar<string>("SELECT st_astext('POINT(1 2)'::GEOMETRY)"));
        Assert.Equal("POINT (1 2)", _db.Scalar<string>("SELECT st_astext(st_point(1, 2))"));
    }

    [Fact]
    public void predicates_follow_postgis_on_boundaries_and_empty_geometries()
    {
        var row = _db.Rows("""
            SELECT st_contains('POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POINT(2 1)'),
                   st_covers('POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POINT(2 1)'),
                   st_intersects('POINT(2 1)', 'POLYGON((0 0,2 0,2 2,0 2,0 0))'),
                   st_within('POINT(1 1)', 'POLYGON((0 0,2 0,2 2,0 2,0 0))'),
                   st_touches('POLYGON((0 0,2 0,2 2,0 2,0 0))', 'POLYGON((2 0,3 0,3 2,2 2,2 0))'),
                   st_intersects('POINT EMPTY', 'POLYGON((0 0,2 0,2 2,0 2,0 0))'),
                   st_contains('POLYGON((0 0,2 0,2 2,0 2,0 0))', 'MULTIPOINT((1 1),(2 1))'),
                   st_coveredby('POINT(0 0)', 'POLYGON((0 0,2 0,2 2,0 2,0 0))')
            """).Single();
        Assert.Equal([false, true, true, true, true, false, true, true], row);
    }

    [Fact]
    public void measures_are_metres_on_wgs84()
    {
        var row = _db.Rows("""
            SELECT st_distance_spheroid(st_point(120, 25), st_point(121, 26)),
                   st_distance_sphere(st_point(120, 25), st_point(121, 26)),
                   st_area_spheroid(st_makeenvelope(120, 25, 121, 26)),
                   st_length_spheroid('LINESTRING(120 25, 121 25, 121 26)'),
                   st_dwithin(st_point(120, 25), st_point(121, 26), 149598.0),
                   st_dwithin(st_point(120, 25), st_point(121, 26), 149599.0),
                   st_distance_spheroid(st_point(120, 25), 'POINT EMPTY')
            """).Single();
        // The references are PostGIS 3.3's ST_Distance(geography), ST_DistanceSphere, ST_Area(geography), ST_Length(geography).
        Assert.Equal(149598.3051663, (double)row[0]!, 1e-6);
        Assert.Equal(149788.54588854, (double)row[1]!, 1e-6);
        Assert.Equal(11137594240.44, (double)row[2]!, 1e-6 * 11137594240.44);
        Assert.Equal(211730.2648883033, (double)row[3]!, 1e-6);
        Assert.Equal(false, row[4]);
        Assert.Equal(true, row[5]);
        Assert.Null(row[6]);
    }

    [Fact]
    public void buffer_in_metres_keeps_its_radius_on_the_ground()
    {
        var area = _db.Scalar<double>("SELECT st_area_spheroid(st_buffer(st_point(119.0, 25.4), 100.0))");
        // A 32-gon inscribed in a 100 m circle (32 · ½ · r² · sin(2π/32)), drawn in UTM as PostGIS does: UTM's scale
        // factor (about 1.0001 two degrees off the zone's central meridian) shrinks the ground area by about 0.02 %.
        var ideal = 16 * 100 * 100 * Math.Sin(2 * Math.PI / 32);
        Assert.InRange(area, ideal * 0.999, ideal);
        Assert.Equal(0.0, _db.Scalar<double>("SELECT st_area_spheroid(st_buffer('POLYGON EMPTY', 10.0))"));
    }

    [Fact]
    public void transform_converts_among_the_ingest_coordinate_systems_and_back()
    {
        var row = _db.Rows("""
            SELECT st_x(p), st_y(p), st_astext(st_transform(p, 'EPSG:4549', 'EPSG:4326')),
                   st_x(st_transform(st_point(119.0, 25.4), 'WGS84', 'GCJ-02')) - 119.0
            FROM (SELECT st_transform(st_point(119.0, 25.4), 4549) AS p)
            """).Single();
        Assert.InRange((double)row[0]!, 399_000, 400_000);
        Assert.InRange((double)row[1]!, 2_810_000, 2_812_000);
        var back = OneMap.Lakehouse.Spatial.GeometryCodec.ReadWkt((string)row[2]!);
        Assert.Equal(119.0, back.Coordinate.X, 1e-9);
        Assert.Equal(25.4, back.Coordinate.Y, 1e-9);
        Assert.InRange((double)row[3]!, 0.001, 0.01);
        var error = Assert.ThrowsAny<DuckDbException>(() => _db.Scalar<string>("SELECT st_astext(st_transform(st_point(1, 2), 'EPSG:4326', 'EPSG:99999'))"));
        Assert.Contains("ST_Transform", error.Message);
    }

    [Fact]
    public void union_aggregate_dissolves_shared_edges()
    {
        var area = _db.Scalar<double>("""
            SELECT st_area_spheroid(st_union_agg(g)) FROM (
              SELECT st_makeenvelope(119.0, 25.0, 119.1, 25.1) AS g UNION ALL SELECT st_makeenvelope(119.1, 25.0, 119.2, 25.1))
            """);
        var whole = _db.Scalar<double>("SELECT st_area_spheroid(st_makeenvelope(119.0, 25.0, 119.2, 25.1))");
        Assert.Equal(whole, area, 1e-6 * whole);
        Assert.Equal("ST_Polygon", _db.Scalar<string>("""
            SELECT st_geometrytype(st_union_agg(g)) FROM (
              SELECT st_makeenvelope(119.0, 25.0, 119.1, 25.1) AS g UNION ALL SELECT st_makeenvelope(119.1, 25.0, 119.2, 25.1))
            """));
        Assert.Null(_db.Scalar<byte[]>("SELECT st_union_agg(g) FROM (SELECT st_point(1, 2) AS g) WHERE false"));
    }

    [Fact]
    public void nulls_give_nulls_and_bad_input_names_the_function_and_the_problem()
    {
        Assert.Null(_db.Scalar<bool?>("SELECT st_contains(st_makeenvelope(0,0,1,1), CAST(NULL AS BLOB))"));
        Assert.Null(_db.Scalar<double?>("SELECT st_x(CAST(NULL AS BLOB))"));
        var wkb = Assert.ThrowsAny<DuckDbException>(() => _db.Scalar<string>("SELECT st_astext(from_hex('0103000000'))"));
        Assert.Contains("st_astext", wkb.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("WKB", wkb.Message);
        var wkt = Assert.ThrowsAny<DuckDbException>(() => _db.Scalar<string>("SELECT st_astext(st_geomfromtext('POLYGON((0 0, 1 1, 0 0))'))"));
        Assert.Contains("rings need at least 4", wkt.Message);
        var x = Assert.ThrowsAny<DuckDbException>(() => _db.Scalar<double>("SELECT st_x('LINESTRING(0 0, 1 1)')"));
        Assert.Contains("must be a POINT", x.Message);
        var srid = Assert.ThrowsAny<DuckDbException>(() => _db.Scalar<string>("SELECT st_astext(st_geomfromtext('POINT(1 2)', 3857))"));
        Assert.Contains("3857", srid.Message);
    }

    [Fact]
    public void functions_run_vectorised_over_many_chunks_with_a_constant_side()
    {
        // 10,000 points against one constant polygon: the polygon is prepared once per thread, the answer per row exact.
        var inside = _db.Scalar<long>("""
            SELECT count(*) FROM range(10000) t(i)
            WHERE st_contains(st_geomfromtext('POLYGON((0 0, 100 0, 100 50, 0 50, 0 0))'), st_point(i % 200, i // 100))
            """);
        // x in 1…99 (strictly inside) for y in 1…49: rows with i % 200 in 1..99 and i / 100 in 1..49.
        var expected = Enumerable.Range(0, 10000).Count(i => i % 200 is > 0 and < 100 && i / 100 is > 0 and < 50);
        Assert.Equal(expected, inside);
    }

    [Fact]
    public void registering_again_on_the_same_database_is_harmless_and_other_connections_see_the_functions()
    {
        using var connection = _db.Database.Connect();
        SpatialFunctions.Register(connection);
        Assert.Equal(1.0, connection.ExecuteScalar<double>("SELECT st_x(st_point(1, 2))"));
    }
}
