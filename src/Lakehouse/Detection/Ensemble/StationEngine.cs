using OneMap.Lakehouse.Detection.Baselines;
using OneMap.Lakehouse.Detection.ChangePoints;
using OneMap.Lakehouse.Detection.Faults;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Lakehouse.Detection.Spectral;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// The per-station state machine behind streams and backfills: one step per time slot runs every detector on every
/// indicator, then <see cref="Combine"/> turns their raw scores into calibrated surprises and one score. Streams and
/// backfills drive the same steps, so they score alike.
/// </summary>
internal sealed class StationEngine
{
    internal const int StreamsPerIndicator = 5;
    internal const int ZStream = 0;
    internal const int EwmaStream = 1;
    internal const int CusumStream = 2;
    internal const int SpectralStream = 3;
    internal const int BayesianStream = 4;

    /// <summary>The detector behind each per-indicator stream.</summary>
    internal static readonly DetectorKind[] StreamKinds =
        [DetectorKind.RobustZScore, DetectorKind.Ewma, DetectorKind.Cusum, DetectorKind.SpectralResidual, DetectorKind.BayesianChangePoint];

    private readonly StationModel _model;
    private readonly int _d;
    private readonly int _levelSlots;
    private readonly RobustBaseline[] _baselines;
    private readonly EwmaChart[] _ewma;
    private readonly Cusum[] _cusum;
    private readonly StreamingSpectralResidual?[] _spectral;
    private readonly BayesianOnlineChangePoint?[] _bayesian;
    private readonly SensorFaultMonitor[] _faults;
    private readonly ClassLimitRule?[] _rules;
    private readonly double[] _pcaScratch;
    private readonly double[] _zVector;
    private readonly double[] _pendingLevel; // what each indicator's level window learns from this slot
    private readonly int[] _frozen; // consecutive slots an indicator's level stayed frozen during an alarm
    private readonly bool[] _confirming; // per stream: only confirms another detector's finding
    private readonly bool _lazySpectral; // Spectral Residual scored only when its confirmation can matter
    private readonly bool[] _spectralPending; // per indicator: the newest reading's SR score is still to compute

    public StationEngine(StationModel model)
    {
        _model = model;
        _d = model.Indicators.Count;
        var options = model.Options;
        _levelSlots = Math.Max(3, (int)Math.Round(options.LevelWindow / model.Interval));
        _baselines = new RobustBaseline[_d];
        _ewma = new EwmaChart[_d];
        _cusum = new Cusum[_d];
        _spectral = new StreamingSpectralResidual?[_d];
        _bayesian = new BayesianOnlineChangePoint?[_d];
        _faults = new SensorFaultMonitor[_d];
        _rules = new ClassLimitRule?[_d];
        for (var i = 0; i < _d; i++)
        {
            var m = model.PerIndicator[i];
            _baselines[i] = new RobustBaseline(m.Profile, m.Sigma, _levelSlots);
            _ewma[i] = new EwmaChart(options.EwmaLambda);
            _cusum[i] = new Cusum(options.CusumDrift, threshold: 5, options.CusumClip, CusumCap(model, m, options));
            _spectral[i] = options.Uses(DetectorKind.SpectralResidual) ? new StreamingSpectralResidual(options.SpectralResidual) : null;
            _faults[i] = new SensorFaultMonitor(m.FaultLimits);
            _rules[i] = m.ClassLimits is null || !options.Uses(DetectorKind.ClassLimit) ? null : new ClassLimitRule(m.ClassLimits, m.EnforcedClass, options.ClassLimitPersistence);
        }
        Raw = new double[_d * StreamsPerIndicator + 2];
        Z = new double[_d];
        Values = new double[_d];
        Baseline = new double[_d];
        RuleExceedance = new double[_d];
        Fault = new DetectorKind?[_d];
        FaultAge = new int[_d];
        Surprise = new double[Raw.Length];
        _zVector = new double[_d];
        _pendingLevel = new double[_d];
        _confirming = [.. StreamKinds.Select(options.ConfirmingDetectors.Contains)];
        // A confirming Spectral Residual only matters when another detector already finds the indicator unusual
        // (one reading in a hundred or so), so a calibrated model transforms the window only then; learning needs
        // every reading's score, to calibrate it.
        _lazySpectral = _confirming[SpectralStream] && double.IsFinite(model.AlarmSurprise);
        _spectralPending = new bool[_d];
        _frozen = new int[_d];
        _pcaScratch = new double[Math.Max(1, model.Pca?.Components ?? 1)];
        ResetPriors();
    }

