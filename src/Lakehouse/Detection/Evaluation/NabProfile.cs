namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>
/// A NAB application profile: the weights of true positives, false positives, true negatives and false negatives
/// (numenta/NAB config/profiles.json). True negatives carry a weight in the file but NAB's scorer never uses it.
/// </summary>
/// <param name="Name">Profile name as NAB spells it.</param>
/// <param name="TruePositive">A_TP.</param>
/// <param name="FalsePositive">A_FP.</param>
/// <param name="TrueNegative">A_TN (unused by the scoring, kept for completeness).</param>
/// <param name="FalseNegative">A_FN.</param>
public sealed record NabProfile(string Name, double TruePositive, double FalsePositive, double TrueNegative, double FalseNegative)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0, 1.0);

    public static NabProfile RewardLowFalsePositiveRate { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0, 1.0);

    public static NabProfile RewardLowFalseNegativeRate { get; } = new("reward_low_FN_rate", 1.0, 0.11, 1.0, 2.0);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositiveRate, RewardLowFalseNegativeRate];
}

/// <summary>A labelled anomaly window: rows <paramref name="Start"/> to <paramref name="End"/>, both included.</summary>
/// <param name="Start">First row of the window.</param>
/// <param name="End">Last row of the window.</param>
public readonly record struct LabelWindow(int Start, int End)
{
    public int Length => End - Start + 1;

    public bool Overlaps(LabelWindow other) => Start <= other.End && other.Start <= End;
}

/// <summary>One data file of a NAB-style corpus: a detector's score per row and the file's labelled windows.</summary>
/// <param name="Name">File name (windows are named after it).</param>
/// <param name="Scores">Anomaly score per row; higher is more anomalous.</param>
/// <param name="Windows">Labelled windows, in order, not overlapping.</param>
public sealed record NabSeries(string Name, IReadOnlyList<double> Scores, IReadOnlyList<LabelWindow> Windows);

/// <summary>The score of a corpus at one threshold, with NAB's row counts.</summary>
/// <param name="Threshold">Rows scoring at or above this are detections.</param>
/// <param name="Score">Raw NAB score (sum over windows and false positives).</param>
/// <param name="TruePositives">Detected rows inside windows.</param>
/// <param name="TrueNegatives">Undetected rows outside windows.</param>
/// <param name="FalsePositives">Detected rows outside windows.</param>
/// <param name="FalseNegatives">Undetected rows inside windows.</param>
public sealed record NabThresholdScore(double Threshold, double Score, int TruePositives, int TrueNegatives, int FalsePositives, int FalseNegatives);

/// <summary>A detector's NAB result on a corpus for one profile.</summary>
/// <param name="Profile">The profile.</param>
/// <param name="Best">The best threshold and its raw score and counts.</param>
/// <param name="NullScore">Raw score of the null detector (constant score) on the same corpus.</param>
/// <param name="PerfectScore">Raw score of a perfect detector: windows × A_TP.</param>
/// <param name="NormalizedScore">100 · (raw − null) / (perfect − null): 0 is the null detector, 100 a perfect one.</param>
public sealed record NabResult(NabProfile Profile, NabThresholdScore Best, double NullScore, double PerfectScore, double NormalizedScore);
