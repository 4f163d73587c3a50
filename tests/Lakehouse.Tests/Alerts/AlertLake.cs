using OneMap.Lakehouse.Alerts;
using OneMap.Lakehouse.Alerts.Producing;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Lakehouse.Tests.Detection;
using OneMap.Models.Spatial;

namespace OneMap.Lakehouse.Tests.Alerts;

/// <summary>
/// A lake for the alert producer: synthetic stations (DO, NH3-N, pH, water temperature every 5 minutes, see
/// <see cref="SyntheticStation"/>) with seven days of clean history in <c>water_quality_readings</c>, a test day after
/// it onto which tests plant incidents, and optionally a river (two reaches, a station on each) and manhole registers.
/// </summary>
internal static class AlertLake
{
    /// <summary>The engine's names of <see cref="SyntheticStation.Indicators"/>, in the same order.</summary>
    public static readonly string[] Indicators = ["do", "nh3_n", "ph", "water_temp"];

    public const int HistoryDays = 7;

    public static readonly int FirstTestSlot = HistoryDays * SyntheticStation.SlotsPerDay;

    public static DateTimeOffset TestDayStart => SlotTime(FirstTestSlot);

    public static DateTimeOffset SlotTime(int slot) => SyntheticStation.Start + SyntheticStation.Interval * slot;

    public static AlertProducerOptions Options() => new()
    {
        Indicators = [.. Indicators],
        LearningWindow = TimeSpan.FromDays(HistoryDays),
        LearningParallelism = 2,
    };

    public static readonly TableDefinition ReadingsTable = new()
    {
        Name = AlertProducer.Readings,
        Columns =
        [
            new("station_id", DeltaType.String) { Nullable = false },
            new("indicator", DeltaType.String) { Nullable = false },
            new("ts", DeltaType.Timestamp) { Nullable = false },
            new("value", DeltaType.Double),
            new("flag", DeltaType.String),
        ],
    };

    /// <summary>Readings of <paramref name="slots"/> slots from <paramref name="firstSlot"/>: clean, then changed by <paramref name="plant"/> (columns in <see cref="Indicators"/> order, slots relative to the first).</summary>
    public static List<StationReading> Readings(string station, int firstSlot, int slots, int seed, Action<double[][]>? plant = null)
    {
        var columns = SyntheticStation.Columns(firstSlot, slots, seed);
        plant?.Invoke(columns);
        var readings = new List<StationReading>(slots * Indicators.Length);
        for (var k = 0; k < slots; k++)
        {
            for (var i = 0; i < Indicators.Length; i++)
            {
                if (double.IsFinite(columns[i][k]))
                {
                    readings.Add(new StationReading(station, Indicators[i], SlotTime(firstSlot + k), columns[i][k]));
                }
            }
        }
        return readings;
    }

    public static List<StationReading> History(string station, int seed) => Readings(station, 0, FirstTestSlot, seed);

    public static async Task WriteAsync(Lake lake, IEnumerable<StationReading> readings, CancellationToken cancellationToken)
    {
        var table = await lake.GetOrCreateTableAsync(ReadingsTable, cancellationToken);
        using var batch = table.CreateBatch();
        foreach (var r in readings)
        {
            batch.AppendRow(r.StationId, r.Indicator, r.Time.UtcDateTime, r.Value, "N");
        }
        await batch.AppendAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Feeds readings to the producer as ingest would: in micro-batches of a few slots, in time order.</summary>
    public static async Task<List<AlertChange>> StreamAsync(AlertProducer producer, IEnumerable<StationReading> readings, int slotsPerBatch, CancellationToken cancellationToken)
    {
        var changes = new List<AlertChange>();
        foreach (var batch in readings.OrderBy(r => r.Time).GroupBy(r => (r.Time - TestDayStart).Ticks / (SyntheticStation.Interval.Ticks * slotsPerBatch)))
        {
            changes.AddRange(await producer.ObserveAsync([.. batch], [], [], cancellationToken));
        }
        return changes;
    }

    /// <summary>
    /// A river of two reaches, R-UP (5 km, draining into) R-DOWN (5 km), 0.5 m/s; station UP at 1 km on R-UP and
    /// DOWN at 3 km on R-DOWN; no outfalls, so a source between them is the stretch above DOWN.
    /// </summary>
    public static async Task WriteRiverAsync(Lake lake, CancellationToken cancellationToken)
    {
        var reaches = await lake.GetOrCreateTableAsync(new TableDefinition
        {
            Name = "river_reaches",
            Columns =
            [
                new("reach_id", DeltaType.String) { Nullable = false }, new("river_name", DeltaType.String), new("from_node", DeltaType.String),
                new("to_node", DeltaType.String), new("downstream_reach_id", DeltaType.String), new("length_m", DeltaType.Double),
                new("flow_speed_mps", DeltaType.Double), new("stream_order", DeltaType.Long), ColumnDefinition.Geometry("geom"),
            ],
        }, cancellationToken);
        using (var batch = reaches.CreateBatch())
        {
            batch.AppendRow("R-UP", "Test river", "N1", "N2", "R-DOWN", 5000.0, 0.5, 1L, Geo.ToWkb(Geo.Line([(119.00, 25.40), (119.05, 25.40)])));
            batch.AppendRow("R-DOWN", "Test river", "N2", "N3", null, 5000.0, 0.5, 1L, Geo.ToWkb(Geo.Line([(119.05, 25.40), (119.10, 25.40)])));
            await batch.AppendAsync(cancellationToken: cancellationToken);
        }
        var stations = await lake.GetOrCreateTableAsync(new TableDefinition
        {
            Name = AlertProducer.StationsTable,
            Columns =
            [
                new("station_id", DeltaType.String) { Nullable = false }, new("name", DeltaType.String), new("kind", DeltaType.String),
                new("reach_id", DeltaType.String), new("distance_along_reach_m", DeltaType.Double), new("target_class", DeltaType.Long),
                ColumnDefinition.Geometry("geom"),
            ],
        }, cancellationToken);
        using (var batch = stations.CreateBatch())
        {
            batch.AppendRow("UP", "Upstream", "automatic", "R-UP", 1000.0, 3L, Geo.ToWkb(Geo.Point(119.01, 25.40)));
            batch.AppendRow("DOWN", "Downstream", "automatic", "R-DOWN", 3000.0, 3L, Geo.ToWkb(Geo.Point(119.08, 25.40)));
            await batch.AppendAsync(cancellationToken: cancellationToken);
        }
    }
}
