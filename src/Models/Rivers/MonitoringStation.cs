using NetTopologySuite.Geometries;

namespace OneMap.Models.Rivers;

/// <summary>How a water-quality site is monitored.</summary>
public enum StationKind
{
    /// <summary>An automatic station (水质自动站) reporting every few minutes over the network.</summary>
    Automatic,

    /// <summary>A manual sampling point (手工监测断面) sampled and analysed in a laboratory, weekly or monthly.</summary>
    SamplingPoint,
}

/// <summary>A water-quality monitoring site on a river reach.</summary>
/// <param name="Id">Site id (<c>WQS-001</c> automatic, <c>SP-001</c> sampling point).</param>
/// <param name="Name">Chinese name (木兰溪东圳水库出口断面).</param>
/// <param name="Kind">Automatic station or manual sampling point.</param>
/// <param name="ReachId">The reach it lies on.</param>
/// <param name="DistanceAlongReachMeters">Distance from the reach's upstream end.</param>
/// <param name="TargetClass">The water-quality class the section must meet (水质目标), I…V as 1…5.</param>
/// <param name="ReportingInterval">How often it reports (5 minutes for automatic stations, 7 days for sampling points).</param>
/// <param name="Location">Position in WGS84, on the reach.</param>
public sealed record MonitoringStation(
    string Id,
    string Name,
    StationKind Kind,
    string ReachId,
    double DistanceAlongReachMeters,
    int TargetClass,
    TimeSpan ReportingInterval,
    Point Location);
