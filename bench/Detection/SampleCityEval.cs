using System.Globalization;
using OneMap.Bench.Runner;
using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;
using OneMap.Lakehouse.Detection.Evaluation;

namespace OneMap.Bench.Detection;

/// <summary>
/// The sample city's 15 ground-truth incidents (data-samples): every station learnt on one half of the week and
/// streamed over the other, both ways; per incident whether its alert opened within 30 minutes of onset at the first
/// automatic station it reached and was of the right kind, and the false alerts per station per week.
/// </summary>
public sealed class SampleCityEvalBenchmark : IBenchmark
{
    public string Name => "anomaly-eval-city";

    public string Description => "the sample city's incidents: caught within 30 min, kind, false alerts per station per week (part of anomaly-eval)";

    public Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        Run(context.Output, cancellationToken);
        return Task.CompletedTask;
    }

    public static void Run(TextWriter output, CancellationToken cancellationToken)
    {
        var data = SampleCityData.Load(Path.Combine(RepoRoot(), "data-samples"));
        foreach (var removeWeather in new[] { false, true })
        {
            Report(output, data, removeWeather, cancellationToken);
        }
    }

    private static void Report(TextWriter output, SampleCityData data, bool removeWeather, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = SampleCityEvaluation.Run(data, new EnsembleOptions(), maxDegreeOfParallelism: Environment.ProcessorCount, removeWeather: removeWeather, cancellationToken: cancellationToken);
        output.WriteLine(removeWeather ? "With the city's weather removed (RegionalWeather, not the default):" : "Default (the live producer's configuration):");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sample city: {result.Stations} automatic stations, {result.ScoredDays:0} days each scored once (two folds in time: learn on one half, stream the other), {watch.Elapsed.TotalSeconds:0.0} s."));
        output.WriteLine();
        output.WriteLine("| incident | type | judged at | onset | alert opened after | caught ≤ 30 min | kind right | automatic stations alerted / reached |");
        output.WriteLine("|---|---|---|---|---:|:---:|:---:|---:|");
        foreach (var o in result.Outcomes)
        {
            var delay = o.Delay is { } d ? $"{d.TotalMinutes:0} min" : "—";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {o.Truth.Id} | {o.Truth.Type} ({(o.Truth.IsPollution ? "pollution" : "fault")}, {o.Truth.Indicator}) | {o.StationId} | {o.Onset:MM-dd HH:mm} | {delay} | {(o.Caught ? "yes" : "**no**")} | {(o.KindRight ? "yes" : "**no**")} | {(o.Truth.IsPollution ? $"{o.StationsAlerted} / {o.StationsReached}" : "—")} |"));
        }
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Caught within 30 min: {result.Outcomes.Count(o => o.Caught)} of {result.Outcomes.Count}; right kind: {result.Outcomes.Count(o => o.KindRight)} of {result.Outcomes.Count}; false alerts: {result.FalseAlerts.Values.Sum(v => v.Count)} at {result.FalseAlerts.Count} stations, at most {result.MaxFalseAlertsPerStationWeek:0.0} per station per week (mean {result.MeanFalseAlertsPerStationWeek:0.00})."));
        foreach (var (station, alerts) in result.FalseAlerts.Where(_ => !removeWeather).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var a in alerts)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"- false alert {station} {a.Incident.Kind} {a.Incident.Start:MM-dd HH:mm}–{a.Incident.End:MM-dd HH:mm}, {a.Incident.Severity}: {a.Incident.PeakExplanation}"));
            }
        }
        output.WriteLine();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneMap.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"OneMap.sln not found above {AppContext.BaseDirectory}");
    }
}
