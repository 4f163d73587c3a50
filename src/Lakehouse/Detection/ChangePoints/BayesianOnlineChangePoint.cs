using MathNet.Numerics;

namespace OneMap.Lakehouse.Detection.ChangePoints;

/// <summary>
/// Bayesian online change-point detection (Adams and MacKay, 2007) for Gaussian data with unknown mean and variance
/// (Normal-Gamma prior, Student-t predictive) and a constant hazard 1/λ. Keeps the posterior over the run length
/// (readings since the last change), truncated at <c>maxRunLength</c> with the tail folded into the last slot.
/// Because P(r = 0) always equals the hazard under a constant hazard, the score reported is the posterior mass on
/// short runs, P(r_t &lt; w): near 0 in a stable segment, near 1 a few readings after a level or variance change.
/// </summary>
public sealed class BayesianOnlineChangePoint
{
    private readonly double _hazard;
    private readonly int _maxRun;
    private readonly int _recentWindow;
    private readonly double _mu0;
    private readonly double _kappa0;
    private readonly double _alpha0;
    private readonly double _beta0;
    private readonly double[] _constant; // lgamma((ν+1)/2) − lgamma(ν/2) − ½·log(νπ) for the run length's ν
    private double[] _probability;
    private double[] _mu;
    private double[] _beta;
    private double[] _nextProbability;
    private double[] _nextMu;
    private double[] _nextBeta;
    private readonly double[] _logPredictive;
    private int _length; // run lengths 0…_length−1 are live