    public StationModel Model => _model;

    /// <summary>Raw detector scores of the last step: indicator i's stream s at [i·5 + s]; T² and SPE last. NaN: no score.</summary>
    public double[] Raw { get; }

    /// <summary>Surprises of the last <see cref="Combine"/>, same layout as <see cref="Raw"/>.</summary>
    public double[] Surprise { get; }

    /// <summary>Signed robust z of each indicator at the last step (NaN: missing, at fault or warming up).</summary>
    public double[] Z { get; }

    public double[] Values { get; }

    public double[] Baseline { get; }

    public double[] RuleExceedance { get; }

    public DetectorKind?[] Fault { get; }

    public int[] FaultAge { get; }

    /// <summary>The worst water class among indicators whose class-limit rule fired at the last combine; null if none.</summary>
    public WaterClass? WorstRuleClass { get; private set; }

    /// <summary>Runs every detector on one slot's readings (NaN = missing), in model indicator order.</summary>
    public void Step(DateTimeOffset time, ReadOnlySpan<double> values)
    {
        var timeOfDay = time.TimeOfDay;
        var anyZ = false;
        for (var i = 0; i < _d; i++)
        {
            var x = values[i];
            Values[i] = x;
            _spectralPending[i] = false;
            var m = _model.PerIndicator[i];
            var baseline = _baselines[i];
            var offset = m.Profile.Bins == 1 ? m.Profile.Offsets[0] : m.Profile.OffsetAt(timeOfDay);
            var level = baseline.Level;
            Baseline[i] = level + offset;
            var fault = _faults[i].Push(x);
            Fault[i] = fault;
            FaultAge[i] = _faults[i].FaultAge;
            var o = i * StreamsPerIndicator;
            if (fault is not null || !double.IsFinite(x))
            {
                // A reading the fault detectors reject, or a missing one, tells nothing about the water: the level
                // window keeps the last good readings and the spectral window sees the baseline instead.
                Z[i] = double.NaN;
                _pendingLevel[i] = double.NaN;
                PushSpectral(i, level);
                Raw[o + ZStream] = double.NaN;
                Raw[o + EwmaStream] = double.NaN;
                Raw[o + CusumStream] = double.NaN;
                Raw[o + SpectralStream] = double.NaN;
                Raw[o + BayesianStream] = double.NaN;
                RuleExceedance[i] = _rules[i]?.Push(double.NaN) ?? 0;
                continue;
            }
            var deseasonalised = x - offset;
            var z = (deseasonalised - level) / m.Sigma;
            _pendingLevel[i] = deseasonalised;
            var spectral = PushSpectral(i, deseasonalised);
            var bayesian = _bayesian[i]?.Push(deseasonalised / m.Sigma) ?? double.NaN;
            RuleExceedance[i] = _rules[i]?.Push(x) ?? 0;
            Z[i] = z;
            if (double.IsNaN(z))
            {
                // Warming up: the level window is not full enough yet.
                Raw[o + ZStream] = double.NaN;
                Raw[o + EwmaStream] = double.NaN;
                Raw[o + CusumStream] = double.NaN;
                Raw[o + SpectralStream] = double.NaN;
                Raw[o + BayesianStream] = double.NaN;
                continue;
            }
            anyZ = true;
            Raw[o + ZStream] = Math.Abs(z);
            Raw[o + EwmaStream] = _ewma[i].Push(z);
            Raw[o + CusumStream] = _cusum[i].Push(z);
            Raw[o + SpectralStream] = _spectral[i] is { IsWarm: true } ? spectral : double.NaN;
            _spectralPending[i] = _lazySpectral && _spectral[i] is { IsWarm: true };
            // P(r < w) is bounded by 1, which a heavy-tailed calibration may put out of reach; −log10(1 − P) is not.
            Raw[o + BayesianStream] = double.IsNaN(bayesian) ? double.NaN : -Math.Log10(Math.Max(1 - bayesian, 1e-12));
        }

        var t2 = _d * StreamsPerIndicator;
        if (_model.Pca is { } pca && anyZ)
        {
            for (var i = 0; i < _d; i++)
            {
                _zVector[i] = MultivariateInput(Z[i], _model.PerIndicator[i].Streams[ZStream]);
            }
            var (t2Value, spe) = pca.Score(_zVector, _pcaScratch);
            Raw[t2] = t2Value;
            Raw[t2 + 1] = spe;
        }
        else
        {
            Raw[t2] = double.NaN;
            Raw[t2 + 1] = double.NaN;
        }
    }

