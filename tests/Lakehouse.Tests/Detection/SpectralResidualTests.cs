using OneMap.Lakehouse.Detection.Spectral;

namespace OneMap.Lakehouse.Tests.Detection;

public sealed class SpectralResidualTests
{
    private static double[] NoisySine(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => 10 + Math.Sin(2 * Math.PI * i / 48) + 0.1 * (random.NextDouble() - 0.5))];
    }

    [Fact]
    public void the_estimated_point_continues_the_average_gradient()
    {
        // x_i = 2i + 1: every gradient is 2, so x_{n+1} = x_{n−m+1} + 2m = the next point of the line.
        double[] line = [.. Enumerable.Range(0, 10).Select(i => 2.0 * i + 1)];
        Assert.Equal(21, SpectralResidual.EstimateNext(line, gradientPoints: 5), 10);
        // Hand-computed: readings 1, 2, 4, 7 with m = 3: g = ((7−4)/1 + (7−2)/2 + (7−1)/3) / 3 = 7.5 / 3 = 2.5;
        // x_{n+1} = x_{n−m+1} + g·m = 2 + 7.5 = 9.5.
        Assert.Equal(9.5, SpectralResidual.EstimateNext([1, 2, 4, 7], gradientPoints: 3), 10);
    }

    [Fact]
    public void a_planted_spike_is_the_most_salient_reading_and_passes_the_papers_threshold()
    {
        var series = NoisySine(400, seed: 1);
        series[300] += 3;
        var scores = new SpectralResidual().ScoreSliding(series);

        Assert.Equal(300, Array.IndexOf(scores, scores.Max()));
        Assert.True(scores[300] > 3, $"score {scores[300]}");
        // Noise alone has a heavy-tailed score (which is why the ensemble calibrates SR per station instead of using
        // τ = 3), but it stays far below the spike's.
        Assert.True(scores.Where((_, i) => i != 300).Max() < scores[300] / 2);
    }

    [Fact]
    public void batch_mode_flags_the_planted_spike()
    {
        var series = NoisySine(500, seed: 2);
        series[250] -= 3;
        var scores = new SpectralResidual().ScoreBatch(series);
        Assert.Equal(250, Array.IndexOf(scores, scores.Max()));
        Assert.True(scores[250] > 3, $"score {scores[250]}");
    }

    [Fact]
    public void the_streaming_transform_matches_the_mathnet_saliency_of_the_same_window()
    {
        // The streaming detector runs its own fixed-size FFT; the static transform runs MathNet's. Same window
        // (59 readings + 5 estimated points) must give the same score for the last reading.
        var options = new SpectralResidualOptions();
        var series = NoisySine(200, seed: 3);
        series[150] += 2;
        var sliding = new SpectralResidual(options).ScoreSliding(series);

        foreach (var end in new[] { 100, 150, 151, 199 })
        {
            var readings = series.AsSpan(end - options.WindowLength + 1, options.WindowLength);
            var window = new double[options.TransformLength];
            readings.CopyTo(window);
            // Estimated points come from the readings before the newest (as in the authors' reference code).
            window.AsSpan(options.WindowLength).Fill(SpectralResidual.EstimateNext(readings[..^1], options.GradientPoints));
            var saliency = new double[window.Length];
            SpectralResidual.Saliency(window, options.AverageFilter, saliency);
            var last = options.WindowLength - 1;
            var mean = saliency.AsSpan(last - options.LocalAverage, options.LocalAverage).ToArray().Average();
            Assert.Equal((saliency[last] - mean) / mean, sliding[end], 9);
        }
    }

    [Fact]
    public void with_a_hop_each_transform_reports_the_largest_score_of_its_block()
    {
        var series = NoisySine(300, seed: 4);
        series[200] += 3;
        var hopped = new StreamingSpectralResidual(new SpectralResidualOptions { Hop = 8 });
        var scores = series.Select(hopped.Push).ToArray();

        // The spike at 200 is reported at the end of the block holding it, at most 7 readings late, as the largest
        // score of the series; between transforms nothing is reported.
        var loudest = Array.IndexOf(scores, scores.Max());
        Assert.InRange(loudest, 200, 207);
        Assert.True(scores[loudest] > 3, $"score {scores[loudest]}");
        Assert.Equal(0, scores[loudest - 1]);
        Assert.Equal(8, hopped.LastBlock.Length);
    }

    [Fact]
    public void options_out_of_range_are_refused_naming_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralResidual(new SpectralResidualOptions { TransformLength = 60 }));
        Assert.Equal("TransformLength", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingSpectralResidual(new SpectralResidualOptions { Hop = 0 }));
        Assert.Equal("Hop", error.ParamName);
    }
}
