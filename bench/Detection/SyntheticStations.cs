using OneMap.Lakehouse.Detection;

namespace OneMap.Bench.Detection;

/// <summary>
/// Synthetic water-quality stations for throughput runs: 5-minute readings of eight indicators with diurnal cycles,
/// noise and instrument rounding, a planted pollution episode every two weeks and a frozen sensor now and then, so
/// that the incident paths are exercised as well as the detectors.
/// </summary>
internal static class SyntheticStations
{
    public static readonly string[] Indicators = ["pH", "DO", "COD_Mn", "NH3-N", "TP", "Temperature", "Turbidity", "Conductivity"];

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public const int SlotsPerDay = 288;

    public const int SlotsPerYear = 365 * SlotsPerDay;

    public static StationSeries Generate(int station, int slots)
    {
        var random = new Random(1000 + station);
        var columns = Indicators.Select(_ => new double[slots]).ToArray();
        for (var t = 0; t < slots; t++)
        {
            var day = 2 * Math.PI * (t % SlotsPerDay) / SlotsPerDay;
            var season = 2 * Math.PI * t / SlotsPerYear;
            columns[0][t] = Math.Round(7.6 + 0.2 * Math.Sin(day - 1.5) + 0.03 * Gaussian(random), 2);
            columns[1][t] = Math.Round(8 - 1.5 * Math.Cos(season) + 1.2 * Math.Sin(day - 1.5) + 0.15 * Gaussian(random), 2);
            columns[2][t] = Math.Round(3.5 + 0.3 * Gaussian(random), 1);
            columns[3][t] = Math.Round(0.3 + 0.03 * Gaussian(random), 3);
            columns[4][t] = Math.Round(0.08 + 0.01 * Gaussian(random), 3);
            columns[5][t] = Math.Round(18 - 8 * Math.Cos(season) + 1.5 * Math.Sin(day - 2) + 0.1 * Gaussian(random), 1);
            columns[6][t] = Math.Round(12 + 2 * Gaussian(random), 1);
            columns[7][t] = Math.Round(350 + 5 * Gaussian(random), 0);
        }
        // A pollution episode every two weeks (two hours: oxygen down, ammonia and COD up), a frozen thermometer
        // every five weeks (six hours) and a one-hour dropout every three weeks.
        foreach (var start in PollutionStarts(station, slots))
        {
            for (var t = start; t < start + PollutionLength; t++)
            {
                columns[1][t] = Math.Round(columns[1][t] - 1.0, 2);
                columns[3][t] = Math.Round(columns[3][t] + 0.25, 3);
                columns[2][t] = Math.Round(columns[2][t] + 1.5, 1);
            }
        }
        for (var start = 20 * SlotsPerDay + station * 53; start + 72 < slots; start += 35 * SlotsPerDay)
        {
            for (var t = start; t < start + 72; t++)
            {
                columns[5][t] = columns[5][start - 1];
            }
        }
        for (var start = 15 * SlotsPerDay + station * 11; start + 12 < slots; start += 21 * SlotsPerDay)
        {
            for (var t = start; t < start + 12; t++)
            {
                columns[0][t] = double.NaN;
            }
        }
        return new StationSeries($"station-{station:000}", Indicators, Start, Interval, columns);
    }

    /// <summary>Slots where a planted pollution episode starts (each lasts <see cref="PollutionLength"/> slots).</summary>
    public static IEnumerable<int> PollutionStarts(int station, int slots)
    {
        for (var start = 10 * SlotsPerDay + station * 37; start + PollutionLength < slots; start += 14 * SlotsPerDay)
        {
            yield return start;
        }
    }

    public const int PollutionLength = 24;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
