using OneMap.Lakehouse;
using OneMap.Lakehouse.Tables;

namespace OneMap.Ingest.Sensors;

/// <summary>What committing one micro-batch did.</summary>
/// <param name="Written">Rows inserted into the reading tables.</param>
/// <param name="Duplicates">Rows already present (redeliveries), dropped by key.</param>
/// <param name="Version">The latest table version written (readings table), or -1.</param>
public readonly record struct SensorCommitResult(long Written, long Duplicates, long Version);

/// <summary>
/// Commits micro-batches of sensor rows: each reading table gets one commit that inserts only keys it does not hold yet
/// (so a redelivered reading lands once), then the twin table is upserted with the latest value per sensor and
/// indicator (an older reading never overwrites a newer one). One instance per worker; not thread-safe.
/// </summary>
public sealed class SensorCommitter : IDisposable
{
    private static readonly MergeOptions InsertNewKeysOnly = new() { UpdateCondition = "false" };
    private static readonly MergeOptions LatestWins = new() { UpdateCondition = "source.ts >= target.ts" };

    private readonly DeltaTable water;
    private readonly DeltaTable manhole;
    private readonly DeltaTable alarms;
    private readonly DeltaTable twins;
    private readonly string source;
    private WriteBatch? waterBatch;
    private WriteBatch? manholeBatch;
    private WriteBatch? alarmBatch;
    private WriteBatch? twinBatch;
    private readonly Dictionary<(string, string), TwinRow> pendingTwins = [];
    private long lastTwinCommit;

    /// <summary>
    /// The twin is merged at most this often (default 1 s): in a burst, batches follow each other faster than that, and
    /// one merge of the latest values serves them all. Readings are committed with every batch regardless.
    /// </summary>
    public TimeSpan TwinInterval { get; init; } = TimeSpan.FromSeconds(1);

    private SensorCommitter(DeltaTable water, DeltaTable manhole, DeltaTable alarms, DeltaTable twins, string source)
    {
        this.water = water;
        this.manhole = manhole;
        this.alarms = alarms;
        this.twins = twins;
        this.source = source;
    }

    public static async Task<SensorCommitter> CreateAsync(Lake lake, string source, CancellationToken cancellationToken)
    {
        var (water, manhole, alarms, twins) = await SensorTables.EnsureAsync(lake, source, cancellationToken).ConfigureAwait(false);
        var committer = new SensorCommitter(water, manhole, alarms, twins, source);
        committer.CheckLayout();
        return committer;
    }

    private void CheckLayout()
    {
        Expect(water, ["station_id", "indicator", "ts", "value", "unit", "flag", "date"]);
        Expect(manhole, ["device_id", "ts", "tilt_deg", "displacement_mm", "water_level_cm", "ch4_pct_lel", "h2s_ppm", "battery_v", "signal_dbm", "date"]);
        Expect(alarms, ["device_id", "ts", "kind", "value", "threshold"]);
        Expect(twins, ["sensor_id", "sensor_kind", "indicator", "value", "unit", "ts", "status", "updated_at"]);

        static void Expect(DeltaTable table, string[] columns)
        {
            using var batch = table.CreateBatch();
            if (!batch.Columns.SequenceEqual(columns, StringComparer.Ordinal))
            {
                throw new IngestCommitException(table.Name, $"the table has columns ({string.Join(", ", batch.Columns)}), the sensor worker writes ({string.Join(", ", columns)})");
            }
        }
    }

