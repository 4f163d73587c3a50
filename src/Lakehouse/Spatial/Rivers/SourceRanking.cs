using System.Globalization;
using System.Text;

using OneMap.Models.Rivers;

namespace OneMap.Lakehouse.Spatial.Rivers;

/// <summary>What kind of source a candidate is.</summary>
public enum SourceKind
{
    /// <summary>A registered permitted outfall (industrial waste water), with its enterprise.</summary>
    PermittedOutfall,

    /// <summary>A registered storm-water outlet (sewage overflows in rain).</summary>
    StormDrain,

    /// <summary>
    /// The river between one station and the next stations upstream (all branches), where an unregistered source
    /// (a hidden outfall, farm runoff) would explain the readings; station readings cannot place a source more closely.
    /// </summary>
    UnregisteredStretch,
}

/// <summary>How strongly an upstream station showed the anomaly at the time the water would have carried it there.</summary>
/// <param name="StationId">The upstream station.</param>
/// <param name="TravelHours">Travel time from it down to the anomalous station.</param>
/// <param name="Peak">Largest deviation along the anomaly's signature in the expected window, in scale units.</param>
/// <param name="LagHours">When that peak came, relative to the anomaly's onset at the anomalous station (negative: earlier).</param>
/// <param name="Sees">0…1: how surely it saw the anomaly.</param>
public sealed record StationEvidence(string StationId, double TravelHours, double Peak, double LagHours, double Sees);

/// <summary>
/// A candidate source of an anomaly, ranked.
/// </summary>
/// <param name="Rank">
/// 1 = most likely. Competition ranking: registered outfalls of one kind on one stretch (the same stations below them)
/// are told apart by no station reading, so they share the rank of the best of them and are listed nearest first.
/// </param>
/// <param name="Kind">Registered outfall, storm drain, or unregistered stretch.</param>
/// <param name="Id">Outfall id, or <c>above:station_id</c> for the stretch between that station and the next ones upstream.</param>
/// <param name="ReachId">The reach (stretch: the reach at its downstream end).</param>
/// <param name="FromMetres">Position on the reach (stretch: upstream end of its lowest part).</param>
/// <param name="ToMetres">Stretch: downstream end; otherwise the position.</param>
/// <param name="RiverKm">River distance down to the anomalous station (stretch: from its downstream end).</param>
/// <param name="TravelHours">Travel time down to the anomalous station.</param>
/// <param name="EnterpriseCreditCode">The discharging enterprise, if known.</param>
/// <param name="EnterpriseName">Its name.</param>
/// <param name="Score">Total score (higher is more likely).</param>
/// <param name="Consistency">Agreement of the upstream stations' readings with a source here (lag and correlation).</param>
/// <param name="DischargeMatch">Agreement of the anomaly's signature with what this kind of source discharges (−1…1).</param>
/// <param name="Explanation">Why, in words.</param>
/// <param name="Parts">The reach parts the candidate covers (a stretch may span branches): reach id and metres from–to.</param>
/// <param name="Stretch"><c>above:station_id</c>: the stretch the candidate lies on (its first station with readings downstream).</param>
public sealed record SourceCandidate(
    int Rank,
    SourceKind Kind,
    string Id,
    string ReachId,
    double FromMetres,
    double ToMetres,
    double RiverKm,
    double TravelHours,
    string? EnterpriseCreditCode,
    string? EnterpriseName,
    double Score,
    double Consistency,
    double DischargeMatch,
    string Explanation,
    IReadOnlyList<(string ReachId, double FromMetres, double ToMetres)> Parts,
    string Stretch)
{
    /// <summary>True when the candidate covers a river position (for stretches: any of its parts).</summary>
    public bool Covers(RiverPosition position) =>
        Parts.Any(p => p.ReachId == position.ReachId && position.AlongMetres >= p.FromMetres - 1 && position.AlongMetres <= p.ToMetres + 1);
}

