using NetTopologySuite.Geometries;

namespace OneMap.Models.Vessels;

/// <summary>A registered fishing vessel with a BeiDou position terminal.</summary>
/// <param name="Id">Vessel registration number (闽莆渔12345).</param>
/// <param name="Name">Vessel name.</param>
/// <param name="TerminalId">BeiDou terminal id that reports positions.</param>
/// <param name="HomePort">Home fishing port (Chinese name).</param>
/// <param name="LengthMeters">Length overall.</param>
/// <param name="EnginePowerKw">Main engine power.</param>
/// <param name="OwnerName">Owner; personal data.</param>
/// <param name="OwnerPhone">Owner's phone, alerted on fence crossings; personal data.</param>
/// <param name="GridCode">The grid whose member is alerted too (the owner's home grid).</param>
public sealed record Vessel(
    string Id,
    string Name,
    string TerminalId,
    string HomePort,
    double LengthMeters,
    double EnginePowerKw,
    string OwnerName,
    string OwnerPhone,
    string GridCode);

/// <summary>One position report of a vessel (every minute at sea).</summary>
/// <param name="VesselId">The vessel.</param>
/// <param name="At">Fix time.</param>
/// <param name="SpeedKnots">Speed over ground.</param>
/// <param name="CourseDegrees">Course over ground, 0 = north, clockwise.</param>
/// <param name="Location">Position in WGS84.</param>
public sealed record VesselPosition(string VesselId, DateTimeOffset At, double SpeedKnots, double CourseDegrees, Point Location);

/// <summary>What an electronic fence protects.</summary>
public enum FenceKind
{
    /// <summary>No fishing at any time (禁渔区), e.g. a spawning ground.</summary>
    NoFishing,

    /// <summary>A navigation channel or port water that fishing boats must keep out of.</summary>
    Channel,

    /// <summary>An aquaculture area (养殖区) boats must not enter.</summary>
    Aquaculture,

    /// <summary>A line boats must not cross seawards in bad weather or closed season (出海警戒线).</summary>
    Offshore,
}

/// <summary>An electronic fence (电子围栏) along the coast.</summary>
/// <param name="Id">Fence id (<c>F-01</c>).</param>
/// <param name="Name">Chinese name.</param>
/// <param name="Kind">What it protects.</param>
/// <param name="Area">The fenced water in WGS84.</param>
public sealed record Fence(string Id, string Name, FenceKind Kind, Polygon Area);

/// <summary>A vessel entering a fence.</summary>
/// <param name="VesselId">The vessel.</param>
/// <param name="FenceId">The fence.</param>
/// <param name="EnteredAt">Time of the first position inside.</param>
/// <param name="ExitedAt">Time of the first position outside again, if it left.</param>
public sealed record FenceCrossing(string VesselId, string FenceId, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt);
