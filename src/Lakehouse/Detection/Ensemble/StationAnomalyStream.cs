namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>What a stream did with the readings it was given.</summary>
/// <param name="Readings">Slots scored (usually one; more when a gap was filled or buffered slots completed).</param>
/// <param name="Transitions">Incidents opened, escalated or closed.</param>
/// <param name="Rejected">Readings refused, with the reason (quarantine them).</param>
public sealed record StreamUpdate(IReadOnlyList<ExplainedReading> Readings, IReadOnlyList<IncidentTransition> Transitions, IReadOnlyList<RejectedReading> Rejected)
{
    public static StreamUpdate Empty { get; } = new([], [], []);
}

/// <summary>
/// Live anomaly detection for one station, for the ingest path: readings go in one at a time (per indicator, or a
/// whole slot at once), every scored slot comes out with its explanation, and incidents open, escalate and close as
/// the readings arrive. Slots sit on the model's grid (<see cref="StationModel.LearnedFrom"/> + k·interval); a
/// per-indicator reading waits until its slot is complete or a reading two slots later arrives. Missing slots are
/// scored as missing (dropouts), late readings are refused, a silence longer than
/// <see cref="EnsembleOptions.MaximumGapFill"/> restarts the station's state. Not thread-safe: one stream per
/// station, driven by one worker.
/// </summary>
public sealed class StationAnomalyStream
{
    private readonly StationModel _model;
    private readonly StationScorer _scorer;
    private readonly bool _explain;
    private readonly int _d;
    private readonly Dictionary<string, int> _index;
    private readonly SortedDictionary<long, PendingSlot> _pending = [];
    private readonly long _maxGapSlots;
    private long? _lastSlot;

    /// <param name="model">The station's learnt model.</param>
    /// <param name="explainEveryReading">Build an explanation for every scored slot (else only for incidents).</param>
    public StationAnomalyStream(StationModel model, bool explainEveryReading = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _scorer = new StationScorer(model);
        _explain = explainEveryReading;
        _d = model.Indicators.Count;
        _index = model.Indicators.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        _maxGapSlots = Math.Max(1, (long)(model.Options.MaximumGapFill / model.Interval));
    }

    public StationModel Model => _model;

    /// <summary>Time of the last scored slot; null before the first.</summary>
    public DateTimeOffset? LastTime => _lastSlot is { } slot ? SlotTime(slot) : null;

    /// <summary>The open pollution incident, if any.</summary>
    public Incident? OpenPollution => _scorer.OpenPollution;

    /// <summary>The open sensor-fault incident, if any.</summary>
    public Incident? OpenFault => _scorer.OpenFault;

    /// <summary>
    /// Scores one slot: all indicators' readings at <paramref name="time"/> (NaN = missing), in the model's order.
    /// Slots skipped since the last one are scored as missing first.
    /// </summary>
    public StreamUpdate Push(DateTimeOffset time, ReadOnlySpan<double> values)
    {
        if (values.Length != _d)
        {
            throw new ArgumentException($"station {_model.Station}: {values.Length} values for {_d} indicators", nameof(values));
        }
        var slot = SlotOf(time);
        var update = new Builder();
        if (_lastSlot is { } last && slot <= last)
        {
            for (var i = 0; i < _d; i++)
            {
                update.Rejected.Add(new RejectedReading(_model.Station, _model.Indicators[i], time, values[i],
                    $"slot {SlotTime(slot):O} already scored (late or repeated reading)"));
            }
            return update.Build();
        }
        FlushPendingBefore(slot, update);
        ScoreSlot(slot, values, update);
        return update.Build();
    }

