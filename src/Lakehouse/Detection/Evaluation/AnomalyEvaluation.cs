using OneMap.Lakehouse.Detection.Ensemble;

namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>The ensemble on a labelled table, learnt on its head and judged on the rows after.</summary>
/// <param name="LearnRows">Rows learnt on (the head of the table).</param>
/// <param name="EvaluatedRows">Rows judged: [<paramref name="LearnRows"/>, <paramref name="LearnRows"/> + this).</param>
/// <param name="PointWise">Readings scored at or above the alarm threshold vs labelled rows.</param>
/// <param name="EventWise">Pollution incidents vs labelled events (runs of labelled rows).</param>
/// <param name="PollutionIncidents">Pollution incidents in the judged rows.</param>
/// <param name="FaultIncidents">Sensor-fault incidents in the judged rows (not counted as predictions of events).</param>
/// <param name="Model">The learnt model.</param>
public sealed record HoldOutResult(
    int LearnRows,
    int EvaluatedRows,
    PrecisionRecall PointWise,
    EventMetrics EventWise,
    IReadOnlyList<Incident> PollutionIncidents,
    IReadOnlyList<Incident> FaultIncidents,
    StationModel Model);

/// <summary>Runs the ensemble over the labelled datasets the way a user would: learn on the past, detect on the future.</summary>
public static class AnomalyEvaluation
{
    /// <summary>
    /// NAB protocol: for each file, learn a single-indicator model on its probationary rows only, then score every row
    /// in order (the model never sees a row before scoring it). A row's anomaly score is the ensemble score, or 1 when
    /// a sensor fault is present and the score is lower (NAB counts every anomaly, whatever its kind).
    /// </summary>
    public static IReadOnlyList<NabSeries> ScoreNabCorpus(IReadOnlyList<NabFile> files, EnsembleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scored = new NabSeries[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
        {
            var file = files[f];
            var series = ToSeries(file.Name, ["value"], file.Timestamps, [file.Values]);
            var probation = NabScoring.ProbationLength(series.Length);
            var model = StationModel.Learn(series.Slice(0, probation), options);
            var result = BatchAnomalyDetector.Score(model, series, cancellationToken: cancellationToken);
            var scores = result.Readings.Select(r => Math.Max(r.Score, r.IsFault ? 1.0 : 0.0)).ToArray();
            scored[f] = new NabSeries(file.Name, scores, file.Windows);
        });
        return scored;
    }

    /// <summary>
    /// Time-ordered hold-out on a labelled table (e.g. GECCO 2018): learn on rows [0, learn), score every row in
    /// order with that model (the learning rows only warm it up), and judge rows [learn, until). With
    /// <paramref name="useLearningLabels"/> the labelled events of the learning rows are left out of the calibration,
    /// as an operator's confirmed incidents would be; the judged rows' labels are only used to judge.
    /// </summary>
    public static HoldOutResult RunHoldOut(LabelledTable table, string station, int learn, int until, EnsembleOptions options,
        bool useLearningLabels = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (learn < 1 || until <= learn || until > table.Times.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"need 0 < learn ({learn}) < until ≤ {table.Times.Count}");
        }
        var series = ToSeries(station, table.Columns, table.Times, table.Values).Slice(0, until);
        var known = useLearningLabels ? table.Labels.AsSpan(0, learn) : default;
        var model = StationModel.Learn(series.Slice(0, learn), options, known);
        var result = BatchAnomalyDetector.Score(model, series, closeOpenIncidents: true, cancellationToken);

        var predicted = new bool[until - learn];
        for (var t = learn; t < until; t++)
        {
            predicted[t - learn] = result.Readings[t].IsPollution;
        }
        var labelled = table.Labels.AsSpan(learn, until - learn);
        var pointWise = DetectionMetrics.PointWise(predicted, labelled);

        var evaluatedStart = series.TimeAt(learn);
        var pollution = result.Incidents.Where(i => i.Kind == AnomalyKind.Pollution && i.End >= evaluatedStart).ToList();
        var faults = result.Incidents.Where(i => i.Kind == AnomalyKind.SensorFault && i.End >= evaluatedStart).ToList();
        var predictedEvents = pollution
            .Select(i => new LabelWindow(Math.Max(0, Row(series, i.Start) - learn), Row(series, i.End!.Value) - learn))
            .ToList();
        var eventWise = DetectionMetrics.EventWise(predictedEvents, DetectionMetrics.Runs(labelled));
        return new HoldOutResult(learn, until - learn, pointWise, eventWise, pollution, faults, model);
    }

    /// <summary>A regular series from rows of a dataset (the interval is the first step; an irregular step is an error).</summary>
    public static StationSeries ToSeries(string station, IReadOnlyList<string> indicators, IReadOnlyList<DateTime> times, IReadOnlyList<double[]> columns)
    {
        if (times.Count < 2)
        {
            throw new InvalidSeriesException($"{station}: fewer than two rows");
        }
        var interval = times[1] - times[0];
        for (var i = 2; i < times.Count; i++)
        {
            if (times[i] - times[i - 1] != interval)
            {
                throw new InvalidSeriesException($"{station}: row {i} at {times[i]:O} breaks the regular interval {interval}");
            }
        }
        return new StationSeries(station, indicators, new DateTimeOffset(times[0], TimeSpan.Zero), interval, columns);
    }

    private static int Row(StationSeries series, DateTimeOffset time) => (int)Math.Round((time - series.Start) / series.Interval);
}
