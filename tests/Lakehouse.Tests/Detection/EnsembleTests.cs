using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class EnsembleTests
{
    private const int Days = 7;
    private const int TestSlots = 3 * SyntheticStation.SlotsPerDay;
    private const int PollutionStart = 200;
    private const int PollutionLength = 24;
    private const int StuckStart = 430;
    private const int StuckLength = 150;
    private const int DropoutStart = 700;
    private const int DropoutLength = 20;

    private static readonly Lazy<StationModel> Model = new(() => StationModel.Learn(SyntheticStation.History()));

    /// <summary>Three days after the history with a weak two-indicator pollution, a frozen thermometer and a pH dropout.</summary>
    private static StationSeries PlantedTestSeries()
    {
        var first = Days * SyntheticStation.SlotsPerDay;
        var columns = SyntheticStation.Columns(first, TestSlots, seed: 2);
        for (var k = PollutionStart; k < PollutionStart + PollutionLength; k++)
        {
            // About 4 σ in each indicator: dissolved oxygen drops while ammonia rises (an outfall's signature).
            columns[0][k] = Math.Round(columns[0][k] - 4 * SyntheticStation.Noise[0], 2);
            columns[1][k] = Math.Round(columns[1][k] + 4 * SyntheticStation.Noise[1], 3);
        }
        for (var k = StuckStart; k < StuckStart + StuckLength; k++)
        {
            columns[3][k] = columns[3][StuckStart - 1];
        }
        for (var k = DropoutStart; k < DropoutStart + DropoutLength; k++)
        {
            columns[2][k] = double.NaN;
        }
        return SyntheticStation.Series(first, columns);
    }

    private static int Slot(StationSeries series, DateTimeOffset time) => (int)Math.Round((time - series.Start) / series.Interval);

    [Fact]
    public void a_weak_two_indicator_pollution_is_one_incident_explained_by_both_indicators()
    {
        var series = PlantedTestSeries();
        var result = BatchAnomalyDetector.Score(Model.Value, series, closeOpenIncidents: true, TestContext.Current.CancellationToken);

        var pollution = result.Incidents.Where(i => i.Kind == AnomalyKind.Pollution).ToList();
        var hits = pollution.Where(i => Slot(series, i.Start) <= PollutionStart + PollutionLength && Slot(series, i.End!.Value) >= PollutionStart).ToList();
        var incident = Assert.Single(hits);
        TestContext.Current.TestOutputHelper?.WriteLine($"{incident.Start} {incident.End} peak {incident.PeakScore} at {incident.PeakTime}: {incident.PeakExplanation}");
        Assert.InRange(Slot(series, incident.Start) - PollutionStart, 0, 3);
        Assert.Contains("DO", incident.Indicators);
        Assert.Contains("NH3-N", incident.Indicators);
        var deviations = incident.PeakExplanation.Deviations.ToDictionary(d => d.Indicator);
        Assert.True(deviations["DO"].RobustSigmas < -2, $"DO deviation {deviations["DO"].RobustSigmas}");
        Assert.True(deviations["NH3-N"].RobustSigmas > 2, $"NH3-N deviation {deviations["NH3-N"].RobustSigmas}");
        Assert.NotEmpty(incident.PeakExplanation.Votes);
        // Three clean days besides the plants: at most one false pollution incident.
        Assert.True(pollution.Count - hits.Count <= 1, $"{pollution.Count - hits.Count} false pollution incidents");
    }

    [Fact]
    public void a_stuck_sensor_and_a_dropout_are_faults_never_pollution()
    {
        var series = PlantedTestSeries();
        var result = BatchAnomalyDetector.Score(Model.Value, series, closeOpenIncidents: true, TestContext.Current.CancellationToken);

        var faults = result.Incidents.Where(i => i.Kind == AnomalyKind.SensorFault).ToList();
        var stuck = Assert.Single(faults, i => i.Detectors.Contains(DetectorKind.Stuck));
        Assert.Equal(["Temperature"], stuck.Indicators);
        Assert.InRange(Slot(series, stuck.Start), StuckStart - 1, StuckStart + 1);
        var dropout = Assert.Single(faults, i => i.Detectors.Contains(DetectorKind.Dropout));
        Assert.Equal(["pH"], dropout.Indicators);
        Assert.Equal(DropoutStart, Slot(series, dropout.Start));
        Assert.Equal(DropoutStart + DropoutLength - 1, Slot(series, dropout.End!.Value));

        var pollution = result.Incidents.Where(i => i.Kind == AnomalyKind.Pollution);
        Assert.DoesNotContain(pollution, i =>
            Slot(series, i.Start) <= StuckStart + StuckLength && Slot(series, i.End!.Value) >= StuckStart && i.Indicators.Contains("Temperature")
            || Slot(series, i.Start) <= DropoutStart + DropoutLength && Slot(series, i.End!.Value) >= DropoutStart && i.Indicators.Contains("pH"));
    }

    [Fact]
    public void streaming_slot_by_slot_gives_the_same_scores_and_incidents_as_the_batch()
    {
        var series = PlantedTestSeries();
        var batch = BatchAnomalyDetector.Score(Model.Value, series, closeOpenIncidents: true, TestContext.Current.CancellationToken);

        var stream = new StationAnomalyStream(Model.Value);
        var readings = new List<ScoredReading>();
        var closed = new List<Incident>();
        var row = new double[series.Indicators.Count];
        for (var t = 0; t < series.Length; t++)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = series.Column(i)[t];
            }
            var update = stream.Push(series.TimeAt(t), row);
            readings.AddRange(update.Readings.Select(r => r.Reading));
            closed.AddRange(update.Transitions.Where(x => x.Kind == IncidentTransitionKind.Closed).Select(x => x.Incident));
            Assert.All(update.Readings, r => Assert.NotNull(r.Explanation));
        }
        closed.AddRange(stream.Complete().Transitions.Where(x => x.Kind == IncidentTransitionKind.Closed).Select(x => x.Incident));

        Assert.Equal(batch.Readings, readings);
        Assert.Equal(batch.Incidents.Select(i => (i.Id, i.Start, i.End, i.Kind)).OrderBy(x => x.Id),
            closed.Select(i => (i.Id, i.Start, i.End, i.Kind)).OrderBy(x => x.Id));
    }

    [Fact]
    public void readings_pushed_one_indicator_at_a_time_assemble_into_the_same_slots()
    {
        var series = PlantedTestSeries().Slice(0, 300);
        var batch = BatchAnomalyDetector.Score(Model.Value, series, cancellationToken: TestContext.Current.CancellationToken);

        var stream = new StationAnomalyStream(Model.Value, explainEveryReading: false);
        var readings = new List<ScoredReading>();
        var order = new Random(3);
        for (var t = 0; t < series.Length; t++)
        {
            foreach (var i in Enumerable.Range(0, series.Indicators.Count).OrderBy(_ => order.Next()))
            {
                var value = series.Column(i)[t];
                if (double.IsFinite(value))
                {
                    var update = stream.Push(series.Indicators[i], series.TimeAt(t) + TimeSpan.FromSeconds(order.Next(0, 200)), value);
                    Assert.Empty(update.Rejected);
                    readings.AddRange(update.Readings.Select(r => r.Reading));
                }
            }
        }
        readings.AddRange(stream.Complete().Readings.Select(r => r.Reading));
        Assert.Equal(batch.Readings, readings);
    }

    [Fact]
    public void late_unknown_and_non_numeric_readings_are_rejected_with_a_reason()
    {
        var stream = new StationAnomalyStream(Model.Value);
        var t0 = Model.Value.LearnedUntil;
        stream.Push(t0, [8.0, 0.3, 7.6, 20.0]);
        stream.Push(t0 + SyntheticStation.Interval, [8.0, 0.3, 7.6, 20.0]);

        var late = Assert.Single(stream.Push("DO", t0, 8.1).Rejected);
        Assert.Contains("already scored", late.Reason, StringComparison.Ordinal);
        var unknown = Assert.Single(stream.Push("COD", t0 + SyntheticStation.Interval * 2, 3).Rejected);
        Assert.Contains("unknown indicator 'COD'", unknown.Reason, StringComparison.Ordinal);
        var nan = Assert.Single(stream.Push("DO", t0 + SyntheticStation.Interval * 2, double.NaN).Rejected);
        Assert.Contains("not a finite number", nan.Reason, StringComparison.Ordinal);
        Assert.Equal(4, stream.Push(t0, [8.0, 0.3, 7.6, 20.0]).Rejected.Count);
    }

    [Fact]
    public void a_station_that_falls_silent_opens_a_dropout_incident_when_time_advances()
    {
        var stream = new StationAnomalyStream(Model.Value, explainEveryReading: false);
        var history = SyntheticStation.History(seed: 5, days: 1);
        var row = new double[4];
        var t0 = Model.Value.LearnedUntil;
        for (var t = 0; t < 48; t++)
        {
            for (var i = 0; i < 4; i++)
            {
                row[i] = history.Column(i)[t];
            }
            stream.Push(t0 + SyntheticStation.Interval * t, row);
        }
        var silentFrom = t0 + SyntheticStation.Interval * 48;
        var update = stream.AdvanceTo(silentFrom + TimeSpan.FromHours(1));

        var opened = Assert.Single(update.Transitions, x => x.Kind == IncidentTransitionKind.Opened);
        Assert.Equal(AnomalyKind.SensorFault, opened.Incident.Kind);
        Assert.Equal(silentFrom, opened.Incident.Start);
        Assert.Equal(IncidentSeverity.High, opened.Incident.Severity);
        Assert.Equal(SyntheticStation.Indicators, opened.Incident.Indicators);
        // A dropout is declared from the third missing reading on (dated back to the first).
        Assert.All(update.Readings.Take(2), r => Assert.Equal(0u, r.Reading.FaultIndicators));
        Assert.All(update.Readings.Skip(2), r => Assert.Equal(0xFu, r.Reading.FaultIndicators));
    }

    [Fact]
    public void ammonia_above_the_class_limit_raises_a_high_severity_pollution_incident()
    {
        var first = Days * SyntheticStation.SlotsPerDay;
        var columns = SyntheticStation.Columns(first, SyntheticStation.SlotsPerDay, seed: 7);
        for (var k = 100; k < 130; k++)
        {
            // 1.3 mg/L: worse than class III (1.0), within class IV (1.5).
            columns[1][k] = 1.3;
            columns[1][k] += k % 2 == 0 ? 0.01 : -0.01;
        }
        var series = SyntheticStation.Series(first, columns);
        var result = BatchAnomalyDetector.Score(Model.Value, series, closeOpenIncidents: true, TestContext.Current.CancellationToken);
        foreach (var i in result.Incidents)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{i.Kind} {i.Start} {i.End} {string.Join(",", i.Indicators)} {string.Join(",", i.Detectors)} {i.PeakExplanation}");
        }

        var incident = Assert.Single(result.Incidents, i => i.Kind == AnomalyKind.Pollution && i.Indicators.Contains("NH3-N"));
        Assert.Contains(DetectorKind.ClassLimit, incident.Detectors);
        Assert.True(incident.Severity >= IncidentSeverity.High, $"severity {incident.Severity}");
        var nh3 = incident.PeakExplanation.Deviations.Single(d => d.Indicator == "NH3-N");
        Assert.Equal(WaterClass.IV, nh3.WaterClass);
    }

    [Fact]
    public void the_model_learns_per_indicator_calibration_from_history()
    {
        var calibration = Model.Value.Calibration.ToDictionary(c => c.Indicator);
        // Robust σ of deviations from the rolling level is close to the planted noise (rounding adds a little).
        for (var i = 0; i < SyntheticStation.Indicators.Length; i++)
        {
            var sigma = calibration[SyntheticStation.Indicators[i]].RobustSigma;
            Assert.InRange(sigma, 0.8 * SyntheticStation.Noise[i], 1.5 * SyntheticStation.Noise[i]);
        }
        // Dissolved oxygen swings ±1.2 mg/L over the day; the learnt profile's peak-to-trough says so.
        Assert.InRange(calibration["DO"].DiurnalAmplitude, 1.8, 2.6);
        Assert.Equal(WaterClass.III, calibration["NH3-N"].EnforcedClass);
        Assert.Null(calibration["Temperature"].EnforcedClass);
        Assert.InRange(Model.Value.AlarmSurprise, Model.Value.Options.MinimumAlarmSurprise, 12);
        Assert.True(calibration["DO"].AlarmRaw[DetectorKind.RobustZScore] > 3, "a lone z-score needs more than 3 σ to alarm");
    }

    [Fact]
    public void learning_refuses_a_history_too_short_and_scoring_refuses_other_indicators()
    {
        var shortHistory = SyntheticStation.History().Slice(0, 50);
        var error = Assert.Throws<InsufficientHistoryException>(() => StationModel.Learn(shortHistory));
        Assert.Contains("50 readings of history", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);

        var other = new StationSeries("S001", ["DO", "NH3-N", "pH", "Turbidity"], SyntheticStation.Start, SyntheticStation.Interval,
            [.. Enumerable.Range(0, 4).Select(_ => new double[10])]);
        var mismatch = Assert.Throws<InvalidSeriesException>(() => BatchAnomalyDetector.Score(Model.Value, other, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("Turbidity", mismatch.Message, StringComparison.Ordinal);
    }
}
