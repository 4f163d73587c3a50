using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Faults;
using OneMap.Lakehouse.Detection.Numerics;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class FaultAndRuleTests
{
    [Fact]
    public void a_sensor_repeating_one_value_past_the_limit_is_stuck_from_the_first_repeat()
    {
        var monitor = new SensorFaultMonitor(new SensorFaultLimits(StuckReadings: 4, FlatlineReadings: int.MaxValue, FlatlineTolerance: 0, DropoutReadings: 3));
        DetectorKind?[] seen = [.. new[] { 7.1, 7.2, 7.2, 7.2, 7.2, 7.2, 7.3 }.Select(v => monitor.Push(v))];
        Assert.Equal([null, null, null, null, DetectorKind.Stuck, DetectorKind.Stuck, null], seen);
        monitor.Push(7.3);
        monitor.Push(7.3);
        Assert.Equal(DetectorKind.Stuck, monitor.Push(7.3));
        Assert.Equal(4, monitor.FaultAge);
    }

    [Fact]
    public void missing_readings_become_a_dropout_at_the_limit_and_implausible_values_are_faults_at_once()
    {
        var monitor = new SensorFaultMonitor(new SensorFaultLimits(int.MaxValue, int.MaxValue, 0, DropoutReadings: 3, Minimum: 0, Maximum: 14));
        Assert.Null(monitor.Push(double.NaN));
        Assert.Null(monitor.Push(double.NaN));
        Assert.Equal(DetectorKind.Dropout, monitor.Push(double.NaN));
        Assert.Equal(3, monitor.FaultAge);
        Assert.Null(monitor.Push(7.5));
        Assert.Equal(DetectorKind.Implausible, monitor.Push(15.2));
        Assert.Equal(DetectorKind.Implausible, monitor.Push(-0.1));
    }

    [Fact]
    public void a_flatline_is_a_run_within_the_tolerance_even_when_not_identical()
    {
        var monitor = new SensorFaultMonitor(new SensorFaultLimits(int.MaxValue, FlatlineReadings: 5, FlatlineTolerance: 0.01, DropoutReadings: 3));
        DetectorKind? last = null;
        foreach (var v in new[] { 8.001, 8.004, 8.002, 8.006, 8.003 })
        {
            last = monitor.Push(v);
        }
        Assert.Equal(DetectorKind.Flatline, last);
        Assert.Null(monitor.Push(8.2));
    }

    [Fact]
    public void fault_limits_are_learnt_from_the_runs_the_history_shows()
    {
        // Rounded readings that sit on one value for up to 20 readings at a time: a run of 20 is normal, the limit
        // is 1.5 × the 99.9th percentile of runs.
        var history = new List<double>();
        var random = new Random(4);
        var value = 211.0;
        while (history.Count < 5000)
        {
            var run = random.Next(1, 21);
            history.AddRange(Enumerable.Repeat(value, run));
            value += random.Next(0, 2) == 0 ? -1 : 1;
        }
        var limits = SensorFaultLimits.Learn(history.ToArray(), default, flatlineTolerance: 0);
        Assert.InRange(limits.StuckReadings, 28, 30);
        Assert.Equal(int.MaxValue, limits.FlatlineReadings);
        Assert.Equal(3, limits.DropoutReadings);

        // A history that never changed: constant is normal, no stuck test.
        var constant = SensorFaultLimits.Learn(Enumerable.Repeat(5.0, 1000).ToArray(), default, flatlineTolerance: 0);
        Assert.Equal(int.MaxValue, constant.StuckReadings);
    }

    [Theory]
    [InlineData("DO", 7.5, WaterClass.I)]
    [InlineData("DO", 6.5, WaterClass.II)]
    [InlineData("DO", 5.0, WaterClass.III)]
    [InlineData("DO", 1.5, WaterClass.WorseThanV)]
    [InlineData("COD_Mn", 6.0, WaterClass.III)]
    [InlineData("COD_Mn", 12, WaterClass.V)]
    [InlineData("NH3-N", 0.15, WaterClass.I)]
    [InlineData("NH3-N", 0.5, WaterClass.II)]
    [InlineData("NH3-N", 1.3, WaterClass.IV)]
    [InlineData("NH3-N", 2.1, WaterClass.WorseThanV)]
    [InlineData("TP", 0.25, WaterClass.IV)]
    [InlineData("TP", 0.02, WaterClass.I)]
    [InlineData("pH", 7.2, WaterClass.I)]
    [InlineData("pH", 9.5, WaterClass.WorseThanV)]
    [InlineData("pH", 5.9, WaterClass.WorseThanV)]
    public void gb3838_classes_follow_domain_md(string indicator, double value, WaterClass expected)
    {
        var limits = WaterQualityLimits.Gb3838Surface.Find(indicator);
        Assert.NotNull(limits);
        Assert.Equal(expected, limits.Classify(value));
    }

    [Fact]
    public void indicator_names_match_aliases_but_not_a_different_case_of_an_abbreviation()
    {
        var table = WaterQualityLimits.Gb3838Surface;
        Assert.Equal("NH3-N", table.Find("ammonia nitrogen")?.Indicator);
        Assert.Equal("NH3-N", table.Find("NH3_N")?.Indicator);
        Assert.Equal("DO", table.Find("dissolved_oxygen")?.Indicator);
        Assert.Equal("pH", table.Find("PH")?.Indicator);
        // "Tp" is how stations abbreviate temperature; it must not be read as total phosphorus.
        Assert.Null(table.Find("Tp"));
        Assert.Null(table.Find("Turbidity"));
    }

    [Fact]
    public void the_rule_reads_any_limits_table_and_fires_after_the_persistence()
    {
        var custom = new WaterQualityLimits([
            new IndicatorClassLimits("Cr6+", "mg/L", [.. new[] { 0.01, 0.05, 0.05, 0.05, 0.1 }.Select(l => new ClassRange(null, l))], ["hexavalent chromium"]),
        ]);
        var rule = new ClassLimitRule(custom.Find("hexavalent chromium")!, WaterClass.III, persistence: 2);
        Assert.Equal(0, rule.Push(0.04));
        Assert.Equal(0, rule.Push(0.06));
        Assert.Equal(0.2, rule.Push(0.06), 10);
        Assert.Equal(0, rule.Push(double.NaN));
        Assert.Equal(1.0, rule.Push(0.1), 10);
        Assert.Equal(0, rule.Push(0.05));
    }

    [Fact]
    public void a_station_chronically_worse_than_its_target_is_held_to_the_class_it_usually_meets()
    {
        var nh3 = WaterQualityLimits.Gb3838Surface.Find("NH3-N")!;
        // 90 % of readings in class IV (1.0–1.5 mg/L), 10 % in class V.
        double[] history = [.. Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? 1.8 : 1.2)];
        Assert.Equal(WaterClass.V, ClassLimitRule.UsualClass(nh3, history, WaterClass.III));
        double[] clean = [.. Enumerable.Repeat(0.3, 1000)];
        Assert.Equal(WaterClass.III, ClassLimitRule.UsualClass(nh3, clean, WaterClass.III));
        double[] hopeless = [.. Enumerable.Repeat(3.0, 1000)];
        Assert.Equal(WaterClass.WorseThanV, ClassLimitRule.UsualClass(nh3, hopeless, WaterClass.III));
    }

    [Fact]
    public void the_tail_calibration_turns_scores_into_monotone_surprises()
    {
        var random = new Random(6);
        double[] scores = [.. Enumerable.Range(0, 10000).Select(_ => -Math.Log(1 - random.NextDouble()))];
        var calibration = TailCalibration.Fit(scores);

        // Exponential scores: P(X ≥ x) = e^{−x}, so the surprise of x is x / ln 10.
        Assert.Equal(-Math.Log10(0.5), calibration.Surprise(Math.Log(2)), 1);
        Assert.Equal(3, calibration.Surprise(3 * Math.Log(10)), 0);
        Assert.Equal(5, calibration.Surprise(5 * Math.Log(10)), 0);
        Assert.InRange(calibration.RawAt(5), 0.97 * 5 * Math.Log(10), 1.03 * 5 * Math.Log(10));
        var previous = -1.0;
        for (var x = 0.0; x < 40; x += 0.25)
        {
            var s = calibration.Surprise(x);
            Assert.True(s >= previous, $"surprise decreased at {x}");
            previous = s;
        }
        Assert.Equal(TailCalibration.MaxSurprise, calibration.Surprise(1e9));
        Assert.Equal(0, calibration.Surprise(double.NaN));
    }
}
