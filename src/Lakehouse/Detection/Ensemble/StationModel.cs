using OneMap.Lakehouse.Detection.Baselines;
using OneMap.Lakehouse.Detection.Faults;
using OneMap.Lakehouse.Detection.Multivariate;
using OneMap.Lakehouse.Detection.Numerics;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// Everything the ensemble learnt about one station from its history: per indicator the diurnal profile, the robust
/// σ, the sensor-fault limits, the class the limit rule enforces and the tail calibration of every detector's score;
/// for the station the robust PCA and the alarm threshold that keeps the learning period within the false-alert
/// budget. Immutable; streams and backfills of the station share it.
/// </summary>
public sealed class StationModel
{
    internal StationModel(string station, IReadOnlyList<string> indicators, TimeSpan interval, DateTimeOffset learnedFrom,
        int learningReadings, EnsembleOptions options, IndicatorModel[] perIndicator, PcaResidualModel? pca,
        TailCalibration? t2, TailCalibration? spe, double alarmSurprise)
    {
        Station = station;
        Indicators = indicators;
        Interval = interval;
        LearnedFrom = learnedFrom;
        LearningReadings = learningReadings;
        Options = options;
        PerIndicator = perIndicator;
        Pca = pca;
        T2 = t2;
        Spe = spe;
        AlarmSurprise = alarmSurprise;
    }

    public string Station { get; }

    /// <summary>Indicator names in the order readings are given.</summary>
    public IReadOnlyList<string> Indicators { get; }

    /// <summary>Time between readings.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Start of the learning period; its grid (start + k·interval) is the grid streams align readings to.</summary>
    public DateTimeOffset LearnedFrom { get; }

    /// <summary>Readings (time slots) in the learning period.</summary>
    public int LearningReadings { get; }

    /// <summary>End of the learning period (exclusive).</summary>
    public DateTimeOffset LearnedUntil => LearnedFrom + Interval * LearningReadings;

    public EnsembleOptions Options { get; }

    /// <summary>
    /// The alarm threshold as a surprise (−log10 p on the learning period): the lowest at or above
    /// <see cref="EnsembleOptions.MinimumAlarmSurprise"/> that kept the learning period within
    /// <see cref="EnsembleOptions.FalseAlertsPerWeek"/>. A reading's score is its surprise divided by this.
    /// </summary>
    public double AlarmSurprise { get; }

    /// <summary>Components the multivariate detector keeps; 0 when it does not vote.</summary>
    public int MultivariateComponents => Pca?.Components ?? 0;

    /// <summary>What was learnt per indicator, in readable form.</summary>
    public IReadOnlyList<IndicatorCalibration> Calibration =>
    [
        .. PerIndicator.Select((m, i) => new IndicatorCalibration(
            Indicators[i], m.Sigma, m.Resolution, m.Profile.Amplitude, m.FaultLimits, m.ClassLimits is null ? null : m.EnforcedClass,
            StationEngine.StreamKinds
                .Select((kind, s) => (kind, cal: m.Streams[s]))
                .Where(p => p.cal is not null && double.IsFinite(AlarmSurprise))
                .ToDictionary(p => p.kind, p => p.cal!.RawAt(AlarmSurprise)))),
    ];

    internal IndicatorModel[] PerIndicator { get; }

    internal PcaResidualModel? Pca { get; }

    internal TailCalibration? T2 { get; }

    internal TailCalibration? Spe { get; }

    /// <summary>
    /// Learns a station's model from its history. Readings flagged in <paramref name="knownIncidents"/> (past
    /// incidents an operator confirmed, or labelled events), and the level window after each, are left out of every
    /// estimate and of the false-alert count; without labels, past incidents in the history only make the calibration
    /// more conservative.
    /// </summary>
    /// <param name="history">The learning period, on the station's grid.</param>
    /// <param name="options">Ensemble options; defaults when null.</param>
    /// <param name="knownIncidents">One flag per slot of <paramref name="history"/>, or empty.</param>
    /// <exception cref="InsufficientHistoryException">The history is too short or too empty to calibrate.</exception>
    public static StationModel Learn(StationSeries history, EnsembleOptions? options = null, ReadOnlySpan<bool> knownIncidents = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new EnsembleOptions();
        options.Validate();
        if (!knownIncidents.IsEmpty && knownIncidents.Length != history.Length)
        {
            throw new InvalidSeriesException($"station {history.Station}: {knownIncidents.Length} incident flags for {history.Length} readings");
        }
        return StationModelTrainer.Learn(history, options, knownIncidents.IsEmpty ? new bool[history.Length] : knownIncidents.ToArray());
    }

    internal StationModel With(IndicatorModel[] perIndicator, PcaResidualModel? pca, TailCalibration? t2, TailCalibration? spe, double alarmSurprise) =>
        new(Station, Indicators, Interval, LearnedFrom, LearningReadings, Options, perIndicator, pca, t2, spe, alarmSurprise);

    /// <summary>Throws when <paramref name="series"/> does not carry this model's indicators, in order, at its interval.</summary>
    internal void CheckCompatible(StationSeries series)
    {
        if (series.Interval != Interval)
        {
            throw new InvalidSeriesException($"station {Station}: series interval {series.Interval} differs from the model's {Interval}");
        }
        if (!series.Indicators.SequenceEqual(Indicators, StringComparer.Ordinal))
        {
            throw new InvalidSeriesException(
                $"station {Station}: series indicators [{string.Join(", ", series.Indicators)}] differ from the model's [{string.Join(", ", Indicators)}]");
        }
    }
}

/// <summary>What a station model learnt for one indicator.</summary>
/// <param name="Indicator">Indicator name.</param>
/// <param name="RobustSigma">Robust σ of deviations from baseline (MAD-based, floored by the resolution).</param>
/// <param name="Resolution">Instrument resolution seen in the readings (0: continuous).</param>
/// <param name="DiurnalAmplitude">Peak-to-trough amplitude of the learnt diurnal profile (0: none learnt).</param>
/// <param name="FaultLimits">Sensor-fault limits.</param>
/// <param name="EnforcedClass">Class the limit rule enforces; null when the limits table does not know the indicator.</param>
/// <param name="AlarmRaw">Per detector, the raw score that alone reaches the station's alarm threshold.</param>
public sealed record IndicatorCalibration(
    string Indicator,
    double RobustSigma,
    double Resolution,
    double DiurnalAmplitude,
    SensorFaultLimits FaultLimits,
    WaterClass? EnforcedClass,
    IReadOnlyDictionary<DetectorKind, double> AlarmRaw);

/// <summary>The learnt parameters of one indicator (internal working form).</summary>
internal sealed record IndicatorModel(
    SeasonalProfile Profile,
    double TypicalLevel,
    double Sigma,
    double Resolution,
    SensorFaultLimits FaultLimits,
    IndicatorClassLimits? ClassLimits,
    WaterClass EnforcedClass,
    TailCalibration?[] Streams);
