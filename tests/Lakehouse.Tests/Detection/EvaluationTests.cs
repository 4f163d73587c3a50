using OneMap.Lakehouse.Detection.Ensemble;
using OneMap.Lakehouse.Detection.Evaluation;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class EvaluationTests
{
    private static readonly string NabRoot = Path.Combine(RepoPaths.Shared, "datasets", "nab-artificial");

    [Fact]
    public void the_scaled_sigmoid_has_nabs_published_values()
    {
        Assert.Equal(0.98661, NabScoring.ScaledSigmoid(-1), 5);
        Assert.Equal(0.84828, NabScoring.ScaledSigmoid(-0.5), 5);
        Assert.Equal(0, NabScoring.ScaledSigmoid(0), 10);
        Assert.Equal(-0.98661, NabScoring.ScaledSigmoid(1), 5);
        Assert.Equal(-1, NabScoring.ScaledSigmoid(3.5));
        Assert.Equal(600, NabScoring.ProbationLength(4000));
        Assert.Equal(750, NabScoring.ProbationLength(10000));
    }

    /// <summary>
    /// 100 rows, window [50, 59], probation 15 rows. Detections: row 52 (0.9), row 30 before the window (0.8),
    /// row 70 after it (0.7). By hand (standard profile):
    /// threshold 0.9 → TP at 52: σ(−(59−52+1)/10) / σ(−1) = 0.964028 / 0.986614 = 0.977107;
    /// threshold 0.8 → plus the FP before any window: −0.11 → 0.867107;
    /// threshold 0.7 → plus the FP at 70: 0.11·σ(|59−70| / 9) = −0.109513 → 0.757594.
    /// Best 0.977107; null detector −1; perfect 1; normalised 100·1.977107/2 = 98.855.
    /// </summary>
    private static NabSeries HandCase()
    {
        var scores = new double[100];
        scores[52] = 0.9;
        scores[30] = 0.8;
        scores[70] = 0.7;
        return new NabSeries("hand.csv", scores, [new LabelWindow(50, 59)]);
    }

    [Fact]
    public void nab_scores_a_small_case_as_computed_by_hand()
    {
        var byThreshold = NabScoring.ScoreByThreshold([HandCase()], NabProfile.Standard);
        Assert.Equal(-1, byThreshold[0].Score, 6);
        Assert.Equal(0.977107, byThreshold.Single(s => s.Threshold == 0.9).Score, 6);
        Assert.Equal(0.867107, byThreshold.Single(s => s.Threshold == 0.8).Score, 6);
        Assert.Equal(0.757594, byThreshold.Single(s => s.Threshold == 0.7).Score, 6);

        var result = NabScoring.Evaluate([HandCase()], NabProfile.Standard);
        Assert.Equal(0.9, result.Best.Threshold);
        Assert.Equal(1, result.Best.TruePositives);
        Assert.Equal(0, result.Best.FalsePositives);
        Assert.Equal(-1, result.NullScore, 9);
        Assert.Equal(1, result.PerfectScore);
        Assert.Equal(98.855342, result.NormalizedScore, 5);
    }

    [Fact]
    public void the_profiles_weigh_misses_and_false_alarms_as_nab_configures()
    {
        Assert.Equal((1.0, 0.11, 1.0), (NabProfile.Standard.TruePositive, NabProfile.Standard.FalsePositive, NabProfile.Standard.FalseNegative));
        Assert.Equal(0.22, NabProfile.RewardLowFalsePositiveRate.FalsePositive);
        Assert.Equal(2.0, NabProfile.RewardLowFalseNegativeRate.FalseNegative);

        // reward_low_FN_rate: the null detector misses one window at cost 2 → 100·(0.9771068 + 2) / 3 = 99.2368947.
        Assert.Equal(99.2368947, NabScoring.Evaluate([HandCase()], NabProfile.RewardLowFalseNegativeRate).NormalizedScore, 6);
        // A detection inside the probation period is not scored, even inside a window.
        var probation = new NabSeries("early.csv", [.. Enumerable.Range(0, 100).Select(i => i == 10 ? 1.0 : 0.0)], [new LabelWindow(8, 20)]);
        Assert.Equal(-1, NabScoring.Evaluate([probation], NabProfile.Standard).Best.Score, 9);
    }

    [Fact]
    public void event_wise_and_point_wise_metrics_count_as_computed_by_hand()
    {
        // Labelled events [10,19] and [40,49]; predictions [15,25] (hits the first), [60,65] (false alarm).
        var events = DetectionMetrics.EventWise([new LabelWindow(15, 25), new LabelWindow(60, 65)], [new LabelWindow(10, 19), new LabelWindow(40, 49)]);
        Assert.Equal(0.5, events.Events.Precision);
        Assert.Equal(0.5, events.Events.Recall);
        Assert.Equal(0.5, events.Events.F1);
        Assert.Equal(5, events.MeanDelayRows);

        var labelled = new bool[10];
        var predicted = new bool[10];
        labelled[2] = labelled[3] = labelled[4] = true;
        predicted[3] = predicted[4] = predicted[7] = true;
        var points = DetectionMetrics.PointWise(predicted, labelled);
        Assert.Equal((2, 1, 1), (points.TruePositives, points.FalsePositives, points.FalseNegatives));
        Assert.Equal(2.0 / 3, points.F1, 10);
        Assert.Equal([new LabelWindow(2, 4)], DetectionMetrics.Runs(labelled));
    }

    [Fact]
    public void the_nab_artificial_corpus_loads_with_its_windows_on_rows()
    {
        var files = LabelledData.LoadNabCorpus(NabRoot);
        Assert.Equal(11, files.Count);
        Assert.Equal(6, files.Sum(f => f.Windows.Count));
        var jumps = files.Single(f => f.Name == "artificialWithAnomaly/art_daily_jumpsup.csv");
        Assert.Equal(4032, jumps.Values.Length);
        Assert.Equal(new DateTime(2014, 4, 10, 16, 15, 0), jumps.Timestamps[jumps.Windows[0].Start]);
    }

    [Fact]
    public void the_ensemble_scores_its_highest_inside_the_labelled_window_of_a_planted_jump()
    {
        var file = LabelledData.LoadNabCorpus(NabRoot).Single(f => f.Name == "artificialWithAnomaly/art_daily_jumpsup.csv");
        var scored = AnomalyEvaluation.ScoreNabCorpus([file], new EnsembleOptions(), TestContext.Current.CancellationToken).Single();

        var probation = NabScoring.ProbationLength(scored.Scores.Count);
        var best = Enumerable.Range(probation, scored.Scores.Count - probation).MaxBy(i => scored.Scores[i]);
        var window = file.Windows[0];
        Assert.InRange(best, window.Start, window.End);
        Assert.True(NabScoring.Evaluate([scored], NabProfile.Standard).NormalizedScore > 80);
    }

    [Fact]
    public void a_labelled_csv_is_read_with_its_label_column_and_bad_cells_are_named()
    {
        using var directory = new TempDirectory("onemap-detection");
        var good = Path.Combine(directory.Path, "good.csv");
        File.WriteAllText(good, "Time,a,b,EVENT\n2016-08-03T09:49:00,1.5,,FALSE\n2016-08-03T09:50:00,2,3,TRUE\n");
        var table = LabelledData.LoadLabelledCsv(good, "Time", "EVENT");
        Assert.Equal(["a", "b"], table.Columns);
        Assert.True(double.IsNaN(table.Values[1][0]));
        Assert.Equal([false, true], table.Labels);

        var bad = Path.Combine(directory.Path, "bad.csv");
        File.WriteAllText(bad, "Time,a,EVENT\n2016-08-03T09:49:00,1.5x,FALSE\n");
        var error = Assert.Throws<OneMap.Lakehouse.Detection.InvalidSeriesException>(() => LabelledData.LoadLabelledCsv(bad, "Time", "EVENT"));
        Assert.Contains("bad.csv:2: column a: '1.5x' is not a number", error.Message, StringComparison.Ordinal);
    }
}
