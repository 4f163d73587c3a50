using System.Globalization;
using System.Text.Json;
using OneMap.Simulator.Output;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Water;

/// <summary>
/// The ground truth is checked against the data, not against the generator: lags are recomputed from the exported
/// river table, and each listed arrival is found in the payload logs read back from disk.
/// </summary>
[Collection("sample")]
public sealed class IncidentTests(SampleFixture sample)
{
    private sealed record Affected(string Station, string Kind, double LagMinutes, double Attenuation, double RampMinutes,
        DateTimeOffset Arrival, DateTimeOffset Departure, Dictionary<string, double> Expected);

    private sealed record GroundTruth(string Id, string Type, bool IsPollution, DateTimeOffset Start, DateTimeOffset End, string? ReachId,
        double DistanceAlong, string Primary, List<Affected> Stations, string? FaultStation, string? FaultIndicator, double Parameter);

    [Fact]
    public void there_are_at_least_ten_incidents_pollution_and_faults()
    {
        var incidents = Load();
        Assert.True(incidents.Count >= 10, $"{incidents.Count} incidents");
        Assert.Contains(incidents, i => i.Type == "hidden_outfall");
        Assert.Contains(incidents, i => i.Type == "industrial_spill");
        Assert.Contains(incidents, i => i.Type == "stuck_sensor");
        Assert.Contains(incidents, i => i.Type == "calibration_jump");
        Assert.Contains(incidents, i => i.Type == "dropout");
        Assert.All(incidents.Where(i => i.IsPollution), i => Assert.True(i.Stations.Count(a => a.Kind == "automatic" && a.Attenuation >= 0.25) >= 2,
            $"{i.Id} is visible at fewer than two automatic stations"));
    }

