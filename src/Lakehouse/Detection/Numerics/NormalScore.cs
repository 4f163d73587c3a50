using MathNet.Numerics.Distributions;

namespace OneMap.Lakehouse.Detection.Numerics;

/// <summary>
/// Maps a two-sided surprise s = −log10 p to the standard normal deviate with the same two-sided tail probability,
/// Φ⁻¹(1 − p/2). The multivariate detector works on these instead of raw z-scores, so an indicator whose deviations
/// are heavy-tailed by nature (flows switched by operators) weighs no more than one whose deviations are rare.
/// A table of 1 201 points over [0, 12] with linear interpolation keeps it cheap per reading.
/// </summary>
public static class NormalScore
{
    private const double Step = 0.01;
    private static readonly double[] Table = Build();

    /// <summary>The normal deviate whose two-sided tail has probability 10^−<paramref name="surprise"/>.</summary>
    public static double FromSurprise(double surprise)
    {
        if (!(surprise > 0))
        {
            return 0;
        }
        var position = Math.Min(surprise, TailCalibration.MaxSurprise) / Step;
        var low = (int)position;
        if (low >= Table.Length - 1)
        {
            return Table[^1];
        }
        var fraction = position - low;
        return Table[low] + (Table[low + 1] - Table[low]) * fraction;
    }

    private static double[] Build()
    {
        var count = (int)Math.Round(TailCalibration.MaxSurprise / Step) + 1;
        var table = new double[count];
        for (var i = 0; i < count; i++)
        {
            var p = Math.Pow(10, -i * Step);
            table[i] = p >= 1 ? 0 : Normal.InvCDF(0, 1, 1 - p / 2);
        }
        return table;
    }
}
