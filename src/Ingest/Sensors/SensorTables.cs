using OneMap.Ingest.Tables;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Sensors;

/// <summary>The tables the sensor worker writes: readings, manhole status and alarms, and the latest-state twin.</summary>
public static class SensorTables
{
    public const string Twins = "sensor_twins";

    /// <summary>Where each sensor stands now: the latest value, time and status of every indicator, one row per (sensor, indicator).</summary>
    public static TableDefinition TwinDefinition { get; } = new()
    {
        Name = Twins,
        Description = "Latest state of every sensor: the last value, time and status of each indicator (the digital twin).",
        KeyColumns = ["sensor_id", "indicator"],
        Columns =
        [
            new("sensor_id", DeltaType.String) { Nullable = false, Description = "Station or manhole device id." },
            new("sensor_kind", DeltaType.String) { Nullable = false, Description = "water_quality or manhole." },
            new("indicator", DeltaType.String) { Nullable = false, Description = "Indicator id, manhole field, or alarm:<kind>." },
            new("value", DeltaType.Double) { Description = "Latest value, in unit." },
            new("unit", DeltaType.String) { Description = "Unit of value." },
            new("ts", DeltaType.Timestamp) { Nullable = false, Description = "Measurement time of the latest value." },
            new("status", DeltaType.String) { Nullable = false, Description = "normal, or the HJ 212 flag name (maintenance, fault, …), or alarm." },
            new("updated_at", DeltaType.Timestamp) { Nullable = false, Description = "When the twin row was written." },
        ],
    };

    public static TableDefinition Water { get; } = DomainTables.Definition(DomainDatasets.WaterQualityReadings);

    public static TableDefinition Manhole { get; } = DomainTables.Definition(DomainDatasets.ManholeReadings);

    public static TableDefinition Alarms { get; } = DomainTables.Definition(DomainDatasets.ManholeAlarms);

    public static async Task<(DeltaTable Water, DeltaTable Manhole, DeltaTable Alarms, DeltaTable Twins)> EnsureAsync(Lake lake, string source, CancellationToken cancellationToken)
    {
        var water = await DomainTables.EnsureAsync(lake, Water, DomainDatasets.WaterQualityReadings.OwnerDepartmentCode, "Water-quality readings", source, cancellationToken).ConfigureAwait(false);
        var manhole = await DomainTables.EnsureAsync(lake, Manhole, DomainDatasets.ManholeReadings.OwnerDepartmentCode, "Manhole cover status reports", source, cancellationToken).ConfigureAwait(false);
        var alarms = await DomainTables.EnsureAsync(lake, Alarms, DomainDatasets.ManholeAlarms.OwnerDepartmentCode, "Manhole cover alarms", source, cancellationToken).ConfigureAwait(false);
        var twins = await DomainTables.EnsureAsync(lake, TwinDefinition, "D39", "Sensor twins (latest state)", source, cancellationToken).ConfigureAwait(false);
        return (water, manhole, alarms, twins);
    }
}
