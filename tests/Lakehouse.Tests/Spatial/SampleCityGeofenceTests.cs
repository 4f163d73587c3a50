using System.Text.Json;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>
/// The sample city's vessel tracks against its electronic fences: st_geofence_events must find exactly the fence
/// entries of the ground truth (first fix inside, first fix outside again), straight from the exported files.
/// </summary>
public sealed class SampleCityGeofenceTests
{
    [Fact]
    public void st_geofence_events_reproduce_the_sample_citys_fence_crossings()
    {
        var root = SampleCityRiver.Root;
        if (!Directory.Exists(root))
        {
            Assert.Fail($"the sample city is missing at {root}");
        }
        using var duck = new DuckDbSpatial();
        var fences = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "marine", "fences.geojson"))).RootElement.GetProperty("features")
            .EnumerateArray()
            .Select(f => new object?[] { f.GetProperty("properties").GetProperty("fence_id").GetString(), f.GetProperty("geometry").GetRawText() })
            .ToList();
        duck.Load("fence_json", "fence_id VARCHAR, geojson VARCHAR", fences);
        duck.Execute("CREATE TABLE fences AS SELECT fence_id, ST_GeomFromGeoJSON(geojson) AS geom FROM fence_json");
        Assert.Equal(fences.Count, duck.Scalar<long>("SELECT st_index_build('fences', geom, fence_id) FROM fences"));
        var positions = Path.Combine(root, "marine", "vessel-positions.csv.gz").Replace("'", "''", StringComparison.Ordinal);
        duck.Execute($$"""
            CREATE TABLE positions AS
            SELECT vessel_id, ts, ST_Point(lon, lat) AS geom
            FROM read_csv('{{positions}}', header = true, columns = {
                'terminal_id': 'VARCHAR', 'vessel_id': 'VARCHAR', 'ts': 'TIMESTAMPTZ', 'lon': 'DOUBLE', 'lat': 'DOUBLE',
                'speed_kn': 'DOUBLE', 'course_deg': 'DOUBLE'})
            -- GPS glitches at 0,0 are bad rows (ground-truth/bad-rows.json), not positions: drop them as ingest does.
            WHERE NOT (lon = 0 AND lat = 0)
            """);
        duck.Execute("CREATE TABLE fence_events AS SELECT * FROM st_geofence_events('fences', 'positions', max_gap_minutes := 10)");

        // Pair each observed enter with the next observed exit of the same vessel and fence.
        var actual = duck.Rows("""
            WITH observed AS (
              SELECT vessel_id, fence_id, event, ts,
                     lead(ts) OVER (PARTITION BY vessel_id, fence_id ORDER BY ts) AS next_ts,
                     lead(event) OVER (PARTITION BY vessel_id, fence_id ORDER BY ts) AS next_event
              FROM fence_events WHERE observed)
            SELECT vessel_id, fence_id, epoch(ts)::BIGINT, CASE WHEN next_event = 'exit' THEN epoch(next_ts)::BIGINT END
            FROM observed WHERE event = 'enter'
            """)
            .Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "ground-truth", "fence-crossings.json"))).RootElement.EnumerateArray()
            .Select(c => $"{c.GetProperty("vessel_id").GetString()} {c.GetProperty("fence_id").GetString()} " +
                         $"{DateTimeOffset.Parse(c.GetProperty("entered_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds()} " +
                         $"{(c.GetProperty("exited_at").ValueKind == JsonValueKind.Null ? "" : DateTimeOffset.Parse(c.GetProperty("exited_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds())}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }
}
