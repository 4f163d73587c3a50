namespace OneMap.Lakehouse.Detection.Spectral;

/// <summary>
/// Spectral Residual over a stream, one reading at a time: the window holds the last
/// <see cref="SpectralResidualOptions.WindowLength"/> readings, κ estimated points are appended after it, and every
/// <see cref="SpectralResidualOptions.Hop"/> readings the transform scores the newest readings.
/// </summary>
public sealed class StreamingSpectralResidual
{
    private readonly SpectralResidual _transform;
    private readonly SpectralResidualOptions _options;
    private readonly double[] _ring;
    private readonly double[] _window;
    private readonly double[] _blockScores;
    private int _start;
    private int _count;
    private int _sinceTransform;
    private double _last = double.NaN;

    public StreamingSpectralResidual(SpectralResidualOptions? options = null)
    {
        _options = options ?? new SpectralResidualOptions();
        _transform = new SpectralResidual(_options);
        _ring = new double[_options.WindowLength];
        _window = new double[_options.WindowLength];
        _blockScores = new double[_options.Hop];
    }

    public SpectralResidualOptions Options => _options;

    /// <summary>Whether the window is full (earlier readings score 0).</summary>
    public bool IsWarm => _count == _ring.Length;

    /// <summary>Scores of the readings the last transform covered, oldest first (length <see cref="SpectralResidualOptions.Hop"/>).</summary>
    public ReadOnlySpan<double> LastBlock => _blockScores;

    /// <summary>
    /// Adds a reading (NaN repeats the previous one, so a dropout does not look salient) and returns the score the
    /// reading gets now: with a hop of 1 its own score, otherwise the largest score of the block the transform just
    /// covered, or 0 between transforms and while the window fills.
    /// </summary>
    public double Push(double value)
    {
        if (double.IsNaN(value))
        {
            value = double.IsNaN(_last) ? 0 : _last;
        }
        _last = value;
        if (_count < _ring.Length)
        {
            _ring[(_start + _count) % _ring.Length] = value;
            _count++;
        }
        else
        {
            _ring[_start] = value;
            _start = (_start + 1) % _ring.Length;
        }
        if (_count < _ring.Length)
        {
            return 0;
        }
        _sinceTransform++;
        if (_sinceTransform < _options.Hop)
        {
            return 0;
        }
        _sinceTransform = 0;
        // The ring holds the window from _start on, wrapping around.
        var head = _ring.Length - _start;
        Array.Copy(_ring, _start, _window, 0, head);
        Array.Copy(_ring, 0, _window, head, _start);
        var w = _window.Length;
        _transform.ScoreWindow(_window, w - _options.Hop, w, _blockScores);
        var max = 0.0;
        foreach (var s in _blockScores)
        {
            max = Math.Max(max, s);
        }
        return max;
    }

    /// <summary>
    /// Replaces the newest reading in the window (its score stands): the ensemble puts the baseline in place of a
    /// reading that belongs to an incident, so a large event does not leave spurious saliency in the windows after it.
    /// </summary>
    public void ReplaceLast(double value)
    {
        if (_count == 0 || double.IsNaN(value))
        {
            return;
        }
        var newest = _count < _ring.Length ? _count - 1 : (_start + _ring.Length - 1) % _ring.Length;
        _ring[newest] = value;
        _last = value;
    }

    /// <summary>
    /// Adds a reading without transforming (NaN repeats the previous one): for callers that score the newest reading
    /// only when they need it, with <see cref="ScoreNewest"/>.
    /// </summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            value = double.IsNaN(_last) ? 0 : _last;
        }
        _last = value;
        if (_count < _ring.Length)
        {
            _ring[(_start + _count) % _ring.Length] = value;
            _count++;
        }
        else
        {
            _ring[_start] = value;
            _start = (_start + 1) % _ring.Length;
        }
    }

    /// <summary>
    /// The newest reading's score in the window that ends with it (the paper's streaming rule, whatever the hop);
    /// NaN while the window fills.
    /// </summary>
    public double ScoreNewest()
    {
        if (_count < _ring.Length)
        {
            return double.NaN;
        }
        var head = _ring.Length - _start;
        Array.Copy(_ring, _start, _window, 0, head);
        Array.Copy(_ring, 0, _window, head, _start);
        Span<double> score = stackalloc double[1];
        _transform.ScoreWindow(_window, _window.Length - 1, _window.Length, score);
        return score[0];
    }

    public void Reset()
    {
        _start = 0;
        _count = 0;
        _sinceTransform = 0;
        _last = double.NaN;
    }
}
