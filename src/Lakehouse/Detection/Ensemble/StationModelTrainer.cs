using OneMap.Lakehouse.Detection.Baselines;
using OneMap.Lakehouse.Detection.Faults;
using OneMap.Lakehouse.Detection.Multivariate;
using OneMap.Lakehouse.Detection.Numerics;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// Learns a <see cref="StationModel"/> in four passes over the history: (1) per indicator the resolution, stuck and
/// dropout limits and the diurnal profile; (2) the robust σ of deviations from the rolling level, then the flatline
/// limits; (3) every detector's raw score, the robust PCA of the deviations and each score's tail calibration;
/// (4) the ensemble's surprise per reading and the lowest alarm threshold within the false-alert budget.
/// Passes 2–4 run the same <see cref="StationEngine"/> that scores later, so learning and scoring agree exactly.
/// </summary>
internal static class StationModelTrainer
{
    private const double ThresholdStep = 0.05;

    public static StationModel Learn(StationSeries history, EnsembleOptions options, bool[] excluded)
    {
        var d = history.Indicators.Count;
        var n = history.Length;
        var levelSlots = Math.Max(3, (int)Math.Round(options.LevelWindow / history.Interval));
        excluded = WithAftermath(excluded, levelSlots);
        var needed = Math.Max(100, 3 * levelSlots);
        if (n < needed)
        {
            throw new InsufficientHistoryException(
                $"station {history.Station}: {n} readings of history, at least {needed} needed (3 level windows of {options.LevelWindow})");
        }

        // Pass 1: what each indicator's readings look like on their own.
        var resolution = new double[d];
        var ranges = new ClassRange?[d];
        var profiles = new SeasonalProfile[d];
        var typical = new double[d];
        var provisional = new IndicatorModel[d];
        for (var i = 0; i < d; i++)
        {
            var column = Kept(history.Column(i), excluded);
            resolution[i] = RobustStatistics.Resolution(column);
            ranges[i] = options.PhysicalRanges.GetValueOrDefault(EnsembleOptions.NormalizeName(history.Indicators[i]));
            profiles[i] = SeasonalProfile.Learn(history.Column(i), history.Start, history.Interval, options.SeasonalBinWidth,
                options.SeasonalMinimumDays, excluded);
            typical[i] = RobustStatistics.Median(column);
            if (!double.IsFinite(typical[i]))
            {
                throw new InsufficientHistoryException($"station {history.Station}: indicator {history.Indicators[i]} has no reading in the learning period");
            }
            var stuckOnly = SensorFaultLimits.Learn(history.Column(i), excluded, 0, options.MinimumStuckReadings, options.MinimumDropoutReadings,
                options.FaultRunMargin, ranges[i]?.Minimum, ranges[i]?.Maximum);
            provisional[i] = new IndicatorModel(profiles[i], typical[i], 1, resolution[i], stuckOnly, null, WaterClass.V,
                new TailCalibration?[StationEngine.StreamsPerIndicator]);
        }
        var model = new StationModel(history.Station, history.Indicators, history.Interval, history.Start, n, options, provisional,
            null, null, null, double.NaN);

        // Pass 2: deviations from the rolling level with σ = 1 give the robust σ.
        var deviations = new List<double>[d];
        for (var i = 0; i < d; i++)
        {
            deviations[i] = [];
        }
        var engine = new StationEngine(model);
        var row = new double[d];
        for (var t = 0; t < n; t++)
        {
            Row(history, t, row);
            engine.Step(history.TimeAt(t), row);
            engine.Commit(null, incidentOpen: false);
            if (excluded[t])
            {
                continue;
            }
            for (var i = 0; i < d; i++)
            {
                if (double.IsFinite(engine.Z[i]))
                {
                    deviations[i].Add(engine.Z[i]);
                }
            }
        }
        var perIndicator = new IndicatorModel[d];
        for (var i = 0; i < d; i++)
        {
            if (deviations[i].Count < 20)
            {
                throw new InsufficientHistoryException(
                    $"station {history.Station}: indicator {history.Indicators[i]} has {deviations[i].Count} usable readings in the learning period, at least 20 needed");
            }
            var values = deviations[i].ToArray();
            var sigma = RobustStatistics.MadSigma(values, RobustStatistics.Median(values));
            var column = Kept(history.Column(i), excluded);
            var sorted = RobustStatistics.SortedFinite(column);
            var spread = RobustStatistics.QuantileOfSorted(sorted, 0.75) - RobustStatistics.QuantileOfSorted(sorted, 0.25);
            // Rounded readings that rarely change have a MAD of zero; one step of the instrument is then one σ.
            // Noise-free series get a floor tied to their scale so that z-scores stay finite.
            var floor = Math.Max(resolution[i], Math.Max(1e-6 * Math.Max(Math.Abs(typical[i]), spread), 1e-12));
            sigma = Math.Max(double.IsFinite(sigma) ? sigma : 0, floor);
            var limits = SensorFaultLimits.Learn(history.Column(i), excluded, options.FlatlineToleranceSigmas * sigma, options.MinimumStuckReadings,
                options.MinimumDropoutReadings, options.FaultRunMargin, ranges[i]?.Minimum, ranges[i]?.Maximum);
            var classLimits = options.ClassLimits?.Find(history.Indicators[i]);
            var enforced = classLimits is null ? options.TargetClass : ClassLimitRule.UsualClass(classLimits, column, options.TargetClass);
            if (enforced == WaterClass.WorseThanV)
            {
                // A history that is mostly worse than class V (or a name that matched the wrong indicator) leaves the
                // rule nothing to enforce.
                classLimits = null;
            }
            perIndicator[i] = new IndicatorModel(profiles[i], typical[i], sigma, resolution[i], limits, classLimits, enforced,
                new TailCalibration?[StationEngine.StreamsPerIndicator]);
        }
        model = model.With(perIndicator, null, null, null, double.NaN);

        // Pass 3: raw scores of every detector, and the deviations the multivariate model is fitted on.
        var streams = d * StationEngine.StreamsPerIndicator;
        var raw = new double[streams][];
        for (var s = 0; s < streams; s++)
        {
            raw[s] = new double[n];
        }
        var zRows = new List<double[]>();
        var zAll = new double[n][];
        engine = new StationEngine(model);
        for (var t = 0; t < n; t++)
        {
            Row(history, t, row);
            engine.Step(history.TimeAt(t), row);
            engine.Commit(null, incidentOpen: false);
            for (var s = 0; s < streams; s++)
            {
                raw[s][t] = excluded[t] ? double.NaN : engine.Raw[s];
            }
            var z = new double[d];
            var complete = true;
            var any = false;
            for (var i = 0; i < d; i++)
            {
                z[i] = engine.Z[i];
                complete &= double.IsFinite(z[i]);
                any |= double.IsFinite(z[i]);
            }
            zAll[t] = any ? z : null!;
            if (complete && !excluded[t])
            {
                zRows.Add(z);
            }
        }
        for (var i = 0; i < d; i++)
        {
            for (var s = 0; s < StationEngine.StreamsPerIndicator; s++)
            {
                perIndicator[i].Streams[s] = options.Uses(StationEngine.StreamKinds[s])
                    ? FitOrNull(raw[i * StationEngine.StreamsPerIndicator + s])
                    : null;
            }
        }

        PcaResidualModel? pca = null;
        TailCalibration? t2Calibration = null, speCalibration = null;
        if (options.Uses(DetectorKind.Multivariate) && d >= 2 && zRows.Count >= Math.Max(50, 10 * d)
            && perIndicator.All(m => m.Streams[StationEngine.ZStream] is not null))
        {
            // The model is fitted on each indicator's deviations mapped through its own tail calibration (normal
            // scores), the same inputs the engine gives it when scoring.
            var inputs = zRows.Select(z => z.Select((v, i) => StationEngine.MultivariateInput(v, perIndicator[i].Streams[StationEngine.ZStream])).ToArray()).ToList();
            pca = PcaResidualModel.Fit(inputs, options.PcaExplainedVariance, options.Seed);
            var t2 = new double[n];
            var spe = new double[n];
            var imputed = new double[d];
            for (var t = 0; t < n; t++)
            {
                if (zAll[t] is null || excluded[t])
                {
                    t2[t] = spe[t] = double.NaN;
                    continue;
                }
                for (var i = 0; i < d; i++)
                {
                    imputed[i] = StationEngine.MultivariateInput(zAll[t][i], perIndicator[i].Streams[StationEngine.ZStream]);
                }
                (t2[t], spe[t]) = pca.Score(imputed);
            }
            t2Calibration = FitOrNull(t2);
            speCalibration = FitOrNull(spe);
        }
        model = model.With(perIndicator, pca, t2Calibration, speCalibration, double.NaN);

        // Pass 4: the ensemble's surprise per reading, and the alarm threshold within the false-alert budget.
        var surprise = new double[n];
        engine = new StationEngine(model);
        for (var t = 0; t < n; t++)
        {
            Row(history, t, row);
            engine.Step(history.TimeAt(t), row);
            var reading = engine.Combine(history.TimeAt(t), out var ruleFired, out _);
            engine.Commit(null, incidentOpen: false);
            // Class-limit violations alarm whatever the threshold; they are not false alerts of the detectors.
            surprise[t] = excluded[t] || ruleFired ? double.NaN : reading.Surprise;
        }
        var weeks = n * history.Interval / TimeSpan.FromDays(7);
        var budget = options.FalseAlertsPerWeek * weeks;
        var gapSlots = Math.Max(1, (int)Math.Round(options.IncidentGap / history.Interval));
        var threshold = ChooseThreshold(surprise, excluded, budget, gapSlots, options.MinimumAnomalousReadings, options.MinimumAlarmSurprise);
        return model.With(perIndicator, pca, t2Calibration, speCalibration, threshold);
    }

