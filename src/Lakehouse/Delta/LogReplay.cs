namespace OneMap.Lakehouse.Delta;

/// <summary>Reads the actions of a Parquet checkpoint (implemented over DuckDB's read_parquet).</summary>
public interface ICheckpointReader
{
    IReadOnlyList<DeltaAction> Read(IReadOnlyList<string> checkpointPaths, CancellationToken cancellationToken);
}

/// <summary>
/// Reconstructs snapshots from the log: the newest complete checkpoint at or below the wanted version, then the JSON
/// commits after it, in order. A checkpoint that cannot be read is skipped in favour of an older one (or of the JSON
/// commits alone), since checkpoints only shorten replay.
/// </summary>
public static class LogReplay
{
    public static DeltaSnapshot Load(DeltaLogStore store, ICheckpointReader? checkpointReader, long? version = null, CancellationToken cancellationToken = default)
    {
        var listing = store.List();
        if (listing.LatestVersion is not { } latest)
        {
            throw new TableNotFoundException(store.TableRoot);
        }
        var target = version ?? latest;
        if (target > latest)
        {
            throw new VersionNotFoundException(store.TableRoot, $"version {target} does not exist; the latest version is {latest}");
        }
        if (target < 0)
        {
            throw new VersionNotFoundException(store.TableRoot, $"version {target} is not a table version");
        }

        var candidates = checkpointReader is null ? [] : listing.Checkpoints.Where(c => c.Version <= target).Reverse().ToList();
        foreach (var checkpoint in candidates)
        {
            if (!CommitsPresent(listing, checkpoint.Version + 1, target))
            {
                continue;
            }
            IReadOnlyList<DeltaAction> actions;
            try
            {
                actions = checkpointReader!.Read(checkpoint.Paths, cancellationToken);
            }
            catch (LakehouseException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }
            var builder = new SnapshotBuilder(store.TableRoot);
            foreach (var action in actions)
            {
                builder.Apply(action);
            }
            return Replay(store, builder, checkpoint.Version + 1, target, checkpoint.Paths[0], cancellationToken);
        }

        if (!listing.Commits.ContainsKey(0))
        {
            var earliest = listing.Commits.Count > 0 ? listing.Commits.Keys.First() : latest;
            throw new VersionNotFoundException(store.TableRoot,
                $"version {target} cannot be reconstructed: the log starts at version {earliest} and no usable checkpoint covers it");
        }
        if (!CommitsPresent(listing, 0, target))
        {
            var missing = Enumerable.Range(0, (int)Math.Min(target + 1, int.MaxValue)).First(v => !listing.Commits.ContainsKey(v));
            throw new CorruptLogException(store.CommitPath(missing), $"commit {missing} is missing between 0 and {target}");
        }
        return Replay(store, new SnapshotBuilder(store.TableRoot), 0, target, store.CommitPath(0), cancellationToken);
    }

    /// <summary>Brings a snapshot up to the newest committed version (or <paramref name="upTo"/>) by reading only the new commits.</summary>
    public static DeltaSnapshot Update(DeltaLogStore store, DeltaSnapshot current, long? upTo = null, CancellationToken cancellationToken = default)
    {
        var next = current.Version + 1;
        if ((upTo is null || next <= upTo) && !store.CommitExists(next))
        {
            return current;
        }
        var builder = new SnapshotBuilder(current);
        var version = current.Version;
        CommitInfo? info = null;
        while ((upTo is null || next <= upTo) && store.CommitExists(next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            info = ApplyCommit(store, builder, next);
            version = next++;
        }
        return builder.Build(version, Timestamp(store, version, info), info, store.CommitPath(version));
    }

    /// <summary>The commit time of a version: its commitInfo timestamp, else the commit file's modification time.</summary>
    public static long Timestamp(DeltaLogStore store, long version, CommitInfo? info)
    {
        if (info?.Timestamp is { } timestamp)
        {
            return timestamp;
        }
        return store.CommitExists(version) ? store.CommitFileTimestamp(version) : 0;
    }

    private static DeltaSnapshot Replay(DeltaLogStore store, SnapshotBuilder builder, long from, long to, string source, CancellationToken cancellationToken)
    {
        CommitInfo? info = null;
        for (var version = from; version <= to; version++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            info = ApplyCommit(store, builder, version);
        }
        if (from > to && store.CommitExists(to))
        {
            // Snapshot taken straight from a checkpoint: its commit (if kept) still says when it happened.
            info = store.ReadCommit(to).OfType<CommitInfo>().FirstOrDefault();
        }
        return builder.Build(to, Timestamp(store, to, info), info, from <= to ? store.CommitPath(to) : source);
    }

    private static CommitInfo? ApplyCommit(DeltaLogStore store, SnapshotBuilder builder, long version)
    {
        CommitInfo? info = null;
        foreach (var action in store.ReadCommit(version))
        {
            if (action is CommitInfo commitInfo)
            {
                info = commitInfo;
            }
            builder.Apply(action);
        }
        return info;
    }

    private static bool CommitsPresent(LogListing listing, long from, long to)
    {
        for (var v = from; v <= to; v++)
        {
            if (!listing.Commits.ContainsKey(v))
            {
                return false;
            }
        }
        return true;
    }
}