    [Fact]
    public void stated_lags_are_the_travel_times_along_the_exported_reaches()
    {
        using var reachesDoc = sample.Json("water/river-reaches.geojson");
        var reaches = reachesDoc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToDictionary(
            p => p.GetProperty("reach_id").GetString()!,
            p => (Length: p.GetProperty("length_m").GetDouble(), Speed: p.GetProperty("flow_speed_mps").GetDouble(),
                Down: p.GetProperty("downstream_reach_id").ValueKind == JsonValueKind.Null ? null : p.GetProperty("downstream_reach_id").GetString()));
        var stations = StationPositions();
        var checkedCount = 0;
        foreach (var incident in Load().Where(i => i.IsPollution))
        {
            var previous = 0.0;
            foreach (var affected in incident.Stations)
            {
                var (reach, along) = stations[affected.Station];
                var seconds = 0.0;
                var current = incident.ReachId!;
                var position = incident.DistanceAlong;
                while (current != reach)
                {
                    seconds += (reaches[current].Length - position) / reaches[current].Speed;
                    current = reaches[current].Down ?? throw new InvalidOperationException($"{affected.Station} is not downstream of {incident.Id}");
                    position = 0;
                }
                seconds += (along - position) / reaches[current].Speed;
                Assert.Equal(seconds / 60, affected.LagMinutes, 0.2);
                Assert.Equal(incident.Start.AddMinutes(affected.LagMinutes), affected.Arrival, TimeSpan.FromSeconds(10));
                // Further downstream: later, and never stronger.
                Assert.True(affected.LagMinutes >= previous);
                previous = affected.LagMinutes;
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 20);
    }

    [Fact]
    public void pollution_arrives_at_each_downstream_station_after_the_stated_lag_and_not_before()
    {
        var readings = sample.Readings;
        var incidents = Load();
        var verified = 0;
        foreach (var incident in incidents.Where(i => i.IsPollution))
        {
            foreach (var affected in incident.Stations.Where(a => a.Kind == "automatic" && a.Attenuation >= 0.25))
            {
                var indicator = incident.Primary;
                var expected = affected.Expected[indicator];
                var values = readings.Values(affected.Station, indicator);
                var baseline = Baseline(readings, values, affected.Station, incidents);
                var threshold = Math.Abs(expected) / 2;
                bool Shows(int step) => step >= 0 && step < values.Length && !double.IsNaN(values[step]) && !double.IsNaN(baseline[step]) &&
                                        (values[step] - baseline[step]) * Math.Sign(expected) >= threshold;

                var arrival = readings.StepOf(affected.Arrival);
                var rampSteps = (int)Math.Ceiling(affected.RampMinutes / 5);
                var onset = Enumerable.Range(arrival - 36, 36 + rampSteps + 6).FirstOrDefault(s => Shows(s) && Shows(s + 1), -1);
                Assert.True(onset >= 0, $"{incident.Id} never shows at {affected.Station} ({indicator} expected {expected:+0.###;-0.###})");
                // Half the change is there between the arrival and the end of the rise (one step of slack each side).
                Assert.InRange(onset, arrival - 1, arrival + rampSteps + 1);
                // Before the arrival the station sees nothing of it.
                var early = Enumerable.Range(arrival - 36, 33).Count(Shows);
                Assert.True(early <= 2, $"{incident.Id} shows {early} times at {affected.Station} before arriving");
                // On the plateau the change is about what the ground truth says.
                var plateau = Enumerable.Range(arrival + rampSteps, Math.Max(1, readings.StepOf(affected.Departure) - rampSteps - arrival - rampSteps))
                    .Where(s => s < values.Length && !double.IsNaN(values[s]) && !double.IsNaN(baseline[s]))
                    .Select(s => values[s] - baseline[s]).Order().ToList();
                if (plateau.Count >= 3)
                {
                    var median = plateau[plateau.Count / 2];
                    Assert.InRange(median / expected, 0.6, 1.5);
                }
                verified++;
            }
        }
        Assert.True(verified >= 16, $"only {verified} station arrivals verified");
    }

    [Fact]
    public void faults_stay_at_their_station_and_are_not_pollution()
    {
        var readings = sample.Readings;
        var incidents = Load();
        foreach (var fault in incidents.Where(i => !i.IsPollution))
        {
            var station = fault.FaultStation!;
            var from = readings.StepOf(fault.Start);
            var to = Math.Min(readings.Steps, readings.StepOf(fault.End));
            switch (fault.Type)
            {
                case "dropout":
                    foreach (var indicator in WaterReadings.IndicatorIds)
                    {
                        var values = readings.Values(station, indicator);
                        Assert.All(Enumerable.Range(from, to - from), s => Assert.True(double.IsNaN(values[s]), $"{station} sent {indicator} during {fault.Id}"));
                    }
                    break;
                case "stuck_sensor":
                {
                    var values = readings.Values(station, fault.FaultIndicator!);
                    var present = Enumerable.Range(from, to - from).Where(s => !double.IsNaN(values[s])).Select(s => values[s]).Distinct().ToList();
                    Assert.Single(present);
                    var flags = readings.Flags(station, fault.FaultIndicator!);
                    Assert.All(Enumerable.Range(from, to - from).Where(s => flags[s] is not null), s => Assert.Equal("N", flags[s]));
                    break;
                }
                case "calibration_jump":
                {
                    // The analyser says when it is being calibrated (flag C) at both ends of the episode.
                    var flags = readings.Flags(station, fault.FaultIndicator!);
                    Assert.Contains(Enumerable.Range(from, 12).Select(s => flags[s]), f => f == "C");
                    var values = readings.Values(station, fault.FaultIndicator!);
                    var baseline = Baseline(readings, values, station, incidents);
                    var shifted = Enumerable.Range(from + 12, Math.Max(1, to - from - 12)).Where(s => !double.IsNaN(values[s]) && !double.IsNaN(baseline[s]))
                        .Select(s => values[s] - baseline[s]).Order().ToList();
                    var median = shifted[shifted.Count / 2];
                    var relative = fault.FaultIndicator is "nh3_n" or "tp" or "conductivity";
                    var expected = relative ? fault.Parameter * baseline.Where(b => !double.IsNaN(b)).Average() : fault.Parameter;
                    Assert.True(Math.Sign(median) == Math.Sign(expected) && Math.Abs(median) >= Math.Abs(expected) * 0.4,
                        $"{fault.Id}: {station} {fault.FaultIndicator} shifted by {median}, expected about {expected}");
                    break;
                }
            }
            // Not pollution: no station downstream is listed, and none of the other stations changes because of it.
            Assert.Empty(fault.Stations);
        }
    }

    [Fact]
    public void stations_off_the_polluted_course_see_nothing()
    {
        var readings = sample.Readings;
        var incidents = Load();
        foreach (var incident in incidents.Where(i => i.IsPollution))
        {
            var expected = incident.Stations.Max(a => Math.Abs(a.Expected[incident.Primary]));
            var until = incident.End.AddMinutes(incident.Stations.Max(a => a.LagMinutes + a.RampMinutes));
            var checkedStations = 0;
            foreach (var station in readings.Stations)
            {
                // Only stations the incident does not reach and that have nothing else going on meanwhile.
                var busy = incidents.Any(i => i.FaultStation == station && i.Start < until.AddHours(2) && incident.Start.AddHours(-2) < i.End) ||
                           incidents.Any(i => i.Stations.Any(a => a.Station == station && a.Arrival < until.AddHours(2) && incident.Start.AddHours(-2) < a.Departure));
                if (busy || incident.Stations.Any(a => a.Station == station))
                {
                    continue;
                }
                var values = readings.Values(station, incident.Primary);
                var baseline = Baseline(readings, values, station, incidents);
                var window = Enumerable.Range(readings.StepOf(incident.Start), Math.Min(readings.Steps, readings.StepOf(until)) - readings.StepOf(incident.Start));
                var hits = window.Count(s => !double.IsNaN(values[s]) && !double.IsNaN(baseline[s]) &&
                                             (values[s] - baseline[s]) * Math.Sign(incident.Stations[0].Expected[incident.Primary]) >= expected / 2);
                Assert.True(hits <= 3, $"{station} shows {incident.Id} ({incident.Primary}) {hits} times without being downstream of it");
                checkedStations++;
            }
            Assert.True(checkedStations >= 20, $"only {checkedStations} stations checked for {incident.Id}");
        }
    }

    /// <summary>
    /// The station's usual value at each time of day: the median over the days of the readings at the same slot, left
    /// out where an incident or a fault at this station was under way.
    /// </summary>
    private static double[] Baseline(WaterReadings readings, double[] values, string station, List<GroundTruth> incidents)
    {
        var excluded = new bool[values.Length];
        void Exclude(DateTimeOffset from, DateTimeOffset to)
        {
            for (var s = Math.Max(0, readings.StepOf(from)); s < Math.Min(values.Length, readings.StepOf(to)); s++)
            {
                excluded[s] = true;
            }
        }
        foreach (var i in incidents)
        {
            foreach (var a in i.Stations.Where(a => a.Station == station))
            {
                Exclude(a.Arrival.AddHours(-1), a.Departure.AddHours(1));
            }
            if (i.FaultStation == station)
            {
                Exclude(i.Start.AddHours(-1), i.End.AddHours(2));
            }
        }
        var baseline = new double[values.Length];
        for (var s = 0; s < values.Length; s++)
        {
            var slot = s % 288;
            var same = Enumerable.Range(0, values.Length / 288).Select(d => d * 288 + slot)
                .Where(k => !excluded[k] && !double.IsNaN(values[k])).Select(k => values[k]).Order().ToList();
            baseline[s] = same.Count == 0 ? double.NaN : same[same.Count / 2];
        }
        return baseline;
    }

    private Dictionary<string, (string Reach, double Along)> StationPositions()
    {
        var text = TextEncodings.Gb18030.GetString(File.ReadAllBytes(sample.PathOf("ecology/stations.csv")));
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .ToDictionary(r => r[0], r => (r[4], double.Parse(r[5], CultureInfo.InvariantCulture)));
    }

    private List<GroundTruth> Load()
    {
        using var document = sample.Json("ground-truth/incidents.json");
        return document.RootElement.GetProperty("incidents").EnumerateArray().Select(i =>
        {
            var pollution = i.GetProperty("is_pollution").GetBoolean();
            var source = pollution ? i.GetProperty("source") : default;
            return new GroundTruth(
                i.GetProperty("id").GetString()!, i.GetProperty("type").GetString()!, pollution,
                DateTimeOffset.Parse(i.GetProperty("start").GetString()!, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(i.GetProperty("end").GetString()!, CultureInfo.InvariantCulture),
                pollution ? source.GetProperty("reach_id").GetString() : null,
                pollution ? source.GetProperty("distance_along_reach_m").GetDouble() : 0,
                pollution ? i.GetProperty("primary_indicator").GetString()! : "",
                i.GetProperty("affected_stations").EnumerateArray().Select(a => new Affected(
                    a.GetProperty("station_id").GetString()!, a.GetProperty("kind").GetString()!, a.GetProperty("lag_minutes").GetDouble(),
                    a.GetProperty("attenuation").GetDouble(), a.GetProperty("ramp_minutes").GetDouble(),
                    DateTimeOffset.Parse(a.GetProperty("arrival").GetString()!, CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(a.GetProperty("departure").GetString()!, CultureInfo.InvariantCulture),
                    a.GetProperty("expected_change").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))).ToList(),
                pollution ? null : i.GetProperty("station_id").GetString(),
                pollution ? null : i.GetProperty("indicator").GetString(),
                pollution ? 0 : i.GetProperty("parameter").GetDouble());
        }).ToList();
    }
}
