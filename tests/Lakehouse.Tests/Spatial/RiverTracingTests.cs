using OneMap.Lakehouse.Spatial;
using OneMap.Lakehouse.Spatial.Rivers;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>Upstream tracing and source ranking on a hand-built river with injected incidents.</summary>
public sealed class RiverTracingTests
{
    private static readonly Lazy<HandBuiltRiver> River = new(() => new HandBuiltRiver());

    [Fact]
    public void upstream_lists_reaches_stations_outfalls_and_enterprises_by_river_distance()
    {
        var river = River.Value;
        var items = UpstreamTrace.Upstream(river.Network, "S-M2b", 10);
        var m2 = Assert.Single(items, i => i is { Kind: UpstreamKind.Reach, Id: "M2" });
        Assert.Equal((0.0, 7000.0), (m2.FromMetres, m2.ToMetres));
        var t1 = Assert.Single(items, i => i is { Kind: UpstreamKind.Reach, Id: "T1" });
        Assert.Equal(river.Network.Reach("T1").LengthMeters - 3000, t1.FromMetres, 1e-6);
        Assert.Equal(7.0, t1.RiverKm, 1e-9);
        Assert.DoesNotContain(items, i => i.Id == "T1a" || i.Id == "M3");
        Assert.Equal(["S-M2a", "S-M1"], items.Where(i => i.Kind == UpstreamKind.Station).Select(i => i.Id));
        Assert.Equal(5.0, items.Single(i => i.Id == "S-M2a").RiverKm, 1e-9);
        Assert.Equal(["OF-5", "SD-1"], items.Where(i => i.Kind == UpstreamKind.Outfall).Select(i => i.Id).Order());
        var enterprise = Assert.Single(items, i => i.Kind == UpstreamKind.Enterprise);
        Assert.Equal("OF-5", enterprise.Via);
        // Travel time: 2.5 km of M2 at 0.4 m/s.
        Assert.Equal(2500 / 0.4 / 3600, items.Single(i => i.Id == "OF-5").TravelHours, 1e-2);
        Assert.All(items.Zip(items.Skip(1)), p => Assert.True(p.First.RiverKm <= p.Second.RiverKm));
    }

    [Fact]
    public void river_distance_follows_the_channel_through_confluences()
    {
        var network = River.Value.Network;
        var from = new RiverPosition("T1a", 1000);
        var to = network.PositionOf(network.Station("S-M3"));
        var path = network.Downstream(from, to);
        Assert.NotNull(path);
        var expected = (network.Reach("T1a").LengthMeters - 1000) + network.Reach("T1").LengthMeters + network.Reach("M2").LengthMeters + 5000;
        Assert.Equal(expected, path.Value.Metres, 1e-6);
        Assert.Null(network.Downstream(to, from));
        Assert.Null(network.Downstream(new RiverPosition("T2", 100), network.PositionOf(network.Station("S-T1"))));
    }

    [Fact]
    public void the_true_source_ranks_first_for_at_least_eight_of_ten_incidents()
    {
        var river = River.Value;
        var readings = new InMemoryWaterReadings(river.Readings);
        var outcomes = new List<string>();
        var hits = 0;
        foreach (var incident in river.Incidents)
        {
            var (station, arrival, _) = river.FirstVisibleStation(incident);
            var ranking = SourceRanker.Rank(river.Network, readings, station, arrival.AddHours(1));
            var top = ranking.Candidates[0];
            var correct = incident.OutfallId is { } outfall ? top.Id == outfall : top.Kind == SourceKind.UnregisteredStretch && top.Covers(incident.Source);
            hits += correct ? 1 : 0;
            var truthRank = ranking.Candidates.FirstOrDefault(c => incident.OutfallId is { } o ? c.Id == o : c.Kind == SourceKind.UnregisteredStretch && c.Covers(incident.Source))?.Rank;
            outcomes.Add($"{incident.Type} at {incident.OutfallId ?? incident.Source.ToString()} seen at {station}: top {top.Id} ({top.Score:0.00}), truth rank {truthRank}; {top.Explanation}");
        }
        Assert.True(hits >= 8, $"{hits} of 10 ranked first:\n" + string.Join('\n', outcomes));
    }

