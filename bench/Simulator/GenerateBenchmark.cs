using System.Diagnostics;
using System.Globalization;
using OneMap.Bench.Runner;
using OneMap.Simulator;
using OneMap.Simulator.Output;

namespace OneMap.Bench.Simulator;

/// <summary>
/// Issue 3's figure: generating the scale-10 sample city (build + every file) takes under a minute on 2 cores. The
/// reference is the floor for the same output: writing the very same bytes with a plain File.WriteAllBytes loop, so
/// the ratio says how much the simulation and formatting cost on top of the I/O.
/// </summary>
public sealed class GenerateBenchmark : IBenchmark
{
    public string Name => "simulator-generate";

    public string Description => "sample city generate --scale 1 and 10 vs File.WriteAllBytes of the same files";

    public Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        foreach (var scale in new[] { 1.0, 10.0 })
        {
            // Scale 10 takes tens of seconds a run: three runs are enough for a median.
            var runs = scale > 1 ? Math.Min(3, context.Runs) : context.Runs;
            var target = Path.Combine(context.ScratchDirectory, "sample");
            GenerationReport? report = null;
            var cpu = new List<double>();
            var generate = Time($"generate scale {scale}", runs, () =>
            {
                Reset(target);
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                var city = SampleCity.Build(new SimulationOptions { Seed = 42, Scale = scale });
                report = SampleWriter.Write(city, target, stopwatch.Elapsed, cancellationToken);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
            });

            var files = Directory.GetFiles(target, "*", SearchOption.AllDirectories)
                .Select(f => (Relative: Path.GetRelativePath(target, f), Bytes: File.ReadAllBytes(f))).ToList();
            var copy = Path.Combine(context.ScratchDirectory, "copy");
            var reference = Time("File.WriteAllBytes", runs, () =>
            {
                Reset(copy);
                foreach (var (relative, bytes) in files)
                {
                    var path = Path.Combine(copy, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, bytes);
                }
            });

            var megabytes = files.Sum(f => f.Bytes.LongLength) / 1e6;
            context.ReportTimes($"generate scale {scale.ToString(CultureInfo.InvariantCulture)} ({megabytes:0} MB, {report!.Messages / 1e6:0.00} M msgs)", generate, reference);
            // CPU time next to wall time: on a shared machine the wall time says more about the neighbours than the code.
            context.ReportFigure($"  scale {scale.ToString(CultureInfo.InvariantCulture)}: build / write / CPU / messages per second",
                string.Create(CultureInfo.InvariantCulture,
                    $"{report.BuildTime.TotalSeconds:0.0} s / {report.WriteTime.TotalSeconds:0.0} s / {cpu.Order().ElementAt(cpu.Count / 2):0.0} s CPU / {report.Messages / (generate.Median / 1000):0} msgs/s"));
            if (scale == 10)
            {
                var verdict = generate.Median < 60_000 ? "met" : "MISSED";
                context.ReportFigure("  scale 10 generation, target < 60 s on 2 cores",
                    string.Create(CultureInfo.InvariantCulture,
                        $"{generate.Median / 1000:0.0} s median wall, {cpu.Order().ElementAt(cpu.Count / 2):0.0} s CPU ({Environment.ProcessorCount} cores, load average {LoadAverage()}): {verdict}"));
            }
            Reset(target);
            Reset(copy);
        }
        return Task.CompletedTask;
    }

    private static Samples Time(string label, int runs, Action action)
    {
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            samples[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        return new Samples(label, samples);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static void Reset(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
    }
}
