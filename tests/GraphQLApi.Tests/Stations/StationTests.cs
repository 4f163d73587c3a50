using System.Globalization;
using System.Text.Json.Nodes;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;
using OneMap.Models.WaterQuality;

namespace OneMap.GraphQLApi.Tests.Stations;

/// <summary>Stations: current readings from the twin, GB 3838-2002 classes, bucketed series, and the stations up- and downstream.</summary>
public sealed class StationTests(SampleCity city)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Lake => city.Server.LakeRoot;

    private async Task<JsonNode> Query(string query) => (await city.Server.QueryAsync(city.Keys.Analyst, query, cancellationToken: Ct)).Ok();

    [Fact]
    public async Task current_readings_are_the_latest_reading_of_every_indicator()
    {
        var data = await Query("{ stations(kind: \"automatic\") { id current { indicator value unit ts status waterClass waterClassNumber } waterClass { class classNumber determiningIndicators target meetsTarget } } }");
        var latest = LakeFiles.Query(Lake, "water_quality_readings",
                "SELECT station_id, indicator, arg_max(value, ts), max(ts) FROM {t} GROUP BY ALL")
            .ToDictionary(r => ((string)r[0]!, (string)r[1]!), r => (Value: r[2] as double?, Ts: (DateTimeOffset)r[3]!));
        var stations = data["stations"]!.AsArray();
        Assert.Equal(60, stations.Count);
        foreach (var station in stations)
        {
            var id = (string)station!["id"]!;
            var current = station["current"]!.AsArray();
            Assert.Equal(8, current.Count);
            var valid = new List<(string, double)>();
            foreach (var reading in current)
            {
                var indicator = (string)reading!["indicator"]!;
                var (value, ts) = latest[(id, indicator)];
                Assert.Equal(ts, DateTimeOffset.Parse((string)reading["ts"]!, CultureInfo.InvariantCulture));
                Assert.Equal(value, (double?)reading["value"]);
                var expectedClass = value is { } v && Indicators.Find(indicator) is not null ? Gb3838.Classify(indicator, v) : null;
                Assert.Equal(expectedClass?.Label(), (string?)reading["waterClass"]);
                Assert.Equal(expectedClass is { } c ? (int)c : null, (int?)reading["waterClassNumber"]);
                if ((string?)reading["status"] == "normal" && value is { } good && expectedClass is not null)
                {
                    valid.Add((indicator, good));
                }
            }
            var overall = Gb3838.ClassifyOverall(valid);
            Assert.Equal(overall?.Class.Label(), (string?)station["waterClass"]?["class"]);
            if (overall is not null)
            {
                Assert.Equal(overall.DeterminingIndicators.Order(), station["waterClass"]!["determiningIndicators"]!.AsArray().Select(i => (string)i!).Order());
                var target = WaterClassLabels.Parse((string)station["waterClass"]!["target"]!);
                Assert.Equal(overall.Class <= target, (bool)station["waterClass"]!["meetsTarget"]!);
            }
        }
        // The sample's rivers are mostly class II–III with some worse sections (docs/sample-city.md).
        Assert.Contains(stations, s => (int?)s!["waterClass"]?["classNumber"] >= 4);
        Assert.Contains(stations, s => (int?)s!["waterClass"]?["classNumber"] <= 2);
    }

    [Fact]
    public async Task a_series_buckets_valid_readings_by_the_city_clock()
    {
        var data = await Query("""
            { stations(ids: ["WQS-010", "WQS-020"]) { id
                hourly: series(indicator: "nh3_n", from: "2024-06-06T00:00:00+08:00", to: "2024-06-07T00:00:00+08:00") { bucket value count min max }
                daily: series(indicator: "nh3_n", from: "2024-06-06T00:00:00+08:00", to: "2024-06-08T00:00:00+08:00", bucket: DAY, aggregate: MAX) { bucket value count } } }
            """);
        foreach (var station in data["stations"]!.AsArray())
        {
            var id = (string)station!["id"]!;
            var raw = LakeFiles.Query(Lake, "water_quality_readings",
                "SELECT ts, value FROM {t} WHERE station_id = $1 AND indicator = 'nh3_n' AND (flag IS NULL OR flag = 'N') AND value IS NOT NULL", id)
                .Select(r => (Local: TimeZoneInfo.ConvertTime((DateTimeOffset)r[0]!, Shanghai), Value: (double)r[1]!)).ToList();
            var hours = raw.Where(r => r.Local.Day == 6).GroupBy(r => new DateTimeOffset(r.Local.Year, r.Local.Month, r.Local.Day, r.Local.Hour, 0, 0, r.Local.Offset))
                .OrderBy(g => g.Key).ToList();
            var hourly = station["hourly"]!.AsArray();
            Assert.Equal(hours.Count, hourly.Count);
            for (var i = 0; i < hours.Count; i++)
            {
                Assert.Equal(hours[i].Key, DateTimeOffset.Parse((string)hourly[i]!["bucket"]!, CultureInfo.InvariantCulture));
                Assert.Equal(hours[i].Average(r => r.Value), (double)hourly[i]!["value"]!, 9);
                Assert.Equal(hours[i].Count(), (long)hourly[i]!["count"]!);
                Assert.Equal(hours[i].Max(r => r.Value), (double)hourly[i]!["max"]!);
            }
            var days = raw.GroupBy(r => r.Local.Date).OrderBy(g => g.Key).ToList();
            Assert.Equal(days.Select(d => d.Max(r => r.Value)), station["daily"]!.AsArray().Select(d => (double)d!["value"]!));
        }
    }

    [Fact]
    public async Task upstream_and_downstream_follow_the_reaches_towards_the_sea()
    {
        var reaches = LakeFiles.Query(Lake, "river_reaches", "SELECT reach_id, downstream_reach_id, length_m FROM {t}")
            .ToDictionary(r => (string)r[0]!, r => (Down: r[1] as string, Length: (double)r[2]!));
        var stations = LakeFiles.Query(Lake, "monitoring_stations", "SELECT station_id, reach_id, distance_along_reach_m FROM {t}")
            .ToDictionary(r => (string)r[0]!, r => (Reach: (string)r[1]!, Along: (double)r[2]!));
        var data = await Query("{ stations { id downstream(maxKm: 25) { station { id } riverKm travelHours } upstream(maxKm: 25) { station { id } riverKm } } }");
        var all = data["stations"]!.AsArray().ToDictionary(s => (string)s!["id"]!, s => s!);
        foreach (var (id, station) in all)
        {
            // The channel distance from the station to every other one downstream, walking the reach chain.
            var expected = new Dictionary<string, double>();
            var (reach, along) = stations[id];
            var walked = -along;
            for (var current = reach; current is not null; current = reaches[current].Down is { Length: > 0 } next ? next : null)
            {
                foreach (var (other, position) in stations.Where(s => s.Value.Reach == current && s.Key != id))
                {
                    var metres = walked + position.Along;
                    if (metres >= 0 && metres <= 25_000)
                    {
                        expected[other] = metres / 1000;
                    }
                }
                walked += reaches[current].Length;
            }
            var downstream = station["downstream"]!.AsArray().ToDictionary(n => (string)n!["station"]!["id"]!, n => (double)n!["riverKm"]!);
            Assert.Equal(expected.Keys.Order(), downstream.Keys.Order());
            foreach (var (other, km) in expected)
            {
                Assert.Equal(km, downstream[other], 3);
                // And the relation holds the other way round.
                Assert.Contains(all[other]["upstream"]!.AsArray(), n => (string)n!["station"]!["id"]! == id && Math.Abs((double)n["riverKm"]! - km) < 1e-6);
            }
            var kms = station["downstream"]!.AsArray().Select(n => (double)n!["riverKm"]!).ToList();
            Assert.Equal(kms.Order(), kms);
        }
    }
}