    [Fact]
    public void on_the_sample_citys_incidents_the_true_source_ranks_first_in_at_least_eight_of_ten()
    {
        if (!Directory.Exists(SampleCityRiver.Root))
        {
            Assert.Fail($"the sample city is missing at {SampleCityRiver.Root}");
        }
        var city = new SampleCityRiver(SampleCityRiver.Root);
        Assert.NotEmpty(city.Incidents);
        var registered = city.Network.Outfalls.Select(o => o.Id).ToHashSet();
        var outcomes = new List<string>();
        var hits = 0;
        var listedFirst = 0;
        foreach (var incident in city.Incidents)
        {
            var ranking = SourceRanker.Rank(city.Network, city.Readings, incident.FirstStation, incident.Arrival.AddHours(1));
            // A registered outfall must be named; a hidden outfall or farm runoff must fall in the top stretch.
            bool IsTruth(SourceCandidate c) => incident.OutfallId is { } o && registered.Contains(o)
                ? c.Id == o
                : c.Kind == SourceKind.UnregisteredStretch && c.Covers(incident.Source);
            var truth = ranking.Candidates.FirstOrDefault(IsTruth);
            hits += truth?.Rank == 1 ? 1 : 0;
            listedFirst += IsTruth(ranking.Candidates[0]) ? 1 : 0;
            var tied = ranking.Candidates.Where(c => c.Rank == 1).Select(c => c.Id);
            outcomes.Add($"{incident.Id} {incident.Type} from {incident.OutfallId ?? incident.Source.ToString()} at {incident.FirstStation}: " +
                $"rank 1 {string.Join("/", tied)}; truth {truth?.Id} rank {truth?.Rank}; signature {string.Join(" ", ranking.Signature.Select(s => $"{s.Key}{s.Value:+0;-0}"))}"
                + ("\n   evidence: " + string.Join(" ", ranking.Upstream.Select(e => $"{e.StationId}[{e.TravelHours:0.0}h peak {e.Peak:0} lag {e.LagHours:0.0} sees {e.Sees:0.00}]"))
                    + "\n   " + string.Join("\n   ", ranking.Candidates.Take(8).Select(c => $"{c.Rank} {c.Id} {c.Kind} {c.Stretch} score {c.Score:0.00} cons {c.Consistency:0.00} match {c.DischargeMatch:0.00} km {c.RiverKm:0.0} {(IsTruth(c) ? "TRUTH" : "")}"))));
        }
        var report = $"{hits} of {city.Incidents.Count} ranked first ({listedFirst} listed first):\n" + string.Join('\n', outcomes);
        TestContext.Current.SendDiagnosticMessage(report);
        // "At least 8 of 10": the sample holds fewer than ten pollution incidents, so the same share of them. Rank 1 is
        // shared by the registered outfalls of one kind on the stretch between two stations, which readings cannot tell apart.
        Assert.True(hits >= Math.Ceiling(0.8 * city.Incidents.Count), report);
    }

    [Fact]
    public void river_functions_load_the_network_from_tables_and_answer_from_sql()
    {
        var river = River.Value;
        using var db = new DuckDbSpatial();
        db.Load("river_reaches", "reach_id VARCHAR, river_name VARCHAR, from_node VARCHAR, to_node VARCHAR, downstream_reach_id VARCHAR, length_m DOUBLE, flow_speed_mps DOUBLE, stream_order BIGINT, geom BLOB",
            river.Network.Reaches.Select(r => new object?[] { r.Id, r.RiverName, r.FromNode, r.ToNode, r.DownstreamReachId, r.LengthMeters, r.FlowSpeedMetersPerSecond, (long)r.StreamOrder, GeometryCodec.ToWkb(r.Geometry) }));
        db.Load("monitoring_stations", "station_id VARCHAR, name VARCHAR, kind VARCHAR, reach_id VARCHAR, distance_along_reach_m DOUBLE, target_class BIGINT, geom BLOB",
            river.Stations.Select(s => new object?[] { s.Id, s.Name, "automatic", s.ReachId, s.DistanceAlongReachMeters, (long)s.TargetClass, GeometryCodec.ToWkb(s.Location) }));
        db.Load("outfalls", "outfall_id VARCHAR, name VARCHAR, kind VARCHAR, reach_id VARCHAR, enterprise_credit_code VARCHAR, permitted_flow_m3_per_day DOUBLE, geom BLOB",
            river.Outfalls.Select(o => new object?[] { o.Id, o.Name, o.Kind == Models.Rivers.OutfallKind.StormDrain ? "storm_drain" : "permitted", o.ReachId, o.EnterpriseCreditCode, o.PermittedFlowCubicMetersPerDay, GeometryCodec.ToWkb(o.Location) }));
        db.Load("enterprises", "credit_code VARCHAR, name VARCHAR, industry_code VARCHAR, geom BLOB",
            river.Enterprises.Select(e => new object?[] { e.CreditCode, e.Name, e.IndustryCode, GeometryCodec.ToWkb(e.Location) }));
        db.Load("water_quality_readings", "station_id VARCHAR, indicator VARCHAR, ts TIMESTAMPTZ, value DOUBLE, flag VARCHAR",
            river.Readings.Select(r => new object?[] { r.StationId, r.Indicator, r.At, r.Value, "N" }));

        var loaded = db.Rows("SELECT * FROM st_river_load('demo')").Single();
        Assert.Equal(["demo", 9L, 9L, 10L, 6L], loaded);

        var upstream = db.Rows("SELECT kind, id, river_km FROM st_river_upstream('demo', 'S-M2b', 10.0) ORDER BY river_km, kind, id");
        var expected = UpstreamTrace.Upstream(river.Network, "S-M2b", 10).OrderBy(i => i.RiverKm).ThenBy(i => i.Kind.ToString().ToLowerInvariant(), StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(i => (i.Kind.ToString().ToLowerInvariant(), i.Id)), upstream.Select(r => ((string)r[0]!, (string)r[1]!)));

        var incident = river.Incidents.First(i => i.OutfallId == "OF-5");
        var (station, arrival, _) = river.FirstVisibleStation(incident);
        var top = db.Rows("SELECT rank, kind, id, enterprise_credit_code FROM st_river_sources('demo', $1, $2, 40.0) ORDER BY rank LIMIT 1", station, arrival.AddHours(1)).Single();
        Assert.Equal([1, "permitted_outfall", "OF-5", river.Enterprises[4].CreditCode], top);
        var error = Assert.ThrowsAny<OneMap.DuckDb.DuckDbException>(() => db.Rows("SELECT * FROM st_river_upstream('demo', 'NO-SUCH', 5.0)"));
        Assert.Contains("NO-SUCH", error.Message);
    }
}