/// <summary>The anomaly as seen at the station, and the ranked candidates.</summary>
/// <param name="StationId">The anomalous station.</param>
/// <param name="Onset">When the anomaly began there.</param>
/// <param name="Peak">When it peaked.</param>
/// <param name="Signature">Each indicator's deviation at the peak, in scale units (positive: above normal).</param>
/// <param name="Upstream">The evidence of every upstream station with readings.</param>
/// <param name="Candidates">Candidate sources, most likely first.</param>
public sealed record SourceRanking(
    string StationId,
    DateTimeOffset Onset,
    DateTimeOffset Peak,
    IReadOnlyDictionary<string, double> Signature,
    IReadOnlyList<StationEvidence> Upstream,
    IReadOnlyList<SourceCandidate> Candidates);

/// <summary>Options of the source ranking; the defaults state what OneMap uses.</summary>
public sealed class SourceRankingOptions
{
    /// <summary>How far upstream to look. Default 40 km.</summary>
    public double MaxKm { get; set; } = 40;

    /// <summary>A deviation this many scale units from normal counts as part of the anomaly. Default 3.</summary>
    public double Threshold { get; set; } = 3;

    /// <summary>Pollution fades with river distance on this scale (dilution, decay). Default 28 km.</summary>
    public double DecayKm { get; set; } = 28;

    /// <summary>Flow speeds are known to within this fraction; arrival windows widen by it. Default 0.3.</summary>
    public double TravelUncertainty { get; set; } = 0.3;

    /// <summary>Weight of the station evidence in the score. Default 1.</summary>
    public double ConsistencyWeight { get; set; } = 1;

    /// <summary>Weight of the discharge match in the score. Default 1.5.</summary>
    public double DischargeWeight { get; set; } = 1.5;

    /// <summary>Score lost per kilometre of river distance (nearer sources first, all else equal). Default 0.01.</summary>
    public double DistancePenaltyPerKm { get; set; } = 0.01;
}

/// <summary>
/// Ranks candidate sources of a water-quality anomaly at a station. The anomaly's signature (which indicators moved,
/// which way) is read at the station; every upstream station is checked for the same signature when the water from
/// it would have arrived (travel time along the reaches, give or take the flow-speed uncertainty); each candidate —
/// every registered outfall upstream, and every stretch between stations and confluences for unregistered sources —
/// is scored by how well "the source is here" explains which stations saw it and which did not, by how well its kind
/// of discharge matches the signature, and, lightly, by how far upstream it is.
/// </summary>
public static class SourceRanker
{
    private static readonly string[] SignatureIndicators = ["do", "nh3_n", "cod_mn", "tp", "ph", "conductivity", "turbidity"];

    /// <summary>What each kind of source typically changes (direction and relative weight), by indicator.</summary>
    private static readonly Dictionary<string, Dictionary<string, double>> Profiles = new(StringComparer.Ordinal)
    {
        // Industrial waste water: salts and organics up, often acidic.
        ["industrial"] = new() { ["conductivity"] = 1, ["cod_mn"] = 1, ["nh3_n"] = 0.5, ["ph"] = -1 },
        // Combined sewage through storm outlets: ammonia, phosphorus and silt up, oxygen down.
        ["sewage"] = new() { ["nh3_n"] = 1, ["tp"] = 1, ["do"] = -1, ["turbidity"] = 1 },
        // A hidden outfall: raw domestic sewage without the storm's silt.
        ["hidden"] = new() { ["nh3_n"] = 1, ["do"] = -1, ["cod_mn"] = 1, ["tp"] = 0.7 },
        // Farm runoff: phosphorus and silt.
        ["runoff"] = new() { ["tp"] = 1, ["turbidity"] = 1, ["nh3_n"] = 0.5 },
    };

