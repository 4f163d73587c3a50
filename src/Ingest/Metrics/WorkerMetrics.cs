namespace OneMap.Ingest.Metrics;

/// <summary>
/// Counters and gauges of one worker: rows read/written/rejected/duplicate, commits, the last commit, the write rate
/// over the last ten seconds and the lag (age of the oldest input not yet committed). Thread-safe.
/// </summary>
public sealed class WorkerMetrics(string name, string kind, TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock rateLock = new();
    private readonly Queue<(long Ticks, long Rows)> samples = new();
    private long rowsRead;
    private long rowsWritten;
    private long rowsRejected;
    private long rowsDuplicate;
    private long commits;
    private long lastVersion = -1;
    private long lastCommitUnixMs;
    private long oldestPendingTimestamp;

    public string Name { get; } = name;

    /// <summary><c>feed</c>, <c>sensors</c> or <c>tickets</c>.</summary>
    public string Kind { get; } = kind;

    public long RowsRead => Interlocked.Read(ref rowsRead);

    public long RowsWritten => Interlocked.Read(ref rowsWritten);

    public long RowsRejected => Interlocked.Read(ref rowsRejected);

    public long RowsDuplicate => Interlocked.Read(ref rowsDuplicate);

    public long Commits => Interlocked.Read(ref commits);

    public long LastVersion => Interlocked.Read(ref lastVersion);

    public DateTimeOffset? LastCommit => Interlocked.Read(ref lastCommitUnixMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Read(long rows) => Interlocked.Add(ref rowsRead, rows);

    public void Rejected(long rows) => Interlocked.Add(ref rowsRejected, rows);

    /// <summary>Records a commit of <paramref name="written"/> rows at table version <paramref name="version"/>.</summary>
    public void Committed(long written, long duplicates, long version)
    {
        Interlocked.Add(ref rowsWritten, written);
        Interlocked.Add(ref rowsDuplicate, duplicates);
        Interlocked.Increment(ref commits);
        if (version >= 0)
        {
            Interlocked.Exchange(ref lastVersion, version);
        }
        Interlocked.Exchange(ref lastCommitUnixMs, clock.GetUtcNow().ToUnixTimeMilliseconds());
        lock (rateLock)
        {
            samples.Enqueue((clock.GetTimestamp(), written));
            Trim();
        }
    }

    /// <summary>Marks when the oldest input still waiting arrived (null when nothing waits).</summary>
    public void Pending(long? sinceTimestamp) => Interlocked.Exchange(ref oldestPendingTimestamp, sinceTimestamp ?? 0);

    /// <summary>Seconds the oldest uncommitted input has waited (0 when idle).</summary>
    public double LagSeconds
    {
        get
        {
            var since = Interlocked.Read(ref oldestPendingTimestamp);
            return since == 0 ? 0 : clock.GetElapsedTime(since).TotalSeconds;
        }
    }

    /// <summary>Rows written per second over the last ten seconds.</summary>
    public double RowsPerSecond
    {
        get
        {
            lock (rateLock)
            {
                Trim();
                return samples.Sum(s => s.Rows) / 10.0;
            }
        }
    }

    private void Trim()
    {
        var horizon = clock.GetTimestamp() - 10 * clock.TimestampFrequency;
        while (samples.Count > 0 && samples.Peek().Ticks < horizon)
        {
            samples.Dequeue();
        }
    }
}
