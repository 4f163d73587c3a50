using NetTopologySuite.Geometries;

using OneMap.Lakehouse.Spatial.Geodesy;
using OneMap.Lakehouse.Spatial.Index;
using OneMap.Models.Rivers;

namespace OneMap.Lakehouse.Spatial.Rivers;

/// <summary>A place on the network: a reach and the channel distance from its upstream end, in metres.</summary>
public readonly record struct RiverPosition(string ReachId, double AlongMetres);

/// <summary>An enterprise as the river tracing sees it: where it is, what it does, and the outfalls it discharges through.</summary>
/// <param name="CreditCode">Unified social credit code.</param>
/// <param name="Name">Registered name.</param>
/// <param name="IndustryCode">GB/T 4754 class code (what it makes, hence what it may discharge).</param>
/// <param name="Location">Position (WGS84).</param>
public sealed record RiverEnterprise(string CreditCode, string Name, string? IndustryCode, Point Location);

/// <summary>
/// The directed river network: reaches draining into their downstream reach (a tree towards the mouth), with the
/// monitoring stations, outfalls and enterprises placed on it. Positions are channel distances along reaches (a
/// reach's geometry is scaled to its recorded channel length), so river distances and travel times follow the water.
/// Immutable once built; safe to share between threads.
/// </summary>
public sealed class RiverNetwork
{
    private readonly Dictionary<string, RiverReach> _reaches;
    private readonly Dictionary<string, List<string>> _upstreamReaches;
    private readonly Dictionary<string, double[]> _cumulative;
    private readonly Dictionary<string, MonitoringStation> _stations;
    private readonly Dictionary<string, (Outfall Outfall, RiverPosition Position)> _outfalls;
    private readonly Dictionary<string, RiverEnterprise> _enterprises;
    private readonly FeatureIndex _reachIndex;