    public static SourceRanking Rank(RiverNetwork network, IWaterReadings readings, string stationId, DateTimeOffset at, SourceRankingOptions? options = null)
    {
        options ??= new SourceRankingOptions();
        var station = network.Station(stationId);
        var target = network.PositionOf(station);
        var upstream = UpstreamTrace.Upstream(network, stationId, options.MaxKm);
        var upstreamStations = upstream.Where(u => u.Kind == UpstreamKind.Station).ToList();
        var travelCap = TimeSpan.FromHours(upstreamStations.Select(u => u.TravelHours).DefaultIfEmpty(0).Max() * (1 + options.TravelUncertainty) + 3);
        var from = at - TimeSpan.FromDays(3) - TimeSpan.FromHours(20) - travelCap;
        var to = at + TimeSpan.FromHours(6);
        // Every automatic station is read, not only those upstream: together they show what the weather does everywhere.
        var everyStation = network.Stations.Where(s => s.Kind == StationKind.Automatic).Select(s => s.Id)
            .Append(stationId).Concat(upstreamStations.Select(u => u.Id)).Distinct(StringComparer.Ordinal).ToList();
        var series = Load(readings, everyStation, from, to, at - TimeSpan.FromHours(54), at - TimeSpan.FromHours(8));
        if (!series.TryGetValue(stationId, out var own))
        {
            throw new SpatialArgumentException("river sources", "station", $"station '{stationId}' has no readings between {from:O} and {to:O}");
        }

        // The anomaly at the station: strongest deviation around the given time, its signature, and its onset.
        var (peakIndex, signature) = Signature(own, at, options.Threshold);
        if (signature.Count == 0)
        {
            throw new SpatialArgumentException("river sources", "at",
                $"station '{stationId}' shows no deviation of {options.Threshold} scale units in {string.Join(", ", SignatureIndicators)} from 1 hour before to 3 hours after {at:O}");
        }
        // Saturate each indicator at three thresholds: a salt spike of 100 scale units must not drown the rest.
        var saturated = signature.ToDictionary(s => s.Key, s => Math.Clamp(s.Value / (3 * options.Threshold), -1, 1), StringComparer.Ordinal);
        var norm = Math.Sqrt(saturated.Values.Sum(v => v * v));
        var direction = saturated.ToDictionary(s => s.Key, s => s.Value / norm, StringComparer.Ordinal);
        var peakProjection = Projection(own, direction, peakIndex);
        var onsetIndex = peakIndex;
        var onsetLevel = Math.Max(options.Threshold, 0.3 * peakProjection);
        while (onsetIndex > 0 && Projection(own, direction, onsetIndex - 1) >= onsetLevel)
        {
            onsetIndex--;
        }
        var onset = own.Time(onsetIndex);
        var peak = own.Time(peakIndex);

        // Each upstream station: did the signature pass it when the water from it reached the station?
        var evidence = new List<StationEvidence>();
        foreach (var item in upstreamStations)
        {
            if (!series.TryGetValue(item.Id, out var other) || !direction.Keys.Any(other.Has))
            {
                continue;
            }
            var travel = TimeSpan.FromHours(item.TravelHours);
            var slack = TimeSpan.FromHours(1.5) + (travel * options.TravelUncertainty);
            // The water passing there must have started to carry the anomaly when, one travel time earlier than here,
            // it began here; a rise hours off that time is something else.
            var windowFrom = other.Index(onset - travel - slack);
            var windowTo = other.Index(onset - travel + slack + TimeSpan.FromHours(1));
            var best = double.NegativeInfinity;
            var bestIndex = windowFrom;
            for (var i = Math.Max(0, windowFrom); i <= Math.Min(other.Length - 1, windowTo); i++)
            {
                // Smooth over 15 minutes so one noisy reading neither makes nor breaks the evidence.
                var p = (Projection(other, direction, i - 1) + Projection(other, direction, i) + Projection(other, direction, i + 1)) / 3;
                if (p > best)
                {
                    best = p;
                    bestIndex = i;
                }
            }
            if (double.IsNegativeInfinity(best) || double.IsNaN(best))
            {
                continue;
            }
            // Water only loses pollution on its way down (it fades and is diluted), so a station between the source
            // and here saw at least about the change, in mg/L, that arrived here; a much weaker change is another event.
            var absolute = Math.Clamp((best - (options.Threshold - 1)) / 2, 0, 1);
            var ratios = new List<double>();
            foreach (var indicator in direction.Keys)
            {
                var here = own.MedianChange(indicator, peakIndex - 6, peakIndex + 6);
                var there = other.MedianChange(indicator, bestIndex - 3, bestIndex + 3);
                if (!double.IsNaN(here) && !double.IsNaN(there) && here != 0)
                {
                    ratios.Add(there / here);
                }
            }
            var ratio = ratios.Count == 0 ? 0 : StationSeries.Median(ratios);
            var relative = Math.Clamp((ratio - 0.3) / 0.4, 0, 1);
            var sees = Math.Min(absolute, relative);
            evidence.Add(new StationEvidence(item.Id, item.TravelHours, Math.Round(best, 2), Math.Round((other.Time(bestIndex) - onset).TotalHours, 2), Math.Round(sees, 3)));
        }

        var witnesses = evidence.Select(e => e.StationId).ToHashSet(StringComparer.Ordinal);
        var scored = Candidates(network, stationId, upstream, target, witnesses)
            .Select(c => Score(network, c, evidence, direction, target, options))
            .ToList();
        // Outfalls of one kind on one stretch form a group ranked by its best member; members follow nearest first
        // and share that rank (their scores differ only through distance, which readings cannot measure there).
        var candidates = new List<SourceCandidate>(scored.Count);
        foreach (var group in scored
                     .GroupBy(c => c.Kind == SourceKind.UnregisteredStretch ? c.Id : $"{c.Kind}|{c.Stretch}", StringComparer.Ordinal)
                     .Select(g => (Best: g.Max(c => c.Score), Members: g.OrderBy(c => c.RiverKm).ThenBy(c => c.Id, StringComparer.Ordinal).ToList()))
                     .OrderByDescending(g => g.Best)
                     .ThenBy(g => g.Members[0].RiverKm)
                     .ThenBy(g => g.Members[0].Id, StringComparer.Ordinal))
        {
            var rank = candidates.Count + 1;
            candidates.AddRange(group.Members.Select(c => c with { Rank = rank }));
        }
        return new SourceRanking(stationId, onset, peak,
            signature.ToDictionary(s => s.Key, s => Math.Round(s.Value, 2), StringComparer.Ordinal), evidence, candidates);
    }