    /// <summary>
    /// The lowest threshold (scanning down from the surprise cap in steps of 0.05) such that it and every threshold
    /// above it leave at most <paramref name="budget"/> incidents on the learning period.
    /// </summary>
    internal static double ChooseThreshold(double[] surprise, bool[] excluded, double budget, int gapSlots, int minimumReadings, double floor)
    {
        var chosen = TailCalibration.MaxSurprise;
        for (var threshold = TailCalibration.MaxSurprise; threshold >= floor - 1e-9; threshold -= ThresholdStep)
        {
            if (CountIncidents(surprise, excluded, threshold, gapSlots, minimumReadings) > budget)
            {
                break;
            }
            chosen = threshold;
        }
        return Math.Max(chosen, floor);
    }

    /// <summary>Incidents the grouping would open at <paramref name="threshold"/>, not counting those touching excluded readings.</summary>
    internal static int CountIncidents(double[] surprise, bool[] excluded, double threshold, int gapSlots, int minimumReadings)
    {
        var count = 0;
        var last = int.MinValue / 2;
        var members = 0;
        var touchesExcluded = false;
        var lastExcluded = int.MinValue / 2;
        for (var t = 0; t < surprise.Length; t++)
        {
            if (excluded[t])
            {
                lastExcluded = t;
            }
            if (!(surprise[t] >= threshold))
            {
                continue;
            }
            if (t - last > gapSlots)
            {
                if (members >= minimumReadings && !touchesExcluded)
                {
                    count++;
                }
                members = 0;
                touchesExcluded = t - lastExcluded <= gapSlots;
            }
            members++;
            last = t;
        }
        if (members >= minimumReadings && !touchesExcluded)
        {
            count++;
        }
        return count;
    }

    /// <summary>
    /// Known incidents plus one level window after each: the readings right after an incident are judged against a
    /// rolling level that still contains it, so they are not what normal looks like either.
    /// </summary>
    private static bool[] WithAftermath(bool[] excluded, int window)
    {
        var widened = (bool[])excluded.Clone();
        for (var t = 1; t < excluded.Length; t++)
        {
            if (excluded[t - 1] && !excluded[t])
            {
                for (var k = t; k < Math.Min(excluded.Length, t + window); k++)
                {
                    widened[k] = true;
                }
            }
        }
        return widened;
    }

    private static TailCalibration? FitOrNull(double[] raw)
    {
        try
        {
            return TailCalibration.Fit(raw);
        }
        catch (InsufficientHistoryException)
        {
            // A detector that never scored during learning (switched off, or never warm) does not vote.
            return null;
        }
    }

    private static double[] Kept(double[] column, bool[] excluded)
    {
        var kept = (double[])column.Clone();
        for (var t = 0; t < kept.Length; t++)
        {
            if (excluded[t])
            {
                kept[t] = double.NaN;
            }
        }
        return kept;
    }

    private static void Row(StationSeries series, int t, double[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = series.Column(i)[t];
        }
    }
}
