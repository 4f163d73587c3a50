using NetTopologySuite.Geometries;

namespace OneMap.Models.Rivers;

/// <summary>What a river node is.</summary>
public enum RiverNodeKind
{
    /// <summary>A river's source (headwater).</summary>
    Source,

    /// <summary>Where a tributary joins.</summary>
    Confluence,

    /// <summary>A boundary between two reaches of one river (河段分界, e.g. an administrative border or a sluice).</summary>
    ReachBoundary,

    /// <summary>Where the network drains into the sea (河口).</summary>
    Mouth,
}

/// <summary>A node of the directed river network.</summary>
/// <param name="Id">Node id (<c>N-001</c>).</param>
/// <param name="Kind">Source, confluence, reach boundary or mouth.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record RiverNode(string Id, RiverNodeKind Kind, Point Location);

/// <summary>
/// A directed river reach (河段): water flows from <see cref="FromNode"/> to <see cref="ToNode"/>, and the geometry is
/// drawn in flow direction. Reaches form a tree draining to one mouth.
/// </summary>
/// <param name="Id">Reach id (<c>R-001</c>).</param>
/// <param name="RiverName">Chinese name of the river (木兰溪).</param>
/// <param name="RiverNameEn">English or pinyin name (Mulan River).</param>
/// <param name="FromNode">Upstream node id.</param>
/// <param name="ToNode">Downstream node id.</param>
/// <param name="LengthMeters">Length along the channel in metres.</param>
/// <param name="FlowSpeedMetersPerSecond">Mean flow speed in m/s; travel time through the reach is length / speed.</param>
/// <param name="StreamOrder">Strahler order (1 for headwater streams).</param>
/// <param name="DownstreamReachId">The reach the water flows into next; null for the reach that ends at the mouth.</param>
/// <param name="Geometry">Centre line in WGS84, in flow direction.</param>
public sealed record RiverReach(
    string Id,
    string RiverName,
    string RiverNameEn,
    string FromNode,
    string ToNode,
    double LengthMeters,
    double FlowSpeedMetersPerSecond,
    int StreamOrder,
    string? DownstreamReachId,
    LineString Geometry)
{
    /// <summary>Time for water to travel the whole reach.</summary>
    public TimeSpan TravelTime => TimeSpan.FromSeconds(LengthMeters / FlowSpeedMetersPerSecond);
}

/// <summary>Whether an outfall is registered.</summary>
public enum OutfallKind
{
    /// <summary>A permitted outfall (排污许可) listed in the ecology bureau's register.</summary>
    Permitted,

    /// <summary>A storm-water outlet of the municipal drainage system.</summary>
    StormDrain,

    /// <summary>A hidden, unregistered outfall (暗管偷排); appears in no register.</summary>
    Hidden,
}

/// <summary>An outfall (入河排污口) discharging into a reach.</summary>
/// <param name="Id">Outfall id (<c>OF-001</c>).</param>
/// <param name="Name">Chinese name.</param>
/// <param name="Kind">Permitted, storm drain or hidden.</param>
/// <param name="ReachId">The reach it discharges into.</param>
/// <param name="DistanceAlongReachMeters">Distance from the reach's upstream end.</param>
/// <param name="EnterpriseCreditCode">The discharging enterprise, if any.</param>
/// <param name="PermittedFlowCubicMetersPerDay">Permitted discharge; null when not permitted.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record Outfall(
    string Id,
    string Name,
    OutfallKind Kind,
    string ReachId,
    double DistanceAlongReachMeters,
    string? EnterpriseCreditCode,
    double? PermittedFlowCubicMetersPerDay,
    Point Location);