    private static Dictionary<string, StationSeries> Load(IWaterReadings readings, IReadOnlyCollection<string> stations, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset quietFrom, DateTimeOffset quietTo)
    {
        var length = (int)Math.Ceiling((to - from) / StationSeries.Step);
        var series = new Dictionary<string, StationSeries>(StringComparer.Ordinal);
        foreach (var reading in readings.Read(stations, SignatureIndicators, from, to))
        {
            if (!series.TryGetValue(reading.StationId, out var s))
            {
                s = new StationSeries(from, length);
                series[reading.StationId] = s;
            }
            s.Add(reading);
        }
        foreach (var s in series.Values)
        {
            s.ComputeResiduals();
        }
        var regional = StationSeries.Regional(series.Values, length);
        foreach (var s in series.Values)
        {
            s.Standardize(regional, quietFrom, quietTo);
        }
        return series;
    }

    private static (int Peak, Dictionary<string, double> Signature) Signature(StationSeries own, DateTimeOffset at, double threshold)
    {
        // The alarm time marks the anomaly's start: read its signature from just before it to a few hours after, not
        // further back, where the tail of an earlier event may still linger.
        var from = own.Index(at - TimeSpan.FromHours(1));
        var to = own.Index(at + TimeSpan.FromHours(3));
        var peak = -1;
        var strongest = 0.0;
        for (var i = Math.Max(0, from); i <= Math.Min(own.Length - 1, to); i++)
        {
            var magnitude = 0.0;
            foreach (var indicator in SignatureIndicators)
            {
                var z = own.MedianZ(indicator, i - 3, i + 3);
                if (!double.IsNaN(z) && Math.Abs(z) >= threshold)
                {
                    magnitude += z * z;
                }
            }
            if (magnitude > strongest)
            {
                strongest = magnitude;
                peak = i;
            }
        }
        var signature = new Dictionary<string, double>(StringComparer.Ordinal);
        if (peak < 0)
        {
            return (0, signature);
        }
        foreach (var indicator in SignatureIndicators)
        {
            var z = own.MedianZ(indicator, peak - 6, peak + 6);
            if (!double.IsNaN(z) && Math.Abs(z) >= threshold)
            {
                signature[indicator] = z;
            }
        }
        return (peak, signature);
    }

    /// <summary>The deviation along the signature's direction at a grid index (over the indicators the station has).</summary>
    private static double Projection(StationSeries series, Dictionary<string, double> direction, int index)
    {
        var sum = 0.0;
        var weight = 0.0;
        foreach (var (indicator, d) in direction)
        {
            var z = series.Z(indicator, index);
            if (!double.IsNaN(z))
            {
                // Clip single indicators so one wild sensor cannot carry the projection alone.
                sum += Math.Clamp(z, -50, 50) * d;
                weight += d * d;
            }
        }
        return weight == 0 ? double.NaN : sum / Math.Sqrt(weight);
    }

