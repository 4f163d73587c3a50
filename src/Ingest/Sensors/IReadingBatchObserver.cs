namespace OneMap.Ingest.Sensors;

/// <summary>A micro-batch of sensor rows that is committed to the lake (and whose messages are acknowledged).</summary>
/// <param name="Water">Water-quality readings (redeliveries may repeat readings already seen).</param>
/// <param name="Manhole">Manhole cover statuses.</param>
/// <param name="Alarms">Manhole cover alarms.</param>
/// <param name="Version">The latest reading-table version written, or -1.</param>
public sealed record CommittedSensorBatch(IReadOnlyList<WaterRow> Water, IReadOnlyList<ManholeRow> Manhole, IReadOnlyList<AlarmRow> Alarms, long Version);

/// <summary>
/// Told about every micro-batch the sensor worker commits, right after the commit (e.g. the alert producer, which
/// scores readings as they arrive). Register implementations in DI; the worker calls each in turn. An observer should
/// hand the batch on quickly (the next commit waits for it); its failures are logged and never stop ingest.
/// </summary>
public interface IReadingBatchObserver
{
    ValueTask OnBatchCommittedAsync(CommittedSensorBatch batch, CancellationToken cancellationToken);
}