    /// <summary>
    /// Feeds the indicator's spectral window and returns the score available now: for a confirming detector with a
    /// calibrated model none yet (<see cref="Combine"/> computes it when it can matter); while learning, the score of
    /// the window ending with the reading; for a voting detector, the streaming detector's own (with its hop).
    /// </summary>
    private double PushSpectral(int i, double value)
    {
        var spectral = _spectral[i];
        if (spectral is null)
        {
            return double.NaN;
        }
        if (_confirming[SpectralStream])
        {
            // A confirming detector is always scored in the window ending with the reading (the paper's rule), and
            // with a calibrated model only on demand.
            spectral.Add(value);
            return _lazySpectral ? double.NaN : spectral.ScoreNewest();
        }
        return spectral.Push(value);
    }

    /// <summary>
    /// What the multivariate detector sees of an indicator: its z-score's surprise under the indicator's own
    /// calibration, as a signed normal deviate (0 when missing, at fault or warming up).
    /// </summary>
    internal static double MultivariateInput(double z, Numerics.TailCalibration? calibration)
    {
        if (!double.IsFinite(z) || calibration is null)
        {
            return 0;
        }
        var u = Numerics.NormalScore.FromSurprise(calibration.Surprise(Math.Abs(z)));
        return z < 0 ? -u : u;
    }

    /// <summary>
    /// Turns the last step's raw scores into surprises and one scored reading, scaled by the model's alarm threshold
    /// (while that is still being learnt, NaN, the score is the bare surprise). <paramref name="ruleFired"/> says whether
    /// a class limit was broken, <paramref name="ruleScore"/> by how much (1 + relative exceedance).
    /// </summary>
    public ScoredReading Combine(DateTimeOffset time, out bool ruleFired, out double ruleScore)
    {
        var support = _model.Options.SupportSurprise;
        var threshold = _model.AlarmSurprise;
        double best = 0, second = 0;
        uint indicators = 0;
        uint faults = 0;
        ushort detectors = 0;
        ruleFired = false;
        ruleScore = 0;
        WorstRuleClass = null;
        var top = -1;
        double topAbs = -1;
        var topContributing = false;
        for (var i = 0; i < _d; i++)
        {
            var o = i * StreamsPerIndicator;
            var streams = _model.PerIndicator[i].Streams;
            if (Fault[i] is { } fault)
            {
                faults |= 1u << i;
                detectors |= DetectorSet.Of(fault);
                for (var s = 0; s < StreamsPerIndicator; s++)
                {
                    Surprise[o + s] = 0;
                }
                continue;
            }
            var contributing = false;
            double indicatorBest = 0, confirming = 0;
            for (var s = 0; s < StreamsPerIndicator; s++)
            {
                var calibration = streams[s];
                var surprise = calibration is null ? 0 : calibration.Surprise(Raw[o + s]);
                Surprise[o + s] = surprise;
                if (_confirming[s])
                {
                    confirming = Math.Max(confirming, surprise);
                }
                else if (surprise > indicatorBest)
                {
                    indicatorBest = surprise;
                }
            }
            // A confirming detector (Spectral Residual by default) raises an indicator's evidence only when another
            // detector already finds the indicator unusual, and by at most one order of magnitude: alone, its
            // heavy-tailed score alarms on noise.
            if (indicatorBest >= support && _spectralPending[i])
            {
                _spectralPending[i] = false;
                Raw[o + SpectralStream] = _spectral[i]!.ScoreNewest();
                var surprise = streams[SpectralStream]?.Surprise(Raw[o + SpectralStream]) ?? 0;
                Surprise[o + SpectralStream] = surprise;
                confirming = Math.Max(confirming, surprise);
            }
            if (indicatorBest >= support && confirming > indicatorBest)
            {
                indicatorBest = Math.Min(confirming, indicatorBest + 1);
            }
            for (var s = 0; s < StreamsPerIndicator; s++)
            {
                if (Surprise[o + s] >= support && (!_confirming[s] || indicatorBest >= support))
                {
                    contributing = true;
                    detectors |= DetectorSet.Of(StreamKinds[s]);
                }
            }
            if (indicatorBest > best)
            {
                second = best;
                best = indicatorBest;
            }
            else if (indicatorBest > second)
            {
                second = indicatorBest;
            }
            if (RuleExceedance[i] > 0)
            {
                contributing = true;
                ruleFired = true;
                detectors |= DetectorSet.Of(DetectorKind.ClassLimit);
                ruleScore = Math.Max(ruleScore, 1 + RuleExceedance[i]);
                var waterClass = _rules[i]!.Classify(Values[i]);
                if (WorstRuleClass is null || waterClass > WorstRuleClass)
                {
                    WorstRuleClass = waterClass;
                }
            }
            if (contributing)
            {
                indicators |= 1u << i;
            }
            var abs = Math.Abs(Z[i]);
            if (double.IsFinite(abs) && (contributing && !topContributing || contributing == topContributing && abs > topAbs))
            {
                top = i;
                topAbs = abs;
                topContributing = contributing;
            }
        }
        var t2 = _d * StreamsPerIndicator;
        Surprise[t2] = _model.T2?.Surprise(Raw[t2]) ?? 0;
        Surprise[t2 + 1] = _model.Spe?.Surprise(Raw[t2 + 1]) ?? 0;
        var multivariate = Math.Max(Surprise[t2], Surprise[t2 + 1]);
        // Evidence from a second indicator adds to the first: two indicators each unusual at once is rarer than
        // either alone. The multivariate detector already weighs indicators jointly, so it competes on its own.
        best = Math.Max(best + _model.Options.SecondIndicatorWeight * second, multivariate);
        if (multivariate >= support)
        {
            detectors |= DetectorSet.Of(DetectorKind.Multivariate);
            // The indicators that moved most explain a multivariate vote.
            for (var i = 0; i < _d; i++)
            {
                if (Math.Abs(Z[i]) >= 2)
                {
                    indicators |= 1u << i;
                }
            }
        }
        var score = double.IsNaN(threshold) ? best : best / threshold;
        if (ruleFired)
        {
            score = Math.Max(score, ruleScore);
        }
        var kind = score >= 1 ? AnomalyKind.Pollution : faults != 0 ? AnomalyKind.SensorFault : AnomalyKind.None;
        return new ScoredReading(time, (float)score, (float)best, kind, indicators, detectors, faults, (sbyte)top,
            top >= 0 ? (float)Z[top] : 0f);
    }

