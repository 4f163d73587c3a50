using Microsoft.Extensions.Logging;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// One Delta table: its snapshots (latest, as of a version, as of a time), history, and the write operations
/// (append, partition overwrite, merge by key, delete, schema evolution) and maintenance (checkpoint, OPTIMIZE,
/// VACUUM). Thread-safe; any number of instances, threads and processes may write the same table concurrently.
/// </summary>
public sealed partial class DeltaTable
{
    private readonly LakeEngine engine;
    private readonly LakehouseOptions options;
    private readonly ILogger logger;
    private readonly Action<DeltaTable, CommitResult>? onCommitted;
    private readonly DuckDbCheckpointReader checkpointReader;
    private readonly Lock snapshotLock = new();
    private DeltaSnapshot? latest;

    internal DeltaTable(string name, string root, LakeEngine engine, LakehouseOptions options, ILogger logger, Action<DeltaTable, CommitResult>? onCommitted = null)
    {
        Name = name;
        Root = Path.GetFullPath(root);
        this.engine = engine;
        this.options = options;
        this.logger = logger;
        this.onCommitted = onCommitted;
        Log = new DeltaLogStore(Root);
        checkpointReader = new DuckDbCheckpointReader(engine);
    }

    /// <summary>The dataset name (the table's directory name under the lake root).</summary>
    public string Name { get; }

    /// <summary>The table's directory.</summary>
    public string Root { get; }

    public DeltaLogStore Log { get; }

    /// <summary>True when the table has at least one commit.</summary>
    public bool Exists => Log.CommitExists(0) || Log.List().LatestVersion is not null;

    /// <summary>The latest snapshot, reading only the commits made since the last call.</summary>
    public Task<DeltaSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Latest(cancellationToken), cancellationToken);

    /// <summary>The snapshot as of <paramref name="version"/> (time travel).</summary>
    public Task<DeltaSnapshot> GetSnapshotAsync(long version, CancellationToken cancellationToken = default) =>
        Task.Run(() => AtVersion(version, cancellationToken), cancellationToken);

    /// <summary>The snapshot of the last version committed at or before <paramref name="timestamp"/> (time travel).</summary>
    public Task<DeltaSnapshot> GetSnapshotAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default) =>
        Task.Run(() => AtVersion(VersionAt(timestamp, cancellationToken), cancellationToken), cancellationToken);

    /// <summary>The latest snapshot (synchronous form of <see cref="GetSnapshotAsync(CancellationToken)"/>).</summary>
    public DeltaSnapshot Latest(CancellationToken cancellationToken = default)
    {
        var current = latest;
        var updated = current is null
            ? LogReplay.Load(Log, checkpointReader, null, cancellationToken)
            : LogReplay.Update(Log, current, null, cancellationToken);
        lock (snapshotLock)
        {
            if (latest is null || updated.Version > latest.Version)
            {
                latest = updated;
            }
            return latest;
        }
    }

    internal DeltaSnapshot AtVersion(long version, CancellationToken cancellationToken)
    {
        var current = latest;
        if (current is not null && current.Version == version)
        {
            return current;
        }
        return LogReplay.Load(Log, checkpointReader, version, cancellationToken);
    }

    /// <summary>The last version committed at or before <paramref name="timestamp"/>.</summary>
    public long VersionAt(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var target = timestamp.ToUnixTimeMilliseconds();
        long? found = null;
        foreach (var (version, time) in CommitTimestamps(cancellationToken))
        {
            if (time > target)
            {
                break;
            }
            found = version;
        }
        if (found is null)
        {
            var first = CommitTimestamps(cancellationToken).FirstOrDefault();
            throw new VersionNotFoundException(Name,
                $"no version was committed at or before {timestamp:O}; the oldest available version {first.Version} is from {DateTimeOffset.FromUnixTimeMilliseconds(first.Timestamp):O}");
        }
        return found.Value;
    }

    /// <summary>Versions with their commit times, made monotonic as Delta requires (a clock step back never reorders versions).</summary>
    private IEnumerable<(long Version, long Timestamp)> CommitTimestamps(CancellationToken cancellationToken)
    {
        var listing = Log.List();
        long previous = long.MinValue;
        foreach (var version in listing.Commits.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = Log.ReadCommit(version).OfType<CommitInfo>().FirstOrDefault();
            var time = Math.Max(LogReplay.Timestamp(Log, version, info), previous + 1);
            previous = time;
            yield return (version, time);
        }
    }

    public override string ToString() => $"Delta table '{Name}' at {Root}";
}
