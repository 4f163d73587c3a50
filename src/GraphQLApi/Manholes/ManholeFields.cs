using System.Globalization;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;

namespace OneMap.GraphQLApi.Manholes;

/// <summary>
/// Smart manhole covers: each one's current status (its latest report from the sensor twin: tilt, displacement,
/// water level, gas, battery) and its open alarms (an alarm stays open until a later report is back on the safe side
/// of the threshold it crossed).
/// </summary>
public sealed class ManholeFields : ISchemaContributor
{
    public const string Covers = "manhole_covers";
    public const string Readings = "manhole_readings";
    public const string Alarms = "manhole_alarms";
    public const string Twin = "sensor_twins";

    /// <summary>Which report column each alarm kind watches.</summary>
    private static readonly IReadOnlyDictionary<string, string> Measures = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tilt"] = "tilt_deg",
        ["displacement"] = "displacement_mm",
        ["water_level"] = "water_level_cm",
        ["gas"] = "ch4_pct_lel",
        ["low_battery"] = "battery_v",
    };

    /// <summary>Kinds raised when the value falls below the threshold (the water comes within reach of the lid, the battery runs low).</summary>
    private static readonly IReadOnlySet<string> LowAlarms = new HashSet<string>(StringComparer.Ordinal) { "water_level", "low_battery" };

    private static readonly IReadOnlyList<string> StatusFields = ["tilt_deg", "displacement_mm", "water_level_cm", "ch4_pct_lel", "h2s_ppm", "battery_v", "signal_dbm"];

    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        if (datasets[Covers] is null)
        {
            return;
        }
        schema.Enum("ManholeState", e => e.Description("A cover's state.")
            .Value("NORMAL", "normal", v => v.Description("Reporting, no open alarm."))
            .Value("ALARM", "alarm", v => v.Description("At least one open alarm."))
            .Value("OFFLINE", "offline", v => v.Description("No report for more than 13 hours (statuses come every 6 hours)."))
            .Value("UNKNOWN", "unknown", v => v.Description("Never reported.")));
        schema.Object("ManholeStatus", o => o.Description("A cover's latest report.")
            .Field("state", "ManholeState!").Field("lastReport", "DateTime")
            .Field("tiltDeg", "Float").Field("displacementMm", "Float").Field("waterLevelCm", "Float", f => f.Description("Distance from lid to water."))
            .Field("ch4PctLel", "Float").Field("h2sPpm", "Float").Field("batteryV", "Float").Field("signalDbm", "Float"));
        schema.Object("ManholeAlarm", o => o.Description("An alarm raised by a cover.")
            .Field("kind", "String!", f => f.Description("tilt, displacement, water_level, gas or low_battery."))
            .Field("ts", "DateTime!").Field("value", "Float").Field("threshold", "Float")
            .Field("latestValue", "Float", f => f.Description("The watched value in the latest report since the alarm.")));
        schema.Object("Manhole", o => o.Description("A smart manhole cover.")
            .Field("id", "String!").Field("network", "String").Field("ownerDepartment", "String").Field("districtCode", "String").Field("road", "String")
            .Field("location", "GeoJSON")
            .Field("status", "ManholeStatus!", f => f.Argument("at", "DateTime", a => a.Description("As of this time (default now)."))
                .Metadata(SchemaMetadata.Reads, new[] { Readings }).Resolve(Resolvers.Of(StatusAsync)))
            .Field("openAlarms", "[ManholeAlarm!]!", f => f.Description("Alarms not cleared by a later report.")
                .Argument("at", "DateTime", a => a.Description("As of this time (default now)."))
                .Argument("withinDays", "Int", 7, "Only alarms raised in these days before `at`.")
                .Metadata(SchemaMetadata.Reads, new[] { Alarms, Readings }).Resolve(Resolvers.Of(OpenAlarmsAsync))));
        schema.Query(q => q
            .Field("manhole", "Manhole", f => f.Argument("id", "String!").Metadata(SchemaMetadata.Reads, new[] { Covers })
                .Resolve(Resolvers.Of(async (c, r) => (await CoversAsync(r, [c.Argument<string>("id")!], c.CancellationToken).ConfigureAwait(false)).FirstOrDefault())))
            .Field("manholesWithOpenAlarms", "[Manhole!]!", f => f.Description("Every cover with an open alarm.")
                .Argument("at", "DateTime").Argument("withinDays", "Int", 7)
                .Metadata(SchemaMetadata.Reads, new[] { Covers, Alarms, Readings })
                .Resolve(Resolvers.Of(async (c, r) =>
                {
                    var open = await OpenAlarmsAsync(r, null, At(c, r), Days(c), c.CancellationToken).ConfigureAwait(false);
                    var covers = await CoversAsync(r, open.Keys.ToList(), c.CancellationToken).ConfigureAwait(false);
                    return (object?)covers;
                }))));
    }

    private static DateTimeOffset At(ResolveContext context, ApiRequest request) => context.Argument<DateTimeOffset?>("at") ?? request.Get<CityClock>().Now;

    private static int Days(ResolveContext context) => Math.Clamp(context.Argument<int?>("withinDays") ?? 7, 1, 3650);

    private static async Task<List<Dictionary<string, object?>>> CoversAsync(ApiRequest request, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var lake = request.Get<LakeQueries>();
        var access = Readable(request, Covers);
        var sql = new SqlBuilder();
        string Col(string name) => access.CanSee(name) ? SqlBuilder.Column("t", name) : "NULL";
        sql.Append($"SELECT t.device_id, {Col("network")}, {Col("owner_department")}, {Col("district_code")}, {Col("road")}, {Col("geom")} FROM ")
            .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(Covers)))
            .Append($" WHERE t.device_id IN ({string.Join(", ", ids.Select(i => sql.Param(i)))}) ORDER BY t.device_id");
        var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        request.CountRows(rows.Rows.Count);
        return rows.Rows.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = r[0],
            ["network"] = r[1],
            ["ownerDepartment"] = r[2],
            ["districtCode"] = r[3],
            ["road"] = r[4],
            ["location"] = r[5],
        }).ToList();
    }

    private static async Task<object?> StatusAsync(ResolveContext context, ApiRequest request)
    {
        var id = (string)((Dictionary<string, object?>)context.Parent!)["id"]!;
        var at = At(context, request);
        var loader = context.BatchLoader<string, Dictionary<string, object?>>("manhole-status:" + at.UtcTicks.ToString(CultureInfo.InvariantCulture),
            (ids, token) => LoadStatusAsync(request, ids, at, token));
        var status = await loader.LoadAsync(id).ConfigureAwait(false);
        var open = await OpenAlarmsAsync(request, [id], at, 7, context.CancellationToken).ConfigureAwait(false);
        var result = status ?? new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = "unknown" };
        if (status is not null)
        {
            var last = (DateTimeOffset)status["lastReport"]!;
            result = new Dictionary<string, object?>(status, StringComparer.Ordinal)
            {
                ["state"] = open.ContainsKey(id) ? "alarm" : at - last > TimeSpan.FromHours(13) ? "offline" : "normal",
            };
        }
        return result;
    }

    private static async ValueTask<IReadOnlyDictionary<string, Dictionary<string, object?>>> LoadStatusAsync(ApiRequest request, IReadOnlyList<string> ids, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var lake = request.Get<LakeQueries>();
        var access = Readable(request, Readings);
        var clock = request.Get<CityClock>();
        var sql = new SqlBuilder();
        var fields = StatusFields.Select(f => access.CanSee(f) ? $"arg_max(t.{f}, t.ts)" : "NULL");
        sql.Append($"SELECT t.device_id, max(t.ts), {string.Join(", ", fields)} FROM ")
            .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(Readings)))
            .Append($" WHERE t.device_id IN ({string.Join(", ", ids.Select(i => sql.Param(i)))}) AND t.ts <= {sql.Param(at.ToUniversalTime())} GROUP BY t.device_id");
        var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        return rows.Rows.ToDictionary(r => (string)r[0]!, r => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lastReport"] = RowValues.Convert(r[1], ColumnKind.Timestamp, clock),
            ["tiltDeg"] = r[2],
            ["displacementMm"] = r[3],
            ["waterLevelCm"] = r[4],
            ["ch4PctLel"] = r[5],
            ["h2sPpm"] = r[6],
            ["batteryV"] = r[7],
            ["signalDbm"] = r[8] is long l ? (double)l : r[8],
        }, StringComparer.Ordinal);
    }

    private static async Task<object?> OpenAlarmsAsync(ResolveContext context, ApiRequest request)
    {
        var id = (string)((Dictionary<string, object?>)context.Parent!)["id"]!;
        var open = await OpenAlarmsAsync(request, [id], At(context, request), Days(context), context.CancellationToken).ConfigureAwait(false);
        return open.GetValueOrDefault(id) ?? [];
    }

    /// <summary>
    /// Open alarms by device: the latest alarm of each kind within the window, unless a report after it (up to
    /// <paramref name="at"/>) has the watched value back across the threshold.
    /// </summary>
    internal static async Task<Dictionary<string, List<Dictionary<string, object?>>>> OpenAlarmsAsync(ApiRequest request, IReadOnlyList<string>? ids, DateTimeOffset at,
        int withinDays, CancellationToken cancellationToken)
    {
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var alarms = Readable(request, Alarms);
        var readings = Readable(request, Readings);
        var sql = new SqlBuilder();
        var atParam = sql.Param(at.ToUniversalTime());
        var fromParam = sql.Param(at.ToUniversalTime() - TimeSpan.FromDays(withinDays));
        var measure = "CASE a.kind " + string.Join(" ", Measures.Where(m => readings.CanSee(m.Value)).Select(m => $"WHEN {sql.Param(m.Key)} THEN r.{m.Value}")) + " END";
        var deviceFilter = ids is null ? "" : $" AND t.device_id IN ({string.Join(", ", ids.Select(i => sql.Param(i)))})";
        sql.Append("WITH a AS (SELECT t.device_id, t.kind, max(t.ts) AS ts, arg_max(t.value, t.ts) AS value, arg_max(t.threshold, t.ts) AS threshold FROM ")
            .Append(DatasetSource.Relation(sql, lake, alarms, lake.CurrentVersion(Alarms)))
            .Append($" WHERE t.ts <= {atParam} AND t.ts > {fromParam}{deviceFilter} GROUP BY t.device_id, t.kind), ")
            .Append("r AS (SELECT * FROM ").Append(DatasetSource.Relation(sql, lake, readings, lake.CurrentVersion(Readings)))
            .Append($" WHERE t.ts <= {atParam} AND t.ts > {fromParam}{deviceFilter}) ")
            .Append($"SELECT a.device_id, a.kind, a.ts, a.value, a.threshold, arg_max({measure}, r.ts) AS latest FROM a LEFT JOIN r AS r ON r.device_id = a.device_id AND r.ts > a.ts ")
            .Append("GROUP BY a.device_id, a.kind, a.ts, a.value, a.threshold ORDER BY a.device_id, a.ts");
        var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        var open = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        foreach (var r in rows.Rows)
        {
            var value = r[3] as double?;
            var threshold = r[4] as double?;
            var latest = r[5] is long l ? l : r[5] as double?;
            // A later report back on the safe side of the threshold clears the alarm.
            var low = LowAlarms.Contains((string)r[1]!);
            var cleared = latest is { } x && threshold is { } limit && (low ? x > limit : x < limit);
            if (cleared)
            {
                continue;
            }
            var device = (string)r[0]!;
            if (!open.TryGetValue(device, out var list))
            {
                open[device] = list = [];
            }
            list.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["kind"] = r[1],
                ["ts"] = RowValues.Convert(r[2], ColumnKind.Timestamp, clock),
                ["value"] = value,
                ["threshold"] = threshold,
                ["latestValue"] = latest,
            });
        }
        return open;
    }

    private static DatasetAccess Readable(ApiRequest request, string name)
    {
        var access = request.Get<AccessPolicy>().For(request.Caller, request.Dataset(name));
        return access.CanReadRows ? access : throw new ApiForbiddenException($"your role may not read {name}");
    }
}
