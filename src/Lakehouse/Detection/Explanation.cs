using System.Globalization;
using System.Text;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection;

/// <summary>How far one indicator was from its baseline at a scored reading.</summary>
/// <param name="Indicator">Indicator name.</param>
/// <param name="Value">The reading (NaN if missing).</param>
/// <param name="Baseline">What the station's baseline expected at that time of day.</param>
/// <param name="RobustSigmas">(value − baseline) / robust σ of the indicator; signed.</param>
/// <param name="WaterClass">The reading's GB 3838 class when the limits table knows the indicator.</param>
public sealed record IndicatorDeviation(string Indicator, double Value, double Baseline, double RobustSigmas, WaterClass? WaterClass = null);

/// <summary>A detector that found a reading unusual.</summary>
/// <param name="Detector">Which detector.</param>
/// <param name="Indicator">The indicator it looked at; null for detectors over the whole station (multivariate).</param>
/// <param name="Surprise">−log10 of how often the learning period scored this high (3 = one reading in a thousand).</param>
/// <param name="Raw">The detector's own statistic (σ for z-score, EWMA and CUSUM; (S − S̄)/S̄ for Spectral Residual…).</param>
public sealed record DetectorVote(DetectorKind Detector, string? Indicator, double Surprise, double Raw);

/// <summary>A sensor fault present at a reading.</summary>
/// <param name="Indicator">Indicator whose sensor is at fault.</param>
/// <param name="Fault">Stuck, flatline, dropout or implausible.</param>
/// <param name="Since">When the fault began.</param>
public sealed record FaultNote(string Indicator, DetectorKind Fault, DateTimeOffset Since);

/// <summary>
/// Why a reading scored as it did: the indicators furthest from their baseline (in robust σ), the detectors that
/// agreed it was unusual (and how surprising each found it), and any sensor faults.
/// </summary>
/// <param name="Deviations">Indicators that contributed, most deviant first (the three most deviant when none did).</param>
/// <param name="Votes">Detectors at or above the support level, most surprised first.</param>
/// <param name="Faults">Sensor faults present.</param>
public sealed record Explanation(IReadOnlyList<IndicatorDeviation> Deviations, IReadOnlyList<DetectorVote> Votes, IReadOnlyList<FaultNote> Faults)
{
    /// <summary>An explanation of nothing (no reading, or a station still warming up).</summary>
    public static Explanation Empty { get; } = new([], [], []);

    /// <summary>The distinct detectors that voted.</summary>
    public IReadOnlyList<DetectorKind> Detectors => [.. Votes.Select(v => v.Detector).Distinct()];

    /// <summary>One line for an alert: "pH +6.3σ (8.71, baseline 8.36); Redox −4.1σ … — robust z, CUSUM, multivariate".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var d in Deviations.Take(4))
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(CultureInfo.InvariantCulture, $"{d.Indicator} {d.RobustSigmas:+0.0;-0.0}σ ({d.Value:G4}, baseline {d.Baseline:G4})");
        }
        if (Votes.Count > 0)
        {
            text.Append(" — ").AppendJoin(", ", Detectors);
        }
        foreach (var f in Faults)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {f.Indicator} {f.Fault} since {f.Since:O}");
        }
        return text.ToString();
    }
}
