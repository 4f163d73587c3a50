using OneMap.Lakehouse.Detection;

namespace OneMap.Lakehouse.Tests.Detection;

/// <summary>
/// A river station with a known answer: 5-minute readings of dissolved oxygen, ammonia nitrogen, pH and water
/// temperature with diurnal cycles, Gaussian noise and instrument rounding, onto which tests plant pollution,
/// stuck sensors and dropouts at known slots.
/// </summary>
internal static class SyntheticStation
{
    public static readonly string[] Indicators = ["DO", "NH3-N", "pH", "Temperature"];

    /// <summary>σ of the noise per indicator (what a planted deviation is measured in).</summary>
    public static readonly double[] Noise = [0.15, 0.03, 0.03, 0.1];

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public const int SlotsPerDay = 288;

    /// <summary>Columns for <paramref name="slots"/> slots from <paramref name="firstSlot"/> (slots count from <see cref="Start"/>).</summary>
    public static double[][] Columns(int firstSlot, int slots, int seed)
    {
        var random = new Random(seed);
        var columns = Indicators.Select(_ => new double[slots]).ToArray();
        for (var k = 0; k < slots; k++)
        {
            var phase = 2 * Math.PI * ((firstSlot + k) % SlotsPerDay) / SlotsPerDay;
            columns[0][k] = Math.Round(8.0 + 1.2 * Math.Sin(phase - 1.5) + Noise[0] * Gaussian(random), 2);
            columns[1][k] = Math.Round(0.30 + Noise[1] * Gaussian(random), 3);
            columns[2][k] = Math.Round(7.6 + 0.15 * Math.Sin(phase - 1.5) + Noise[2] * Gaussian(random), 2);
            columns[3][k] = Math.Round(20 + 1.5 * Math.Sin(phase - 2) + Noise[3] * Gaussian(random), 1);
        }
        return columns;
    }

    public static StationSeries Series(int firstSlot, double[][] columns, string station = "S001") =>
        new(station, Indicators, Start + Interval * firstSlot, Interval, columns);

    /// <summary>Seven days of clean history from slot 0.</summary>
    public static StationSeries History(int seed = 1, int days = 7) => Series(0, Columns(0, days * SlotsPerDay, seed));

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
