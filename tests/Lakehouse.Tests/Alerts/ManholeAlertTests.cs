using OneMap.Lakehouse.Alerts;
using OneMap.Lakehouse.Alerts.Producing;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Spatial;
using OneMap.Testing;

namespace OneMap.Lakehouse.Tests.Alerts;

/// <summary>Manhole covers' alarms through the producer: one alert per incident, of the right kind, to the right department.</summary>
public sealed class ManholeAlertTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly TempDirectory directory = new("onemap-manhole-alerts");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ManholeStatus Level(string device, DateTimeOffset at) => new(device, at, 1.5, 2, 120, 0.5, 3.6);

    private static ManholeStatus Tilted(string device, DateTimeOffset at) => new(device, at, 48, 35, 120, 0.5, 3.6);

    /// <summary>Covers MH-1 (owned by the water utility D07) and MH-2 (no owner); D14 maintains the alarms.</summary>
    private async Task<(Lake Lake, LakeAlertStore Store, AlertProducer Producer)> StartAsync()
    {
        var lake = new Lake(new LakehouseOptions { Root = Path.Combine(directory.Path, "lake"), Threads = 2 });
        var covers = await lake.GetOrCreateTableAsync(new TableDefinition
        {
            Name = AlertProducer.CoversTable,
            Columns = [new("device_id", DeltaType.String) { Nullable = false }, new("owner_department", DeltaType.String), ColumnDefinition.Geometry("geom")],
        }, Ct);
        using (var batch = covers.CreateBatch())
        {
            batch.AppendRow("MH-1", "D07", Geo.ToWkb(Geo.Point(119.01, 25.44)));
            batch.AppendRow("MH-2", null, Geo.ToWkb(Geo.Point(119.02, 25.45)));
            batch.AppendRow("MH-3", "D07", Geo.ToWkb(Geo.Point(119.03, 25.46)));
            await batch.AppendAsync(cancellationToken: Ct);
        }
        var responsibilities = await lake.GetOrCreateTableAsync(new TableDefinition
        {
            Name = AlertProducer.ResponsibilitiesTable,
            Columns = [new("department_code", DeltaType.String) { Nullable = false }, new("asset_layers", new ArrayType(DeltaType.String))],
        }, Ct);
        using (var batch = responsibilities.CreateBatch())
        {
            batch.AppendRow("D14", new List<string> { "manhole_alarms", "street_lights" });
            batch.AppendRow("D12", new List<string> { AlertProducer.StationsTable });
            await batch.AppendAsync(cancellationToken: Ct);
        }
        var store = new LakeAlertStore(lake);
        var producer = new AlertProducer(lake, store, new AlertProducerOptions());
        await producer.StartAsync(Ct);
        return (lake, store, producer);
    }

    [Fact]
    public async Task a_lifted_cover_is_one_manhole_fault_alert_to_its_owner_closed_when_the_lid_is_back()
    {
        var (lake, store, producer) = await StartAsync();
        using (lake)
        using (store)
        using (producer)
        {
            var raised = await producer.ObserveAsync([], [Tilted("MH-1", T0)],
                [new ManholeAlarm("MH-1", T0, "tilt", 48, 15), new ManholeAlarm("MH-1", T0.AddSeconds(5), "displacement", 35, 20)], Ct);
            // More alarms and statuses of the same lifted lid join the incident.
            await producer.ObserveAsync([], [Tilted("MH-1", T0.AddMinutes(5))], [new ManholeAlarm("MH-1", T0.AddMinutes(5), "tilt", 50, 15)], Ct);
            var closed = await producer.ObserveAsync([], [Level("MH-1", T0.AddHours(2))], [], Ct);

            var alert = Assert.Single(await store.QueryAsync(new AlertQuery { SubjectId = "MH-1" }, Ct));
            Assert.Equal("raised", Assert.Single(raised).Change);
            Assert.Equal("updated", Assert.Single(closed).Change);
            Assert.Equal(AlertKinds.ManholeFault, alert.Kind);
            Assert.Equal("manhole", alert.SubjectKind);
            Assert.Equal("D07", alert.DepartmentCode);
            Assert.Equal(["displacement", "tilt"], alert.Indicators);
            Assert.Equal(T0, alert.Start);
            Assert.Equal(T0.AddHours(2), alert.End);
            Assert.Equal("critical", alert.Severity);
            Assert.Contains("lid tilted or moved", alert.Explanation, StringComparison.Ordinal);
            Assert.Equal(119.01, alert.Longitude!.Value, 6);
        }
    }

    [Fact]
    public async Task a_cover_without_owner_goes_to_the_department_maintaining_the_alarms_and_a_false_tilt_is_a_sensor_fault()
    {
        var (lake, store, producer) = await StartAsync();
        using (lake)
        using (store)
        using (producer)
        {
            await producer.ObserveAsync([], [new ManholeStatus("MH-2", T0, 1, 1, 120, 35, 3.6)], [new ManholeAlarm("MH-2", T0, "gas", 35, 20)], Ct);
            // MH-3 keeps alarming "tilt" while its own statuses report a level, unmoved lid: the tilt sensor is at fault.
            await producer.ObserveAsync([], [Level("MH-3", T0)], [new ManholeAlarm("MH-3", T0, "tilt", 22, 15)], Ct);
            await producer.ObserveAsync([], [Level("MH-3", T0.AddMinutes(10))], [new ManholeAlarm("MH-3", T0.AddMinutes(10), "tilt", 23, 15)], Ct);

            var gas = Assert.Single(await store.QueryAsync(new AlertQuery { SubjectId = "MH-2" }, Ct));
            Assert.Equal(AlertKinds.ManholeFault, gas.Kind);
            Assert.Equal("D14", gas.DepartmentCode);
            Assert.Equal("critical", gas.Severity);
            Assert.Contains("gas", gas.Explanation, StringComparison.Ordinal);

            var tilt = Assert.Single(await store.QueryAsync(new AlertQuery { SubjectId = "MH-3" }, Ct));
            Assert.Equal(AlertKinds.SensorFault, tilt.Kind);
            Assert.Equal("D07", tilt.DepartmentCode);
            Assert.Contains("tilt sensor is suspect", tilt.Explanation, StringComparison.Ordinal);
        }
    }

    public void Dispose() => directory.Dispose();
}
