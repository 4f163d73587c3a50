using OneMap.Models.Sensors;
using OneMap.Models.WaterQuality;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.Rivers;

namespace OneMap.Simulator.WaterQuality;

/// <summary>
/// The value every station reports for every indicator at every 5-minute step, as a pure function of (station,
/// step): seasonal and diurnal cycles (temperature, photosynthesis in DO and pH, sewage peaks in NH3-N), baseline
/// wander, noise, the estuary's tide in conductivity, rain runoff, pollution arriving from upstream incidents, and the
/// station's own instrument faults. Pure functions let the day files be written in parallel and still be identical.
/// </summary>
public sealed class WaterSignal
{
    /// <summary>Indicator order of every value array: the order of <see cref="Indicators.All"/>.</summary>
    public const int Temp = 0, Ph = 1, Do = 2, Cond = 3, Turb = 4, CodMn = 5, Nh3N = 6, Tp = 7, Count = 8;

    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    private readonly List<StationInfo> _stations;
    private readonly Weather _weather;
    private readonly DateTimeOffset _start;
    private readonly ulong[] _keys;
    private readonly List<(Incident Incident, AffectedStation At)>[] _pollution;
    private readonly List<Incident>[] _faults;
    private readonly ulong _gapKey;

    public WaterSignal(ulong seed, List<StationInfo> stations, Weather weather, IReadOnlyList<Incident> incidents, DateTimeOffset start)
    {
        _stations = stations;
        _weather = weather;
        _start = start;
        _keys = stations.Select(s => Hash.Combine(seed, Hash.Of(s.Record.Id))).ToArray();
        _gapKey = Hash.Combine(seed, Hash.Of("gaps"));
        _pollution = stations.Select(_ => new List<(Incident, AffectedStation)>()).ToArray();
        _faults = stations.Select(_ => new List<Incident>()).ToArray();
        foreach (var incident in incidents)
        {
            if (incident.IsPollution)
            {
                foreach (var affected in incident.Affected)
                {
                    _pollution[affected.Station].Add((incident, affected));
                }
            }
            else
            {
                _faults[incident.FaultStation].Add(incident);
            }
        }
    }

    public DateTimeOffset TimeOf(long step) => _start + Step * step;

    /// <summary>
    /// Fills <paramref name="values"/> and <paramref name="flags"/> with what the station reports at the step, rounded
    /// as the instrument reports it; false when the station sends nothing (dropout or a lost message).
    /// </summary>
    public bool Report(int station, long step, Span<double> values, Span<DataFlag> flags)
    {
        var t = TimeOf(step);
        foreach (var fault in _faults[station])
        {
            if (fault.Type == "dropout" && t >= fault.Start && t < fault.End)
            {
                return false;
            }
        }
        // About one cycle in a thousand is lost in transit: background gaps, not an incident.
        if (Hash.Unit(Hash.Combine(_gapKey, (ulong)station, (ulong)step)) < 0.001)
        {
            return false;
        }
        Clean(station, step, values);
        flags.Fill(DataFlag.Normal);
        foreach (var fault in _faults[station])
        {
            ApplyFault(fault, station, t, values, flags);
        }
        for (var i = 0; i < Count; i++)
        {
            values[i] = Math.Round(values[i], Indicators.All[i].Decimals, MidpointRounding.AwayFromZero);
        }
        return true;
    }

