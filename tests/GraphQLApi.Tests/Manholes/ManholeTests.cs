using System.Globalization;
using System.Text.Json;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Manholes;

/// <summary>Manhole covers: status from the latest report, and open alarms that clear when a later report is back to normal.</summary>
public sealed class ManholeTests(SampleCity city)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<(string Device, string Type, DateTimeOffset Start, DateTimeOffset End)> GroundTruthEvents()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleCity.DataSamples, "ground-truth", "manhole-events.json")));
        return document.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("device_id").GetString()!, e.GetProperty("type").GetString()!,
                DateTimeOffset.Parse(e.GetProperty("start").GetString()!, CultureInfo.InvariantCulture), DateTimeOffset.Parse(e.GetProperty("end").GetString()!, CultureInfo.InvariantCulture)))
            .Where(e => e.Item3 >= new DateTimeOffset(2024, 6, 6, 0, 0, 0, TimeSpan.FromHours(8)))
            .ToList();
    }

    [Fact]
    public async Task overflowing_drains_have_an_open_water_level_alarm_during_the_event_and_none_after()
    {
        var events = GroundTruthEvents().Where(e => e.Type == "overflow").ToList();
        Assert.NotEmpty(events);
        foreach (var (device, _, start, end) in events)
        {
            var during = start + ((end - start) / 2);
            // Statuses come every 15 minutes while an alarm lasts, then every 6 hours: the first one after the end clears it.
            var next = LakeFiles.Query(city.Server.LakeRoot, "manhole_readings", "SELECT min(ts) FROM {t} WHERE device_id = $1 AND ts > $2", device, end)[0][0];
            if (next is not DateTimeOffset cleared)
            {
                continue;
            }
            var after = cleared + TimeSpan.FromMinutes(1);
            var data = (await city.Server.QueryAsync(city.Keys.Analyst, """
                query($id: String!, $during: DateTime!, $after: DateTime!) {
                  manhole(id: $id) { id during: openAlarms(at: $during) { kind } status(at: $during) { state waterLevelCm } after: openAlarms(at: $after) { kind } }
                }
                """, new { id = device, during, after }, Ct)).Ok()["manhole"]!;
            Assert.Contains(data["during"]!.AsArray(), a => (string?)a!["kind"] == "water_level");
            Assert.Equal("ALARM", (string?)data["status"]!["state"]);
            Assert.DoesNotContain(data["after"]!.AsArray(), a => (string?)a!["kind"] == "water_level");
        }
    }

    [Fact]
    public async Task the_list_of_covers_with_open_alarms_holds_the_overflowing_ones()
    {
        var at = new DateTimeOffset(2024, 6, 6, 18, 0, 0, TimeSpan.FromHours(8));
        var expected = GroundTruthEvents().Where(e => e.Type == "overflow" && e.Start < at.AddMinutes(-30) && e.End > at).Select(e => e.Device).ToHashSet();
        Assert.NotEmpty(expected);
        var data = (await city.Server.QueryAsync(city.Keys.Analyst, "query($at: DateTime!) { manholesWithOpenAlarms(at: $at) { id ownerDepartment location openAlarms(at: $at) { kind ts } } }",
            new { at }, Ct)).Ok();
        var listed = data["manholesWithOpenAlarms"]!.AsArray().Select(m => (string)m!["id"]!).ToHashSet();
        Assert.Superset(expected, listed);
    }

    [Fact]
    public async Task status_is_the_latest_report_before_the_time_asked()
    {
        var at = new DateTimeOffset(2024, 6, 7, 12, 0, 0, TimeSpan.FromHours(8));
        var devices = LakeFiles.Query(city.Server.LakeRoot, "manhole_readings",
            "SELECT device_id, max(ts), arg_max(tilt_deg, ts), arg_max(battery_v, ts) FROM {t} WHERE ts <= $1 GROUP BY device_id ORDER BY device_id LIMIT 20", at);
        foreach (var row in devices)
        {
            var status = (await city.Server.QueryAsync(city.Keys.Analyst, "query($id: String!, $at: DateTime!) { manhole(id: $id) { status(at: $at) { lastReport tiltDeg batteryV state } } }",
                new { id = (string)row[0]!, at }, Ct)).Ok()["manhole"]!["status"]!;
            Assert.Equal((DateTimeOffset)row[1]!, DateTimeOffset.Parse((string)status["lastReport"]!, CultureInfo.InvariantCulture));
            Assert.Equal((double?)row[2], (double?)status["tiltDeg"]);
            Assert.Equal((double?)row[3], (double?)status["batteryV"]);
            Assert.Contains((string?)status["state"], new[] { "NORMAL", "ALARM", "OFFLINE" });
        }
        var unknown = (await city.Server.QueryAsync(city.Keys.Analyst, "{ manhole(id: \"MH-99999\") { id } }", cancellationToken: Ct)).Ok();
        Assert.Null(unknown["manhole"]);
    }
}
