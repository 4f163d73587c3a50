using OneMap.Lakehouse.Detection.Baselines;
using OneMap.Lakehouse.Detection.ChangePoints;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class BaselineAndChangePointTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Midnight = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void the_diurnal_profile_recovers_a_planted_daily_cycle()
    {
        // 10 days of 5 + 2·sin(2π·hour/24) plus noise: the profile's peak should be near 06:00 and its amplitude ≈ 4.
        var random = new Random(1);
        double[] values = [.. Enumerable.Range(0, 10 * 288).Select(i => 5 + 2 * Math.Sin(2 * Math.PI * (i % 288) / 288) + 0.2 * (random.NextDouble() - 0.5))];
        var profile = SeasonalProfile.Learn(values, Midnight, FiveMinutes);

        Assert.Equal(24, profile.Bins);
        Assert.InRange(profile.Amplitude, 3.6, 4.1);
        Assert.InRange(profile.OffsetAt(TimeSpan.FromHours(6)), 1.8, 2.1);
        Assert.InRange(profile.OffsetAt(TimeSpan.FromHours(18)), -2.1, -1.8);
        Assert.InRange(profile.OffsetAt(TimeSpan.FromHours(12)), -0.3, 0.3);
    }

    [Fact]
    public void too_little_history_gives_a_flat_profile()
    {
        var profile = SeasonalProfile.Learn(new double[288], Midnight, FiveMinutes, minimumDays: 2);
        Assert.Same(SeasonalProfile.None, profile);
        Assert.Equal(0, profile.OffsetAt(TimeSpan.FromHours(3)));
    }

    [Fact]
    public void the_robust_z_score_is_the_distance_from_the_median_level_in_sigma()
    {
        var baseline = new RobustBaseline(SeasonalProfile.None, sigma: 0.5, levelWindow: 5);
        foreach (var v in new[] { 10.0, 10.2, 9.8, 10.1, 30.0 })
        {
            baseline.Push(v, 0);
        }
        // Median of {10, 10.2, 9.8, 10.1, 30} is 10.1: the outlier does not drag the level.
        Assert.Equal(10.1, baseline.Level, 10);
        Assert.Equal((11.1 - 10.1) / 0.5, baseline.Push(11.1, 0), 10);
        // With a diurnal offset of +1 the same reading is 1 σ closer to its baseline.
        var seasonal = new RobustBaseline(SeasonalProfile.None, sigma: 0.5, levelWindow: 5);
        foreach (var v in new[] { 10.0, 10.2, 9.8, 10.1, 30.0 })
        {
            seasonal.Push(v + 0.5, 0.5);
        }
        Assert.Equal((11.1 - 0.5 - 10.1) / 0.5, seasonal.Deviation(11.1, 0.5), 10);
    }

    [Fact]
    public void the_ewma_chart_converges_to_its_asymptotic_value_for_a_constant_shift()
    {
        var chart = new EwmaChart(lambda: 0.2);
        double statistic = 0;
        for (var i = 0; i < 200; i++)
        {
            statistic = chart.Push(1.0);
        }
        // EWMA of a 1 σ shift → 1; its σ is √(λ/(2−λ)) = 1/3, so the statistic → 3.
        Assert.Equal(3, statistic, 6);
        Assert.Equal(0.2, new EwmaChart(0.2).Push(1.0) / 3, 6);
    }

    [Fact]
    public void the_cusum_accumulates_as_computed_by_hand()
    {
        var cusum = new Cusum(drift: 0.5, threshold: 2);
        // S⁺ = max(0, S⁺ + z − ½): 0, 0.5, 2, 0.5, 0.  S⁻ = max(0, S⁻ − z − ½): 0, 0, 0, 0.5, 2.
        double[] z = [0, 1, 2, -1, -2];
        double[] upper = [0, 0.5, 2, 0.5, 0];
        double[] lower = [0, 0, 0, 0.5, 2];
        for (var i = 0; i < z.Length; i++)
        {
            cusum.Push(z[i]);
            Assert.Equal(upper[i], cusum.Upper, 10);
            Assert.Equal(lower[i], cusum.Lower, 10);
        }
        Assert.True(cusum.Signals);
        Assert.Equal(2, cusum.Run);
    }

    [Fact]
    public void clipping_and_capping_bound_what_one_outlier_does_to_the_cusum()
    {
        var cusum = new Cusum(drift: 0.5, threshold: 5, clip: 4, cap: 20);
        cusum.Push(100);
        Assert.Equal(3.5, cusum.Upper, 10);
        for (var i = 0; i < 20; i++)
        {
            cusum.Push(100);
        }
        Assert.Equal(20, cusum.Upper, 10);
    }

    [Fact]
    public void cusum_change_points_find_a_level_shift_and_its_onset()
    {
        var random = new Random(5);
        double[] series = [.. Enumerable.Range(0, 1000).Select(i => (i >= 600 ? 1.5 : 0) + Gaussian(random))];
        // h = 8: about one false alarm in tens of thousands of readings; a 1.5 σ shift still signals within ~8.
        var changes = CusumChangePoints.Detect(series, learn: 300, threshold: 8);

        var change = Assert.Single(changes);
        Assert.InRange(change.Onset, 595, 610);
        Assert.InRange(change.DetectedAt, 600, 620);
        Assert.InRange(change.Shift, 1.0, 2.2);
    }

    [Fact]
    public void bayesian_change_points_see_a_level_shift_within_a_few_readings()
    {
        var random = new Random(7);
        var detector = new BayesianOnlineChangePoint(expectedRunLength: 250, priorMean: 0, priorVariance: 1);
        var probabilities = new double[400];
        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = detector.Push((i >= 200 ? 4 : 0) + Gaussian(random));
        }
        // Stable segment: little mass on short runs; a few readings after the shift, most of it.
        Assert.True(probabilities.Skip(50).Take(140).Max() < 0.5, $"max before {probabilities.Skip(50).Take(140).Max()}");
        var firstHigh = Array.FindIndex(probabilities, 200, p => p > 0.5);
        Assert.InRange(firstHigh, 200, 206);
        Assert.InRange(detector.MostProbableRunLength, 190, 201);
        Assert.Equal(1, detector.RunLengthPosterior.ToArray().Sum(), 9);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
