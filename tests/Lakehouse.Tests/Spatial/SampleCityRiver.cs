using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial;
using OneMap.Lakehouse.Spatial.Rivers;
using OneMap.Models.Crs;
using OneMap.Models.Rivers;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>A pollution incident of the sample city's ground truth, with where it came from.</summary>
internal sealed record SampleIncident(string Id, string Type, RiverPosition Source, string? OutfallId, string FirstStation, DateTimeOffset Arrival);

/// <summary>
/// The sample city's river as the departments send it (data-samples/): reaches in EPSG:4528, the station register
/// (GB18030 CSV), the outfall register (projected X/Y), the enterprise list (GCJ-02), the water-quality payload logs,
/// and the ground truth of the injected incidents. Read here directly from the files (rows that fail to parse — the
/// sample's deliberately spoiled ones — are left out), so the river tests do not depend on the ingest workers.
/// </summary>
internal sealed class SampleCityRiver
{
    private static readonly CrsId Zone40 = CrsId.FromEpsg(4528);

    public SampleCityRiver(string root)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var reaches = ReadReaches(Path.Combine(root, "water", "river-reaches.geojson"));
        var stations = ReadStations(Path.Combine(root, "ecology", "stations.csv"));
        var outfalls = ReadOutfalls(Path.Combine(root, "ecology", "outfalls.csv"));
        var enterprises = ReadEnterprises(Path.Combine(root, "industry", "enterprises.json"));
        Network = new RiverNetwork(reaches, stations, outfalls, enterprises);
        Readings = new InMemoryWaterReadings(ReadWaterQuality(Path.Combine(root, "sensors", "water-quality")));
        Incidents = ReadIncidents(Path.Combine(root, "ground-truth", "incidents.json"), stations);
    }

    public RiverNetwork Network { get; }

    public IWaterReadings Readings { get; }

    public IReadOnlyList<SampleIncident> Incidents { get; }

    public static string Root => Path.Combine(RepoPaths.RepoRoot, "data-samples");

    private static List<RiverReach> ReadReaches(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var reaches = new List<RiverReach>();
        foreach (var feature in document.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = feature.GetProperty("properties");
            var coordinates = feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c =>
            {
                var (lon, lat) = CoordinateConverter.ToWgs84(Zone40, c[0].GetDouble(), c[1].GetDouble());
                return new Coordinate(lon, lat);
            }).ToArray();
            reaches.Add(new RiverReach(p.GetProperty("reach_id").GetString()!, p.GetProperty("river_name").GetString()!, p.GetProperty("river_name_en").GetString()!,
                p.GetProperty("from_node").GetString()!, p.GetProperty("to_node").GetString()!, p.GetProperty("length_m").GetDouble(),
                p.GetProperty("flow_speed_mps").GetDouble(), p.GetProperty("stream_order").GetInt32(),
                p.GetProperty("downstream_reach_id").ValueKind == JsonValueKind.String ? p.GetProperty("downstream_reach_id").GetString() : null,
                GeometryCodec.Factory.CreateLineString(coordinates)));
        }
        return reaches;
    }

    private static List<MonitoringStation> ReadStations(string path)
    {
        var stations = new List<MonitoringStation>();
        foreach (var f in Csv(path, Encoding.GetEncoding("GB18030")))
        {
            if (f.Length < 10 || !TryNumber(f[5], out var along) || !TryNumber(f[8], out var lon) || !TryNumber(f[9], out var lat))
            {
                continue;
            }
            stations.Add(new MonitoringStation(f[0], f[1], f[2] == "水质自动站" ? StationKind.Automatic : StationKind.SamplingPoint, f[4], along, 3,
                TimeSpan.FromMinutes(5), GeometryOperations.Point(lon, lat)));
        }
        return stations;
    }

    private static List<Outfall> ReadOutfalls(string path)
    {
        var outfalls = new List<Outfall>();
        foreach (var f in Csv(path, Encoding.UTF8))
        {
            if (f.Length < 8 || !TryNumber(f[6], out var x) || !TryNumber(f[7], out var y))
            {
                continue;
            }
            try
            {
                var (lon, lat) = CoordinateConverter.ToWgs84(Zone40, x, y);
                outfalls.Add(new Outfall(f[0], f[1], f[2] == "雨水排放口" ? OutfallKind.StormDrain : OutfallKind.Permitted, f[3],
                    0, string.IsNullOrEmpty(f[4]) ? null : f[4], TryNumber(f[5], out var flow) ? flow : null, GeometryOperations.Point(lon, lat)));
            }
            catch (Models.ModelException)
            {
                // The sample's swapped-coordinate row: an ingest worker quarantines it.
            }
        }
        return outfalls;
    }

    private static List<RiverEnterprise> ReadEnterprises(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var enterprises = new List<RiverEnterprise>();
        foreach (var e in document.RootElement.GetProperty("data").EnumerateArray())
        {
            if (e.GetProperty("credit_code").ValueKind != JsonValueKind.String || e.GetProperty("lng").ValueKind != JsonValueKind.Number
                || e.GetProperty("lat").ValueKind != JsonValueKind.Number)
            {
                continue;
            }
            try
            {
                var (lon, lat) = CoordinateConverter.ToWgs84(CrsId.Gcj02, e.GetProperty("lng").GetDouble(), e.GetProperty("lat").GetDouble());
                enterprises.Add(new RiverEnterprise(e.GetProperty("credit_code").GetString()!, e.GetProperty("name").GetString() ?? "",
                    e.TryGetProperty("industry_code", out var code) ? code.GetString() : null, GeometryOperations.Point(lon, lat)));
            }
            catch (Models.ModelException)
            {
                // A position outside China's range: the sample's out-of-range row.
            }
        }
        return enterprises.GroupBy(e => e.CreditCode).Select(g => g.First()).ToList();
    }

    private static List<WaterReading> ReadWaterQuality(string folder)
    {
        var readings = new List<WaterReading>();
        foreach (var file in Directory.GetFiles(folder, "*.log.gz").Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress), Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                using var payload = JsonDocument.Parse(line.AsMemory(tab + 1));
                var root = payload.RootElement;
                var station = root.GetProperty("stationId").GetString()!;
                var at = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
                if (root.TryGetProperty("readings", out var batch))
                {
                    foreach (var r in batch.EnumerateArray())
                    {
                        Add(readings, station, at, r);
                    }
                }
                else
                {
                    Add(readings, station, at, root);
                }
            }
        }
        return readings;
    }

    private static void Add(List<WaterReading> readings, string station, DateTimeOffset at, JsonElement reading)
    {
        if (reading.GetProperty("flag").GetString() == "N")
        {
            readings.Add(new WaterReading(station, reading.GetProperty("indicator").GetString()!, at, reading.GetProperty("value").GetDouble()));
        }
    }

    private static List<SampleIncident> ReadIncidents(string path, List<MonitoringStation> stations)
    {
        var automatic = stations.Where(s => s.Kind == StationKind.Automatic).Select(s => s.Id).ToHashSet();
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var incidents = new List<SampleIncident>();
        foreach (var i in document.RootElement.GetProperty("incidents").EnumerateArray())
        {
            if (!i.GetProperty("is_pollution").GetBoolean())
            {
                continue;
            }
            var source = i.GetProperty("source");
            // The first automatic station that sees at least a quarter of it: where an alarm would be raised.
            var first = i.GetProperty("affected_stations").EnumerateArray()
                .Where(a => automatic.Contains(a.GetProperty("station_id").GetString()!) && a.GetProperty("attenuation").GetDouble() >= 0.25)
                .OrderBy(a => a.GetProperty("lag_minutes").GetDouble())
                .First();
            incidents.Add(new SampleIncident(i.GetProperty("id").GetString()!, i.GetProperty("type").GetString()!,
                new RiverPosition(source.GetProperty("reach_id").GetString()!, source.GetProperty("distance_along_reach_m").GetDouble()),
                source.GetProperty("outfall_id").ValueKind == JsonValueKind.String ? source.GetProperty("outfall_id").GetString() : null,
                first.GetProperty("station_id").GetString()!,
                DateTimeOffset.Parse(first.GetProperty("arrival").GetString()!, CultureInfo.InvariantCulture)));
        }
        return incidents;
    }

    private static IEnumerable<string[]> Csv(string path, Encoding encoding)
    {
        var lines = File.ReadAllLines(path, encoding);
        foreach (var line in lines.Skip(1))
        {
            yield return Split(line.TrimStart('\uFEFF'));
        }
    }

    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
