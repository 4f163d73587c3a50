using OneMap.Lakehouse.Detection.Multivariate;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class MultivariateTests
{
    /// <summary>Pairs (x, y) with y ≈ x (correlation 0.9), unit variance, plus <paramref name="outliers"/> far away.</summary>
    private static List<double[]> CorrelatedPairs(int n, int outliers, int seed)
    {
        var random = new Random(seed);
        var rows = new List<double[]>();
        for (var i = 0; i < n; i++)
        {
            var a = Gaussian(random);
            var b = 0.9 * a + Math.Sqrt(1 - 0.81) * Gaussian(random);
            rows.Add([a, b]);
        }
        for (var i = 0; i < outliers; i++)
        {
            rows.Add([8 + Gaussian(random), -8 + Gaussian(random)]);
        }
        return rows;
    }

    [Fact]
    public void the_mcd_ignores_a_tenth_of_outliers_that_ruin_the_classical_estimate()
    {
        var rows = CorrelatedPairs(900, outliers: 100, seed: 1);
        var robust = RobustCovariance.Fit(rows);

        Assert.InRange(robust.Location[0], -0.15, 0.15);
        Assert.InRange(robust.Location[1], -0.15, 0.15);
        Assert.InRange(robust.Scatter[0, 0], 0.8, 1.25);
        Assert.InRange(robust.Scatter[0, 1] / Math.Sqrt(robust.Scatter[0, 0] * robust.Scatter[1, 1]), 0.85, 0.95);
        // The classical mean is dragged to (0.8, −0.8) and the correlation flips sign.
        Assert.True(rows.Average(r => r[0]) > 0.7);
        // A point breaking the correlation is far in Mahalanobis terms though each coordinate is only 2 σ out.
        Assert.True(robust.Mahalanobis2([2, -2]) > 30);
        Assert.True(robust.Mahalanobis2([2, 2]) < 6);
    }

    [Fact]
    public void the_squared_prediction_error_flags_a_broken_correlation_that_t2_misses()
    {
        var rows = CorrelatedPairs(2000, outliers: 0, seed: 2);
        var model = PcaResidualModel.Fit(rows, explainedVariance: 0.9);

        Assert.Equal(1, model.Components);
        var together = model.Score([3, 3]);
        var apart = model.Score([1.5, -1.5]);
        // Moving together along the usual direction: large T², small SPE. Against it: small T², large SPE.
        Assert.True(together.T2 > model.T2Limit(0.01), $"T² {together.T2}");
        Assert.True(together.Spe < model.SpeLimit(0.01), $"SPE {together.Spe}");
        Assert.True(apart.Spe > model.SpeLimit(0.001), $"SPE {apart.Spe} limit {model.SpeLimit(0.001)}");
        Assert.True(apart.T2 < model.T2Limit(0.01), $"T² {apart.T2}");
    }

    [Fact]
    public void spe_contributions_add_up_to_the_spe_and_name_the_indicators_that_broke_the_pattern()
    {
        var random = new Random(3);
        var rows = new List<double[]>();
        for (var i = 0; i < 1500; i++)
        {
            var a = Gaussian(random);
            rows.Add([a, 0.95 * a + 0.3 * Gaussian(random), Gaussian(random)]);
        }
        var model = PcaResidualModel.Fit(rows, explainedVariance: 0.8);
        double[] x = [2, -2, 0.1];
        var contributions = model.SpeContributions(x);

        Assert.Equal(model.Score(x).Spe, contributions.Sum(), 9);
        Assert.True(contributions[2] < contributions[0] && contributions[2] < contributions[1]);
    }

    [Fact]
    public void too_few_observations_are_refused()
    {
        var error = Assert.Throws<OneMap.Lakehouse.Detection.InsufficientHistoryException>(() => RobustCovariance.Fit([[1.0, 2.0], [2.0, 3.0]]));
        Assert.Contains("at least 6", error.Message, StringComparison.Ordinal);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
