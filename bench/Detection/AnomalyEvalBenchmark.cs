using System.Globalization;
using OneMap.Bench.Runner;
using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;
using OneMap.Lakehouse.Detection.Evaluation;

namespace OneMap.Bench.Detection;

/// <summary>
/// The detectors' evaluation (issue 9): NAB scores on the NAB artificial corpus and event-wise F1 on GECCO 2018's
/// drinking-water sensors (learn on the first 60 %, judge the last 40 %), for the ensemble, its detectors alone and a
/// plain rolling mean/σ reference. Prints markdown tables (docs/anomaly-detection.md holds a copy).
/// </summary>
public sealed class AnomalyEvalBenchmark : IBenchmark
{
    public string Name => "anomaly-eval";

    public string Description => "NAB scores (artificial corpus) and GECCO 2018 event-wise F1 of the anomaly ensemble";

    private static readonly (string Name, EnsembleOptions Options)[] Variants =
    [
        ("ensemble (default)", new EnsembleOptions()),
        ("robust z-score only", Only(DetectorKind.RobustZScore)),
        ("EWMA only", Only(DetectorKind.Ewma)),
        ("CUSUM only", Only(DetectorKind.Cusum)),
        ("Spectral Residual only", Only(DetectorKind.SpectralResidual)),
        ("Bayesian change points only", Only(DetectorKind.BayesianChangePoint)),
        ("ensemble + Bayesian change points", new EnsembleOptions { Detectors = new HashSet<DetectorKind>(EnsembleOptions.DefaultDetectors) { DetectorKind.BayesianChangePoint } }),
    ];

    /// <summary>GECCO's water-quality columns; the flows Fm and Fm_2 are the utility's operation, not the water's quality.</summary>
    private static readonly string[] QualityColumns = ["Tp", "Cl", "pH", "Redox", "Leit", "Trueb", "Cl_2"];

    private static readonly (string Name, EnsembleOptions Options, bool AllColumns, bool UseLabels)[] GeccoVariants =
    [
        ("ensemble (default)", new EnsembleOptions(), false, true),
        ("ensemble, flows included (9 columns)", new EnsembleOptions(), true, true),
        ("ensemble, max instead of top-two sum", new EnsembleOptions { SecondIndicatorWeight = 0 }, false, true),
        ("ensemble without multivariate", new EnsembleOptions { Detectors = Without(DetectorKind.Multivariate) }, false, true),
        ("ensemble, Spectral Residual voting alone", new EnsembleOptions { ConfirmingDetectors = new HashSet<DetectorKind>() }, false, true),
        ("ensemble, no labels for learning", new EnsembleOptions(), false, false),
        ("robust z-score only", Only(DetectorKind.RobustZScore), false, true),
    ];

