using OneMap.Models.Rivers;

namespace OneMap.Lakehouse.Spatial.Rivers;

/// <summary>What an upstream item is.</summary>
public enum UpstreamKind
{
    Reach,
    Station,
    Outfall,
    Enterprise,
}

/// <summary>
/// One thing upstream of a station.
/// </summary>
/// <param name="Kind">Reach, station, outfall or enterprise.</param>
/// <param name="Id">Its id (reach id, station id, outfall id, enterprise credit code).</param>
/// <param name="ReachId">The reach it lies on (for an enterprise: the reach its outfall or the nearest reach).</param>
/// <param name="FromMetres">Channel position on the reach (for a reach: the upstream end of the part within reach).</param>
/// <param name="ToMetres">For a reach: the downstream end of the part within reach; otherwise equal to FromMetres.</param>
/// <param name="RiverKm">River distance from the item (a reach: its downstream end) down to the station, km.</param>
/// <param name="TravelHours">Travel time of the water from the item to the station, hours.</param>
/// <param name="Via">For an enterprise: the outfall it discharges through, or null when only near the river.</param>
public sealed record UpstreamItem(UpstreamKind Kind, string Id, string ReachId, double FromMetres, double ToMetres, double RiverKm, double TravelHours, string? Via = null);

/// <summary>
/// Walks the network upstream from a station: the reaches (or the parts of them) within a river distance, and the
/// stations, outfalls and enterprises on them — an enterprise counts when it discharges through one of those outfalls
/// or lies within <see cref="EnterpriseReachMetres"/> of one of those reaches.
/// </summary>
public static class UpstreamTrace
{
    /// <summary>Enterprises this close to an upstream reach are listed even without a registered outfall.</summary>
    public const double EnterpriseReachMetres = 500;

    public static IReadOnlyList<UpstreamItem> Upstream(RiverNetwork network, string stationId, double maxKm)
    {
        if (!(maxKm >= 0))
        {
            throw new SpatialArgumentException("upstream", "max_km", $"must be a non-negative number of kilometres, was {maxKm}");
        }
        var station = network.Station(stationId);
        var start = network.PositionOf(station);
        var limit = maxKm * 1000;
        var items = new List<UpstreamItem>();
        var reachParts = new Dictionary<string, (double From, double To)>(StringComparer.Ordinal);
        // (reach, position on it below which we look, metres and seconds already travelled from that position to the station)
        var pending = new Stack<(string Reach, double Below, double Metres, double Seconds)>();
        pending.Push((start.ReachId, start.AlongMetres, 0, 0));
        while (pending.Count > 0)
        {
            var (reachId, below, metres, seconds) = pending.Pop();
            var reach = network.Reach(reachId);
            var from = Math.Max(0, below - (limit - metres));
            reachParts[reachId] = (from, below);
            var speed = reach.FlowSpeedMetersPerSecond;
            items.Add(new UpstreamItem(UpstreamKind.Reach, reachId, reachId, from, below, metres / 1000, seconds / 3600));
            foreach (var other in network.StationsOn(reachId))
            {
                var along = network.PositionOf(other).AlongMetres;
                if (other.Id != stationId && along >= from && along < below + (reachId == start.ReachId ? 0 : 1e-9))
                {
                    items.Add(Item(UpstreamKind.Station, other.Id, reachId, along, metres + (below - along), seconds + ((below - along) / speed)));
                }
            }
            foreach (var (outfall, position) in network.OutfallsOn(reachId))
            {
                if (position.AlongMetres >= from && position.AlongMetres <= below)
                {
                    var d = below - position.AlongMetres;
                    items.Add(Item(UpstreamKind.Outfall, outfall.Id, reachId, position.AlongMetres, metres + d, seconds + (d / speed)));
                }
            }
            if (from > 0)
            {
                continue;
            }
            var toTop = metres + below;
            var secondsToTop = seconds + (below / speed);
            foreach (var upstream in network.UpstreamOf(reachId))
            {
                if (toTop <= limit)
                {
                    var up = network.Reach(upstream);
                    pending.Push((upstream, up.LengthMeters, toTop, secondsToTop));
                }
            }
        }
        AddEnterprises(network, items, reachParts);
        return items
            .OrderBy(i => i.RiverKm)
            .ThenBy(i => i.Kind)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static UpstreamItem Item(UpstreamKind kind, string id, string reachId, double along, double metres, double seconds) =>
        new(kind, id, reachId, along, along, metres / 1000, seconds / 3600);

    private static void AddEnterprises(RiverNetwork network, List<UpstreamItem> items, Dictionary<string, (double From, double To)> reachParts)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var outfalls = network.Outfalls.ToDictionary(o => o.Id, StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Kind == UpstreamKind.Outfall).ToList())
        {
            if (outfalls[item.Id].EnterpriseCreditCode is { } code && network.Enterprise(code) is { } enterprise && listed.Add(code))
            {
                items.Add(item with { Kind = UpstreamKind.Enterprise, Id = enterprise.CreditCode, Via = item.Id });
            }
        }
        foreach (var enterprise in network.Enterprises)
        {
            if (listed.Contains(enterprise.CreditCode))
            {
                continue;
            }
            foreach (var (reachId, _) in network.ReachesNear(enterprise.Location, EnterpriseReachMetres))
            {
                if (!reachParts.TryGetValue(reachId, out var part))
                {
                    continue;
                }
                var position = network.Snap(reachId, enterprise.Location);
                if (position.AlongMetres < part.From || position.AlongMetres > part.To)
                {
                    continue;
                }
                var reachItem = items.First(i => i.Kind == UpstreamKind.Reach && i.Id == reachId);
                var d = part.To - position.AlongMetres;
                var speed = network.Reach(reachId).FlowSpeedMetersPerSecond;
                items.Add(new UpstreamItem(UpstreamKind.Enterprise, enterprise.CreditCode, reachId, position.AlongMetres, position.AlongMetres,
                    reachItem.RiverKm + (d / 1000), reachItem.TravelHours + (d / speed / 3600)));
                listed.Add(enterprise.CreditCode);
                break;
            }
        }
    }
}