    /// <summary>Builds the network; outfalls are placed on their reach where their position projects onto it.</summary>
    public RiverNetwork(IEnumerable<RiverReach> reaches, IEnumerable<MonitoringStation> stations, IEnumerable<Outfall> outfalls,
        IEnumerable<RiverEnterprise> enterprises)
    {
        _reaches = reaches.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var reach in _reaches.Values)
        {
            if (reach.DownstreamReachId is { } down && !_reaches.ContainsKey(down))
            {
                throw new SpatialArgumentException("river network", "downstream_reach_id", $"reach '{reach.Id}' drains into unknown reach '{down}'");
            }
            if (!(reach.LengthMeters > 0) || !(reach.FlowSpeedMetersPerSecond > 0))
            {
                throw new SpatialArgumentException("river network", "length_m", $"reach '{reach.Id}' needs a positive length and flow speed");
            }
        }
        _upstreamReaches = _reaches.Values
            .Where(r => r.DownstreamReachId is not null)
            .GroupBy(r => r.DownstreamReachId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Id).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        CheckAcyclic();
        _cumulative = _reaches.Values.ToDictionary(r => r.Id, r => CumulativeLengths(r.Geometry), StringComparer.Ordinal);
        _stations = stations.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var station in _stations.Values)
        {
            RequireReach(station.ReachId, $"station '{station.Id}'");
        }
        _outfalls = outfalls.ToDictionary(o => o.Id, o =>
        {
            RequireReach(o.ReachId, $"outfall '{o.Id}'");
            return (o, Snap(o.ReachId, o.Location));
        }, StringComparer.Ordinal);
        _enterprises = enterprises.ToDictionary(e => e.CreditCode, StringComparer.Ordinal);
        _reachIndex = new FeatureIndex(_reaches.Values.Select(r => (r.Id, (Geometry)r.Geometry)));
    }

    public IReadOnlyCollection<RiverReach> Reaches => _reaches.Values;

    public IReadOnlyCollection<MonitoringStation> Stations => _stations.Values;

    public IEnumerable<Outfall> Outfalls => _outfalls.Values.Select(o => o.Outfall);

    public IReadOnlyCollection<RiverEnterprise> Enterprises => _enterprises.Values;

    public RiverReach Reach(string id) => _reaches.TryGetValue(id, out var reach)
        ? reach
        : throw new SpatialArgumentException("river network", "reach", $"no reach '{id}'");

    public MonitoringStation Station(string id) => _stations.TryGetValue(id, out var station)
        ? station
        : throw new SpatialArgumentException("river network", "station", $"no monitoring station '{id}' on the network");

    public RiverPosition PositionOf(MonitoringStation station) => new(station.ReachId, Math.Clamp(station.DistanceAlongReachMeters, 0, Reach(station.ReachId).LengthMeters));

    public RiverPosition PositionOf(Outfall outfall) => _outfalls[outfall.Id].Position;

    public RiverEnterprise? Enterprise(string? creditCode) =>
        creditCode is not null && _enterprises.TryGetValue(creditCode, out var enterprise) ? enterprise : null;

    /// <summary>Reaches that drain directly into <paramref name="reachId"/>.</summary>
    public IReadOnlyList<string> UpstreamOf(string reachId) => _upstreamReaches.TryGetValue(reachId, out var up) ? up : [];

    /// <summary>
    /// Channel distance (m) and travel time from <paramref name="from"/> downstream to <paramref name="to"/>; null
    /// when <paramref name="to"/> is not downstream of <paramref name="from"/>.
    /// </summary>
    public (double Metres, TimeSpan Travel)? Downstream(RiverPosition from, RiverPosition to)
    {
        var metres = 0.0;
        var seconds = 0.0;
        var reach = Reach(from.ReachId);
        var along = from.AlongMetres;
        while (true)
        {
            if (reach.Id == to.ReachId && to.AlongMetres >= along)
            {
                var last = to.AlongMetres - along;
                return (metres + last, TimeSpan.FromSeconds(seconds + (last / reach.FlowSpeedMetersPerSecond)));
            }
            var rest = reach.LengthMeters - along;
            metres += rest;
            seconds += rest / reach.FlowSpeedMetersPerSecond;
            if (reach.DownstreamReachId is null)
            {
                return null;
            }
            reach = Reach(reach.DownstreamReachId);
            along = 0;
        }
    }

    /// <summary>Where a point lies on a reach: its projection onto the reach line, as channel metres from the upstream end.</summary>
    public RiverPosition Snap(string reachId, Point point)
    {
        var reach = Reach(reachId);
        var line = reach.Geometry.CoordinateSequence;
        var cumulative = _cumulative[reachId];
        var total = cumulative[^1];
        if (line.Count < 2 || total == 0)
        {
            return new RiverPosition(reachId, 0);
        }
        // Project in a local plane scaled to metres around the point (reach segments are short).
        var cosLat = Math.Cos(point.Y * Math.PI / 180);
        var best = (Distance: double.MaxValue, Along: 0.0);
        for (var i = 1; i < line.Count; i++)
        {
            double ax = (line.GetX(i - 1) - point.X) * cosLat, ay = line.GetY(i - 1) - point.Y;
            double bx = (line.GetX(i) - point.X) * cosLat, by = line.GetY(i) - point.Y;
            double dx = bx - ax, dy = by - ay;
            var length2 = (dx * dx) + (dy * dy);
            var t = length2 == 0 ? 0 : Math.Clamp(-((ax * dx) + (ay * dy)) / length2, 0, 1);
            double px = ax + (t * dx), py = ay + (t * dy);
            var distance = (px * px) + (py * py);
            if (distance < best.Distance)
            {
                best = (distance, cumulative[i - 1] + (t * (cumulative[i] - cumulative[i - 1])));
            }
        }
        return new RiverPosition(reachId, best.Along / total * reach.LengthMeters);
    }

    /// <summary>The reach nearest to a point (geodesic distance), with the point snapped onto it.</summary>
    public (RiverPosition Position, double DistanceMetres)? Nearest(Point point)
    {
        var nearest = _reachIndex.Nearest(point, 1);
        if (nearest.Count == 0)
        {
            return null;
        }
        var reachId = _reachIndex.Key(nearest[0].Feature);
        return (Snap(reachId, point), nearest[0].DistanceMetres);
    }

    /// <summary>Reaches within <paramref name="metres"/> of a point.</summary>
    public IReadOnlyList<(string ReachId, double DistanceMetres)> ReachesNear(Point point, double metres) =>
        _reachIndex.Within(point, metres).Select(m => (_reachIndex.Key(m.Feature), m.DistanceMetres)).ToList();

    /// <summary>Stations, outfalls on a reach, by channel position.</summary>
    internal IEnumerable<MonitoringStation> StationsOn(string reachId) => _stations.Values.Where(s => s.ReachId == reachId);

    internal IEnumerable<(Outfall Outfall, RiverPosition Position)> OutfallsOn(string reachId) => _outfalls.Values.Where(o => o.Outfall.ReachId == reachId);

    private void RequireReach(string reachId, string what)
    {
        if (!_reaches.ContainsKey(reachId))
        {
            throw new SpatialArgumentException("river network", "reach_id", $"{what} lies on unknown reach '{reachId}'");
        }
    }

    private void CheckAcyclic()
    {
        foreach (var start in _reaches.Values)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var reach = start; reach.DownstreamReachId is { } down; reach = _reaches[down])
            {
                if (!seen.Add(reach.Id))
                {
                    throw new SpatialArgumentException("river network", "downstream_reach_id", $"reaches form a loop through '{reach.Id}'");
                }
            }
        }
    }

    private static double[] CumulativeLengths(LineString line)
    {
        var sequence = line.CoordinateSequence;
        var cumulative = new double[Math.Max(1, sequence.Count)];
        for (var i = 1; i < sequence.Count; i++)
        {
            var a = GeoPoint.FromDegrees(sequence.GetX(i - 1), sequence.GetY(i - 1));
            var b = GeoPoint.FromDegrees(sequence.GetX(i), sequence.GetY(i));
            cumulative[i] = cumulative[i - 1] + (a.NearlyEquals(b) ? 0 : Geodesic.Distance(a.Lat, a.Lon, b.Lat, b.Lon, Spheroid.Wgs84));
        }
        return cumulative;
    }
}
