using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>One station an incident of the sample city reached, with when the change arrived and left.</summary>
/// <param name="StationId">Station id.</param>
/// <param name="IsAutomatic">True for an automatic station (sampling points are sampled by hand weekly).</param>
/// <param name="Arrival">When the change reached the station (its onset there).</param>
/// <param name="Departure">When it had passed.</param>
/// <param name="Attenuation">Share of the change at the source that is left at the station.</param>
public sealed record GroundTruthStation(string StationId, bool IsAutomatic, DateTimeOffset Arrival, DateTimeOffset Departure, double Attenuation);

/// <summary>A ground-truth incident of the sample city (data-samples/ground-truth/incidents.json).</summary>
/// <param name="Id">INC-001…</param>
/// <param name="Type">hidden_outfall, industrial_spill, sewage_overflow, agricultural_runoff; stuck_sensor, calibration_jump, dropout, drift.</param>
/// <param name="IsPollution">Pollution (true) or an instrument fault (false).</param>
/// <param name="Start">Start at the source (pollution) or at the instrument (fault).</param>
/// <param name="End">End at the source or instrument.</param>
/// <param name="Indicator">The primary indicator (pollution) or the faulty one (<c>all</c> for a dropout).</param>
/// <param name="Stations">Pollution: every station it reached, by arrival; fault: the faulty station (arrival = start).</param>
public sealed record GroundTruthIncident(string Id, string Type, bool IsPollution, DateTimeOffset Start, DateTimeOffset End, string Indicator,
    IReadOnlyList<GroundTruthStation> Stations);

/// <summary>
/// The sample city's water-quality readings on the stations' 5-minute grid, and its ground-truth incidents: the
/// labelled data the alert evaluation runs on. Readings flagged other than N (calibration, maintenance…) are not the
/// river's and are left missing, as the live pipeline leaves them out.
/// </summary>
/// <param name="Start">First slot (the sensor window's start).</param>
/// <param name="Interval">Slot width (5 minutes).</param>
/// <param name="Indicators">Indicator ids in column order.</param>
/// <param name="Stations">Per automatic station, its readings over the whole window.</param>
/// <param name="Incidents">Ground truth, in order of start.</param>
public sealed record SampleCityData(DateTimeOffset Start, TimeSpan Interval, IReadOnlyList<string> Indicators,
    IReadOnlyDictionary<string, StationSeries> Stations, IReadOnlyList<GroundTruthIncident> Incidents)
{
    /// <summary>The water-quality indicators the sample's stations report, in their payload order (docs/sensors.md).</summary>
    public static readonly IReadOnlyList<string> StationIndicators = ["water_temp", "ph", "do", "conductivity", "turbidity", "cod_mn", "nh3_n", "tp"];

    /// <summary>Reads <c>sensors/water-quality/*.log.gz</c> and <c>ground-truth/incidents.json</c> under <paramref name="dataSamples"/>.</summary>
    /// <exception cref="InvalidSeriesException">A file is missing or a line is malformed (named with its file and line).</exception>
    public static SampleCityData Load(string dataSamples)
    {
        var truthPath = Path.Combine(dataSamples, "ground-truth", "incidents.json");
        if (!File.Exists(truthPath))
        {
            throw new InvalidSeriesException($"{truthPath} not found");
        }
        using var truth = JsonDocument.Parse(File.ReadAllBytes(truthPath));
        var root = truth.RootElement;
        var start = ParseTime(root.GetProperty("sensor_window_start").GetString(), truthPath);
        var end = ParseTime(root.GetProperty("sensor_window_end").GetString(), truthPath);
        var interval = TimeSpan.FromMinutes(5);
        var length = (int)((end - start) / interval);
        var incidents = root.GetProperty("incidents").EnumerateArray().Select(e => ReadIncident(e, truthPath)).OrderBy(i => i.Start).ToList();

        var readings = new Dictionary<string, List<(DateTimeOffset, string, double)>>(StringComparer.Ordinal);
        var folder = Path.Combine(dataSamples, "sensors", "water-quality");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.log.gz").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            throw new InvalidSeriesException($"no payload logs under {folder}");
        }
        foreach (var file in files)
        {
            ReadLog(file, readings);
        }
        var stations = new SortedDictionary<string, StationSeries>(StringComparer.Ordinal);
        foreach (var (station, list) in readings)
        {
            stations[station] = StationSeries.FromReadings(station, StationIndicators, start, interval, length, list, out _);
        }
        return new SampleCityData(start, interval, StationIndicators, stations, incidents);
    }

    private static void ReadLog(string file, Dictionary<string, List<(DateTimeOffset, string, double)>> readings)
    {
        using var raw = File.OpenRead(file);
        using var gzip = new GZipStream(raw, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                throw new InvalidSeriesException($"{file}:{lineNumber}: no TAB between topic and payload");
            }
            try
            {
                using var payload = JsonDocument.Parse(line.AsMemory(tab + 1));
                var message = payload.RootElement;
                var station = message.GetProperty("stationId").GetString()!;
                var ts = DateTimeOffset.Parse(message.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
                if (!readings.TryGetValue(station, out var list))
                {
                    readings[station] = list = [];
                }
                if (message.TryGetProperty("readings", out var batch))
                {
                    foreach (var r in batch.EnumerateArray())
                    {
                        Add(list, ts, r);
                    }
                }
                else
                {
                    Add(list, ts, message);
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new InvalidSeriesException($"{file}:{lineNumber}: {e.Message}");
            }
        }

        static void Add(List<(DateTimeOffset, string, double)> list, DateTimeOffset ts, JsonElement reading)
        {
            // Calibration, maintenance and fault flags mean the value is not the river's.
            if (reading.TryGetProperty("flag", out var flag) && flag.GetString() != "N")
            {
                return;
            }
            list.Add((ts, reading.GetProperty("indicator").GetString()!, reading.GetProperty("value").GetDouble()));
        }
    }

    private static GroundTruthIncident ReadIncident(JsonElement e, string path)
    {
        var isPollution = e.GetProperty("is_pollution").GetBoolean();
        var start = ParseTime(e.GetProperty("start").GetString(), path);
        var end = ParseTime(e.GetProperty("end").GetString(), path);
        IReadOnlyList<GroundTruthStation> stations = isPollution
            ? e.GetProperty("affected_stations").EnumerateArray()
                .Select(s => new GroundTruthStation(s.GetProperty("station_id").GetString()!, s.GetProperty("kind").GetString() == "automatic",
                    ParseTime(s.GetProperty("arrival").GetString(), path), ParseTime(s.GetProperty("departure").GetString(), path), s.GetProperty("attenuation").GetDouble()))
                .OrderBy(s => s.Arrival).ToList()
            : [new GroundTruthStation(e.GetProperty("station_id").GetString()!, true, start, end, 1)];
        var indicator = isPollution ? e.GetProperty("primary_indicator").GetString()! : e.GetProperty("indicator").GetString()!;
        return new GroundTruthIncident(e.GetProperty("id").GetString()!, e.GetProperty("type").GetString()!, isPollution, start, end, indicator, stations);
    }

    private static DateTimeOffset ParseTime(string? text, string where) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new InvalidSeriesException($"{where}: '{text}' is not a timestamp");
}
