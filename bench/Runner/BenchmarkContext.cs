using System.Diagnostics;
using System.Globalization;

namespace OneMap.Bench.Runner;

/// <summary>What a benchmark gets: the number of runs, a scratch folder, timing helpers and the report.</summary>
public sealed class BenchmarkContext(int runs, string scratchDirectory, TextWriter output)
{
    /// <summary>How many timed runs each measurement takes (the median is reported); default 5.</summary>
    public int Runs { get; } = runs;

    /// <summary>A folder for the benchmark's files, deleted after the run.</summary>
    public string ScratchDirectory { get; } = scratchDirectory;

    public TextWriter Output { get; } = output;

    /// <summary>Times <paramref name="action"/> <see cref="Runs"/> times after one untimed warm-up; returns the samples.</summary>
    public Samples Measure(string label, Action action, bool warmUp = true)
    {
        if (warmUp)
        {
            action();
        }
        var samples = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            samples[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        return new Samples(label, samples);
    }

    /// <summary>Async form of <see cref="Measure"/>.</summary>
    public async Task<Samples> MeasureAsync(string label, Func<Task> action, bool warmUp = true)
    {
        if (warmUp)
        {
            await action();
        }
        var samples = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await action();
            samples[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        return new Samples(label, samples);
    }

    /// <summary>
    /// Times OneMap and the reference in alternation (after one untimed warm-up of each), swapping which goes first every
    /// run, so a burst of load from other work on a shared machine falls on both sides alike rather than on all the
    /// runs of one; <paramref name="pairs"/> runs of each (default: the --runs count). Report with <see cref="ReportPairedTimes"/>.
    /// </summary>
    public async Task<(Samples OneMap, Samples Reference)> MeasurePairsAsync(string oneMapLabel, Func<Task> oneMap, string referenceLabel, Func<Task> reference, int? pairs = null)
    {
        await oneMap();
        await reference();
        var count = pairs ?? Runs;
        var ours = new double[count];
        var theirs = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                ours[i] = await TimeAsync(oneMap);
                theirs[i] = await TimeAsync(reference);
            }
            else
            {
                theirs[i] = await TimeAsync(reference);
                ours[i] = await TimeAsync(oneMap);
            }
        }
        return (new Samples(oneMapLabel, ours), new Samples(referenceLabel, theirs));

        static async Task<double> TimeAsync(Func<Task> action)
        {
            var stopwatch = Stopwatch.StartNew();
            await action();
            return stopwatch.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>
    /// Prints the figure of paired samples (<see cref="MeasurePairsAsync"/>): the median of the runs' own ratios (each
    /// OneMap run over the reference run beside it), checked against the target, with both medians for context.
    /// </summary>
    public void ReportPairedTimes(string figure, Samples oneMap, Samples reference, double? maxRatio = null)
    {
        var ratios = new Samples("ratios", oneMap.Milliseconds.Zip(reference.Milliseconds, (a, b) => a / b).ToArray());
        var ratio = ratios.Median;
        var verdict = maxRatio is null ? "" : ratio <= maxRatio ? $"  target ≤ {maxRatio:0.##}: met" : $"  target ≤ {maxRatio:0.##}: MISSED";
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{figure,-48} OneMap {oneMap.Median,10:0.0} ms  reference {reference.Median,10:0.0} ms  ratio {ratio,6:0.00}× (median of paired runs){verdict}"));
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"",-48}   ({oneMap.Label}: {oneMap}; {reference.Label}: {reference}; paired ratios: {string.Join(" ", ratios.Milliseconds.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})"));
    }

    /// <summary>
    /// Prints OneMap's median next to the reference's and the ratio (OneMap / reference, lower is better for times),
    /// with the target the issue set, e.g. <c>≤ 2.0</c>.
    /// </summary>
    public void ReportTimes(string figure, Samples oneMap, Samples reference, double? maxRatio = null)
    {
        var ratio = oneMap.Median / reference.Median;
        var verdict = maxRatio is null ? "" : ratio <= maxRatio ? $"  target ≤ {maxRatio:0.##}: met" : $"  target ≤ {maxRatio:0.##}: MISSED";
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{figure,-48} OneMap {oneMap.Median,10:0.0} ms  reference {reference.Median,10:0.0} ms  ratio {ratio,6:0.00}×{verdict}"));
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"",-48}   ({oneMap.Label}: {oneMap}; {reference.Label}: {reference})"));
    }

    /// <summary>Prints a rate figure (higher is better) as OneMap's rate over the reference's, e.g. msgs/s.</summary>
    public void ReportRates(string figure, string unit, double oneMapRate, double referenceRate, double? minRatio = null)
    {
        var ratio = oneMapRate / referenceRate;
        var verdict = minRatio is null ? "" : ratio >= minRatio ? $"  target ≥ {minRatio:0.##}: met" : $"  target ≥ {minRatio:0.##}: MISSED";
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{figure,-48} OneMap {oneMapRate,12:0} {unit}  reference {referenceRate,12:0} {unit}  ratio {ratio,6:0.00}{verdict}"));
    }

    /// <summary>Prints a figure that has no reference beside it (an absolute median, e.g. a latency budget).</summary>
    public void ReportFigure(string figure, string value) => Output.WriteLine($"{figure,-48} {value}");
}