    /// <summary>
    /// Ends a slot: a CUSUM that took part in a pollution alarm restarts, and each indicator's level window learns
    /// the slot's reading, except an indicator that is part of a pollution alarm (<paramref name="reading"/> scored
    /// ≥ 1 with it contributing) inside an open incident (<paramref name="incidentOpen"/>): its level stays frozen for
    /// at most one level window, and its spectral window gets the baseline instead of the reading. A long incident
    /// then keeps being measured against the clean baseline before it rather than teaching the baselines the
    /// pollution (and alarming again when the water recovers); a lasting change still becomes the new normal after
    /// one window. Without a reading (while learning) every indicator learns. Missing and faulty readings are not
    /// learnt at all: the window keeps the last good level.
    /// </summary>
    public void Commit(in ScoredReading? reading, bool incidentOpen)
    {
        var support = _model.Options.SupportSurprise;
        for (var i = 0; i < _d; i++)
        {
            if (reading is { Score: >= 1 } alarm && (alarm.Indicators & (1u << i)) != 0 && Surprise[i * StreamsPerIndicator + CusumStream] >= support)
            {
                // As in the classical chart, a CUSUM restarts once it has signalled: its evidence is in the alarm, and
                // a restarted chart cannot keep an incident alive for hours after the water recovered.
                _cusum[i].Reset();
            }
            if (incidentOpen && reading is { } r && r.Score >= 1 && (r.Indicators & (1u << i)) != 0 && !double.IsNaN(_pendingLevel[i]) && _frozen[i] < _levelSlots)
            {
                _frozen[i]++;
                _spectral[i]?.ReplaceLast(_baselines[i].Level);
                continue;
            }
            _frozen[i] = 0;
            if (!double.IsNaN(_pendingLevel[i]))
            {
                _baselines[i].Learn(_pendingLevel[i], 0);
            }
        }
    }

