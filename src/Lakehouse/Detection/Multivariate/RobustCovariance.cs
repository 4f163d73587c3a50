using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace OneMap.Lakehouse.Detection.Multivariate;

/// <summary>
/// Minimum Covariance Determinant location and scatter (Rousseeuw and Van Driessen's FastMCD, 1999): the mean and
/// covariance of the h readings whose covariance has the smallest determinant, found from random starts refined by
/// C-steps, then corrected for consistency and reweighted (readings within the 97.5 % χ² ellipsoid). Past incidents
/// hidden in a learning period therefore do not inflate the covariance that judges future readings.
/// </summary>
public sealed class RobustCovariance
{
    private readonly double[] _location;
    private readonly Matrix<double> _precision;

    private RobustCovariance(double[] location, Matrix<double> scatter)
    {
        _location = location;
        Scatter = scatter;
        _precision = scatter.Inverse();
    }

    /// <summary>Robust mean.</summary>
    public IReadOnlyList<double> Location => _location;

    /// <summary>Robust covariance (consistent for Gaussian data), with a small ridge on the diagonal.</summary>
    public Matrix<double> Scatter { get; }

    public int Dimension => _location.Length;

    /// <summary>
    /// Fits the MCD of <paramref name="rows"/> (each of equal length; rows with NaN are skipped).
    /// </summary>
    /// <param name="rows">The observations.</param>
    /// <param name="supportFraction">h / n, the share of readings the estimate rests on; default 0.75.</param>
    /// <param name="seed">Seed of the random starts, so a fit is reproducible.</param>
    /// <param name="maxSubsample">Larger inputs are searched on a random subsample of this size, then refined on all rows.</param>
    public static RobustCovariance Fit(IReadOnlyList<double[]> rows, double supportFraction = 0.75, int seed = 17, int maxSubsample = 1500)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!(supportFraction >= 0.5 && supportFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(supportFraction), supportFraction, "must be within [0.5, 1]");
        }
        var clean = rows.Where(r => r.All(double.IsFinite)).ToArray();
        if (clean.Length == 0)
        {
            throw new InsufficientHistoryException("no complete observation to fit a covariance to");
        }
        var d = clean[0].Length;
        if (clean.Any(r => r.Length != d))
        {
            throw new InvalidSeriesException("observations of different dimensions given to the covariance fit");
        }
        if (clean.Length < 2 * (d + 1))
        {
            throw new InsufficientHistoryException($"a {d}-dimensional covariance needs at least {2 * (d + 1)} complete observations, got {clean.Length}");
        }
        var random = new Random(seed);
        var ridge = RidgeFor(clean);

        var search = clean;
        if (clean.Length > maxSubsample)
        {
            search = [.. clean.OrderBy(_ => random.Next()).Take(maxSubsample)];
        }
        var h = Math.Max(d + 1, (int)Math.Ceiling(supportFraction * search.Length));

        var candidates = new List<(double LogDet, int[] Subset)>();
        for (var start = 0; start < 20; start++)
        {
            var subset = Enumerable.Range(0, search.Length).OrderBy(_ => random.Next()).Take(d + 1).ToArray();
            var (mean, cov) = MeanAndCovariance(search, subset, ridge);
            for (var step = 0; step < 2; step++)
            {
                subset = Closest(search, mean, cov, h);
                (mean, cov) = MeanAndCovariance(search, subset, ridge);
            }
            candidates.Add((LogDeterminant(cov), subset));
        }
        var best = (LogDet: double.PositiveInfinity, Mean: Array.Empty<double>(), Cov: (Matrix<double>)null!);
        foreach (var candidate in candidates.OrderBy(c => c.LogDet).Take(5))
        {
            var (mean, cov) = MeanAndCovariance(search, candidate.Subset, ridge);
            var logDet = LogDeterminant(cov);
            for (var step = 0; step < 50; step++)
            {
                var subset = Closest(search, mean, cov, h);
                (mean, cov) = MeanAndCovariance(search, subset, ridge);
                var next = LogDeterminant(cov);
                if (next >= logDet - 1e-10)
                {
                    logDet = Math.Min(logDet, next);
                    break;
                }
                logDet = next;
            }
            if (logDet < best.LogDet)
            {
                best = (logDet, mean, cov);
            }
        }

        // Refine on all rows when the search ran on a subsample.
        var (location, scatter) = (best.Mean, best.Cov);
        if (!ReferenceEquals(search, clean))
        {
            var hAll = Math.Max(d + 1, (int)Math.Ceiling(supportFraction * clean.Length));
            for (var step = 0; step < 2; step++)
            {
                (location, scatter) = MeanAndCovariance(clean, Closest(clean, location, scatter, hAll), ridge);
            }
        }

        // Consistency: the median squared distance of Gaussian data is the χ²_d median.
        var distances = clean.Select(r => Mahalanobis2(r, location, scatter.Inverse())).ToArray();
        Array.Sort(distances);
        var median = distances[distances.Length / 2];
        var chiMedian = ChiSquared.InvCDF(d, 0.5);
        if (median > 0)
        {
            scatter *= median / chiMedian;
        }

        // Reweighting: the classical estimate of the readings inside the 97.5 % ellipsoid.
        var precision = scatter.Inverse();
        var cutoff = ChiSquared.InvCDF(d, 0.975);
        var inliers = Enumerable.Range(0, clean.Length).Where(i => Mahalanobis2(clean[i], location, precision) <= cutoff).ToArray();
        if (inliers.Length > d + 1)
        {
            (location, scatter) = MeanAndCovariance(clean, inliers, ridge);
            // The classical covariance of a truncated Gaussian sample is too small by a known factor.
            scatter *= 0.975 / ChiSquared.CDF(d + 2, cutoff);
        }
        return new RobustCovariance(location, scatter);
    }

    /// <summary>Squared Mahalanobis distance of <paramref name="x"/> from the robust location.</summary>
    public double Mahalanobis2(ReadOnlySpan<double> x)
    {
        if (x.Length != _location.Length)
        {
            throw new ArgumentException($"expected {_location.Length} values, got {x.Length}", nameof(x));
        }
        return Mahalanobis2(x, _location, _precision);
    }

    private static double Mahalanobis2(ReadOnlySpan<double> x, double[] mean, Matrix<double> precision)
    {
        var d = mean.Length;
        double sum = 0;
        for (var i = 0; i < d; i++)
        {
            var di = x[i] - mean[i];
            double row = 0;
            for (var j = 0; j < d; j++)
            {
                row += precision[i, j] * (x[j] - mean[j]);
            }
            sum += di * row;
        }
        return sum;
    }

    private static double RidgeFor(double[][] rows)
    {
        // A quantised indicator can be constant over the whole support set; a ridge far below its resolution keeps
        // the covariance invertible without changing what it says.
        var d = rows[0].Length;
        double trace = 0;
        for (var j = 0; j < d; j++)
        {
            var mean = rows.Average(r => r[j]);
            trace += rows.Average(r => (r[j] - mean) * (r[j] - mean));
        }
        return Math.Max(trace / d * 1e-4, 1e-12);
    }

    private static int[] Closest(double[][] rows, double[] mean, Matrix<double> cov, int h)
    {
        var precision = cov.Inverse();
        var distances = new double[rows.Length];
        var order = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            distances[i] = Mahalanobis2(rows[i], mean, precision);
            order[i] = i;
        }
        Array.Sort(distances, order);
        return order[..h];
    }

    private static (double[] Mean, Matrix<double> Covariance) MeanAndCovariance(double[][] rows, int[] subset, double ridge)
    {
        var d = rows[0].Length;
        var mean = new double[d];
        foreach (var i in subset)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += rows[i][j];
            }
        }
        for (var j = 0; j < d; j++)
        {
            mean[j] /= subset.Length;
        }
        var cov = Matrix<double>.Build.Dense(d, d);
        foreach (var i in subset)
        {
            for (var a = 0; a < d; a++)
            {
                var da = rows[i][a] - mean[a];
                for (var b = a; b < d; b++)
                {
                    cov[a, b] += da * (rows[i][b] - mean[b]);
                }
            }
        }
        var denominator = Math.Max(1, subset.Length - 1);
        for (var a = 0; a < d; a++)
        {
            for (var b = a; b < d; b++)
            {
                cov[a, b] /= denominator;
                cov[b, a] = cov[a, b];
            }
            cov[a, a] += ridge;
        }
        return (mean, cov);
    }

    private static double LogDeterminant(Matrix<double> cov)
    {
        var cholesky = cov.Cholesky();
        double sum = 0;
        for (var i = 0; i < cov.RowCount; i++)
        {
            sum += Math.Log(cholesky.Factor[i, i]);
        }
        return 2 * sum;
    }
}