    /// <param name="expectedRunLength">λ: the hazard is 1/λ (expected readings between changes).</param>
    /// <param name="priorMean">μ₀, the prior mean of a segment.</param>
    /// <param name="priorVariance">The prior guess of the within-segment variance.</param>
    /// <param name="maxRunLength">Truncation of the run-length posterior; cost per reading is proportional to it.</param>
    /// <param name="recentWindow">w: the score is P(r &lt; w).</param>
    /// <param name="priorStrength">κ₀ = α₀ − 1: how many readings' worth the prior counts; default 1.</param>
    public BayesianOnlineChangePoint(double expectedRunLength, double priorMean, double priorVariance,
        int maxRunLength = 300, int recentWindow = 5, double priorStrength = 1)
    {
        if (!(expectedRunLength > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedRunLength), expectedRunLength, "must exceed 1");
        }
        if (!(priorVariance > 0) || !double.IsFinite(priorVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(priorVariance), priorVariance, "must be positive and finite");
        }
        if (!double.IsFinite(priorMean))
        {
            throw new ArgumentOutOfRangeException(nameof(priorMean), priorMean, "must be finite");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunLength, 10);
        if (recentWindow < 1 || recentWindow >= maxRunLength)
        {
            throw new ArgumentOutOfRangeException(nameof(recentWindow), recentWindow, "must be within [1, maxRunLength)");
        }
        if (!(priorStrength > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(priorStrength), priorStrength, "must be positive");
        }
        _hazard = 1 / expectedRunLength;
        _maxRun = maxRunLength;
        _recentWindow = recentWindow;
        _mu0 = priorMean;
        _kappa0 = priorStrength;
        _alpha0 = 1 + priorStrength;
        // E[σ²] = β / (α − 1) under the Gamma prior on the precision.
        _beta0 = priorVariance * (_alpha0 - 1);
        _constant = new double[maxRunLength];
        for (var r = 0; r < maxRunLength; r++)
        {
            var nu = 2 * (_alpha0 + r / 2.0);
            _constant[r] = SpecialFunctions.GammaLn((nu + 1) / 2) - SpecialFunctions.GammaLn(nu / 2) - 0.5 * Math.Log(nu * Math.PI);
        }
        _probability = new double[maxRunLength];
        _mu = new double[maxRunLength];
        _beta = new double[maxRunLength];
        _nextProbability = new double[maxRunLength];
        _nextMu = new double[maxRunLength];
        _nextBeta = new double[maxRunLength];
        _logPredictive = new double[maxRunLength];
        Reset();
    }

    /// <summary>The most probable run length after the last reading.</summary>
    public int MostProbableRunLength { get; private set; }

    /// <summary>P(r &lt; w) after the last reading.</summary>
    public double ChangeProbability { get; private set; }

    /// <summary>Posterior over run lengths 0, 1, … after the last reading.</summary>
    public ReadOnlySpan<double> RunLengthPosterior => _probability.AsSpan(0, _length);

    /// <summary>Adds a reading and returns P(r &lt; w). A NaN reading (missing) changes nothing.</summary>
    public double Push(double x)
    {
        if (!double.IsFinite(x))
        {
            return ChangeProbability;
        }
        var maxLog = double.NegativeInfinity;
        for (var r = 0; r < _length; r++)
        {
            var kappa = _kappa0 + r;
            var alpha = _alpha0 + r / 2.0;
            var nu = 2 * alpha;
            var scale2 = _beta[r] * (kappa + 1) / (alpha * kappa);
            var d = x - _mu[r];
            var logPdf = _constant[r] - 0.5 * Math.Log(scale2) - (nu + 1) / 2 * Math.Log(1 + d * d / (nu * scale2));
            _logPredictive[r] = logPdf;
            if (logPdf > maxLog)
            {
                maxLog = logPdf;
            }
        }

        var newLength = Math.Min(_length + 1, _maxRun);
        Array.Clear(_nextProbability, 0, newLength);
        double changeMass = 0, total = 0;
        for (var r = 0; r < _length; r++)
        {
            var weighted = _probability[r] * Math.Exp(_logPredictive[r] - maxLog);
            changeMass += weighted * _hazard;
            // Runs that would exceed the truncation fold into the last slot.
            var grown = Math.Min(r + 1, _maxRun - 1);
            var growth = weighted * (1 - _hazard);
            var kappa = _kappa0 + r;
            var d = x - _mu[r];
            var updatedMu = (kappa * _mu[r] + x) / (kappa + 1);
            var updatedBeta = _beta[r] + kappa * d * d / (2 * (kappa + 1));
            if (grown == r + 1 || _nextProbability[grown] == 0)
            {
                _nextMu[grown] = updatedMu;
                _nextBeta[grown] = updatedBeta;
                _nextProbability[grown] = growth;
            }
            else
            {
                // Folding: keep the statistics of the more probable of the two merged runs.
                if (growth > _nextProbability[grown])
                {
                    _nextMu[grown] = updatedMu;
                    _nextBeta[grown] = updatedBeta;
                }
                _nextProbability[grown] += growth;
            }
            total += growth;
        }
        _nextProbability[0] = changeMass;
        _nextMu[0] = _mu0;
        _nextBeta[0] = _beta0;
        total += changeMass;

        if (!(total > 0) || !double.IsFinite(total))
        {
            Reset();
            return ChangeProbability;
        }
        (_probability, _nextProbability) = (_nextProbability, _probability);
        (_mu, _nextMu) = (_nextMu, _mu);
        (_beta, _nextBeta) = (_nextBeta, _beta);
        _length = newLength;
        double recent = 0, best = -1;
        for (var r = 0; r < _length; r++)
        {
            _probability[r] /= total;
            if (r < _recentWindow)
            {
                recent += _probability[r];
            }
            if (_probability[r] > best)
            {
                best = _probability[r];
                MostProbableRunLength = r;
            }
        }
        ChangeProbability = recent;
        return recent;
    }

    /// <summary>Forgets everything: the next reading starts a run under the prior.</summary>
    public void Reset()
    {
        _length = 1;
        _probability[0] = 1;
        _mu[0] = _mu0;
        _beta[0] = _beta0;
        MostProbableRunLength = 0;
        ChangeProbability = 0;
    }
}
