using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace OneMap.Simulator.Output;

/// <summary>A row the sample deliberately spoils so ingest has real work; listed in ground-truth/bad-rows.json.</summary>
/// <param name="File">Path under the output folder.</param>
/// <param name="Line">1-based line (CSV: the header is line 1) or, for JSON arrays, the 0-based array index.</param>
/// <param name="Key">The row's key as written (may be empty: a missing key is one of the problems).</param>
/// <param name="Problem">broken_date, missing_key, coordinate_out_of_range, duplicate_key, swapped_coordinates.</param>
/// <param name="Detail">What exactly is wrong.</param>
public sealed record BadRow(string File, int Line, string Key, string Problem, string Detail);

/// <summary>What one generation wrote.</summary>
public sealed record GenerationReport(IReadOnlyList<(string Path, long Bytes)> Files, long Messages, TimeSpan BuildTime, TimeSpan WriteTime);

/// <summary>Writes the sample city's files: department exports, sensor payload logs, ticket exports, ground truth.</summary>
public static partial class SampleWriter
{
    public static GenerationReport Write(SampleCity city, string outputDirectory, TimeSpan buildTime, CancellationToken cancellationToken = default,
        Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(city);
        var stopwatch = Stopwatch.StartNew();
        var step = new ProgressClock(progress);
        Directory.CreateDirectory(outputDirectory);
        var files = new Files(outputDirectory);
        var bad = new List<BadRow>();

        WriteAdmin(city, files);
        WriteWater(city, files, bad);
        WriteIndustry(city, files, bad);
        WriteGovernment(files);
        WriteMunicipal(city, files, bad);
        step.Done("department exports");
        WriteMarine(city, files, bad);
        step.Done("vessel positions and fences");
        WriteTickets(city, files);
        step.Done("ticket exports");
        cancellationToken.ThrowIfCancellationRequested();
        var messages = WriteSensorLogs(city, files, cancellationToken);
        step.Done("sensor payload logs");
        WriteGroundTruth(city, files, bad);
        WriteManifest(city, files, messages);
        step.Done("ground truth and manifest");
        return new GenerationReport(files.Written.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), messages, buildTime, stopwatch.Elapsed);
    }

    private static long WriteSensorLogs(SampleCity city, Files files, CancellationToken cancellationToken)
    {
        var days = city.Options.SensorDays;
        var jobs = new List<(string Path, Func<Stream, int> Write)>();
        for (var day = 0; day < days; day++)
        {
            var d = day;
            var date = city.Options.Start.AddDays(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            jobs.Add(($"sensors/water-quality/{date}.log.gz", s => PayloadLogs.WriteWaterQualityDay(s, city.Signal, city.Stations, city.Options.Start, d)));
            jobs.Add(($"sensors/manholes/{date}.log.gz", s => PayloadLogs.WriteManholeDay(s, city.Manholes, city.Options.Start, d)));
        }
        var counts = new long[jobs.Count];
        // Each day file is a pure function of the city, so files can be written in any order on any core.
        Parallel.For(0, jobs.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            var path = files.Prepare(jobs[j].Path);
            using var stream = PayloadLogs.CreateGzip(path, city.Options.Scale);
            counts[j] = jobs[j].Write(stream);
        });
        foreach (var job in jobs)
        {
            files.Record(job.Path);
        }
        return counts.Sum();
    }

    private static void WriteManifest(SampleCity city, Files files, long messages)
    {
        var entries = files.Written.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        files.Write("manifest.json", Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("generator", "OneMap.Simulator");
            w.WriteNumber("seed", city.Options.Seed);
            w.WriteNumber("scale", city.Options.Scale);
            w.WriteString("sensor_window_start", ChinaTime.Iso(city.Options.Start));
            w.WriteString("sensor_window_end", ChinaTime.Iso(city.Options.End));
            w.WriteString("ticket_window_start", ChinaTime.Iso(city.Options.End.AddDays(-city.Options.TicketDays)));
            w.WriteString("vessel_window_end", ChinaTime.Iso(city.Options.Start.AddDays(city.Options.VesselDays)));
            w.WriteStartObject("counts");
            w.WriteNumber("districts", city.Admin.Districts.Count);
            w.WriteNumber("towns", city.Admin.Towns.Count);
            w.WriteNumber("communities", city.Admin.Communities.Count);
            w.WriteNumber("grids", city.Admin.Grids.Count);
            w.WriteNumber("micro_grids", city.Admin.MicroGrids.Count);
            w.WriteNumber("river_reaches", city.Rivers.Reaches.Count);
            w.WriteNumber("automatic_stations", city.Stations.Count(s => s.Record.Kind == Models.Rivers.StationKind.Automatic));
            w.WriteNumber("sampling_points", city.Stations.Count(s => s.Record.Kind == Models.Rivers.StationKind.SamplingPoint));
            w.WriteNumber("outfalls", city.Outfalls.Count);
            w.WriteNumber("manhole_covers", city.Manholes.Covers.Count);
            w.WriteNumber("enterprises", city.Enterprises.Count);
            w.WriteNumber("departments", Government.DepartmentCatalog.Departments.Count);
            w.WriteNumber("tickets", city.Tickets.Count);
            w.WriteNumber("ticket_events", city.Tickets.Sum(t => t.Events.Count));
            w.WriteNumber("vessels", city.Fleet.Vessels.Count);
            w.WriteNumber("vessel_positions", city.Fleet.Fixes.Count);
            w.WriteNumber("sensor_messages", messages);
            w.WriteNumber("incidents", city.Incidents.Count);
            w.WriteEndObject();
            w.WriteStartArray("files");
            foreach (var (path, bytes) in entries)
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteNumber("bytes", bytes);
                w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(files.Full(path)))));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    /// <summary>Keeps track of what was written, relative to the output folder.</summary>
    private sealed class Files(string root)
    {
        private readonly object _gate = new();
        private readonly List<(string Path, long Bytes)> _written = [];

        public IReadOnlyList<(string Path, long Bytes)> Written
        {
            get
            {
                lock (_gate)
                {
                    return _written.ToList();
                }
            }
        }

        public string Full(string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

        public string Prepare(string relative)
        {
            var full = Full(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            return full;
        }

        public void Write(string relative, byte[] bytes)
        {
            File.WriteAllBytes(Prepare(relative), bytes);
            Record(relative);
        }

        public void Record(string relative)
        {
            lock (_gate)
            {
                _written.Add((relative, new FileInfo(Full(relative)).Length));
            }
        }
    }

    private static void WriteKeyValues(Utf8JsonWriter w, IEnumerable<(string Key, double Value)> items, int decimals)
    {
        w.WriteStartObject();
        foreach (var (key, value) in items)
        {
            Json.Number(w, key, value, decimals);
        }
        w.WriteEndObject();
    }
}