    public Task RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var output = context.Output;
        var datasets = Path.Combine(SharedDatasets(), "datasets");
        SampleCityEvalBenchmark.Run(output, cancellationToken);
        RunNab(Path.Combine(datasets, "nab-artificial"), output, cancellationToken);
        RunGecco(Path.Combine(datasets, "gecco2018", "train.csv"), output, cancellationToken);
        return Task.CompletedTask;
    }

    private static void RunNab(string root, TextWriter output, CancellationToken cancellationToken)
    {
        var files = LabelledData.LoadNabCorpus(root);
        output.WriteLine($"NAB artificial corpus: {files.Count} files, {files.Sum(f => f.Windows.Count)} windows; each file learnt on its probationary 15 %, scored row by row.");
        output.WriteLine();
        output.WriteLine("| detector | standard | reward_low_FP_rate | reward_low_FN_rate | TP rows / FP rows (standard) |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        var perFile = new List<(string, IReadOnlyList<NabSeries>)>();
        foreach (var (name, options) in Variants)
        {
            var scored = AnomalyEvaluation.ScoreNabCorpus(files, options, cancellationToken);
            WriteNabRow(output, name, scored);
            if (perFile.Count == 0)
            {
                perFile.Add((name, scored));
            }
        }
        WriteNabRow(output, "reference: rolling mean/σ z-score (2 h)", files.Select(f => new NabSeries(f.Name, RollingZ(f.Values, 24), f.Windows)).ToList());
        output.WriteLine();
        output.WriteLine("Ensemble per file (standard profile, each file's own best threshold):");
        output.WriteLine();
        output.WriteLine("| file | score |");
        output.WriteLine("|---|---:|");
        foreach (var series in perFile[0].Item2)
        {
            var result = NabScoring.Evaluate([series], NabProfile.Standard);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {series.Name} | {(series.Windows.Count == 0 ? "no window; FP rows at best threshold: " + result.Best.FalsePositives : result.NormalizedScore.ToString("0.0", CultureInfo.InvariantCulture))} |"));
        }
        output.WriteLine();
    }

    private static void WriteNabRow(TextWriter output, string name, IReadOnlyList<NabSeries> scored)
    {
        var results = NabProfile.All.Select(p => NabScoring.Evaluate(scored, p)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {results[0].NormalizedScore:0.0} | {results[1].NormalizedScore:0.0} | {results[2].NormalizedScore:0.0} | {results[0].Best.TruePositives} / {results[0].Best.FalsePositives} |"));
    }

    private static void RunGecco(string path, TextWriter output, CancellationToken cancellationToken)
    {
        var all = LabelledData.LoadLabelledCsv(path, "Time", "EVENT");
        var quality = Select(all, QualityColumns);
        var n = all.Times.Count;
        var learn = (int)(0.6 * n);
        // Validation folds inside the learning 60 % (rolling origin): what the design choices were made on.
        (string Name, int From, int Until)[] splits =
        [
            ("validation A", 12000, 30000),
            ("validation B", 30000, 50243),
            ("validation C", 50243, learn),
            ("**test 40 %**", learn, n),
        ];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GECCO 2018: {n} rows (1 a minute); learn on rows [0, {learn}) (to {all.Times[learn]:yyyy-MM-dd HH:mm}), judge rows [{learn}, {n}). Each split learns on every row before its judged range."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Validation folds inside the learning 60 %: A judges [{splits[0].From}, {splits[0].Until}), B [{splits[1].From}, {splits[1].Until}), C [{splits[2].From}, {splits[2].Until}). Indicators: {string.Join(", ", QualityColumns)} (flows Fm, Fm_2 only where stated)."));
        output.WriteLine();
        output.WriteLine("| configuration | split | events | predicted | found | event P | event R | event F1 | mean delay (min) | point F1 | fault incidents |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, options, allColumns, useLabels) in GeccoVariants)
        {
            var table = allColumns ? all : quality;
            foreach (var (split, from, until) in splits)
            {
                var result = AnomalyEvaluation.RunHoldOut(table, "gecco2018", from, until, options, useLabels, cancellationToken);
                var e = result.EventWise;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {split} | {e.TrueEvents} | {e.PredictedEvents} | {e.DetectedEvents} | {e.Events.Precision:0.000} | {e.Events.Recall:0.000} | {e.Events.F1:0.000} | {e.MeanDelayRows:0.0} | {result.PointWise.F1:0.000} | {result.FaultIncidents.Count} |"));
            }
        }
        var final = AnomalyEvaluation.RunHoldOut(quality, "gecco2018", learn, n, new EnsembleOptions(), true, cancellationToken);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Default ensemble on the test 40 %: alarm threshold {final.Model.AlarmSurprise:0.00} (surprise); pollution incidents:"));
        output.WriteLine();
        foreach (var incident in final.PollutionIncidents)
        {
            var labelled = Enumerable.Range(0, n).Any(i => all.Labels[i] && all.Times[i] >= incident.Start.DateTime && all.Times[i] <= incident.End!.Value.DateTime);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- {incident.Start:yyyy-MM-dd HH:mm}–{incident.End:HH:mm} {(labelled ? "event" : "**false alarm**")}, {incident.Severity}, peak {incident.PeakScore:0.00}: {incident.PeakExplanation}"));
        }
        var missed = DetectionMetrics.Runs(all.Labels.AsSpan(learn))
            .Where(w => !final.PollutionIncidents.Any(i => i.Start.DateTime <= all.Times[learn + w.End] && i.End!.Value.DateTime >= all.Times[learn + w.Start]))
            .Select(w => all.Times[learn + w.Start].ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .ToList();
        output.WriteLine();
        output.WriteLine($"Missed events: {(missed.Count == 0 ? "none" : string.Join(", ", missed))}.");
        output.WriteLine();
    }

    private static LabelledTable Select(LabelledTable table, string[] columns)
    {
        var index = columns.Select(c => table.Columns.ToList().IndexOf(c)).ToArray();
        if (index.Any(i => i < 0))
        {
            throw new InvalidOperationException($"columns {string.Join(", ", columns)} expected in {string.Join(", ", table.Columns)}");
        }
        return table with { Columns = columns, Values = [.. index.Select(i => table.Values[i])] };
    }

    /// <summary>|x − mean| / σ over the previous <paramref name="window"/> readings (NAB's windowed-Gaussian idea, simplest form).</summary>
    private static double[] RollingZ(double[] values, int window)
    {
        var scores = new double[values.Length];
        for (var t = window; t < values.Length; t++)
        {
            var past = values.AsSpan(t - window, window);
            double mean = 0;
            foreach (var v in past)
            {
                mean += v;
            }
            mean /= window;
            double variance = 0;
            foreach (var v in past)
            {
                variance += (v - mean) * (v - mean);
            }
            var sd = Math.Sqrt(variance / window);
            scores[t] = sd > 0 ? Math.Abs(values[t] - mean) / sd : values[t] == mean ? 0 : 100;
        }
        return scores;
    }

    /// <summary>The shared/ folder beside the repository (found from the bench's output folder upwards).</summary>
    private static string SharedDatasets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneMap.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }
        throw new InvalidOperationException($"OneMap.sln not found above {AppContext.BaseDirectory}");
    }

    private static EnsembleOptions Only(DetectorKind detector) => new()
    {
        Detectors = new HashSet<DetectorKind> { detector },
        ConfirmingDetectors = new HashSet<DetectorKind>(),
    };

    private static HashSet<DetectorKind> Without(DetectorKind detector) =>
        [.. EnsembleOptions.DefaultDetectors.Where(d => d != detector)];
}
