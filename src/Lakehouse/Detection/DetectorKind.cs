namespace OneMap.Lakehouse.Detection;

/// <summary>The detectors the ensemble combines; an explanation names the ones that agreed on a reading.</summary>
public enum DetectorKind : byte
{
    /// <summary>Robust z-score: distance from the seasonal baseline in robust σ (median/MAD).</summary>
    RobustZScore = 0,

    /// <summary>EWMA control chart of the robust z-scores: small shifts that persist.</summary>
    Ewma = 1,

    /// <summary>Two-sided tabular CUSUM of the robust z-scores: level shifts and calibration jumps.</summary>
    Cusum = 2,

    /// <summary>Spectral Residual saliency (Ren et al., KDD 2019): spikes and sudden changes of shape.</summary>
    SpectralResidual = 3,

    /// <summary>Bayesian online change-point detection (Adams and MacKay 2007): probability of a recent change.</summary>
    BayesianChangePoint = 4,

    /// <summary>Hotelling T² and squared prediction error of a robust PCA over all indicators of the station.</summary>
    Multivariate = 5,

    /// <summary>A reading worse than the station's water-quality class limit (GB 3838-2002).</summary>
    ClassLimit = 6,

    /// <summary>Sensor fault: the same value repeated for longer than the station's history allows.</summary>
    Stuck = 7,

    /// <summary>Sensor fault: readings varying less than a tolerance for longer than the history allows.</summary>
    Flatline = 8,

    /// <summary>Sensor fault: readings missing.</summary>
    Dropout = 9,

    /// <summary>Sensor fault: a value outside the indicator's physical range.</summary>
    Implausible = 10,
}

/// <summary>Sets of <see cref="DetectorKind"/> packed into bits (bit <c>1 &lt;&lt; kind</c>), as kept per scored reading.</summary>
public static class DetectorSet
{
    public static ushort Of(DetectorKind kind) => (ushort)(1 << (int)kind);

    public static bool Contains(ushort set, DetectorKind kind) => (set & Of(kind)) != 0;

    public static IReadOnlyList<DetectorKind> Expand(ushort set)
    {
        var kinds = new List<DetectorKind>();
        foreach (var kind in Enum.GetValues<DetectorKind>())
        {
            if (Contains(set, kind))
            {
                kinds.Add(kind);
            }
        }
        return kinds;
    }

    /// <summary>The fault detectors; a reading they flag is a sensor fault, never pollution.</summary>
    public const ushort Faults = (1 << (int)DetectorKind.Stuck) | (1 << (int)DetectorKind.Flatline)
        | (1 << (int)DetectorKind.Dropout) | (1 << (int)DetectorKind.Implausible);
}
