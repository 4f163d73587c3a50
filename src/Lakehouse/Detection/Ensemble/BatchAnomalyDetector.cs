namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>The ensemble's verdict on a stretch of one station's readings.</summary>
/// <param name="Station">Station identifier.</param>
/// <param name="Readings">One scored reading per slot of the series.</param>
/// <param name="Incidents">Incidents in order of start; the last ones may still be open (End null) unless closed on request.</param>
public sealed record StationScores(string Station, ScoredReading[] Readings, IReadOnlyList<Incident> Incidents);

/// <summary>
/// Batch scoring over arrays, for backfills: the same steps a <see cref="StationAnomalyStream"/> takes, run in a
/// tight loop over a <see cref="StationSeries"/>, stations in parallel. A series scored here and the same readings
/// pushed through a stream give the same scores and the same incidents.
/// </summary>
public static class BatchAnomalyDetector
{
    /// <summary>Scores every slot of <paramref name="series"/> with <paramref name="model"/>.</summary>
    /// <param name="model">The station's learnt model.</param>
    /// <param name="series">Readings on the model's interval, indicators in the model's order.</param>
    /// <param name="closeOpenIncidents">Close incidents still open at the end of the series (else they stay open).</param>
    /// <param name="cancellationToken">Checked every few thousand slots.</param>
    public static StationScores Score(StationModel model, StationSeries series, bool closeOpenIncidents = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(series);
        model.CheckCompatible(series);
        var scorer = new StationScorer(model);
        var d = series.Indicators.Count;
        var readings = new ScoredReading[series.Length];
        var transitions = new List<IncidentTransition>();
        var incidents = new List<Incident>();
        var row = new double[d];
        var columns = Enumerable.Range(0, d).Select(series.Column).ToArray();
        for (var t = 0; t < series.Length; t++)
        {
            if ((t & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            for (var i = 0; i < d; i++)
            {
                row[i] = columns[i][t];
            }
            readings[t] = scorer.Process(series.TimeAt(t), row, transitions, explain: false, out _);
            if (transitions.Count > 0)
            {
                Collect(transitions, incidents);
            }
        }
        if (closeOpenIncidents)
        {
            scorer.CloseAll(transitions);
            Collect(transitions, incidents);
        }
        else
        {
            incidents.AddRange(new[] { scorer.OpenPollution, scorer.OpenFault }.OfType<Incident>());
        }
        incidents.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new StationScores(model.Station, readings, incidents);
    }

    /// <summary>
    /// Scores many stations, up to <paramref name="maxDegreeOfParallelism"/> at a time; results in input order.
    /// </summary>
    public static StationScores[] ScoreAll(IReadOnlyList<StationModel> models, IReadOnlyList<StationSeries> series,
        int maxDegreeOfParallelism, bool closeOpenIncidents = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(series);
        if (models.Count != series.Count)
        {
            throw new ArgumentException($"{models.Count} models for {series.Count} series", nameof(series));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        var results = new StationScores[models.Count];
        Parallel.For(0, models.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken },
            i => results[i] = Score(models[i], series[i], closeOpenIncidents, cancellationToken));
        return results;
    }

    private static void Collect(List<IncidentTransition> transitions, List<Incident> incidents)
    {
        foreach (var transition in transitions)
        {
            if (transition.Kind == IncidentTransitionKind.Closed)
            {
                incidents.Add(transition.Incident);
            }
        }
        transitions.Clear();
    }
}
