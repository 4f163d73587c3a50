using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace OneMap.Lakehouse.Detection.Multivariate;

/// <summary>
/// Principal components of a station's indicators, fitted on the robust (MCD) covariance of their deviations from
/// baseline. A reading is judged twice: Hotelling's T² inside the retained components (an unusually large but
/// familiar pattern, e.g. all indicators moving together as they usually do) and the squared prediction error (SPE,
/// Q) outside them (a combination the history never showed, e.g. pH up while redox drops when they usually move
/// together). Events that show weakly in several indicators at once stand out in one of the two.
/// </summary>
public sealed class PcaResidualModel
{
    private readonly double[] _center;
    private readonly double[] _loadings; // d × k, row-major: loading of indicator i on component j at [i * k + j]
    private readonly double[] _eigenvalues; // all d, descending

    private PcaResidualModel(double[] center, double[] loadings, double[] eigenvalues, int components)
    {
        _center = center;
        _loadings = loadings;
        _eigenvalues = eigenvalues;
        Components = components;
    }

    public int Dimension => _center.Length;

    /// <summary>Retained components (k).</summary>
    public int Components { get; }

    /// <summary>Eigenvalues of the robust covariance, largest first.</summary>
    public IReadOnlyList<double> Eigenvalues => _eigenvalues;

    /// <summary>
    /// Fits the model: MCD location and scatter of <paramref name="rows"/>, then the fewest components explaining
    /// <paramref name="explainedVariance"/> of the variance (at least 1, at most d − 1 so a residual space remains).
    /// </summary>
    /// <param name="rows">Observations, one array per reading, all of the same length; rows with NaN are skipped.</param>
    /// <param name="explainedVariance">Share of variance the retained components must explain; default 0.9.</param>
    /// <param name="seed">Seed of the MCD's random starts.</param>
    public static PcaResidualModel Fit(IReadOnlyList<double[]> rows, double explainedVariance = 0.9, int seed = 17)
    {
        if (!(explainedVariance > 0 && explainedVariance <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(explainedVariance), explainedVariance, "must be within (0, 1]");
        }
        var covariance = RobustCovariance.Fit(rows, seed: seed);
        var d = covariance.Dimension;
        if (d < 2)
        {
            throw new InvalidSeriesException("a PCA residual model needs at least two indicators");
        }
        var evd = covariance.Scatter.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var eigenvalues = order.Select(i => Math.Max(evd.EigenValues[i].Real, 1e-12)).ToArray();
        var total = eigenvalues.Sum();
        var k = 0;
        double explained = 0;
        while (k < d - 1 && explained < explainedVariance * total)
        {
            explained += eigenvalues[k];
            k++;
        }
        k = Math.Max(1, k);
        var loadings = new double[d * k];
        for (var j = 0; j < k; j++)
        {
            var vector = evd.EigenVectors.Column(order[j]);
            for (var i = 0; i < d; i++)
            {
                loadings[i * k + j] = vector[i];
            }
        }
        return new PcaResidualModel([.. covariance.Location], loadings, eigenvalues, k);
    }

    /// <summary>Hotelling's T² and SPE of one reading; NaN inputs count as being at the center.</summary>
    public (double T2, double Spe) Score(ReadOnlySpan<double> x)
    {
        Span<double> scratch = stackalloc double[Components];
        return Score(x, scratch);
    }

    /// <summary>Allocation-free <see cref="Score(ReadOnlySpan{double})"/>; <paramref name="componentScores"/> receives the k scores.</summary>
    public (double T2, double Spe) Score(ReadOnlySpan<double> x, Span<double> componentScores)
    {
        var d = _center.Length;
        var k = Components;
        if (x.Length != d)
        {
            throw new ArgumentException($"expected {d} values, got {x.Length}", nameof(x));
        }
        componentScores[..k].Clear();
        double norm = 0;
        for (var i = 0; i < d; i++)
        {
            var c = double.IsFinite(x[i]) ? x[i] - _center[i] : 0;
            norm += c * c;
            var row = i * k;
            for (var j = 0; j < k; j++)
            {
                componentScores[j] += _loadings[row + j] * c;
            }
        }
        double t2 = 0, projected = 0;
        for (var j = 0; j < k; j++)
        {
            var t = componentScores[j];
            projected += t * t;
            t2 += t * t / _eigenvalues[j];
        }
        return (t2, Math.Max(0, norm - projected));
    }

    /// <summary>
    /// Each indicator's share of the reading's SPE (squared residual outside the retained components); they sum to
    /// the SPE. Says which indicators broke the usual pattern.
    /// </summary>
    public double[] SpeContributions(ReadOnlySpan<double> x)
    {
        var d = _center.Length;
        var k = Components;
        Span<double> scores = stackalloc double[k];
        Score(x, scores);
        var contributions = new double[d];
        for (var i = 0; i < d; i++)
        {
            var c = double.IsFinite(x[i]) ? x[i] - _center[i] : 0;
            double reconstructed = 0;
            for (var j = 0; j < k; j++)
            {
                reconstructed += _loadings[i * k + j] * scores[j];
            }
            var residual = c - reconstructed;
            contributions[i] = residual * residual;
        }
        return contributions;
    }

    /// <summary>Control limit of T² at false-alarm rate <paramref name="alpha"/> (χ² with k degrees of freedom).</summary>
    public double T2Limit(double alpha) => ChiSquared.InvCDF(Components, 1 - alpha);

    /// <summary>Control limit of SPE at false-alarm rate <paramref name="alpha"/> (Jackson and Mudholkar, 1979).</summary>
    public double SpeLimit(double alpha)
    {
        double theta1 = 0, theta2 = 0, theta3 = 0;
        for (var j = Components; j < _eigenvalues.Length; j++)
        {
            var l = _eigenvalues[j];
            theta1 += l;
            theta2 += l * l;
            theta3 += l * l * l;
        }
        var h0 = 1 - 2 * theta1 * theta3 / (3 * theta2 * theta2);
        var c = Normal.InvCDF(0, 1, 1 - alpha);
        var inner = c * Math.Sqrt(2 * theta2 * h0 * h0) / theta1 + 1 + theta2 * h0 * (h0 - 1) / (theta1 * theta1);
        return theta1 * Math.Pow(inner, 1 / h0);
    }
}
