using System.Globalization;

using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Models.WaterQuality;

namespace OneMap.GraphQLApi.Stations;

/// <summary>
/// Water-quality stations: what each shows now (from the sensor twin), its GB 3838-2002 class per indicator and
/// overall, its readings as a bucketed series, and the stations up- and downstream of it on the river.
/// </summary>
public sealed class StationFields : ISchemaContributor
{
    public const string ReadingsDataset = "water_quality_readings";

    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        if (datasets[StationDirectory.StationsDataset] is null)
        {
            return;
        }
        var hasTwin = datasets[StationDirectory.TwinDataset] is not null;
        schema.Object("StationReading", o => o.Description("The latest value of one indicator at a station (from the sensor twin).")
            .Field("indicator", "String!", f => f.Description("Indicator id: do, ph, nh3_n, cod_mn, tp, turbidity, water_temp, conductivity."))
            .Field("name", "String", f => f.Description("Chinese name of the indicator."))
            .Field("value", "Float").Field("unit", "String").Field("ts", "DateTime!", f => f.Description("Measurement time."))
            .Field("status", "String!", f => f.Description("normal, or the HJ 212 flag (maintenance, fault…)."))
            .Field("waterClass", "String", f => f.Description("GB 3838-2002 class of this value (I…V, 劣V); null for indicators without limits."))
            .Field("waterClassNumber", "Int", f => f.Description("The class as 1…6 (6 = worse than V).")));
        schema.Object("WaterClassAssessment", o => o.Description("A GB 3838-2002 single-factor assessment: the worst class of any indicator with limits.")
            .Field("class", "String!", f => f.Description("I…V, or 劣V."))
            .Field("classNumber", "Int!", f => f.Description("1…6 (6 = worse than V)."))
            .Field("determiningIndicators", "[String!]!", f => f.Description("The indicators at that class (定类因子)."))
            .Field("target", "String", f => f.Description("The class the section must meet."))
            .Field("meetsTarget", "Boolean"));
        schema.Enum("SeriesAggregate", e => e.Value("AVG", "avg").Value("MIN", "min").Value("MAX", "max").Value("MEDIAN", "median").Value("LAST", "last"));
        schema.Object("SeriesPoint", o => o.Description("One time bucket of a station's readings.")
            .Field("bucket", "DateTime!", f => f.Description("Start of the bucket (city time)."))
            .Field("value", "Float", f => f.Description("The requested aggregate of the bucket's readings."))
            .Field("count", "Long!").Field("min", "Float").Field("max", "Float"));
        schema.Object("RiverNeighbour", o => o.Description("A station up- or downstream, with the river distance and the flow time between.")
            .Field("station", "Station!").Field("riverKm", "Float!").Field("travelHours", "Float!"));
        schema.Object("Station", o =>
        {
            o.Description("A water-quality station or sampling point.")
                .Field("id", "String!").Field("name", "String").Field("kind", "String", f => f.Description("automatic or sampling_point."))
                .Field("reachId", "String").Field("targetClass", "String", f => f.Description("The class the section must meet (I…V)."))
                .Field("location", "GeoJSON");
            if (hasTwin)
            {
                o.Field("current", "[StationReading!]!", f => f.Description("The latest reading of every indicator.").Metadata(SchemaMetadata.Reads, new[] { StationDirectory.TwinDataset }));
                o.Field("waterClass", "WaterClassAssessment", f => f.Description("Overall class of the latest readings (null when none has limits).")
                    .Metadata(SchemaMetadata.Reads, new[] { StationDirectory.TwinDataset }));
            }
            if (datasets[ReadingsDataset] is not null)
            {
                o.Field("series", "[SeriesPoint!]!", f => f.Description("An indicator's readings in time buckets of the city's calendar (valid readings, flag N, unless told otherwise).")
                    .Argument("indicator", "String!").Argument("from", "DateTime!").Argument("to", "DateTime!")
                    .Argument("bucket", "TimeUnit", "hour").Argument("size", "Int", 1).Argument("aggregate", "SeriesAggregate", "avg")
                    .Argument("validOnly", "Boolean", true)
                    .Metadata(SchemaMetadata.Reads, new[] { ReadingsDataset })
                    .Resolve(Resolvers.Of(SeriesAsync)));
            }
            if (datasets[RiverGraph.Reaches] is not null)
            {
                o.Field("upstream", "[RiverNeighbour!]!", f => f.Description("Stations upstream within maxKm of river, nearest first.")
                    .Argument("maxKm", "Float", 50.0).Metadata(SchemaMetadata.Reads, new[] { RiverGraph.Reaches })
                    .Cost(new OneMap.GraphQL.Protection.CostHint(2, AssumedSize: 3))
                    .Resolve(Resolvers.Of((c, r) => NeighboursAsync(c, r, upstream: true))));
                o.Field("downstream", "[RiverNeighbour!]!", f => f.Description("Stations downstream within maxKm of river, nearest first.")
                    .Argument("maxKm", "Float", 50.0).Metadata(SchemaMetadata.Reads, new[] { RiverGraph.Reaches })
                    .Cost(new OneMap.GraphQL.Protection.CostHint(2, AssumedSize: 3))
                    .Resolve(Resolvers.Of((c, r) => NeighboursAsync(c, r, upstream: false))));
            }
        });
        var reads = hasTwin ? new[] { StationDirectory.StationsDataset } : [StationDirectory.StationsDataset];
        schema.Query(q => q
            .Field("stations", "[Station!]!", f => f.Description("Stations, with what each shows now.")
                .Argument("kind", "String", a => a.Description("automatic or sampling_point."))
                .Argument("ids", "[String!]")
                .Metadata(SchemaMetadata.Reads, reads)
                .Cost(new OneMap.GraphQL.Protection.CostHint(5, AssumedSize: 120))
                .Resolve(Resolvers.Of(StationsAsync)))
            .Field("station", "Station", f => f.Argument("id", "String!").Metadata(SchemaMetadata.Reads, reads)
                .Resolve(Resolvers.Of(async (c, r) =>
                {
                    var snapshot = await r.Get<StationDirectory>().GetAsync(r.Caller, c.CancellationToken).ConfigureAwait(false);
                    return (object?)snapshot.ById.GetValueOrDefault(c.Argument<string>("id")!);
                }))));
    }

    private static async Task<object?> StationsAsync(ResolveContext context, ApiRequest request)
    {
        var snapshot = await request.Get<StationDirectory>().GetAsync(request.Caller, context.CancellationToken).ConfigureAwait(false);
        IEnumerable<Dictionary<string, object?>> stations = snapshot.Stations;
        if (context.Argument<string>("kind") is { } kind)
        {
            stations = stations.Where(s => s["kind"] as string == kind);
        }
        if (context.Arguments.GetValueOrDefault("ids") is { } ids)
        {
            var wanted = FilterCompiler.AsList(ids, "ids").OfType<string>().ToHashSet(StringComparer.Ordinal);
            stations = stations.Where(s => wanted.Contains((string)s["id"]!));
        }
        var list = stations.ToList();
        request.CountRows(list.Count);
        return list;
    }

    private static async Task<object?> NeighboursAsync(ResolveContext context, ApiRequest request, bool upstream)
    {
        var id = (string)((Dictionary<string, object?>)context.Parent!)["id"]!;
        var maxKm = context.Argument<double?>("maxKm") ?? 50;
        if (!double.IsFinite(maxKm) || maxKm < 0 || maxKm > 10_000)
        {
            throw new ApiArgumentException("maxKm", "must be from 0 to 10000");
        }
        var graph = request.Get<RiverGraph>();
        var neighbours = upstream
            ? await graph.UpstreamAsync(id, maxKm, context.CancellationToken).ConfigureAwait(false)
            : await graph.DownstreamAsync(id, maxKm, context.CancellationToken).ConfigureAwait(false);
        var snapshot = await request.Get<StationDirectory>().GetAsync(request.Caller, context.CancellationToken).ConfigureAwait(false);
        return neighbours.Where(n => snapshot.ById.ContainsKey(n.StationId)).Select(n => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["station"] = snapshot.ById[n.StationId],
            ["riverKm"] = n.RiverKm,
            ["travelHours"] = n.TravelHours,
        }).ToList();
    }

    private static async Task<object?> SeriesAsync(ResolveContext context, ApiRequest request)
    {
        var id = (string)((Dictionary<string, object?>)context.Parent!)["id"]!;
        var indicator = context.Argument<string>("indicator")!;
        var from = context.Argument<DateTimeOffset>("from");
        var to = context.Argument<DateTimeOffset>("to");
        if (to <= from)
        {
            throw new ApiArgumentException("to", "must be after from");
        }
        var unit = context.Argument<string>("bucket") ?? "hour";
        var size = context.Argument<int?>("size") ?? 1;
        var aggregate = context.Argument<string>("aggregate") ?? "avg";
        var validOnly = context.Argument<bool?>("validOnly") ?? true;
        // One query for every station of the request asking the same question.
        var key = string.Join('|', indicator, from.UtcTicks, to.UtcTicks, unit, size, aggregate, validOnly);
        var loader = context.BatchLoader<string, List<Dictionary<string, object?>>>("station-series:" + key,
            (ids, token) => LoadSeriesAsync(request, ids, indicator, from, to, unit, size, aggregate, validOnly, token));
        return await loader.LoadAsync(id).ConfigureAwait(false) ?? [];
    }

    private static async ValueTask<IReadOnlyDictionary<string, List<Dictionary<string, object?>>>> LoadSeriesAsync(ApiRequest request, IReadOnlyList<string> ids,
        string indicator, DateTimeOffset from, DateTimeOffset to, string unit, int size, string aggregate, bool validOnly, CancellationToken cancellationToken)
    {
        var lake = request.Get<LakeQueries>();
        var clock = request.Get<CityClock>();
        var dataset = request.Dataset(ReadingsDataset);
        var access = request.Get<AccessPolicy>().For(request.Caller, dataset);
        if (!access.CanReadRows || !access.CanSee("value") || !access.CanSee("ts"))
        {
            throw new ApiForbiddenException("your role may not read station readings");
        }
        if (unit is not ("minute" or "hour" or "day" or "week" or "month" or "quarter" or "year") || size is < 1 or > 10_000)
        {
            throw new ApiArgumentException("bucket", "must be a time unit with size 1 to 10000");
        }
        var sql = new SqlBuilder();
        var bucket = TimeBuckets.OfTimestamp(sql, "t.ts", unit, size, clock);
        var value = aggregate switch
        {
            "min" => "min(t.value)",
            "max" => "max(t.value)",
            "median" => "quantile_cont(t.value, 0.5)",
            "last" => "arg_max(t.value, t.ts)",
            _ => "avg(t.value)",
        };
        sql.Append($"SELECT t.station_id, {bucket} AS b, {value}, count(*), min(t.value), max(t.value) FROM ")
            .Append(DatasetSource.Relation(sql, lake, access, lake.CurrentVersion(dataset.Name)))
            .Append($" WHERE t.station_id IN ({string.Join(", ", ids.Select(i => sql.Param(i)))}) AND t.indicator = {sql.Param(indicator)}")
            .Append($" AND t.ts >= {sql.Param(from.ToUniversalTime())} AND t.ts < {sql.Param(to.ToUniversalTime())} AND t.value IS NOT NULL");
        if (validOnly && access.CanSee("flag"))
        {
            sql.Append(" AND (t.flag IS NULL OR t.flag = 'N')");
        }
        sql.Append(" GROUP BY ALL ORDER BY 1, 2");
        var rows = await lake.QueryAsync(sql.Build(), cancellationToken).ConfigureAwait(false);
        request.CountRows(rows.Rows.Count);
        return rows.Rows.GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["bucket"] = RowValues.Convert(r[1], ColumnKind.Timestamp, clock),
            ["value"] = r[2],
            ["count"] = Convert.ToInt64(r[3], CultureInfo.InvariantCulture),
            ["min"] = r[4],
            ["max"] = r[5],
        }).ToList(), StringComparer.Ordinal);
    }

    /// <summary>A reading as the schema shows it, with its GB 3838 class.</summary>
    internal static Dictionary<string, object?> Reading(string indicator, double? value, string? unit, DateTimeOffset ts, string status)
    {
        WaterClass? waterClass = null;
        if (value is { } v && double.IsFinite(v) && Indicators.Find(indicator) is not null)
        {
            waterClass = Gb3838.Classify(indicator, v);
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["indicator"] = indicator,
            ["name"] = Indicators.Find(indicator)?.NameZh,
            ["value"] = value,
            ["unit"] = unit,
            ["ts"] = ts,
            ["status"] = status,
            ["waterClass"] = waterClass?.Label(),
            ["waterClassNumber"] = waterClass is { } c ? (int)c : null,
        };
    }
}
