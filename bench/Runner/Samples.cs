using System.Globalization;

namespace OneMap.Bench.Runner;

/// <summary>Timed samples in milliseconds; machines are shared and noisy, so figures are medians.</summary>
public sealed record Samples(string Label, IReadOnlyList<double> Milliseconds)
{
    public double Median => Percentile(50);

    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0)
        {
            return double.NaN;
        }
        var sorted = Milliseconds.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public override string ToString() =>
        string.Join(" ", Milliseconds.Select(ms => ms.ToString("0.0", CultureInfo.InvariantCulture))) + " ms";
}
