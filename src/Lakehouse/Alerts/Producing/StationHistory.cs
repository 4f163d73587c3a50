using OneMap.Lakehouse.Detection;
using OneMap.Lakehouse.Detection.Ensemble;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>A station's learnt model with the scale the city's weather filter uses for it.</summary>
/// <param name="Model">The ensemble's model.</param>
/// <param name="RegionalScale">Robust σ per engine indicator of the station's deviations from its trailing day.</param>
public sealed record LearntStation(StationModel Model, double[] RegionalScale);

/// <summary>
/// Learning station models from history the way the engine scores: every station's history on one grid, the city's
/// weather removed slot by slot across stations (as <see cref="RegionalWeather"/> does live), then
/// <see cref="StationModel.Learn"/> per station. Stations whose history is too short are left out (returned apart).
/// </summary>
public static class StationHistory
{
    /// <summary>Removes the city's weather from the histories (all on the same grid and indicators), slot by slot.</summary>
    public static IReadOnlyDictionary<string, StationSeries> RemoveWeather(IReadOnlyDictionary<string, StationSeries> histories,
        IReadOnlyDictionary<string, double[]> scales)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(scales);
        if (histories.Count == 0)
        {
            return histories;
        }
        var first = histories.Values.First();
        var regional = new RegionalWeather(first.Indicators, first.Interval);
        foreach (var (station, scale) in scales)
        {
            regional.SetScale(station, scale);
        }
        var adjusted = histories.ToDictionary(p => p.Key, p => Enumerable.Range(0, p.Value.Indicators.Count).Select(_ => new double[p.Value.Length]).ToArray(), StringComparer.Ordinal);
        var row = new double[first.Indicators.Count];
        for (var k = 0; k < first.Length; k++)
        {
            foreach (var (station, series) in histories)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = series.Column(i)[k];
                }
                var cleaned = regional.Adjust(station, series.TimeAt(k), row);
                var columns = adjusted[station];
                for (var i = 0; i < row.Length; i++)
                {
                    columns[i][k] = cleaned[i];
                }
            }
        }
        return histories.ToDictionary(p => p.Key, p => new StationSeries(p.Key, p.Value.Indicators, p.Value.Start, p.Value.Interval, adjusted[p.Key]), StringComparer.Ordinal);
    }

    /// <summary>
    /// Learns every station's model from its history (weather removed first when asked), up to <paramref name="maxDegreeOfParallelism"/>
    /// at a time. Stations the ensemble cannot calibrate (too little history) are returned in <paramref name="skipped"/> with why.
    /// </summary>
    public static IReadOnlyList<LearntStation> Learn(IReadOnlyDictionary<string, StationSeries> histories, EnsembleOptions options,
        int maxDegreeOfParallelism, out IReadOnlyDictionary<string, string> skipped, bool removeWeather = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var scales = histories.ToDictionary(p => p.Key, p => RegionalWeather.LearnScale(
            [.. Enumerable.Range(0, p.Value.Indicators.Count).Select(p.Value.Column)], p.Value.Interval), StringComparer.Ordinal);
        var cleaned = removeWeather ? RemoveWeather(histories, scales) : histories;
        var learnt = new List<LearntStation>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var gate = new Lock();
        Parallel.ForEach(cleaned, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxDegreeOfParallelism), CancellationToken = cancellationToken }, pair =>
        {
            try
            {
                var model = StationModel.Learn(pair.Value, options);
                lock (gate)
                {
                    learnt.Add(new LearntStation(model, scales[pair.Key]));
                }
            }
            catch (DetectionException e)
            {
                lock (gate)
                {
                    failed[pair.Key] = e.Message;
                }
            }
        });
        skipped = failed;
        return [.. learnt.OrderBy(s => s.Model.Station, StringComparer.Ordinal)];
    }
}
