using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace OneMap.Lakehouse.Detection.Spectral;

/// <summary>
/// The Spectral Residual transform (Ren et al., KDD 2019), after Hou and Zhang's visual saliency: the log amplitude
/// spectrum minus its local average is the "residual", and the inverse transform of the residual with the original
/// phase is a saliency map in which spikes and sudden changes stand out. A reading's score is its saliency relative
/// to the mean saliency of the z readings before it, (S − S̄) / S̄; the paper flags scores above τ = 3.
/// </summary>
public sealed class SpectralResidual
{
    private readonly SpectralResidualOptions _options;
    private readonly RadixTwoFft _fft;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _logAmplitude;
    private readonly double[] _scale;
    private readonly double[] _saliency;
    private readonly double[] _window;

    public SpectralResidual(SpectralResidualOptions? options = null)
    {
        _options = options ?? new SpectralResidualOptions();
        _options.Validate();
        _fft = new RadixTwoFft(_options.TransformLength);
        _re = new double[_options.TransformLength];
        _im = new double[_options.TransformLength];
        _logAmplitude = new double[_options.TransformLength];
        _scale = new double[_options.TransformLength];
        _saliency = new double[_options.TransformLength];
        _window = new double[_options.TransformLength];
    }

    public SpectralResidualOptions Options => _options;

    /// <summary>
    /// The paper's extrapolation over <paramref name="readings"/> x_1…x_n: g = mean over i = 1…m of
    /// (x_n − x_{n−i}) / i, and x_{n+1} = x_{n−m+1} + g·m. The transforms apply it, as the authors' reference
    /// implementation (microsoft/anomalydetector) does, to the readings before the newest one, and append the result
    /// κ times: were the newest reading a spike, it would otherwise drag the estimated points up with it and hide
    /// itself in the step it makes with them.
    /// </summary>
    public static double EstimateNext(ReadOnlySpan<double> readings, int gradientPoints)
    {
        var n = readings.Length - 1;
        if (n < 1)
        {
            return n == 0 ? readings[0] : 0;
        }
        var m = Math.Min(gradientPoints, n);
        double gradient = 0;
        for (var i = 1; i <= m; i++)
        {
            gradient += (readings[n] - readings[n - i]) / i;
        }
        gradient /= m;
        return readings[n - m + 1] + gradient * m;
    }