    /// <summary>Commits a batch (quarantine is the caller's, before this). Safe to call again with the same batch after a failure.</summary>
    public async Task<SensorCommitResult> CommitAsync(SensorBatch batch, CancellationToken cancellationToken)
    {
        var result = await CommitReadingsAsync(batch, cancellationToken).ConfigureAwait(false);
        await FlushTwinsIfDueAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Merges the twin's pending latest values when <see cref="TwinInterval"/> has passed since the last twin commit.</summary>
    public async Task FlushTwinsIfDueAsync(CancellationToken cancellationToken)
    {
        if (TimeProvider.System.GetElapsedTime(lastTwinCommit) >= TwinInterval)
        {
            await FlushTwinsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits a batch's readings and collects its latest values for the twin, without merging the twin (see
    /// <see cref="FlushTwinsIfDueAsync"/>): the readings are what an acknowledgement promises. Safe to call again after a failure.
    /// </summary>
    public async Task<SensorCommitResult> CommitReadingsAsync(SensorBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            var lineage = new CommitOptions { Lineage = new CommitLineage(source, []) };
            long written = 0, duplicates = 0, version = -1;
            if (batch.Water.Count > 0)
            {
                var b = waterBatch ??= water.CreateBatch();
                var a = b.Appender;
                var seen = new HashSet<(string, string, DateTimeOffset)>();
                foreach (var r in batch.Water)
                {
                    if (seen.Add((r.StationId, r.Indicator, r.Ts)))
                    {
                        a.Append(r.StationId).Append(r.Indicator).Append(r.Ts).Append(r.Value).Append(r.Unit).Append(r.Flag).Append(r.Date).EndRow();
                    }
                }
                var result = await CommitAsync(b, batch, lineage, cancellationToken).ConfigureAwait(false);
                written += result.RowsInserted;
                duplicates += batch.Water.Count - result.RowsInserted;
                version = result.Version;
            }
            if (batch.Manhole.Count > 0)
            {
                var b = manholeBatch ??= manhole.CreateBatch();
                var a = b.Appender;
                var seen = new HashSet<(string, DateTimeOffset)>();
                foreach (var r in batch.Manhole)
                {
                    if (seen.Add((r.DeviceId, r.Ts)))
                    {
                        a.Append(r.DeviceId).Append(r.Ts).Append(r.TiltDeg).Append(r.DisplacementMm).Append(r.WaterLevelCm).Append(r.Ch4PctLel)
                            .Append(r.H2sPpm).Append(r.BatteryV).Append(r.SignalDbm).Append(r.Date).EndRow();
                    }
                }
                var result = await CommitAsync(b, batch, lineage, cancellationToken).ConfigureAwait(false);
                written += result.RowsInserted;
                duplicates += batch.Manhole.Count - result.RowsInserted;
                version = Math.Max(version, result.Version);
            }
            if (batch.Alarms.Count > 0)
            {
                var b = alarmBatch ??= alarms.CreateBatch();
                var a = b.Appender;
                var seen = new HashSet<(string, DateTimeOffset, string)>();
                foreach (var r in batch.Alarms)
                {
                    if (seen.Add((r.DeviceId, r.Ts, r.Kind)))
                    {
                        a.Append(r.DeviceId).Append(r.Ts).Append(r.Kind).Append(r.Value).Append(r.Threshold).EndRow();
                    }
                }
                var result = await CommitAsync(b, batch, lineage, cancellationToken).ConfigureAwait(false);
                written += result.RowsInserted;
                duplicates += batch.Alarms.Count - result.RowsInserted;
            }
            foreach (var (key, row) in Latest(batch))
            {
                if (!pendingTwins.TryGetValue(key, out var current) || row.Ts >= current.Ts)
                {
                    pendingTwins[key] = row;
                }
            }
            return new SensorCommitResult(written, duplicates, version);
        }
        catch
        {
            // Staged rows of a failed commit are dropped; a retry stages the batch again (inserts are idempotent by key).
            ResetBatches();
            throw;
        }
    }

    /// <summary>
    /// First deliveries (deduplicated within the batch above) are appended; a batch that may hold readings already in
    /// the lake inserts only the keys the table lacks (a merge that never updates).
    /// </summary>
    private static async Task<CommitResult> CommitAsync(WriteBatch rows, SensorBatch batch, CommitOptions lineage, CancellationToken cancellationToken)
    {
        if (batch.MayHoldRedeliveries)
        {
            return await rows.MergeAsync(InsertNewKeysOnly, lineage, cancellationToken).ConfigureAwait(false);
        }
        var staged = rows.RowCount;
        var result = await rows.AppendAsync(lineage, cancellationToken).ConfigureAwait(false);
        return result with { RowsInserted = staged };
    }

    /// <summary>Merges the latest values collected since the last twin commit (an older reading never overwrites a newer one).</summary>
    public async Task FlushTwinsAsync(CancellationToken cancellationToken)
    {
        if (pendingTwins.Count == 0)
        {
            return;
        }
        try
        {
            var b = twinBatch ??= twins.CreateBatch();
            var a = b.Appender;
            var now = DateTimeOffset.UtcNow;
            foreach (var r in pendingTwins.Values)
            {
                a.Append(r.SensorId).Append(r.SensorKind).Append(r.Indicator).Append(r.Value).Append(r.Unit).Append(r.Ts).Append(r.Status).Append(now).EndRow();
            }
            await b.MergeAsync(LatestWins, new CommitOptions { Lineage = new CommitLineage(source, []) }, cancellationToken).ConfigureAwait(false);
            pendingTwins.Clear();
            lastTwinCommit = TimeProvider.System.GetTimestamp();
        }
        catch
        {
            twinBatch?.Dispose();
            twinBatch = null;
            throw;
        }
    }

    /// <summary>The latest row per (sensor, indicator) of a batch.</summary>
    public static Dictionary<(string, string), TwinRow> Latest(SensorBatch batch)
    {
        var latest = new Dictionary<(string, string), TwinRow>();
        void Offer(TwinRow row)
        {
            var key = (row.SensorId, row.Indicator);
            if (!latest.TryGetValue(key, out var current) || row.Ts >= current.Ts)
            {
                latest[key] = row;
            }
        }
        foreach (var r in batch.Water)
        {
            Offer(new TwinRow(r.StationId, "water_quality", r.Indicator, r.Value, r.Unit, r.Ts, FlagStatus(r.Flag)));
        }
        foreach (var r in batch.Manhole)
        {
            Offer(new TwinRow(r.DeviceId, "manhole", "tilt_deg", r.TiltDeg, "°", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "displacement_mm", r.DisplacementMm, "mm", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "water_level_cm", r.WaterLevelCm, "cm", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "ch4_pct_lel", r.Ch4PctLel, "%LEL", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "h2s_ppm", r.H2sPpm, "ppm", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "battery_v", r.BatteryV, "V", r.Ts, "normal"));
            Offer(new TwinRow(r.DeviceId, "manhole", "signal_dbm", r.SignalDbm, "dBm", r.Ts, "normal"));
        }
        foreach (var r in batch.Alarms)
        {
            Offer(new TwinRow(r.DeviceId, "manhole", "alarm:" + r.Kind, r.Value, "", r.Ts, "alarm"));
        }
        return latest;
    }

    private static string FlagStatus(string flag) => flag switch
    {
        "N" => "normal",
        "F" => "stopped",
        "M" => "maintenance",
        "S" => "manual",
        "D" => "fault",
        "C" => "calibration",
        "T" => "over_range",
        "B" => "communication_fault",
        _ => flag,
    };

    private void ResetBatches()
    {
        waterBatch?.Dispose();
        manholeBatch?.Dispose();
        alarmBatch?.Dispose();
        twinBatch?.Dispose();
        waterBatch = manholeBatch = alarmBatch = twinBatch = null;
    }

    public void Dispose() => ResetBatches();
}
