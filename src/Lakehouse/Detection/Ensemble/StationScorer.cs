using System.Numerics;
using OneMap.Lakehouse.Detection.Rules;
using OneMap.Models.WaterQuality;

namespace OneMap.Lakehouse.Detection.Ensemble;

/// <summary>
/// One station's engine plus its incident trackers (pollution and sensor fault): scores a slot, updates incidents
/// and says what changed. Streams and backfills both go through here.
/// </summary>
internal sealed class StationScorer
{
    private readonly StationEngine _engine;
    private readonly IncidentTracker _pollution;
    private readonly IncidentTracker _faults;
    private readonly StationModel _model;
    private readonly int _d;
    private readonly Func<Explanation> _explain;

    // The slot being processed and its explanation once built: explanations cost allocations, so they are built
    // only when an incident needs one or the caller asks, at most once per slot.
    private ScoredReading _current;
    private Explanation? _built;

    public StationScorer(StationModel model)
    {
        _model = model;
        _d = model.Indicators.Count;
        _engine = new StationEngine(model);
        _explain = () => _built ??= _engine.Explain(_current);
        var options = model.Options;
        _pollution = new IncidentTracker(model.Station, AnomalyKind.Pollution, model.Indicators, options.IncidentGap, options.MinimumAnomalousReadings);
        _faults = new IncidentTracker(model.Station, AnomalyKind.SensorFault, model.Indicators, options.IncidentGap, options.MinimumAnomalousReadings);
    }

    public Incident? OpenPollution => _pollution.Current;

    public Incident? OpenFault => _faults.Current;

    /// <summary>Scores one slot and feeds the trackers; <paramref name="explanation"/> is built only when asked for.</summary>
    public ScoredReading Process(DateTimeOffset time, ReadOnlySpan<double> values, List<IncidentTransition> transitions,
        bool explain, out Explanation? explanation)
    {
        _engine.Step(time, values);
        var reading = _engine.Combine(time, out var ruleFired, out _);
        _current = reading;
        _built = null;

        var pollution = reading.Score >= 1;
        var severity = IncidentSeverity.Low;
        if (pollution)
        {
            var breadth = BitOperations.PopCount(reading.Indicators);
            severity = ruleFired && _engine.WorstRuleClass == WaterClass.WorseThanV ? IncidentSeverity.Critical
                : ruleFired || reading.Score >= 2.5 ? IncidentSeverity.High
                : reading.Score >= 1.5 || breadth >= 3 ? IncidentSeverity.Moderate
                : IncidentSeverity.Low;
        }
        _pollution.Observe(time, pollution, reading.Score, time, severity, reading.Indicators,
            (ushort)(reading.Detectors & ~DetectorSet.Faults), _explain, transitions);

        var faulty = BitOperations.PopCount(reading.FaultIndicators);
        var onset = time;
        for (var i = 0; i < _d; i++)
        {
            if (_engine.Fault[i] is not null)
            {
                var since = time - _model.Interval * Math.Max(0, _engine.FaultAge[i] - 1);
                if (since < onset)
                {
                    onset = since;
                }
            }
        }
        var faultSeverity = faulty == _d ? IncidentSeverity.High : faulty >= 2 ? IncidentSeverity.Moderate : IncidentSeverity.Low;
        _faults.Observe(time, faulty > 0, (double)faulty / _d, onset, faultSeverity, reading.FaultIndicators,
            (ushort)(reading.Detectors & DetectorSet.Faults), _explain, transitions);

        _engine.Commit(reading, incidentOpen: _pollution.IsOpen);
        explanation = explain ? _explain() : null;
        return reading;
    }

    /// <summary>Closes incidents whose gap has passed by <paramref name="now"/>.</summary>
    public void Advance(DateTimeOffset now, List<IncidentTransition> transitions)
    {
        _pollution.Advance(now, transitions);
        _faults.Advance(now, transitions);
    }

    public void CloseAll(List<IncidentTransition> transitions)
    {
        _pollution.CloseAll(transitions);
        _faults.CloseAll(transitions);
    }

    /// <summary>Forgets the detectors' state (after a silence longer than the gap fill); incidents are closed first.</summary>
    public void Restart(List<IncidentTransition> transitions)
    {
        CloseAll(transitions);
        _engine.Reset();
    }
}
