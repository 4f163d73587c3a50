namespace OneMap.Lakehouse.Detection;

/// <summary>
/// One station's readings at one time, scored by the ensemble; compact so a year of backfill fits in memory.
/// <see cref="Explanation"/>s are built from it on demand (streams build one per reading).
/// </summary>
/// <param name="Time">Time of the readings.</param>
/// <param name="Score">Pollution score on the station's calibrated scale: 1 is its alarm threshold.</param>
/// <param name="Surprise">The largest surprise (−log10 p on the learning period) among the detectors.</param>
/// <param name="Kind">Pollution when the score reaches 1, else sensor fault when a fault is present, else none.</param>
/// <param name="Indicators">Bit i set: indicator i contributed (a detector on it reached the support level).</param>
/// <param name="Detectors">Bit k set: <see cref="DetectorKind"/> k reached the support level (faults included).</param>
/// <param name="FaultIndicators">Bit i set: indicator i's sensor is at fault (its readings are ignored for pollution).</param>
/// <param name="TopIndicator">Index of the indicator furthest from its baseline among those not at fault; −1 if none.</param>
/// <param name="TopSigmas">That indicator's signed deviation in robust σ.</param>
public readonly record struct ScoredReading(
    DateTimeOffset Time,
    float Score,
    float Surprise,
    AnomalyKind Kind,
    uint Indicators,
    ushort Detectors,
    uint FaultIndicators,
    sbyte TopIndicator,
    float TopSigmas)
{
    public bool IsPollution => Score >= 1;

    public bool IsFault => FaultIndicators != 0;
}

/// <summary>A scored reading with its explanation, as a stream returns it.</summary>
/// <param name="Reading">The compact score.</param>
/// <param name="Explanation">Which indicators, how far from baseline, which detectors agreed.</param>
public sealed record ExplainedReading(ScoredReading Reading, Explanation Explanation);