    private sealed record Candidate(SourceKind Kind, string Id, RiverPosition Lowest, List<(string ReachId, double From, double To)> Parts, Outfall? Outfall,
        RiverEnterprise? Enterprise, string Stretch);

    /// <summary>
    /// Registered outfalls upstream, and one stretch per station (the anomalous one and each upstream one): the river
    /// whose first station downstream is that station. Every point of a stretch has the same stations below it, so
    /// readings cannot tell its points apart.
    /// </summary>
    private static IEnumerable<Candidate> Candidates(RiverNetwork network, string stationId, IReadOnlyList<UpstreamItem> upstream, RiverPosition target,
        HashSet<string> witnesses)
    {
        // Only stations with readings split the river: a sampling point without data cannot tell one side from the other.
        var stations = upstream.Where(u => u.Kind == UpstreamKind.Station && witnesses.Contains(u.Id)).Select(u => network.Station(u.Id)).Append(network.Station(stationId)).ToList();
        var outfalls = network.Outfalls.ToDictionary(o => o.Id, StringComparer.Ordinal);
        foreach (var item in upstream.Where(u => u.Kind == UpstreamKind.Outfall))
        {
            var outfall = outfalls[item.Id];
            var kind = outfall.Kind == OutfallKind.StormDrain ? SourceKind.StormDrain : SourceKind.PermittedOutfall;
            var position = new RiverPosition(item.ReachId, item.FromMetres);
            yield return new Candidate(kind, outfall.Id, position, [(item.ReachId, item.FromMetres, item.FromMetres)], outfall,
                network.Enterprise(outfall.EnterpriseCreditCode), "above:" + FirstStationBelow(network, position, stations, target, stationId));
        }
        var regions = new Dictionary<string, List<(string ReachId, double From, double To)>>(StringComparer.Ordinal);
        foreach (var reach in upstream.Where(u => u.Kind == UpstreamKind.Reach))
        {
            var cuts = new SortedSet<double> { reach.FromMetres, reach.ToMetres };
            foreach (var s in stations.Where(s => s.ReachId == reach.Id))
            {
                var along = network.PositionOf(s).AlongMetres;
                if (along > reach.FromMetres && along < reach.ToMetres)
                {
                    cuts.Add(along);
                }
            }
            var points = cuts.ToList();
            for (var i = 1; i < points.Count; i++)
            {
                if (points[i] - points[i - 1] < 1)
                {
                    continue;
                }
                var below = FirstStationBelow(network, new RiverPosition(reach.Id, (points[i - 1] + points[i]) / 2), stations, target, stationId);
                if (!regions.TryGetValue(below, out var parts))
                {
                    parts = [];
                    regions[below] = parts;
                }
                parts.Add((reach.Id, points[i - 1], points[i]));
            }
        }
        foreach (var (below, parts) in regions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var end = network.PositionOf(network.Station(below));
            // The stretch's lowest part ends at its station; score the stretch just above that point.
            var lowest = parts.Where(p => p.ReachId == end.ReachId && p.To <= end.AlongMetres + 1).OrderByDescending(p => p.To).Select(p => (p.ReachId, p.To)).FirstOrDefault();
            var position = lowest.ReachId is null ? new RiverPosition(parts[0].ReachId, parts[0].To) : new RiverPosition(lowest.ReachId, Math.Max(0, lowest.To - 1));
            yield return new Candidate(SourceKind.UnregisteredStretch, "above:" + below, position,
                parts.OrderBy(p => p.ReachId, StringComparer.Ordinal).ThenBy(p => p.From).ToList(), null, null, "above:" + below);
        }
    }

    /// <summary>The first station (of those given) downstream of a position on the way to the target.</summary>
    private static string FirstStationBelow(RiverNetwork network, RiverPosition position, List<MonitoringStation> stations, RiverPosition target, string targetId)
    {
        var best = targetId;
        var bestMetres = network.Downstream(position, target)?.Metres ?? double.MaxValue;
        foreach (var station in stations)
        {
            if (network.Downstream(position, network.PositionOf(station)) is { } path && path.Metres < bestMetres)
            {
                best = station.Id;
                bestMetres = path.Metres;
            }
        }
        return best;
    }

