using NetTopologySuite.Geometries;

using OneMap.GraphQLApi.Querying;
using OneMap.Lakehouse.Spatial.Rivers;
using OneMap.Models.Rivers;
using OneMap.Models.Spatial;

using RiverNetwork = OneMap.Lakehouse.Spatial.Rivers.RiverNetwork;

namespace OneMap.GraphQLApi.Stations;

/// <summary>A station up- or downstream of another, with the distance and flow time between them.</summary>
public sealed record RiverNeighbour(string StationId, double RiverKm, double TravelHours);

/// <summary>
/// The river network of the lake (reaches and stations), read from <c>river_reaches</c> and <c>monitoring_stations</c>
/// and rebuilt when either changes, for the stations up- and downstream of a station.
/// </summary>
public sealed class RiverGraph(LakeQueries lake)
{
    public const string Reaches = "river_reaches";
    public const string Stations = "monitoring_stations";

    private readonly SemaphoreSlim loading = new(1, 1);
    private (long Reaches, long Stations, RiverNetwork Network)? current;

    public async Task<RiverNetwork> NetworkAsync(CancellationToken cancellationToken)
    {
        var reaches = lake.CurrentVersion(Reaches) ?? throw new ApiUnavailableException("there are no river reaches in the lake yet");
        var stations = lake.CurrentVersion(Stations) ?? throw new ApiUnavailableException("there are no monitoring stations in the lake yet");
        if (current is { } known && known.Reaches == reaches && known.Stations == stations)
        {
            return known.Network;
        }
        await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is { } again && again.Reaches == reaches && again.Stations == stations)
            {
                return again.Network;
            }
            var reachRows = await lake.QueryAsync(new SqlCommand($"""
                SELECT CAST(reach_id AS VARCHAR), CAST(river_name AS VARCHAR), CAST(from_node AS VARCHAR), CAST(to_node AS VARCHAR),
                       CAST(downstream_reach_id AS VARCHAR), CAST(length_m AS DOUBLE), CAST(flow_speed_mps AS DOUBLE), CAST(stream_order AS BIGINT), geom
                FROM {lake.Relation(Reaches, reaches)} WHERE geom IS NOT NULL
                """, []), cancellationToken).ConfigureAwait(false);
            var stationRows = await lake.QueryAsync(new SqlCommand($"""
                SELECT CAST(station_id AS VARCHAR), CAST(name AS VARCHAR), CAST(kind AS VARCHAR), CAST(reach_id AS VARCHAR),
                       CAST(distance_along_reach_m AS DOUBLE), CAST(target_class AS BIGINT), geom
                FROM {lake.Relation(Stations, stations)} WHERE geom IS NOT NULL AND reach_id IS NOT NULL
                """, []), cancellationToken).ConfigureAwait(false);
            var reachList = reachRows.Rows.Select(r => new RiverReach((string)r[0]!, r[1] as string ?? "", "", r[2] as string ?? "", r[3] as string ?? "",
                r[5] as double? ?? 0, r[6] as double? ?? 0.5, (int)(r[7] as long? ?? 1), string.IsNullOrEmpty(r[4] as string) ? null : (string)r[4]!, AsLine(Geo.FromWkb((byte[])r[8]!))))
                .ToList();
            var known2 = reachList.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            var stationList = stationRows.Rows.Where(r => known2.Contains((string)r[3]!)).Select(r => new MonitoringStation((string)r[0]!, r[1] as string ?? "",
                r[2] as string == "sampling_point" ? StationKind.SamplingPoint : StationKind.Automatic, (string)r[3]!, r[4] as double? ?? 0,
                (int)(r[5] as long? ?? 3), TimeSpan.FromMinutes(5), (Point)Geo.FromWkb((byte[])r[6]!))).ToList();
            var network = new RiverNetwork(reachList, stationList, [], []);
            current = (reaches, stations, network);
            return network;
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>Stations upstream of <paramref name="stationId"/> within <paramref name="maxKm"/> along the river, nearest first.</summary>
    public async Task<IReadOnlyList<RiverNeighbour>> UpstreamAsync(string stationId, double maxKm, CancellationToken cancellationToken)
    {
        var network = await NetworkAsync(cancellationToken).ConfigureAwait(false);
        if (!network.Stations.Any(s => s.Id == stationId))
        {
            return [];
        }
        return UpstreamTrace.Upstream(network, stationId, maxKm)
            .Where(i => i.Kind == UpstreamKind.Station && i.Id != stationId)
            .Select(i => new RiverNeighbour(i.Id, i.RiverKm, i.TravelHours))
            .OrderBy(n => n.RiverKm).ThenBy(n => n.StationId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Stations downstream of <paramref name="stationId"/> within <paramref name="maxKm"/>, nearest first.</summary>
    public async Task<IReadOnlyList<RiverNeighbour>> DownstreamAsync(string stationId, double maxKm, CancellationToken cancellationToken)
    {
        var network = await NetworkAsync(cancellationToken).ConfigureAwait(false);
        var from = network.Stations.FirstOrDefault(s => s.Id == stationId);
        if (from is null)
        {
            return [];
        }
        var origin = network.PositionOf(from);
        var result = new List<RiverNeighbour>();
        foreach (var station in network.Stations)
        {
            if (station.Id == stationId)
            {
                continue;
            }
            if (network.Downstream(origin, network.PositionOf(station)) is { } path && path.Metres / 1000 <= maxKm)
            {
                result.Add(new RiverNeighbour(station.Id, path.Metres / 1000, path.Travel.TotalHours));
            }
        }
        return result.OrderBy(n => n.RiverKm).ThenBy(n => n.StationId, StringComparer.Ordinal).ToList();
    }

    private static LineString AsLine(NetTopologySuite.Geometries.Geometry geometry) => geometry switch
    {
        LineString line => line,
        MultiLineString { NumGeometries: > 0 } multi => (LineString)multi.GetGeometryN(0),
        _ => throw new ApiUnavailableException("a river reach has a geometry that is not a line"),
    };
}