    /// <summary>
    /// Saliency map of <paramref name="window"/> exactly as given; writes |F⁻¹(exp(R + iP))| into
    /// <paramref name="saliency"/>. Any length works; powers of two are much faster.
    /// </summary>
    public static void Saliency(ReadOnlySpan<double> window, int averageFilter, Span<double> saliency)
    {
        var n = window.Length;
        if (n < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(window), n, "window length must be at least 4");
        }
        if (saliency.Length < n)
        {
            throw new ArgumentOutOfRangeException(nameof(saliency), saliency.Length, "saliency span shorter than the window");
        }
        var spectrum = new Complex[n];
        var logAmplitude = new double[n];
        SaliencyCore(window, averageFilter, spectrum, logAmplitude, saliency);
    }

    /// <summary>
    /// Batch mode: one transform over the whole series with κ estimated points appended, each reading scored against
    /// the mean saliency of the z readings before it. NaN readings are carried forward. Sees the whole series at once,
    /// so a reading's score depends on later readings too; for what a live stream would have said, use
    /// <see cref="ScoreSliding"/>.
    /// </summary>
    public double[] ScoreBatch(ReadOnlySpan<double> series)
    {
        if (series.Length < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(series), series.Length, "a batch needs at least 4 readings");
        }
        var filled = CarryForward(series);
        var extended = new double[filled.Length + _options.EstimatedPoints];
        filled.CopyTo(extended, 0);
        extended.AsSpan(filled.Length).Fill(EstimateNext(filled.AsSpan(0, filled.Length - 1), _options.GradientPoints));
        var saliency = new double[extended.Length];
        Saliency(extended, _options.AverageFilter, saliency);
        var scores = new double[series.Length];
        var z = _options.LocalAverage;
        double running = 0;
        for (var j = 0; j < series.Length; j++)
        {
            var count = Math.Min(j, z);
            scores[j] = RelativeSaliency(saliency[j], count > 0 ? running / count : saliency[j]);
            running += saliency[j];
            if (j >= z)
            {
                running -= saliency[j - z];
            }
        }
        return scores;
    }

    private static double[] CarryForward(ReadOnlySpan<double> series)
    {
        var filled = new double[series.Length];
        var last = double.NaN;
        for (var i = 0; i < series.Length; i++)
        {
            if (double.IsFinite(series[i]))
            {
                last = series[i];
            }
            filled[i] = last;
        }
        // Leading gaps take the first reading there is.
        var first = Array.FindIndex(filled, double.IsFinite);
        if (first < 0)
        {
            Array.Clear(filled);
            return filled;
        }
        Array.Fill(filled, filled[first], 0, first);
        return filled;
    }

    /// <summary>
    /// Streaming mode over a whole array: scores every reading of <paramref name="series"/> by sliding the window along it one reading at a time (the
    /// paper's streaming mode: each reading is scored in the window that ends with it, plus κ estimated points).
    /// NaN readings are carried forward; the first readings, before a window fills, score 0.
    /// </summary>
    public double[] ScoreSliding(ReadOnlySpan<double> series)
    {
        var scores = new double[series.Length];
        var streaming = new StreamingSpectralResidual(new SpectralResidualOptions
        {
            TransformLength = _options.TransformLength,
            EstimatedPoints = _options.EstimatedPoints,
            GradientPoints = _options.GradientPoints,
            AverageFilter = _options.AverageFilter,
            LocalAverage = _options.LocalAverage,
            Threshold = _options.Threshold,
            Hop = 1,
        });
        for (var i = 0; i < series.Length; i++)
        {
            scores[i] = streaming.Push(series[i]);
        }
        return scores;
    }

    /// <summary>
    /// Scores the readings at positions [<paramref name="from"/>, <paramref name="to"/>) of a window of
    /// <see cref="SpectralResidualOptions.WindowLength"/> readings (κ estimated points are appended here), writing
    /// (S − S̄) / S̄ into <paramref name="scores"/>.
    /// </summary>
    public void ScoreWindow(ReadOnlySpan<double> readings, int from, int to, Span<double> scores)
    {
        var w = _options.WindowLength;
        if (readings.Length != w)
        {
            throw new ArgumentOutOfRangeException(nameof(readings), readings.Length, $"expected a window of {w} readings");
        }
        readings.CopyTo(_window);
        var estimate = EstimateNext(readings[..^1], _options.GradientPoints);
        _window.AsSpan(w).Fill(estimate);
        var z = _options.LocalAverage;
        // Only the saliency of the scored readings and of the z before them is needed.
        FastSaliency(Math.Max(0, from - z), to);
        for (var j = from; j < to; j++)
        {
            var start = Math.Max(0, j - z);
            double mean = 0;
            for (var i = start; i < j; i++)
            {
                mean += _saliency[i];
            }
            var count = j - start;
            mean = count > 0 ? mean / count : _saliency[j];
            scores[j - from] = RelativeSaliency(_saliency[j], mean);
        }
    }

    /// <summary>The saliency map of <see cref="_window"/> at positions [from, to), with the fixed-size FFT.</summary>
    private void FastSaliency(int from, int to)
    {
        var n = _window.Length;
        var half = n / 2;
        var re = _re;
        var im = _im;
        _window.CopyTo(re, 0);
        Array.Clear(im);
        _fft.Forward(re, im);
        double peak = 0;
        for (var i = 0; i <= half; i++)
        {
            var power = re[i] * re[i] + im[i] * im[i];
            _logAmplitude[i] = power;
            peak = Math.Max(peak, power);
        }
        // log |F| = ½ log |F|², floored far below the peak so that empty bins stay finite. A real window's spectrum
        // is conjugate-symmetric, so the upper half mirrors the lower one.
        var floor = Math.Max(peak * 1e-24, 1e-300);
        for (var i = 0; i <= half; i++)
        {
            _logAmplitude[i] = 0.5 * Math.Log(Math.Max(_logAmplitude[i], floor));
        }
        for (var i = half + 1; i < n; i++)
        {
            _logAmplitude[i] = _logAmplitude[n - i];
        }
        ScaleByAveragedLogAmplitude(re, im, _logAmplitude, _options.AverageFilter, _scale);
        _fft.Inverse(re, im);
        for (var i = from; i < to; i++)
        {
            _saliency[i] = Math.Sqrt(re[i] * re[i] + im[i] * im[i]) / n;
        }
    }

    /// <summary>
    /// exp(R + iP) with R = L − h_q * L equals F · exp(−(h_q * L)): only the averaged log amplitude is needed. The
    /// spectrum is periodic, so the average filter wraps around; the log amplitude of a real window is symmetric
    /// (L[f] = L[n − f]), and so is its average when the filter is, which halves the exponentials.
    /// </summary>
    private static void ScaleByAveragedLogAmplitude(double[] re, double[] im, double[] logAmplitude, int averageFilter, double[] scale)
    {
        var n = re.Length;
        var half = averageFilter / 2;
        var symmetric = averageFilter % 2 == 1;
        double sum = 0;
        for (var k = -half; k < averageFilter - half; k++)
        {
            sum += logAmplitude[(k % n + n) % n];
        }
        var last = symmetric ? n / 2 : n - 1;
        for (var f = 0; f <= last; f++)
        {
            scale[f] = Math.Exp(-sum / averageFilter);
            var leaving = f - half;
            var entering = f - half + averageFilter;
            sum += logAmplitude[entering >= n ? entering - n : entering] - logAmplitude[leaving < 0 ? leaving + n : leaving];
        }
        for (var f = last + 1; f < n; f++)
        {
            scale[f] = scale[n - f];
        }
        for (var f = 0; f < n; f++)
        {
            re[f] *= scale[f];
            im[f] *= scale[f];
        }
    }

    /// <summary>(S − S̄) / S̄, and 0 where the local saliency is nil (a flat window has nothing salient).</summary>
    internal static double RelativeSaliency(double saliency, double localMean)
    {
        if (!(localMean > 1e-12))
        {
            return saliency > 1e-9 ? TailLimit : 0;
        }
        return Math.Max(0, (saliency - localMean) / localMean);
    }

    // A reading salient against a perfectly flat past gets this finite score rather than infinity.
    private const double TailLimit = 1e6;

    private static void SaliencyCore(ReadOnlySpan<double> window, int averageFilter, Complex[] spectrum, double[] logAmplitude, Span<double> saliency)
    {
        var n = window.Length;
        double peak = 0;
        for (var i = 0; i < n; i++)
        {
            spectrum[i] = new Complex(window[i], 0);
        }
        Fourier.Forward(spectrum, FourierOptions.NoScaling);
        for (var i = 0; i < n; i++)
        {
            peak = Math.Max(peak, spectrum[i].Magnitude);
        }
        // log(0) would make the residual undefined; a floor far below the peak leaves real spectra untouched.
        var floor = Math.Max(peak * 1e-12, 1e-300);
        for (var i = 0; i < n; i++)
        {
            logAmplitude[i] = Math.Log(Math.Max(spectrum[i].Magnitude, floor));
        }
        // exp(R + iP) with R = L − h_q * L equals F · exp(−(h_q * L)): only the averaged log amplitude is needed.
        // The spectrum is periodic, so the average filter wraps around.
        var half = averageFilter / 2;
        double sum = 0;
        for (var k = -half; k < averageFilter - half; k++)
        {
            sum += logAmplitude[(k % n + n) % n];
        }
        for (var f = 0; f < n; f++)
        {
            var average = sum / averageFilter;
            // Slide the filter one bin: drop its first tap, add the next one (indices wrap around the spectrum).
            var leaving = f - half;
            var entering = f - half + averageFilter;
            sum += logAmplitude[entering >= n ? entering - n : entering] - logAmplitude[leaving < 0 ? leaving + n : leaving];
            spectrum[f] *= Math.Exp(-average);
        }
        Fourier.Inverse(spectrum, FourierOptions.NoScaling);
        for (var i = 0; i < n; i++)
        {
            saliency[i] = spectrum[i].Magnitude / n;
        }
    }
}