    /// <summary>
    /// Adds one indicator's reading. The slot is scored once every indicator has reported for it, or once a reading
    /// two slots later arrives (the missing ones then count as missing).
    /// </summary>
    public StreamUpdate Push(string indicator, DateTimeOffset time, double value)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var update = new Builder();
        if (!_index.TryGetValue(indicator, out var i))
        {
            update.Rejected.Add(new RejectedReading(_model.Station, indicator, time, value,
                $"unknown indicator '{indicator}' (station has {string.Join(", ", _model.Indicators)})"));
            return update.Build();
        }
        if (!double.IsFinite(value))
        {
            update.Rejected.Add(new RejectedReading(_model.Station, indicator, time, value, "value is not a finite number"));
            return update.Build();
        }
        var slot = SlotOf(time);
        if (_lastSlot is { } last && slot <= last)
        {
            update.Rejected.Add(new RejectedReading(_model.Station, indicator, time, value,
                $"slot {SlotTime(slot):O} already scored (late or repeated reading)"));
            return update.Build();
        }
        if (!_pending.TryGetValue(slot, out var pending))
        {
            pending = new PendingSlot(_d);
            _pending.Add(slot, pending);
        }
        pending.Add(i, value);
        // Slots more than one interval behind the newest reading will not be completed any more.
        FlushPendingBefore(slot - 1, update);
        if (pending.Complete)
        {
            FlushPendingBefore(slot + 1, update);
        }
        return update.Build();
    }

    /// <summary>
    /// Tells the stream the time is <paramref name="now"/>: buffered slots more than an interval old are scored, slots
    /// that passed without any reading are scored as missing (a silent station becomes a dropout incident), and
    /// incidents whose gap has passed are closed. Call it on a timer.
    /// </summary>
    public StreamUpdate AdvanceTo(DateTimeOffset now)
    {
        var update = new Builder();
        // The slot containing "now" and the one before it may still receive readings.
        var settled = SlotOf(now) - 1;
        FlushPendingBefore(settled, update);
        if (_lastSlot is { } last && last < settled - 1)
        {
            FillGap(last + 1, settled - 1, update);
        }
        _scorer.Advance(now, update.Transitions);
        return update.Build();
    }

    /// <summary>Scores every buffered slot and closes open incidents (the stream is shutting down).</summary>
    public StreamUpdate Complete()
    {
        var update = new Builder();
        FlushPendingBefore(long.MaxValue, update);
        _scorer.CloseAll(update.Transitions);
        return update.Build();
    }

    private void FlushPendingBefore(long slot, Builder update)
    {
        while (_pending.Count > 0)
        {
            var first = _pending.First();
            if (first.Key >= slot)
            {
                break;
            }
            _pending.Remove(first.Key);
            ScoreSlot(first.Key, first.Value.Values, update);
        }
    }

    private void ScoreSlot(long slot, ReadOnlySpan<double> values, Builder update)
    {
        if (_lastSlot is { } last && slot > last + 1)
        {
            FillGap(last + 1, slot - 1, update);
        }
        Score(slot, values, update);
    }

    private void FillGap(long from, long to, Builder update)
    {
        var missing = new double[_d];
        Array.Fill(missing, double.NaN);
        var count = to - from + 1;
        if (count > _maxGapSlots)
        {
            // Score the first part of a long silence (it opens the dropout incident), then start afresh.
            for (var s = from; s < from + _maxGapSlots; s++)
            {
                Score(s, missing, update);
            }
            _scorer.Restart(update.Transitions);
            _lastSlot = to;
            return;
        }
        for (var s = from; s <= to; s++)
        {
            Score(s, missing, update);
        }
    }

    private void Score(long slot, ReadOnlySpan<double> values, Builder update)
    {
        var time = SlotTime(slot);
        var reading = _scorer.Process(time, values, update.Transitions, _explain, out var explanation);
        update.Readings.Add(new ExplainedReading(reading, explanation ?? Explanation.Empty));
        _lastSlot = slot;
    }

    private long SlotOf(DateTimeOffset time) => (long)Math.Floor((time - _model.LearnedFrom) / _model.Interval);

    private DateTimeOffset SlotTime(long slot) => _model.LearnedFrom + _model.Interval * slot;

    private sealed class PendingSlot
    {
        private readonly int[] _counts;

        public PendingSlot(int d)
        {
            Values = new double[d];
            Array.Fill(Values, double.NaN);
            _counts = new int[d];
        }

        public double[] Values { get; }

        public bool Complete => _counts.All(c => c > 0);

        /// <summary>Several readings of one indicator in one slot are averaged.</summary>
        public void Add(int indicator, double value)
        {
            var n = _counts[indicator];
            Values[indicator] = n == 0 ? value : (Values[indicator] * n + value) / (n + 1);
            _counts[indicator] = n + 1;
        }
    }

    private sealed class Builder
    {
        public List<ExplainedReading> Readings { get; } = [];

        public List<IncidentTransition> Transitions { get; } = [];

        public List<RejectedReading> Rejected { get; } = [];

        public StreamUpdate Build() =>
            Readings.Count == 0 && Transitions.Count == 0 && Rejected.Count == 0 ? StreamUpdate.Empty : new StreamUpdate(Readings, Transitions, Rejected);
    }
}
