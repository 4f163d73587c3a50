namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// Groups a station's anomalous readings of one kind into incidents: anomalous readings closer than the gap join the
/// open incident; the incident opens once it has the minimum number of anomalous readings and closes when no
/// anomalous reading came for longer than the gap. One alert per incident, not one per reading.
/// </summary>
internal sealed class IncidentTracker
{
    private readonly string _station;
    private readonly AnomalyKind _kind;
    private readonly IReadOnlyList<string> _indicators;
    private readonly TimeSpan _gap;
    private readonly int _minimumReadings;

    // The cluster being built (pending until it has enough readings, then open).
    private bool _active;
    private bool _open;
    private DateTimeOffset _start;
    private DateTimeOffset _last;
    private int _count;
    private double _peak;
    private DateTimeOffset _peakTime;
    private IncidentSeverity _severity;
    private uint _indicatorMask;
    private ushort _detectorMask;
    private Explanation _peakExplanation = Explanation.Empty;

    public IncidentTracker(string station, AnomalyKind kind, IReadOnlyList<string> indicators, TimeSpan gap, int minimumReadings)
    {
        _station = station;
        _kind = kind;
        _indicators = indicators;
        _gap = gap;
        _minimumReadings = minimumReadings;
    }

    /// <summary>The open incident, if any.</summary>
    public Incident? Current => _open ? Snapshot(end: null) : null;

    /// <summary>Whether an incident is open (cheaper than <see cref="Current"/>).</summary>
    public bool IsOpen => _open;

    /// <summary>
    /// Observes one reading. <paramref name="anomalous"/>: whether it is anomalous for this tracker's kind;
    /// <paramref name="onset"/>: when the anomaly it shows began (a fault's start; the reading's time otherwise).
    /// </summary>
    public void Observe(DateTimeOffset time, bool anomalous, double score, DateTimeOffset onset, IncidentSeverity severity,
        uint indicators, ushort detectors, Func<Explanation> explain, List<IncidentTransition> transitions)
    {
        if (_active && time - _last > _gap)
        {
            Finish(transitions);
        }
        if (!anomalous)
        {
            return;
        }
        if (!_active)
        {
            _active = true;
            _open = false;
            _start = onset < time ? onset : time;
            _count = 0;
            _peak = double.NegativeInfinity;
            _severity = IncidentSeverity.Low;
            _indicatorMask = 0;
            _detectorMask = 0;
        }
        _last = time;
        _count++;
        _indicatorMask |= indicators;
        _detectorMask |= detectors;
        var escalated = severity > _severity;
        if (escalated)
        {
            _severity = severity;
        }
        if (score > _peak)
        {
            _peak = score;
            _peakTime = time;
            _peakExplanation = explain();
        }
        if (!_open && _count >= _minimumReadings)
        {
            _open = true;
            transitions.Add(new IncidentTransition(IncidentTransitionKind.Opened, Snapshot(end: null)));
        }
        else if (_open && escalated)
        {
            transitions.Add(new IncidentTransition(IncidentTransitionKind.Escalated, Snapshot(end: null)));
        }
    }

    /// <summary>Closes the incident if its gap has passed by <paramref name="now"/> (no reading needed).</summary>
    public void Advance(DateTimeOffset now, List<IncidentTransition> transitions)
    {
        if (_active && now - _last > _gap)
        {
            Finish(transitions);
        }
    }

    /// <summary>Closes whatever is open (end of a backfill that should not leave incidents open, or a stream shutting down).</summary>
    public void CloseAll(List<IncidentTransition> transitions)
    {
        if (_active)
        {
            Finish(transitions);
        }
    }

    private void Finish(List<IncidentTransition> transitions)
    {
        if (_open)
        {
            transitions.Add(new IncidentTransition(IncidentTransitionKind.Closed, Snapshot(end: _last)));
        }
        _active = false;
        _open = false;
    }

    private Incident Snapshot(DateTimeOffset? end)
    {
        var names = new List<string>();
        for (var i = 0; i < _indicators.Count; i++)
        {
            if ((_indicatorMask & (1u << i)) != 0)
            {
                names.Add(_indicators[i]);
            }
        }
        var id = $"{_station}/{(_kind == AnomalyKind.Pollution ? "pollution" : "fault")}/{_start.UtcDateTime:yyyyMMddTHHmmssZ}";
        return new Incident(id, _station, _kind, _start, end, _last, _severity, _peak, _peakTime, _count, names,
            DetectorSet.Expand(_detectorMask), _peakExplanation);
    }
}
