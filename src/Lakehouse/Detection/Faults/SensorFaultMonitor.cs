namespace OneMap.Lakehouse.Detection.Faults;

/// <summary>
/// Watches one indicator's readings for sensor faults, one reading at a time: dropout (missing readings), stuck
/// (the same value over and over), flatline (almost the same value, within a tolerance) and implausible values
/// (outside the physical range). These are instrument problems, reported as faults and never as pollution.
/// </summary>
public sealed class SensorFaultMonitor
{
    private readonly SensorFaultLimits _limits;
    private double _last = double.NaN;
    private int _identical;
    private int _flat;
    private double _flatLow;
    private double _flatHigh;
    private int _missing;

    public SensorFaultMonitor(SensorFaultLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    public SensorFaultLimits Limits => _limits;

    /// <summary>The fault after the last reading (null: none).</summary>
    public DetectorKind? Fault { get; private set; }

    /// <summary>How many readings back the current fault began (1: with the last reading); 0 without a fault.</summary>
    public int FaultAge { get; private set; }

    /// <summary>Adds a reading (NaN = missing) and returns the fault it shows, or null.</summary>
    public DetectorKind? Push(double value)
    {
        if (!double.IsFinite(value))
        {
            _missing++;
            // A gap neither breaks nor extends a stuck run: a frozen sensor that also drops readings is still frozen.
            return Set(_missing >= _limits.DropoutReadings ? DetectorKind.Dropout : null, _missing);
        }
        _missing = 0;
        _identical = value == _last ? _identical + 1 : 1;
        if (_flat > 0 && Math.Max(_flatHigh, value) - Math.Min(_flatLow, value) <= _limits.FlatlineTolerance)
        {
            _flat++;
            _flatLow = Math.Min(_flatLow, value);
            _flatHigh = Math.Max(_flatHigh, value);
        }
        else
        {
            _flat = 1;
            _flatLow = _flatHigh = value;
        }
        _last = value;
        if (value < _limits.Minimum || value > _limits.Maximum)
        {
            return Set(DetectorKind.Implausible, Fault == DetectorKind.Implausible ? FaultAge + 1 : 1);
        }
        if (_identical >= _limits.StuckReadings)
        {
            return Set(DetectorKind.Stuck, _identical);
        }
        if (_flat >= _limits.FlatlineReadings)
        {
            return Set(DetectorKind.Flatline, _flat);
        }
        return Set(null, 0);
    }

    private DetectorKind? Set(DetectorKind? fault, int age)
    {
        Fault = fault;
        FaultAge = fault is null ? 0 : age;
        return fault;
    }

    public void Reset()
    {
        _last = double.NaN;
        _identical = 0;
        _flat = 0;
        _missing = 0;
        Fault = null;
        FaultAge = 0;
    }
}