    /// <summary>The true water quality (baseline, rain and pollution, before any instrument fault).</summary>
    public void Clean(int station, long step, Span<double> values)
    {
        var s = _stations[station];
        var key = _keys[station];
        var t = TimeOf(step);
        var local = t.ToOffset(ChinaTime.Offset);
        var hour = local.Hour + local.Minute / 60.0;
        var dayOfYear = local.DayOfYear + hour / 24;
        var slow = step / 144.0; // 12-hour features
        var p = s.Pollution;
        double White(int indicator) => Hash.Normal(Hash.Combine(key, (ulong)indicator, (ulong)step));
        double Wander(int indicator) => Noise.Fractal1(Hash.Combine(key, (ulong)(indicator + 100)), slow, 3);
        var runoff = _weather.Runoff(t);

        var temp = 21 + 8 * Math.Sin(2 * Math.PI * (dayOfYear - 110) / 365) - s.Cooling
                   + 0.9 * Math.Sin(2 * Math.PI * (hour - 10) / 24) + 0.6 * Wander(Temp) + 0.05 * White(Temp) - 0.8 * runoff;
        var photosynthesis = Math.Sin(2 * Math.PI * (hour - 9) / 24);
        var saturation = 14.62 - 0.3898 * temp + 0.006969 * temp * temp - 0.00005897 * temp * temp * temp;
        var dissolvedOxygen = saturation * (1.03 - 0.5 * p) + (0.25 + 1.0 * p) * photosynthesis + 0.2 * Wander(Do) + 0.06 * White(Do);
        var ph = 7.3 - 0.12 * p + (0.08 + 0.22 * p) * photosynthesis + 0.05 * Wander(Ph) + 0.02 * White(Ph);
        var sewage = 1 + 0.15 * Math.Sin(2 * Math.PI * (hour - 6) / 24) + 0.08 * Math.Sin(4 * Math.PI * (hour - 7) / 24);
        var ammonia = (0.06 + 1.6 * Math.Pow(p, 1.7)) * sewage * Math.Exp(0.12 * Wander(Nh3N) + 0.05 * White(Nh3N));
        var phosphorus = (0.012 + 0.3 * Math.Pow(p, 1.3)) * Math.Exp(0.1 * Wander(Tp) + 0.05 * White(Tp)) + 0.02 * runoff;
        var permanganate = (1.2 + 7.5 * p) * Math.Exp(0.08 * Wander(CodMn) + 0.04 * White(CodMn)) + 0.8 * runoff;
        var turbidity = (4 + 30 * p) * Math.Exp(0.15 * Wander(Turb) + 0.08 * White(Turb)) + 45 * runoff;
        var tide = s.Tidal * (1500 + 1100 * Math.Sin(2 * Math.PI * (t - _start).TotalHours / 12.42));
        var conductivity = ((80 + 260 * p) * Math.Exp(0.05 * Wander(Cond) + 0.02 * White(Cond)) + tide) * (1 - 0.15 * Math.Min(1, runoff));

        values[Temp] = temp;
        values[Ph] = ph;
        values[Do] = dissolvedOxygen;
        values[Cond] = conductivity;
        values[Turb] = turbidity;
        values[CodMn] = permanganate;
        values[Nh3N] = ammonia;
        values[Tp] = phosphorus;

        foreach (var (incident, at) in _pollution[station])
        {
            var shape = Pulse(incident, at, t);
            if (shape <= 0)
            {
                continue;
            }
            foreach (var (indicator, delta) in incident.Effects)
            {
                values[IndexOf(indicator)] += delta * at.Attenuation * shape;
            }
        }
        values[Do] = Math.Max(0.05, values[Do]);
        values[Nh3N] = Math.Max(0.01, values[Nh3N]);
        values[Tp] = Math.Max(0.005, values[Tp]);
        values[Turb] = Math.Max(0.5, values[Turb]);
    }

    /// <summary>The fraction (0…1) of an incident's change present at a station at time <paramref name="t"/>.</summary>
    public static double Pulse(Incident incident, AffectedStation at, DateTimeOffset t)
    {
        var since = (t - incident.Start).TotalHours - at.LagHours;
        var ramp = at.Ramp.TotalHours;
        var duration = (incident.End - incident.Start).TotalHours;
        if (since <= 0 || since >= duration + ramp)
        {
            return 0;
        }
        var rise = Math.Min(1, since / ramp);
        var fall = since > duration ? 1 - (since - duration) / ramp : 1;
        return Math.Min(rise, fall);
    }

    public static int IndexOf(string indicator) => indicator switch
    {
        "water_temp" => Temp,
        "ph" => Ph,
        "do" => Do,
        "conductivity" => Cond,
        "turbidity" => Turb,
        "cod_mn" => CodMn,
        "nh3_n" => Nh3N,
        "tp" => Tp,
        _ => throw new ArgumentOutOfRangeException(nameof(indicator), indicator, "unknown indicator"),
    };

    private void ApplyFault(Incident fault, int station, DateTimeOffset t, Span<double> values, Span<DataFlag> flags)
    {
        var (indicator, amount) = fault.Effects[0];
        var i = IndexOf(indicator);
        switch (fault.Type)
        {
            case "stuck_sensor" when t >= fault.Start && t < fault.End:
            {
                // The reading freezes at its value when the sensor stuck; the instrument still flags it as normal.
                Span<double> frozen = stackalloc double[Count];
                Clean(station, (long)((fault.Start - _start) / Step), frozen);
                values[i] = frozen[i];
                break;
            }
            case "calibration_jump":
            {
                var maintenance = TimeSpan.FromHours(1);
                if ((t >= fault.Start && t < fault.Start + maintenance) || (t >= fault.End && t < fault.End + maintenance))
                {
                    // During calibration the analyser reads its standard solution and says so.
                    values[i] = Standard(i);
                    flags[i] = DataFlag.Calibration;
                }
                else if (t >= fault.Start + maintenance && t < fault.End)
                {
                    values[i] = i is Nh3N or Tp or Cond ? values[i] * (1 + amount) : values[i] + amount;
                }
                break;
            }
            case "drift" when t >= fault.Start && t < fault.End:
                values[i] += amount * (t - fault.Start).TotalHours;
                values[i] = Math.Max(0.05, values[i]);
                break;
        }
    }

    // Standard solutions: pH 7.00 buffer, 1413 μS/cm KCl, and round check standards for the others.
    private static double Standard(int indicator) => indicator switch
    {
        Ph => 7.00,
        Cond => 1413,
        Do => 8.00,
        Nh3N => 1.000,
        Tp => 0.200,
        CodMn => 5.00,
        Turb => 20.0,
        _ => 25.0,
    };
}
