namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>Precision, recall and F1 with the counts behind them.</summary>
/// <param name="TruePositives">Hits (rows, or events).</param>
/// <param name="FalsePositives">False alarms.</param>
/// <param name="FalseNegatives">Misses.</param>
/// <param name="Precision">TP / (TP + FP); 0 when nothing was flagged.</param>
/// <param name="Recall">TP / (TP + FN); 0 when there was nothing to find.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
public sealed record PrecisionRecall(int TruePositives, int FalsePositives, int FalseNegatives, double Precision, double Recall, double F1)
{
    public static PrecisionRecall From(int truePositives, int falsePositives, int falseNegatives, int? recalled = null)
    {
        var precision = truePositives + falsePositives == 0 ? 0 : (double)truePositives / (truePositives + falsePositives);
        var found = recalled ?? truePositives;
        var recall = found + falseNegatives == 0 ? 0 : (double)found / (found + falseNegatives);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new PrecisionRecall(truePositives, falsePositives, falseNegatives, precision, recall, f1);
    }
}

/// <summary>Event-wise precision/recall/F1 and how late the detected events were found.</summary>
/// <param name="Events">Precision and recall over events: a predicted event is right if it overlaps a true one; a true event is found if a predicted one overlaps it.</param>
/// <param name="TrueEvents">Labelled events.</param>
/// <param name="PredictedEvents">Predicted events (incidents).</param>
/// <param name="DetectedEvents">Labelled events found.</param>
/// <param name="MeanDelayRows">Mean over found events of (first overlapping prediction's start − event start), floored at 0, in rows.</param>
public sealed record EventMetrics(PrecisionRecall Events, int TrueEvents, int PredictedEvents, int DetectedEvents, double MeanDelayRows);

/// <summary>Point-wise and event-wise detection metrics.</summary>
public static class DetectionMetrics
{
    /// <summary>Row by row: predicted anomalous vs labelled anomalous (equal lengths).</summary>
    public static PrecisionRecall PointWise(ReadOnlySpan<bool> predicted, ReadOnlySpan<bool> labelled)
    {
        if (predicted.Length != labelled.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions for {labelled.Length} labels", nameof(predicted));
        }
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] && labelled[i])
            {
                tp++;
            }
            else if (predicted[i])
            {
                fp++;
            }
            else if (labelled[i])
            {
                fn++;
            }
        }
        return PrecisionRecall.From(tp, fp, fn);
    }

    /// <summary>
    /// Event by event: a predicted event counts as a true positive if it overlaps a labelled one (precision), a
    /// labelled event as found if any predicted event overlaps it (recall). Both as row ranges, ends included.
    /// </summary>
    public static EventMetrics EventWise(IReadOnlyList<LabelWindow> predicted, IReadOnlyList<LabelWindow> labelled)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labelled);
        var rightPredictions = predicted.Count(p => labelled.Any(l => l.Overlaps(p)));
        var found = 0;
        double delays = 0;
        foreach (var l in labelled)
        {
            var first = predicted.Where(p => p.Overlaps(l)).OrderBy(p => p.Start).Cast<LabelWindow?>().FirstOrDefault();
            if (first is { } hit)
            {
                found++;
                delays += Math.Max(0, hit.Start - l.Start);
            }
        }
        var events = PrecisionRecall.From(rightPredictions, predicted.Count - rightPredictions, labelled.Count - found, found);
        return new EventMetrics(events, labelled.Count, predicted.Count, found, found == 0 ? double.NaN : delays / found);
    }

    /// <summary>The runs of true values as windows (ends included).</summary>
    public static IReadOnlyList<LabelWindow> Runs(ReadOnlySpan<bool> flags)
    {
        var runs = new List<LabelWindow>();
        var start = -1;
        for (var i = 0; i < flags.Length; i++)
        {
            if (flags[i] && start < 0)
            {
                start = i;
            }
            else if (!flags[i] && start >= 0)
            {
                runs.Add(new LabelWindow(start, i - 1));
                start = -1;
            }
        }
        if (start >= 0)
        {
            runs.Add(new LabelWindow(start, flags.Length - 1));
        }
        return runs;
    }
}
