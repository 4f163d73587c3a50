namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>
/// The Numenta Anomaly Benchmark's scoring, to NAB's published rules (numenta/NAB nab/sweeper.py and nab/runner.py):
/// <list type="bullet">
/// <item>the first 15 % of each file (at most 750 rows) is a probationary period and not scored;</item>
/// <item>inside a window only the earliest detection counts, weighted by the scaled sigmoid of its relative position
/// −(right − i + 1) / width, divided by the sigmoid at the window's left edge so an immediate detection earns A_TP;</item>
/// <item>a detection outside windows costs A_FP times the sigmoid of its distance past the previous window's right edge
/// over (that window's width − 1), or the full A_FP when no window precedes it;</item>
/// <item>a window without detection costs A_FN;</item>
/// <item>one threshold for the whole corpus, swept over every distinct score for the best total;</item>
/// <item>normalised as 100 · (raw − null) / (perfect − null), the null detector scoring a constant, perfect = windows × A_TP.</item>
/// </list>
/// </summary>
public static class NabScoring
{
    /// <summary>Share of each file that is probationary.</summary>
    public const double ProbationPercent = 0.15;

    /// <summary>NAB's scaled sigmoid: 2·σ(−5x) − 1, and −1 beyond x = 3.</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : 2.0 / (1.0 + Math.Exp(5.0 * relativePosition)) - 1.0;

    /// <summary>Rows of probation: min(⌊0.15·rows⌋, 0.15·5000).</summary>
    public static int ProbationLength(int rows) => (int)Math.Min(Math.Floor(ProbationPercent * rows), ProbationPercent * 5000);

    /// <summary>
    /// Scores the corpus at every threshold (each distinct score, highest first, preceded by one above all scores),
    /// as NAB's sweeper does.
    /// </summary>
    public static IReadOnlyList<NabThresholdScore> ScoreByThreshold(IReadOnlyList<NabSeries> corpus, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(profile);
        var points = new List<SweepPoint>();
        var windowCount = 0;
        for (var f = 0; f < corpus.Count; f++)
        {
            windowCount = AddSweepPoints(corpus[f], profile, windowCount, points);
        }
        // Scores per window start at −A_FN and rise to the best (earliest) detection inside it.
        var windowScore = new double[windowCount];
        var scoredWindow = new bool[windowCount];
        foreach (var p in points)
        {
            if (p.Window >= 0)
            {
                scoredWindow[p.Window] = true;
            }
        }
        double windowsTotal = 0;
        for (var w = 0; w < windowCount; w++)
        {
            if (scoredWindow[w])
            {
                windowScore[w] = -profile.FalseNegative;
                windowsTotal += windowScore[w];
            }
        }
        points.Sort((a, b) => b.AnomalyScore.CompareTo(a.AnomalyScore));
        var tn = points.Count(p => p.Window < 0);
        var fn = points.Count - tn;
        int tp = 0, fp = 0;
        double fpTotal = 0;
        var results = new List<NabThresholdScore>();
        var threshold = points.Count > 0 ? Math.Max(1.1, points[0].AnomalyScore + 1) : 1.1;
        foreach (var p in points)
        {
            if (p.AnomalyScore != threshold)
            {
                results.Add(new NabThresholdScore(threshold, windowsTotal + fpTotal, tp, tn, fp, fn));
                threshold = p.AnomalyScore;
            }
            if (p.Window >= 0)
            {
                tp++;
                fn--;
                if (p.SweepScore > windowScore[p.Window])
                {
                    windowsTotal += p.SweepScore - windowScore[p.Window];
                    windowScore[p.Window] = p.SweepScore;
                }
            }
            else
            {
                fp++;
                tn--;
                fpTotal += p.SweepScore;
            }
        }
        results.Add(new NabThresholdScore(threshold, windowsTotal + fpTotal, tp, tn, fp, fn));
        return results;
    }

    /// <summary>The best threshold for the corpus and its normalised score.</summary>
    public static NabResult Evaluate(IReadOnlyList<NabSeries> corpus, NabProfile profile)
    {
        var best = Best(ScoreByThreshold(corpus, profile));
        var nullCorpus = corpus.Select(s => s with { Scores = Enumerable.Repeat(0.5, s.Scores.Count).ToArray() }).ToList();
        var nullScore = Best(ScoreByThreshold(nullCorpus, profile)).Score;
        var perfect = corpus.Sum(s => s.Windows.Count) * profile.TruePositive;
        var normalized = perfect == nullScore ? 0 : 100 * (best.Score - nullScore) / (perfect - nullScore);
        return new NabResult(profile, best, nullScore, perfect, normalized);
    }

    private static NabThresholdScore Best(IReadOnlyList<NabThresholdScore> scores)
    {
        // NAB sorts by score, highest first, and takes the first; a stable pick keeps the higher threshold on ties.
        var best = scores[0];
        foreach (var s in scores)
        {
            if (s.Score > best.Score)
            {
                best = s;
            }
        }
        return best;
    }

    private static int AddSweepPoints(NabSeries series, NabProfile profile, int firstWindowId, List<SweepPoint> points)
    {
        var rows = series.Scores.Count;
        var probation = ProbationLength(rows);
        var maxTp = ScaledSigmoid(-1.0);
        var windows = series.Windows.OrderBy(w => w.Start).ToArray();
        for (var w = 0; w < windows.Length; w++)
        {
            if (windows[w].Start < 0 || windows[w].End >= rows || windows[w].End < windows[w].Start)
            {
                throw new InvalidSeriesException($"{series.Name}: window [{windows[w].Start}, {windows[w].End}] outside rows [0, {rows})");
            }
            if (w > 0 && windows[w].Start <= windows[w - 1].End)
            {
                throw new InvalidSeriesException($"{series.Name}: windows overlap at row {windows[w].Start}");
            }
        }
        var next = 0;
        var current = -1;
        var previousRight = -1;
        var previousWidth = 0.0;
        for (var i = 0; i < rows; i++)
        {
            if (current < 0 && next < windows.Length && i == windows[next].Start)
            {
                current = next++;
            }
            double weighted;
            if (current >= 0)
            {
                var window = windows[current];
                var width = (double)window.Length;
                var position = -(window.End - i + 1) / width;
                weighted = ScaledSigmoid(position) * profile.TruePositive / maxTp;
            }
            else
            {
                var unweighted = previousRight < 0 ? -1.0 : ScaledSigmoid(Math.Abs(previousRight - i) / (previousWidth - 1));
                weighted = unweighted * profile.FalsePositive;
            }
            if (i >= probation)
            {
                points.Add(new SweepPoint(series.Scores[i], weighted, current >= 0 ? firstWindowId + current : -1));
            }
            if (current >= 0 && i == windows[current].End)
            {
                previousRight = i;
                previousWidth = windows[current].Length;
                current = -1;
            }
        }
        return firstWindowId + windows.Length;
    }

    private readonly record struct SweepPoint(double AnomalyScore, double SweepScore, int Window);
}
