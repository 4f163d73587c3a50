using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using OneMap.Simulator;
using OneMap.Simulator.Output;
using OneMap.Testing;

namespace OneMap.Simulator.Tests.Support;

/// <summary>The scale-1 sample city, generated once into a temp dir for every test class in the "sample" collection.</summary>
public sealed class SampleFixture : IDisposable
{
    private readonly TempDirectory _directory = new("onemap-sample");
    private readonly Lazy<WaterReadings> _readings;

    public SampleFixture()
    {
        City = SampleCity.Build(new SimulationOptions { Seed = 42, Scale = 1 });
        Report = SampleWriter.Write(City, _directory.Path, TimeSpan.Zero);
        _readings = new Lazy<WaterReadings>(() => WaterReadings.Load(Directory, City.Options.Start, City.Options.SensorDays));
    }

    public SampleCity City { get; }

    public GenerationReport Report { get; }

    public string Directory => _directory.Path;

    /// <summary>Every water-quality reading in the payload logs, parsed back from the files.</summary>
    public WaterReadings Readings => _readings.Value;

    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    public JsonDocument Json(string relative) => JsonDocument.Parse(File.ReadAllBytes(PathOf(relative)));

    /// <summary>The lines of a payload log or other gzipped text file.</summary>
    public IEnumerable<string> GzipLines(string relative)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(PathOf(relative)), CompressionMode.Decompress));
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            yield return line;
        }
    }

    public void Dispose() => _directory.Dispose();
}

[CollectionDefinition("sample")]
public sealed class SampleCollection : ICollectionFixture<SampleFixture>;

/// <summary>Readings by station and indicator on the 5-minute grid (NaN where nothing arrived).</summary>
public sealed class WaterReadings
{
    public static readonly string[] IndicatorIds = ["water_temp", "ph", "do", "conductivity", "turbidity", "cod_mn", "nh3_n", "tp"];

    private readonly Dictionary<string, double[][]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[][]> _flags = new(StringComparer.Ordinal);

    private WaterReadings(DateTimeOffset start, int steps)
    {
        Start = start;
        Steps = steps;
    }

    public DateTimeOffset Start { get; }

    public int Steps { get; }

    public IEnumerable<string> Stations => _values.Keys.Order(StringComparer.Ordinal);

    public long Messages { get; private set; }

    public double[] Values(string station, string indicator) => _values[station][Array.IndexOf(IndicatorIds, indicator)];

    public string[] Flags(string station, string indicator) => _flags[station][Array.IndexOf(IndicatorIds, indicator)];

    public int StepOf(DateTimeOffset t) => (int)Math.Floor((t - Start) / TimeSpan.FromMinutes(5));

    public DateTimeOffset TimeOf(int step) => Start + TimeSpan.FromMinutes(5) * step;

    public static WaterReadings Load(string directory, DateTimeOffset start, int days)
    {
        var readings = new WaterReadings(start, days * 288);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(directory, "sensors", "water-quality"), "*.log.gz").Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                readings.Messages++;
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                using var payload = JsonDocument.Parse(line[(tab + 1)..]);
                var root = payload.RootElement;
                var station = root.GetProperty("stationId").GetString()!;
                var step = readings.StepOf(DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture));
                if (root.TryGetProperty("readings", out var batch))
                {
                    foreach (var r in batch.EnumerateArray())
                    {
                        readings.Set(station, r.GetProperty("indicator").GetString()!, step, r.GetProperty("value").GetDouble(), r.GetProperty("flag").GetString()!);
                    }
                }
                else
                {
                    readings.Set(station, root.GetProperty("indicator").GetString()!, step, root.GetProperty("value").GetDouble(), root.GetProperty("flag").GetString()!);
                }
            }
        }
        return readings;
    }

    private void Set(string station, string indicator, int step, double value, string flag)
    {
        if (!_values.TryGetValue(station, out var values))
        {
            _values[station] = values = IndicatorIds.Select(_ => Enumerable.Repeat(double.NaN, Steps).ToArray()).ToArray();
            _flags[station] = IndicatorIds.Select(_ => new string[Steps]).ToArray();
        }
        var i = Array.IndexOf(IndicatorIds, indicator);
        values[i][step] = value;
        _flags[station][i][step] = flag;
    }
}
