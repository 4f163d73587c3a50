using OneMap.Lakehouse.Detection.Rules;
using OneMap.Lakehouse.Detection.Spectral;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// How the ensemble detects, calibrates and groups. Durations are converted to readings with the station's interval.
/// The defaults suit 1- to 5-minute water-quality readings.
/// </summary>
public sealed class EnsembleOptions
{
    /// <summary>Trailing window whose median is an indicator's current level; default 2 hours.</summary>
    public TimeSpan LevelWindow { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Width of a bin of the learnt diurnal profile; default 1 hour.</summary>
    public TimeSpan SeasonalBinWidth { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Days of history needed before a diurnal profile is learnt (else none is used); default 2.</summary>
    public double SeasonalMinimumDays { get; init; } = 2;

    /// <summary>λ of the EWMA chart; default 0.2.</summary>
    public double EwmaLambda { get; init; } = 0.2;

    /// <summary>k of the CUSUM, in σ; default 0.5 (finds shifts of about 1 σ).</summary>
    public double CusumDrift { get; init; } = 0.5;

    /// <summary>Deviations are clipped to ±this before the CUSUM adds them, in σ; default 4.</summary>
    public double CusumClip { get; init; } = 4;

    /// <summary>Largest value of a CUSUM side, in σ; default 40 (it recovers within 80 readings of a shift's end).</summary>
    public double CusumCap { get; init; } = 40;

    /// <summary>
    /// The detectors that vote on pollution: by default robust z-score, EWMA, CUSUM, Spectral Residual, multivariate
    /// and class limits. Bayesian online change points are off by default: they cost about a hundred times more per
    /// reading than the rest together (docs/anomaly-detection.md), and CUSUM covers level shifts. The sensor-fault
    /// detectors always run (a fault must never pass for pollution) and are not listed here.
    /// </summary>
    public IReadOnlySet<DetectorKind> Detectors { get; init; } = DefaultDetectors;

    /// <summary>
    /// Detectors that only confirm: their surprise raises an indicator's evidence, by at most 1 (a factor of ten in
    /// probability), when another detector already finds the indicator unusual (at the support level), but cannot
    /// raise an alarm alone. Default: Spectral Residual, whose
    /// score is heavy-tailed on noise and, alone, cost F1 on the validation folds (docs/anomaly-detection.md).
    /// </summary>
    public IReadOnlySet<DetectorKind> ConfirmingDetectors { get; init; } = new HashSet<DetectorKind> { DetectorKind.SpectralResidual };

    /// <summary>The default voting detectors.</summary>
    public static IReadOnlySet<DetectorKind> DefaultDetectors { get; } = new HashSet<DetectorKind>
    {
        DetectorKind.RobustZScore, DetectorKind.Ewma, DetectorKind.Cusum, DetectorKind.SpectralResidual,
        DetectorKind.Multivariate, DetectorKind.ClassLimit,
    };

    /// <summary>Whether <paramref name="detector"/> votes.</summary>
    public bool Uses(DetectorKind detector) => Detectors.Contains(detector);

    /// <summary>
    /// Spectral Residual parameters (the paper's by default). While Spectral Residual only confirms (the default), a
    /// reading is scored in the window ending with it and only when another detector already finds its indicator
    /// unusual, so <see cref="SpectralResidualOptions.Hop"/> matters only when it votes on its own.
    /// </summary>
    public SpectralResidualOptions SpectralResidual { get; init; } = new();

    /// <summary>Expected time between change points (hazard = interval / this); default 1 day.</summary>
    public TimeSpan BayesianExpectedRun { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Truncation of the run-length posterior, in readings; default 200.</summary>
    public int BayesianMaxRunLength { get; init; } = 200;

    /// <summary>Share of variance the retained principal components explain; default 0.9.</summary>
    public double PcaExplainedVariance { get; init; } = 0.9;

    /// <summary>
    /// False alerts per station per week the calibration allows on the learning period (known incidents excluded);
    /// the alarm threshold is the lowest that keeps to it. Default 1.
    /// </summary>
    public double FalseAlertsPerWeek { get; init; } = 1;

    /// <summary>Lowest alarm threshold, as a surprise (3: rarer than one reading in a thousand); default 3.</summary>
    public double MinimumAlarmSurprise { get; init; } = 3;

    /// <summary>
    /// How much the second most surprising indicator adds to the most surprising one in the ensemble's surprise
    /// (0: the ensemble is the maximum over detectors). Default 1: surprises are −log10 p, so the sum is the surprise
    /// of both indicators being that unusual at once if they were independent; events that show in two indicators
    /// are caught before either alone would cross the threshold.
    /// </summary>
    public double SecondIndicatorWeight { get; init; } = 1;

    /// <summary>A detector "agrees" on a reading when its surprise reaches this (2: top 1 %); default 2.</summary>
    public double SupportSurprise { get; init; } = 2;

    /// <summary>Anomalous readings closer than this belong to one incident; an incident closes after this long without one. Default 30 minutes.</summary>
    public TimeSpan IncidentGap { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Anomalous readings (within one gap) needed before an incident opens; default 2, so a single odd reading does
    /// not page anyone (it costs one interval of delay).
    /// </summary>
    public int MinimumAnomalousReadings { get; init; } = 2;

    /// <summary>Floor of the learnt stuck-sensor limit, in readings; default 6.</summary>
    public int MinimumStuckReadings { get; init; } = 6;

    /// <summary>Floor of the learnt dropout limit, in consecutive missing readings; default 3.</summary>
    public int MinimumDropoutReadings { get; init; } = 3;

    /// <summary>How much longer than the history's longest usual run a stuck or flat run must be; default 1.5.</summary>
    public double FaultRunMargin { get; init; } = 1.5;

    /// <summary>
    /// Spread of a flatline run, in robust σ of the indicator; default 0.05 (a live sensor's noise leaves that band
    /// within a few readings; a wider band flags healthy but quiet sensors by chance).
    /// </summary>
    public double FlatlineToleranceSigmas { get; init; } = 0.05;

    /// <summary>
    /// Physical range per indicator name (matched ignoring case, spaces, '_', '-' and '.'): values outside are
    /// implausible, a sensor fault. Defaults cover pH, dissolved oxygen, temperature, COD_Mn, NH3-N, turbidity and
    /// conductivity ("TP" is left out: stations abbreviate temperature as "Tp" too).
    /// </summary>
    public IReadOnlyDictionary<string, ClassRange> PhysicalRanges { get; init; } = DefaultPhysicalRanges;

    /// <summary>Class-limit table for the rule detector; null disables the rule. Default GB 3838-2002 (DOMAIN.md).</summary>
    public WaterQualityLimits? ClassLimits { get; init; } = WaterQualityLimits.Gb3838Surface;

    /// <summary>The class a station's water should meet; default III (drinking-water source, swimming).</summary>
    public WaterClass TargetClass { get; init; } = WaterClass.III;

    /// <summary>Consecutive readings worse than the class limit before the rule fires; default 3.</summary>
    public int ClassLimitPersistence { get; init; } = 3;

    /// <summary>Longest gap a stream fills with missing readings; a longer silence restarts the station's state. Default 1 day.</summary>
    public TimeSpan MaximumGapFill { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Seed of the random starts of the robust covariance fit.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>The default physical ranges (mg/L unless noted).</summary>
    public static IReadOnlyDictionary<string, ClassRange> DefaultPhysicalRanges { get; } = new Dictionary<string, ClassRange>
    {
        ["ph"] = new(0, 14),
        ["do"] = new(0, 25),
        ["dissolvedoxygen"] = new(0, 25),
        ["temperature"] = new(-5, 50),
        ["watertemperature"] = new(-5, 50),
        ["codmn"] = new(0, null),
        ["nh3n"] = new(0, null),
        ["turbidity"] = new(0, null),
        ["conductivity"] = new(0, null),
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Positive(LevelWindow, nameof(LevelWindow));
        Positive(SeasonalBinWidth, nameof(SeasonalBinWidth));
        Positive(IncidentGap, nameof(IncidentGap));
        Positive(BayesianExpectedRun, nameof(BayesianExpectedRun));
        Positive(MaximumGapFill, nameof(MaximumGapFill));
        if (!(EwmaLambda > 0 && EwmaLambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(EwmaLambda), EwmaLambda, "must be within (0, 1]");
        }
        if (!(CusumDrift >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CusumDrift), CusumDrift, "must be non-negative");
        }
        if (!(CusumClip > CusumDrift))
        {
            throw new ArgumentOutOfRangeException(nameof(CusumClip), CusumClip, "must exceed CusumDrift");
        }
        if (!(CusumCap >= 5))
        {
            throw new ArgumentOutOfRangeException(nameof(CusumCap), CusumCap, "must be at least 5 (the CUSUM's decision interval)");
        }
        if (!(PcaExplainedVariance > 0 && PcaExplainedVariance <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(PcaExplainedVariance), PcaExplainedVariance, "must be within (0, 1]");
        }
        if (!(FalseAlertsPerWeek >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(FalseAlertsPerWeek), FalseAlertsPerWeek, "must be non-negative");
        }
        if (!(MinimumAlarmSurprise > 0 && MinimumAlarmSurprise < Numerics.TailCalibration.MaxSurprise))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumAlarmSurprise), MinimumAlarmSurprise, $"must be within (0, {Numerics.TailCalibration.MaxSurprise})");
        }
        if (!(SecondIndicatorWeight >= 0 && SecondIndicatorWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SecondIndicatorWeight), SecondIndicatorWeight, "must be within [0, 1]");
        }
        if (!(SupportSurprise > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SupportSurprise), SupportSurprise, "must be positive");
        }
        if (SeasonalMinimumDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonalMinimumDays), SeasonalMinimumDays, "must be at least 1");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumAnomalousReadings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumStuckReadings, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumDropoutReadings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ClassLimitPersistence, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BayesianMaxRunLength, 10);
        if (!(FaultRunMargin >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FaultRunMargin), FaultRunMargin, "must be at least 1");
        }
        if (!(FlatlineToleranceSigmas >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(FlatlineToleranceSigmas), FlatlineToleranceSigmas, "must be non-negative");
        }
        ArgumentNullException.ThrowIfNull(SpectralResidual, nameof(SpectralResidual));
        SpectralResidual.Validate();
        ArgumentNullException.ThrowIfNull(PhysicalRanges, nameof(PhysicalRanges));
        ArgumentNullException.ThrowIfNull(Detectors, nameof(Detectors));
        ArgumentNullException.ThrowIfNull(ConfirmingDetectors, nameof(ConfirmingDetectors));
        var faults = Detectors.Where(k => DetectorSet.Contains(DetectorSet.Faults, k)).ToList();
        if (faults.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Detectors), string.Join(", ", faults), "fault detectors always run and are not voting detectors");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "must be positive");
        }
    }

    /// <summary>Indicator names normalised the way <see cref="PhysicalRanges"/> keys are.</summary>
    internal static string NormalizeName(string name) =>
        new([.. name.Where(c => c is not (' ' or '_' or '-' or '.')).Select(char.ToLowerInvariant)]);
}
