using System.Globalization;

using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.DuckDb.Functions;
using OneMap.DuckDb.Types;
using OneMap.Lakehouse.Spatial.Rivers;

namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// River tracing from SQL: <c>st_river_load(name)</c> reads a network from the lake's tables,
/// <c>st_river_upstream(network, station, max_km)</c> lists what lies upstream, and
/// <c>st_river_sources(network, station, at, max_km)</c> ranks candidate sources of an anomaly at a station.
/// </summary>
internal static class RiverFunctions
{
    private static readonly DuckDbField[] UpstreamColumns =
    [
        new("kind", DuckDbType.Varchar), new("id", DuckDbType.Varchar), new("reach_id", DuckDbType.Varchar),
        new("from_m", DuckDbType.Double), new("to_m", DuckDbType.Double), new("river_km", DuckDbType.Double),
        new("travel_hours", DuckDbType.Double), new("via", DuckDbType.Varchar),
    ];

    private static readonly DuckDbField[] SourceColumns =
    [
        new("rank", DuckDbType.Integer), new("kind", DuckDbType.Varchar), new("id", DuckDbType.Varchar), new("reach_id", DuckDbType.Varchar),
        new("from_m", DuckDbType.Double), new("to_m", DuckDbType.Double), new("river_km", DuckDbType.Double), new("travel_hours", DuckDbType.Double),
        new("enterprise_credit_code", DuckDbType.Varchar), new("enterprise_name", DuckDbType.Varchar), new("score", DuckDbType.Double),
        new("consistency", DuckDbType.Double), new("discharge_match", DuckDbType.Double), new("explanation", DuckDbType.Varchar),
        new("onset", DuckDbType.TimestampTz), new("signature", DuckDbType.Varchar), new("stretch", DuckDbType.Varchar),
    ];

    public static void Register(DuckDbConnection connection)
    {
        var database = connection.Database;
        connection.RegisterTableFunction("st_river_load", [DuckDbType.Varchar],
            bind =>
            {
                var name = bind.GetParameter<string>(0);
                var tables = new RiverTables();
                if (Named(bind, "reaches") is { } reaches)
                {
                    tables.Reaches = reaches;
                }
                if (Named(bind, "stations") is { } stations)
                {
                    tables.Stations = stations;
                }
                if (Named(bind, "outfalls") is { } outfalls)
                {
                    tables.Outfalls = outfalls;
                }
                if (Named(bind, "enterprises") is { } enterprises)
                {
                    tables.Enterprises = enterprises;
                }
                // The calling connection is busy planning this query: read the tables on a connection of our own.
                using var reader = database.Connect();
                var network = RiverNetworks.Load(reader, name, tables);
                bind.AddColumn("network", DuckDbType.Varchar).AddColumn("reaches", DuckDbType.BigInt).AddColumn("stations", DuckDbType.BigInt)
                    .AddColumn("outfalls", DuckDbType.BigInt).AddColumn("enterprises", DuckDbType.BigInt);
                return new List<object?[]> { new object?[] { name, (long)network.Reaches.Count, (long)network.Stations.Count, (long)network.Outfalls.Count(), (long)network.Enterprises.Count } };
            },
            rows => new RowScan(rows),
            new Dictionary<string, DuckDbType>
            {
                ["reaches"] = DuckDbType.Varchar, ["stations"] = DuckDbType.Varchar, ["outfalls"] = DuckDbType.Varchar, ["enterprises"] = DuckDbType.Varchar,
            });

        connection.RegisterTableFunction("st_river_upstream", [DuckDbType.Varchar, DuckDbType.Varchar, DuckDbType.Double],
            bind =>
            {
                var network = RiverNetworks.Get(database, bind.GetParameter<string>(0));
                var items = UpstreamTrace.Upstream(network, bind.GetParameter<string>(1), bind.GetParameter<double>(2));
                foreach (var column in UpstreamColumns)
                {
                    bind.AddColumn(column.Name, column.Type);
                }
                return items.Select(i => new object?[]
                {
                    i.Kind.ToString().ToLowerInvariant(), i.Id, i.ReachId, i.FromMetres, i.ToMetres, i.RiverKm, i.TravelHours, i.Via,
                }).ToList();
            },
            rows => new RowScan(rows));

        connection.RegisterTableFunction("st_river_sources", [DuckDbType.Varchar, DuckDbType.Varchar, DuckDbType.TimestampTz, DuckDbType.Double],
            bind =>
            {
                var network = RiverNetworks.Get(database, bind.GetParameter<string>(0));
                var options = new SourceRankingOptions { MaxKm = bind.GetParameter<double>(3) };
                using var reader = database.Connect();
                var readings = new DuckDbWaterReadings(reader, Named(bind, "readings") ?? "water_quality_readings");
                var ranking = SourceRanker.Rank(network, readings, bind.GetParameter<string>(1), bind.GetParameter<DateTimeOffset>(2), options);
                foreach (var column in SourceColumns)
                {
                    bind.AddColumn(column.Name, column.Type);
                }
                var signature = string.Join(", ", ranking.Signature.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:+0.0;-0.0}")));
                return ranking.Candidates.Select(c => new object?[]
                {
                    c.Rank, Kind(c.Kind), c.Id, c.ReachId, c.FromMetres, c.ToMetres, c.RiverKm, c.TravelHours, c.EnterpriseCreditCode,
                    c.EnterpriseName, c.Score, c.Consistency, c.DischargeMatch, c.Explanation, ranking.Onset, signature, c.Stretch,
                }).ToList();
            },
            rows => new RowScan(rows),
            new Dictionary<string, DuckDbType> { ["readings"] = DuckDbType.Varchar });
    }

    internal static string Kind(SourceKind kind) => kind switch
    {
        SourceKind.PermittedOutfall => "permitted_outfall",
        SourceKind.StormDrain => "storm_drain",
        _ => "unregistered_stretch",
    };

    private static string? Named(DuckDbTableBindContext bind, string name) =>
        bind.NamedParameters.TryGetValue(name, out var value) && value is string text && text.Length > 0 ? text : null;

    /// <summary>Streams rows computed at bind time.</summary>
    private sealed class RowScan(List<object?[]> rows) : IDuckDbTableScan
    {
        private int _next;

        public int Fill(DuckDbChunk output)
        {
            var count = 0;
            while (count < output.RowCount && _next < rows.Count)
            {
                var row = rows[_next++];
                for (var c = 0; c < row.Length; c++)
                {
                    if (row[c] is null)
                    {
                        output.SetNull(c, count);
                    }
                    else
                    {
                        output.SetValue(c, count, row[c]);
                    }
                }
                count++;
            }
            return count;
        }
    }
}