    private static SourceCandidate Score(RiverNetwork network, Candidate candidate, List<StationEvidence> evidence, Dictionary<string, double> direction,
        RiverPosition target, SourceRankingOptions options)
    {
        var middle = candidate.Lowest;
        var toTarget = network.Downstream(middle, target) ?? (0, TimeSpan.Zero);
        var consistency = 0.0;
        var reasons = new List<string>();
        foreach (var e in evidence)
        {
            var at = network.PositionOf(network.Station(e.StationId));
            var below = network.Downstream(middle, at);
            if (below is { } path)
            {
                // Downstream of the source: it should have seen it, unless dilution and decay faded it on the way.
                var expectedStrength = Math.Exp(-path.Metres / 1000 / options.DecayKm);
                consistency += expectedStrength * ((2 * e.Sees) - 1);
                if (e.Sees < 0.5 && expectedStrength > 0.5)
                {
                    reasons.Add($"{e.StationId} downstream saw nothing");
                }
            }
            else
            {
                // Not downstream of the source: it should have stayed clean.
                consistency += 1 - (2 * e.Sees);
                if (e.Sees >= 0.5)
                {
                    reasons.Add($"{e.StationId} saw it but is not downstream");
                }
            }
        }
        var (match, profile) = Match(candidate.Kind, direction);
        var score = (options.ConsistencyWeight * consistency) + (options.DischargeWeight * match) - (options.DistancePenaltyPerKm * toTarget.Metres / 1000);
        var text = new StringBuilder();
        text.Append(candidate.Kind switch
        {
            SourceKind.PermittedOutfall => $"permitted outfall{(candidate.Enterprise is { } e2 ? $" of {e2.Name}" : "")}",
            SourceKind.StormDrain => "storm drain",
            _ => "unregistered source on this stretch",
        });
        text.Append(string.Create(CultureInfo.InvariantCulture, $"; {toTarget.Metres / 1000:0.0} km upstream, {toTarget.Travel.TotalHours:0.0} h travel"));
        text.Append(string.Create(CultureInfo.InvariantCulture, $"; signature matches {profile} discharge {match:0.00}"));
        if (reasons.Count > 0)
        {
            text.Append("; against: ").Append(string.Join(", ", reasons));
        }
        var lowestPart = candidate.Parts.FirstOrDefault(p => p.ReachId == candidate.Lowest.ReachId && candidate.Lowest.AlongMetres >= p.From - 1 && candidate.Lowest.AlongMetres <= p.To + 1);
        var (from, to) = lowestPart.ReachId is null ? (candidate.Lowest.AlongMetres, candidate.Lowest.AlongMetres) : (lowestPart.From, lowestPart.To);
        return new SourceCandidate(0, candidate.Kind, candidate.Id, candidate.Lowest.ReachId, Math.Round(from, 1), Math.Round(to, 1),
            Math.Round(toTarget.Metres / 1000, 3), Math.Round(toTarget.Travel.TotalHours, 3), candidate.Enterprise?.CreditCode, candidate.Enterprise?.Name,
            Math.Round(score, 4), Math.Round(consistency, 4), Math.Round(match, 4), text.ToString(),
            candidate.Parts.Select(p => (p.ReachId, Math.Round(p.From, 1), Math.Round(p.To, 1))).ToList(), candidate.Stretch);
    }

    /// <summary>Cosine between the signature and what the candidate's kind discharges (the better profile for a stretch).</summary>
    private static (double Match, string Profile) Match(SourceKind kind, Dictionary<string, double> direction)
    {
        IEnumerable<string> profiles = kind switch
        {
            SourceKind.PermittedOutfall => ["industrial"],
            SourceKind.StormDrain => ["sewage"],
            _ => ["hidden", "runoff"],
        };
        return profiles.Select(p => (Cosine(direction, Profiles[p]), p)).MaxBy(m => m.Item1);
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var dot = 0.0;
        foreach (var (key, value) in a)
        {
            if (b.TryGetValue(key, out var other))
            {
                dot += value * other;
            }
        }
        var na = Math.Sqrt(a.Values.Sum(v => v * v));
        var nb = Math.Sqrt(b.Values.Sum(v => v * v));
        return na == 0 || nb == 0 ? 0 : dot / (na * nb);
    }
}