    /// <summary>
    /// The CUSUM's cap: with a calibrated model, 1.2 times the raw CUSUM that alone reaches the alarm threshold, so a
    /// side charged by an incident falls back below the alarm level within a few readings of its end; while learning,
    /// the configured cap.
    /// </summary>
    private static double CusumCap(StationModel model, IndicatorModel indicator, EnsembleOptions options)
    {
        var calibration = indicator.Streams[CusumStream];
        if (calibration is null || !double.IsFinite(model.AlarmSurprise))
        {
            return options.CusumCap;
        }
        return Math.Clamp(1.2 * calibration.RawAt(model.AlarmSurprise), 5, options.CusumCap);
    }

    /// <summary>The explanation of the last combined reading.</summary>
    public Explanation Explain(in ScoredReading reading)
    {
        var names = _model.Indicators;
        var chosen = new List<int>();
        for (var i = 0; i < _d; i++)
        {
            if ((reading.Indicators & (1u << i)) != 0)
            {
                chosen.Add(i);
            }
        }
        if (chosen.Count == 0)
        {
            chosen.AddRange(Enumerable.Range(0, _d).Where(i => double.IsFinite(Z[i])).OrderByDescending(i => Math.Abs(Z[i])).Take(3));
        }
        var deviations = chosen
            .OrderByDescending(i => double.IsFinite(Z[i]) ? Math.Abs(Z[i]) : -1)
            .Select(i => new IndicatorDeviation(names[i], Values[i], Baseline[i], Z[i],
                _rules[i] is { } rule && double.IsFinite(Values[i]) ? rule.Classify(Values[i]) : null))
            .ToList();
        var support = _model.Options.SupportSurprise;
        var votes = new List<DetectorVote>();
        for (var i = 0; i < _d; i++)
        {
            for (var s = 0; s < StreamsPerIndicator; s++)
            {
                var o = i * StreamsPerIndicator + s;
                if (Surprise[o] >= support)
                {
                    votes.Add(new DetectorVote(StreamKinds[s], names[i], Surprise[o], Raw[o]));
                }
            }
            if (RuleExceedance[i] > 0 && Fault[i] is null)
            {
                votes.Add(new DetectorVote(DetectorKind.ClassLimit, names[i], TailSurpriseCap, RuleExceedance[i]));
            }
        }
        var t2 = _d * StreamsPerIndicator;
        for (var s = 0; s < 2; s++)
        {
            if (Surprise[t2 + s] >= support)
            {
                votes.Add(new DetectorVote(DetectorKind.Multivariate, null, Surprise[t2 + s], Raw[t2 + s]));
            }
        }
        votes.Sort((a, b) => b.Surprise.CompareTo(a.Surprise));
        var faults = new List<FaultNote>();
        for (var i = 0; i < _d; i++)
        {
            if (Fault[i] is { } fault)
            {
                faults.Add(new FaultNote(names[i], fault, reading.Time - _model.Interval * Math.Max(0, FaultAge[i] - 1)));
            }
        }
        return new Explanation(deviations, votes, faults);
    }

    // A class-limit violation is not a probability; its vote carries the largest surprise so it sorts first.
    private const double TailSurpriseCap = Numerics.TailCalibration.MaxSurprise;

    /// <summary>Forgets all state (a station silent for longer than the gap fill starts afresh).</summary>
    public void Reset()
    {
        for (var i = 0; i < _d; i++)
        {
            _frozen[i] = 0;
            _baselines[i].Reset();
            _ewma[i].Reset();
            _cusum[i].Reset();
            _spectral[i]?.Reset();
            _faults[i].Reset();
            _rules[i]?.Reset();
        }
        ResetPriors();
    }

    private void ResetPriors()
    {
        if (!_model.Options.Uses(DetectorKind.BayesianChangePoint))
        {
            return;
        }
        var hazardRun = Math.Max(2, _model.Options.BayesianExpectedRun / _model.Interval);
        for (var i = 0; i < _d; i++)
        {
            // The change-point model sees deseasonalised readings in σ units; its prior is centred on the indicator's
            // typical level in the history, which the first readings of a run then refine.
            var m = _model.PerIndicator[i];
            _bayesian[i] = new BayesianOnlineChangePoint(hazardRun, m.TypicalLevel / m.Sigma, 1, _model.Options.BayesianMaxRunLength);
        }
    }
}
