using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;
using OneMap.Lakehouse.Spatial.Geodesy;
using OneMap.Lakehouse.Spatial.Geofences;
using OneMap.Lakehouse.Spatial.Index;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>The spatial core without servers: formats, geodesy against published values, indexes against brute force.</summary>
public sealed class SpatialCoreTests : IDisposable
{
    private readonly DuckDbSpatial _duck = new();

    public void Dispose() => _duck.Dispose();

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1e-9, "1e-9")]
    [InlineData(1.5e-9, "1.5e-9")]
    [InlineData(1e16, "1e+16")]
    [InlineData(2.123456789012e-8, "0.000000021")]
    [InlineData(-1.0000000005, "-1")]
    [InlineData(119.0058981905, "119.00589819")]
    [InlineData(25.4587639435, "25.458763944")]
    [InlineData(1.123456789012345678, "1.123456789")]
    public void geojson_numbers_are_printed_as_postgis_prints_them(double value, string expected)
    {
        // The expected texts are PostGIS 3.3's ST_AsGeoJSON output (shortest digits, then half-even to 9 decimals).
        Assert.Equal($$"""{"type":"Point","coordinates":[{{expected}},1]}""", GeoJsonFormat.Write(GeometryOperations.Point(value, 1)));
    }

    [Fact]
    public void geojson_reading_names_what_is_wrong_and_where()
    {
        var feature = Assert.Throws<InvalidGeometryException>(() => GeoJsonFormat.Read("""{"type":"Feature","geometry":null}"""));
        Assert.Contains("\"Feature\" is not a geometry object", feature.Message);
        var position = Assert.Throws<InvalidGeometryException>(() => GeoJsonFormat.Read("""{"type":"LineString","coordinates":[[1,2],[3]]}"""));
        Assert.Contains("$.coordinates[1]", position.Message);
        var ring = Assert.Throws<InvalidGeometryException>(() => GeoJsonFormat.Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1]]]}"""));
        Assert.Contains("closed ring", ring.Message);
        Assert.Equal("POLYGON EMPTY", GeometryCodec.ToWkt(GeoJsonFormat.Read("""{"type":"Polygon","coordinates":[]}""")));
    }

    [Theory]
    [InlineData("POINT(1.123456789012345678 2)")]
    [InlineData("MULTIPOINT((1 2),(3 4))")]
    [InlineData("POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))")]
    [InlineData("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2),(2.1 2.1,2.2 2.1,2.2 2.2,2.1 2.1)))")]
    [InlineData("GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))")]
    [InlineData("MULTILINESTRING((0 0,1e-7 1e20),(5 5,6 6))")]
    [InlineData("POINT EMPTY")]
    [InlineData("LINESTRING EMPTY")]
    public void wkt_is_written_as_duckdbs_own_st_astext_writes_it(string wkt)
    {
        var duckDb = _duck.Scalar<string>("SELECT st_astext($1::GEOMETRY)", wkt);
        Assert.Equal(duckDb, GeometryCodec.ToWkt(GeometryCodec.ReadWkt(wkt)));
    }

    [Fact]
    public void geodesics_match_published_values()
    {
        // Vincenty's classic test line (Flinders Peak → Buninyong, on GRS80 ≈ WGS84): 54,972.271 m.
        var d = Geodesic.Distance(Radians(-37, 57, 3.72030), Radians(144, 25, 29.52440), Radians(-37, 39, 10.15610), Radians(143, 55, 35.38390), Spheroid.FromInverseFlattening(6378137, 298.257222101));
        Assert.Equal(54972.271, d, 1e-3);
        // PostGIS 3.3: ST_Area('POLYGON((-10 80,100 80,-150 80,-10 80))'::geography) — a cap around the pole.
        Assert.Equal(1586416775659.5938, GeometryOperations.AreaSpheroid(GeometryCodec.ReadWkt("POLYGON((-10 80,100 80,-150 80,-10 80))")), 1e-6 * 1586416775659.5938);
        // PostGIS 3.3: ST_Area of a 20° × 50° box across the equator.
        Assert.Equal(11612414197736.402, GeometryOperations.AreaSpheroid(GeometryCodec.ReadWkt("POLYGON((100 -10,120 -10,120 40,100 40,100 -10))")), 1e-6 * 11612414197736.402);
        Assert.Throws<GeometryOperationException>(() => Geodesic.Distance(0, 0, 0.0001, Math.PI - 0.00001, Spheroid.Wgs84));
    }

    private static double Radians(double degrees, double minutes, double seconds) =>
        Math.Sign(degrees) * (Math.Abs(degrees) + (minutes / 60) + (seconds / 3600)) * Math.PI / 180;

    [Fact]
    public void spheroids_parse_postgis_text_and_refuse_nonsense()
    {
        var grs80 = Spheroid.Parse("""SPHEROID["GRS_1980",6378137,298.257222101]""");
        Assert.Equal(6378137, grs80.A);
        Assert.Equal(1 / 298.257222101, grs80.Flattening, 1e-15);
        Assert.Equal(grs80, Spheroid.Parse("""SPHEROID("GRS_1980",6378137,298.257222101)"""));
        Assert.Throws<SpatialArgumentException>(() => Spheroid.Parse("ELLIPSOID[6378137]"));
        Assert.Equal(6371008.7714, Spheroid.Wgs84Sphere.Radius, 1e-3);
    }

    [Fact]
    public void the_polygon_index_answers_exactly_as_testing_every_polygon()
    {
        var grid = SyntheticCity.Grid(12, 9, edgePoints: 4, seed: 5);
        var index = new PolygonIndex(grid.Select(g => (g.Key, (Geometry)g.Cell)));
        var points = SyntheticCity.Points(grid, random: 20_000, onBoundary: 5_000, seed: 6);
        var matches = new List<int>();
        foreach (var (_, point) in points)
        {
            foreach (var predicate in new[] { PointPredicate.Intersects, PointPredicate.Contains })
            {
                var expected = Enumerable.Range(0, grid.Count)
                    .Where(i => predicate == PointPredicate.Contains
                        ? SpatialPredicates.Contains(index.Polygon(i), point)
                        : SpatialPredicates.Intersects(index.Polygon(i), point))
                    .ToList();
                matches.Clear();
                index.All(point.X, point.Y, predicate, matches);
                Assert.Equal(expected, matches);
                Assert.Equal(expected.Count == 0 ? -1 : expected[0], index.First(point.X, point.Y, predicate));
            }
        }
    }

    [Fact]
    public void nearest_neighbours_are_the_brute_force_geodesic_nearest()
    {
        var area = new Envelope(118.9, 119.3, 25.3, 25.6);
        var features = SyntheticCity.Scatter("M", 3_000, area, seed: 7);
        var index = new FeatureIndex(features.Select(f => (f.Key, (Geometry)f.Point)));
        foreach (var (_, query) in SyntheticCity.Scatter("Q", 300, area, seed: 8))
        {
            var expected = features
                .Select((f, i) => (i, d: GeometryOperations.DistanceSpheroid(query, f.Point)!.Value))
                .OrderBy(x => x.d).ThenBy(x => index.Key(x.i), StringComparer.Ordinal).Take(7).Select(x => features[x.i].Key).ToList();
            var actual = index.NearestToPoint(query.X, query.Y, 7).Select(m => index.Key(m.Feature)).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void a_track_crossing_a_fence_between_two_fixes_gives_an_interpolated_enter_and_an_observed_exit()
    {
        var fence = GeometryOperations.MakeEnvelope(119.0, 25.0, 119.1, 25.1);
        var tracker = new GeofenceTracker(new PolygonIndex([("F", fence)]));
        var events = new List<GeofenceEvent>();
        var t0 = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        tracker.Add("V", t0, 118.95, 25.05, events);
        // Straight through the middle: 118.95 → 119.15 crosses x = 119.0 at a quarter, x = 119.1 at three quarters.
        tracker.Add("V", t0.AddMinutes(4), 119.15, 25.05, events);
        Assert.Equal(2, events.Count);
        Assert.Equal((GeofenceEventKind.Enter, t0.AddMinutes(1), false), (events[0].Kind, events[0].At, events[0].Observed));
        // The exit is confirmed by the second fix (outside): observed at that fix, crossed at three quarters.
        Assert.Equal((GeofenceEventKind.Exit, t0.AddMinutes(4), true, (DateTimeOffset?)t0.AddMinutes(3)),
            (events[1].Kind, events[1].At, events[1].Observed, events[1].CrossedAt));
        Assert.Equal(119.0, events[0].Longitude, 1e-9);
    }

    [Fact]
    public void fixes_inside_at_the_start_far_apart_or_out_of_order_are_handled_explicitly()
    {
        var fence = GeometryOperations.MakeEnvelope(119.0, 25.0, 119.1, 25.1);
        var tracker = new GeofenceTracker(new PolygonIndex([("F", fence)]), maxGap: TimeSpan.FromMinutes(10));
        var events = new List<GeofenceEvent>();
        var t0 = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        tracker.Add("V", t0, 119.05, 25.05, events);
        Assert.Equal((GeofenceEventKind.Enter, t0, (DateTimeOffset?)null, true), (events[0].Kind, events[0].At, events[0].CrossedAt, events[0].Observed));
        // An hour later and outside: beyond the gap, so no interpolated crossing time.
        tracker.Add("V", t0.AddHours(1), 119.3, 25.05, events);
        Assert.Equal((GeofenceEventKind.Exit, t0.AddHours(1), (DateTimeOffset?)null), (events[1].Kind, events[1].At, events[1].CrossedAt));
        var error = Assert.Throws<SpatialArgumentException>(() => tracker.Add("V", t0.AddMinutes(30), 119.3, 25.05, events));
        Assert.Contains("out of order", error.Message);
    }

    [Fact]
    public void points_on_shared_edges_belong_to_both_cells_under_intersects_and_to_neither_under_contains()
    {
        var left = GeometryOperations.MakeEnvelope(0, 0, 1, 1);
        var right = GeometryOperations.MakeEnvelope(1, 0, 2, 1);
        var index = new PolygonIndex([("L", left), ("R", right)]);
        var matches = new List<int>();
        index.All(1, 0.5, PointPredicate.Intersects, matches);
        Assert.Equal(["L", "R"], matches.Select(index.Key));
        Assert.Equal(-1, index.First(1, 0.5, PointPredicate.Contains));
        Assert.Equal(-1, index.First(2.5, 0.5));
        Assert.Equal(-1, index.First(double.NaN, 0.5));
    }
}
