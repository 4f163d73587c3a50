using System.Collections.Concurrent;

using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Security;
using OneMap.Models.WaterQuality;

namespace OneMap.GraphQLApi.Stations;

/// <summary>Every station with what it shows now, as one caller may see it, for one version of the stations and the twin.</summary>
public sealed class StationSnapshot(IReadOnlyList<Dictionary<string, object?>> stations)
{
    public IReadOnlyList<Dictionary<string, object?>> Stations { get; } = stations;

    public IReadOnlyDictionary<string, Dictionary<string, object?>> ById { get; } =
        stations.ToDictionary(s => (string)s["id"]!, StringComparer.Ordinal);
}

/// <summary>
/// Reads the stations and their latest readings (the sensor twin) through the caller's access rules, and keeps the
/// result until either table gets a new version: "what is every station showing now" is asked far more often than
/// the twin changes, and a snapshot version names exactly what was read.
/// </summary>
public sealed class StationDirectory(LakeQueries lake, AccessPolicy policy, DatasetRegistry registry, CityClock clock, Microsoft.Extensions.Options.IOptions<ApiOptions> options)
{
    public const string StationsDataset = "monitoring_stations";
    public const string TwinDataset = "sensor_twins";

    private readonly ConcurrentDictionary<string, (long? Stations, long? Twin, Task<StationSnapshot> Snapshot)> cache = new(StringComparer.Ordinal);

    public Task<StationSnapshot> GetAsync(Caller caller, CancellationToken cancellationToken)
    {
        var datasets = registry.Current;
        var stations = datasets[StationsDataset] ?? throw new ApiUnavailableException($"the dataset '{StationsDataset}' is not in the lake yet");
        var twin = datasets[TwinDataset];
        var stationAccess = policy.For(caller, stations);
        var twinAccess = twin is null ? null : policy.For(caller, twin);
        if (!stationAccess.CanReadRows)
        {
            throw new ApiForbiddenException("your role may not list stations");
        }
        var stationsVersion = lake.CurrentVersion(StationsDataset);
        var twinVersion = twin is null ? null : lake.CurrentVersion(TwinDataset);
        var key = Signature(stationAccess) + "/" + (twinAccess is null ? "-" : Signature(twinAccess));
        if (options.Value.CacheStationSnapshots && cache.TryGetValue(key, out var entry) && entry.Stations == stationsVersion && entry.Twin == twinVersion
            && !entry.Snapshot.IsFaulted && !entry.Snapshot.IsCanceled)
        {
            return entry.Snapshot.WaitAsync(cancellationToken);
        }
        // Shared by every request that asks before it completes: no single request's cancellation may cancel it.
        var load = LoadAsync(stationAccess, twinAccess, stationsVersion, twinVersion, CancellationToken.None);
        cache[key] = (stationsVersion, twinVersion, load);
        return load.WaitAsync(cancellationToken);
    }

    private async Task<StationSnapshot> LoadAsync(DatasetAccess stationAccess, DatasetAccess? twinAccess, long? stationsVersion, long? twinVersion, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder();
        string Col(string name) => stationAccess.CanSee(name) ? SqlBuilder.Column("t", name) : "NULL";
        sql.Append($"SELECT {Col("station_id")}, {Col("name")}, {Col("kind")}, {Col("reach_id")}, {Col("target_class")}, {Col("geom")} FROM ")
            .Append(DatasetSource.Relation(sql, lake, stationAccess, stationsVersion)).Append(" ORDER BY 1");
        var stationRows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        var readings = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        if (twinAccess is not null && twinAccess.CanReadRows && new[] { "sensor_id", "sensor_kind", "indicator", "value", "ts" }.All(twinAccess.CanSee))
        {
            var twin = new SqlBuilder();
            twin.Append("SELECT t.sensor_id, t.indicator, t.value, ").Append(twinAccess.CanSee("unit") ? "t.unit" : "NULL").Append(", t.ts, ")
                .Append(twinAccess.CanSee("status") ? "t.status" : "'normal'").Append(" FROM ")
                .Append(DatasetSource.Relation(twin, lake, twinAccess, twinVersion))
                .Append(" WHERE t.sensor_kind = ").Append(twin.Param("water_quality")).Append(" ORDER BY 1, 2");
            var twinRows = await lake.QueryAsync(twin.Build(), cancellationToken).ConfigureAwait(false);
            foreach (var r in twinRows.Rows)
            {
                var id = (string)r[0]!;
                if (!readings.TryGetValue(id, out var list))
                {
                    readings[id] = list = [];
                }
                list.Add(StationFields.Reading((string)r[1]!, r[2] as double?, r[3] as string,
                    (DateTimeOffset)RowValues.Convert(r[4], ColumnKind.Timestamp, clock)!, r[5] as string ?? "normal"));
            }
        }
        var stations = new List<Dictionary<string, object?>>();
        foreach (var r in stationRows.Rows)
        {
            if (r[0] is not string id)
            {
                continue;
            }
            var target = r[4] is long t && t is >= 1 and <= 6 ? ((WaterClass)t).Label() : null;
            var current = readings.GetValueOrDefault(id) ?? [];
            stations.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = id,
                ["name"] = r[1],
                ["kind"] = r[2],
                ["reachId"] = r[3],
                ["targetClass"] = target,
                ["location"] = r[5],
                ["current"] = current,
                ["waterClass"] = Assess(current, r[4] as long?),
            });
        }
        return new StationSnapshot(stations);
    }

    private static Dictionary<string, object?>? Assess(List<Dictionary<string, object?>> current, long? target)
    {
        // Only valid readings count toward the class: a station in maintenance does not turn the river worse than V.
        var valid = current.Where(r => r["status"] as string is "normal" or "N" && r["value"] is double v && double.IsFinite(v) && Indicators.Find((string)r["indicator"]!) is not null)
            .Select(r => ((string)r["indicator"]!, (double)r["value"]!)).ToList();
        if (Gb3838.ClassifyOverall(valid) is not { } assessment)
        {
            return null;
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["class"] = assessment.Class.Label(),
            ["classNumber"] = (int)assessment.Class,
            ["determiningIndicators"] = assessment.DeterminingIndicators,
            ["target"] = target is >= 1 and <= 6 ? ((WaterClass)target.Value).Label() : null,
            ["meetsTarget"] = target is { } t ? (int)assessment.Class <= t : null,
        };
    }

    private static string Signature(DatasetAccess access) =>
        string.Join(',', access.Columns.Select(c => c.Name)) + "|" + (access.RowFilter is { } f ? f.Column + "=" + f.Value : "");
}
