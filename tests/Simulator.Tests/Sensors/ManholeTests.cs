using System.Globalization;
using System.Text.Json;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Sensors;

[Collection("sample")]
public sealed class ManholeTests(SampleFixture sample)
{
    private sealed record Message(string Device, string Leaf, JsonElement Payload, DateTimeOffset At);

    private List<Message> Messages() =>
        Directory.GetFiles(sample.PathOf("sensors/manholes"), "*.log.gz").Order(StringComparer.Ordinal)
            .SelectMany(f => sample.GzipLines(Path.GetRelativePath(sample.Directory, f)))
            .Select(l =>
            {
                var tab = l.IndexOf('\t', StringComparison.Ordinal);
                var parts = l[..tab].Split('/');
                var payload = JsonDocument.Parse(l[(tab + 1)..]).RootElement;
                return new Message(parts[2], parts[3], payload, DateTimeOffset.Parse(payload.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture));
            }).ToList();

    [Fact]
    public void three_thousand_covers_send_heartbeats_and_alarms()
    {
        var messages = Messages();
        Assert.Equal(3000, sample.City.Manholes.Covers.Count);
        var devices = messages.Where(m => m.Leaf == "status").Select(m => m.Device).Distinct().Count();
        Assert.True(devices >= 2990, $"{devices} covers reported");
        Assert.All(messages.Where(m => m.Leaf == "status").Take(1000), m =>
        {
            foreach (var field in new[] { "tiltDeg", "displacementMm", "waterLevelCm", "ch4PctLel", "h2sPpm", "batteryV", "signalDbm" })
            {
                Assert.True(m.Payload.TryGetProperty(field, out _), field);
            }
        });
        Assert.Contains(messages, m => m.Leaf == "alarm");
    }

    [Fact]
    public void every_real_event_raises_its_alarm_and_faults_are_told_apart_by_the_status_reports()
    {
        var messages = Messages().ToLookup(m => m.Device);
        using var truth = sample.Json("ground-truth/manhole-events.json");
        var events = truth.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "overflow");
        Assert.Contains(events, e => !e.GetProperty("is_real").GetBoolean());
        foreach (var e in events)
        {
            var device = e.GetProperty("device_id").GetString()!;
            var start = DateTimeOffset.Parse(e.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
            var end = DateTimeOffset.Parse(e.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
            var type = e.GetProperty("type").GetString()!;
            var alarms = messages[device].Where(m => m.Leaf == "alarm" && m.At == start).ToList();
            var expected = type switch
            {
                "lid_displaced" or "lid_missing" or "false_tilt_alarm" => "tilt",
                "gas_accumulation" => "gas",
                "overflow" => "water_level",
                "low_battery" => "low_battery",
                _ => null,
            };
            if (expected is not null)
            {
                Assert.Contains(alarms, a => a.Payload.GetProperty("type").GetString() == expected);
            }
            var during = messages[device].Where(m => m.Leaf == "status" && m.At >= start && m.At < end).ToList();
            switch (type)
            {
                case "lid_displaced":
                    Assert.NotEmpty(during);
                    Assert.All(during, m => Assert.True(m.Payload.GetProperty("tiltDeg").GetDouble() > 15));
                    break;
                case "false_tilt_alarm":
                    // The lid never moved: the status reports stay flat while the sensor cries wolf.
                    Assert.All(during, m => Assert.True(m.Payload.GetProperty("tiltDeg").GetDouble() < 5));
                    Assert.True(messages[device].Count(m => m.Leaf == "alarm" && m.At >= start && m.At <= end) >= 3);
                    break;
                case "lid_missing":
                    // The sensor leaves with the lid: silence until it is replaced.
                    Assert.DoesNotContain(messages[device], m => m.At >= start.AddHours(1) && m.At < end);
                    break;
                case "stuck_level":
                    Assert.True(during.Select(m => m.Payload.GetProperty("waterLevelCm").GetDouble()).Distinct().Count() <= 1);
                    break;
                case "overflow":
                    // Within the alarm threshold (30 cm from the lid), as reported to the millimetre.
                    Assert.All(during, m => Assert.True(m.Payload.GetProperty("waterLevelCm").GetDouble() <= 30));
                    var rain = truthRain();
                    Assert.Contains(rain, r => start >= r && start < r.AddHours(48));
                    break;
            }
        }
    }

    private List<DateTimeOffset> truthRain()
    {
        using var doc = sample.Json("ground-truth/incidents.json");
        return doc.RootElement.GetProperty("rain_events").EnumerateArray()
            .Select(r => DateTimeOffset.Parse(r.GetProperty("start").GetString()!, CultureInfo.InvariantCulture)).ToList();
    }
}
