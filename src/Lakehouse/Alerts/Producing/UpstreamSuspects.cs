using OneMap.DuckDb;
using OneMap.Lakehouse.Query;
using OneMap.Lakehouse.Spatial;
using OneMap.Lakehouse.Spatial.Rivers;

namespace OneMap.Lakehouse.Alerts.Producing;

/// <summary>
/// The upstream suspects of a pollution alert: the spatial analysis's source ranking (<see cref="SourceRanker"/>) run
/// on the lake's river network (<c>river_reaches</c>, <c>monitoring_stations</c>, and <c>outfalls</c> /
/// <c>enterprises</c> when present) and water-quality readings, at the incident's start. Without a river network in
/// the lake there are no suspects (alerts go out without them). The network is read again only when one of its
/// tables has a new version.
/// </summary>
public sealed class UpstreamSuspects(Lake lake, SourceRankingOptions? options = null, int maxSuspects = 5) : IDisposable
{
    private const string Reaches = "river_reaches";
    private const string Stations = "monitoring_stations";
    private const string Outfalls = "outfalls";
    private const string Enterprises = "enterprises";

    private readonly SemaphoreSlim gate = new(1, 1);
    private LakeQuerySession? session;
    private (long Reaches, long Stations, long Outfalls, long Enterprises) loadedVersions = (-1, -1, -1, -1);
    private RiverNetwork? network;

    /// <summary>Whether the lake holds a river network (reaches and stations).</summary>
    public bool Available => lake.TableExists(Reaches) && lake.TableExists(Stations) && lake.TableExists(AlertProducer.Readings);

    /// <summary>
    /// Candidate sources, likeliest first (at most the <c>maxSuspects</c> best); empty when the lake has no river network,
    /// the station is not on it, or its readings show no deviation the ranking can follow.
    /// </summary>
    public async Task<IReadOnlyList<AlertSuspect>> FindAsync(string stationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stationId);
        if (!Available)
        {
            return [];
        }
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Rank(stationId, at, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private IReadOnlyList<AlertSuspect> Rank(string stationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        session ??= lake.OpenQuerySession(new QuerySessionOptions { RefreshInterval = null, Threads = 1 });
        session.Refresh();
        using var connection = session.Connect();
        using var registration = cancellationToken.Register(connection.Interrupt);
        var versions = (Version(Reaches), Version(Stations), Version(Outfalls), Version(Enterprises));
        if (network is null || versions != loadedVersions)
        {
            network = RiverNetworks.Load(connection, "alerts", Tables(connection));
            loadedVersions = versions;
        }
        if (!network.Stations.Any(s => s.Id == stationId))
        {
            return [];
        }
        SourceRanking ranking;
        try
        {
            ranking = SourceRanker.Rank(network, new DuckDbWaterReadings(connection, AlertProducer.Readings), stationId, at, options);
        }
        catch (SpatialArgumentException)
        {
            // The readings show nothing the ranking can follow (e.g. a class-limit breach without a deviation): no suspects.
            return [];
        }
        return [.. ranking.Candidates.Take(maxSuspects).Select(c => new AlertSuspect(c.Rank, KindName(c.Kind), c.Id, c.EnterpriseName,
            Math.Round(c.RiverKm, 2), Math.Round(c.TravelHours, 2), Math.Round(c.Score, 3), c.Explanation))];
    }

    private long Version(string table) => session!.Versions.TryGetValue(table, out var v) ? v : -1;

    /// <summary>The network's tables; a missing outfall or enterprise register is an empty view (a river with stations only).</summary>
    private RiverTables Tables(DuckDbConnection connection)
    {
        var tables = new RiverTables();
        if (!lake.TableExists(Outfalls))
        {
            connection.Execute("""
                CREATE OR REPLACE TEMP VIEW alerts_no_outfalls AS SELECT CAST(NULL AS VARCHAR) AS outfall_id, CAST(NULL AS VARCHAR) AS name,
                    CAST(NULL AS VARCHAR) AS kind, CAST(NULL AS VARCHAR) AS reach_id, CAST(NULL AS VARCHAR) AS enterprise_credit_code,
                    CAST(NULL AS DOUBLE) AS permitted_flow_m3_per_day, CAST(NULL AS BLOB) AS geom WHERE false
                """);
            tables.Outfalls = "alerts_no_outfalls";
        }
        if (!lake.TableExists(Enterprises))
        {
            connection.Execute("""
                CREATE OR REPLACE TEMP VIEW alerts_no_enterprises AS SELECT CAST(NULL AS VARCHAR) AS credit_code, CAST(NULL AS VARCHAR) AS name,
                    CAST(NULL AS VARCHAR) AS industry_code, CAST(NULL AS BLOB) AS geom WHERE false
                """);
            tables.Enterprises = "alerts_no_enterprises";
        }
        return tables;
    }

    private static string KindName(SourceKind kind) => kind switch
    {
        SourceKind.PermittedOutfall => "permitted_outfall",
        SourceKind.StormDrain => "storm_drain",
        _ => "unregistered_stretch",
    };

    public void Dispose()
    {
        session?.Dispose();
        gate.Dispose();
    }
}
