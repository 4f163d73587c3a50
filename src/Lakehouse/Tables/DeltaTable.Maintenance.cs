using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>
    /// OPTIMIZE: packs the small files of each partition into files of about <see cref="OptimizeOptions.TargetFileSize"/>.
    /// The rows are unchanged; the old files are removed logically (dataChange = false) and stay for time travel until VACUUM.
    /// </summary>
    public Task<CommitResult> OptimizeAsync(OptimizeOptions? optimize = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        optimize ??= new OptimizeOptions();
        return Run("OPTIMIZE", CommitOptions.Default, (snapshot, connection, token) =>
        {
            if (optimize.Where is { } where)
            {
                FilePruning.Validate(snapshot, where, Name);
                if (where.Columns.Any(c => c.Parts.Count > 1 || !SnapshotSql.IsPartition(snapshot.PartitionColumns, c.Parts[0])))
                {
                    throw new InvalidOperationLakehouseException(Name, "OPTIMIZE's where may only use partition columns");
                }
            }
            var small = snapshot.Files
                .Where(f => f.Size < optimize.TargetFileSize)
                .Where(f => optimize.Where is null || FilePruning.MayMatch(snapshot, f, optimize.Where))
                .GroupBy(f => string.Join('\u0001', f.PartitionValues.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)), StringComparer.Ordinal);
            var bins = new List<List<AddFile>>();
            foreach (var partition in small)
            {
                var bin = new List<AddFile>();
                long size = 0;
                foreach (var file in partition.OrderBy(f => f.Size))
                {
                    if (bin.Count > 0 && size + file.Size > optimize.TargetFileSize)
                    {
                        bins.Add(bin);
                        bin = [];
                        size = 0;
                    }
                    bin.Add(file);
                    size += file.Size;
                }
                bins.Add(bin);
            }
            bins.RemoveAll(b => b.Count < 2);
            if (bins.Count == 0)
            {
                return null;
            }
            var written = new List<WrittenFile>();
            try
            {
                foreach (var bin in bins)
                {
                    written.AddRange(WriteRelation(connection, snapshot.Metadata, SnapshotSql.Select(snapshot, bin), dataChange: false, cheapToRescan: false, token));
                }
            }
            catch
            {
                DeleteFiles(written.Select(w => w.FullPath));
                throw;
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var removed = bins.SelectMany(b => b).ToList();
            var actions = new List<DeltaAction>();
            actions.AddRange(removed.Select(f => RemoveFile.For(f, now, dataChange: false)));
            actions.AddRange(written.Select(w => w.Add));
            return new PlannedCommit
            {
                Operation = "OPTIMIZE",
                Parameters = { ["predicate"] = optimize.Where is null ? "[]" : FilePruning.Describe(optimize.Where), ["targetFileSize"] = optimize.TargetFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Actions = actions,
                WrittenFiles = written.Select(w => w.FullPath).ToList(),
                Metrics =
                {
                    ["numRemovedFiles"] = removed.Count,
                    ["numAddedFiles"] = written.Count,
                    ["numRemovedBytes"] = removed.Sum(f => f.Size),
                    ["numAddedBytes"] = written.Sum(w => w.Add.Size),
                },
            };
        }, cancellationToken);
    }, cancellationToken);

    /// <summary>
    /// VACUUM: deletes files under the table that no version within the retention refers to (removed files whose
    /// tombstones expired, and orphans left by writers that died before committing) once they are older than the
    /// retention, plus the log's leftover temporary files.
    /// </summary>
    public Task<VacuumResult> VacuumAsync(VacuumOptions? vacuum = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        vacuum ??= new VacuumOptions();
        var snapshot = Latest(cancellationToken);
        var configured = TombstoneRetention(snapshot);
        var retention = vacuum.Retention ?? configured;
        if (retention < configured && !vacuum.AllowShortRetention)
        {
            throw new InvalidOperationLakehouseException(Name,
                $"a VACUUM retention of {retention} is shorter than the table's deletedFileRetentionDuration ({configured}); readers of older versions " +
                "and writers still writing could lose files. Set AllowShortRetention to do it anyway.");
        }
        var now = DateTimeOffset.UtcNow;
        var cutoff = now - retention;
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        var valid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            valid.Add(Path.GetFullPath(snapshot.FullPath(file)));
        }
        foreach (var tombstone in snapshot.Tombstones.Values)
        {
            if ((tombstone.DeletionTimestamp ?? 0) > cutoffMs)
            {
                valid.Add(Path.GetFullPath(DeltaPath.Resolve(Root, tombstone.Path)));
            }
        }

        var deleted = new List<string>();
        long bytes = 0;
        foreach (var path in DataFilesUnder(Root, cancellationToken))
        {
            if (valid.Contains(path))
            {
                continue;
            }
            var info = new FileInfo(path);
            if (info.LastWriteTimeUtc > cutoff.UtcDateTime)
            {
                continue;
            }
            deleted.Add(path);
            bytes += info.Length;
            if (!vacuum.DryRun)
            {
                DeltaLogStore.TryDelete(path);
            }
        }
        if (Directory.Exists(Log.LogDirectory))
        {
            foreach (var temp in Directory.EnumerateFiles(Log.LogDirectory, ".tmp-*"))
            {
                if (File.GetLastWriteTimeUtc(temp) <= cutoff.UtcDateTime)
                {
                    deleted.Add(temp);
                    if (!vacuum.DryRun)
                    {
                        DeltaLogStore.TryDelete(temp);
                    }
                }
            }
        }
        if (!vacuum.DryRun)
        {
            RemoveEmptyDirectories(Root, cutoff.UtcDateTime);
            LakehouseLog.Vacuumed(logger, Name, deleted.Count, bytes, retention);
        }
        return new VacuumResult(deleted, bytes, vacuum.DryRun);
    }, cancellationToken);

    /// <summary>Every file under the table root outside hidden directories (<c>_delta_log</c>, <c>_change_data</c>, <c>.x</c>).</summary>
    private static IEnumerable<string> DataFilesUnder(string root, CancellationToken cancellationToken)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                var name = Path.GetFileName(sub);
                if (name.StartsWith('.') || (name.StartsWith('_') && !name.Contains('=', StringComparison.Ordinal)))
                {
                    continue;
                }
                pending.Push(sub);
            }
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(file);
                // Hidden files (Spark's .crc sidecars, markers) are not data; DuckDB writes data files under their final name.
                if (name.StartsWith('.') || name.StartsWith('_'))
                {
                    continue;
                }
                yield return Path.GetFullPath(file);
            }
        }
    }

    private static void RemoveEmptyDirectories(string root, DateTime cutoff)
    {
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith('.') || (name.StartsWith('_') && !name.Contains('=', StringComparison.Ordinal)))
            {
                continue;
            }
            RemoveEmptyDirectories(directory, cutoff);
            // A directory created after the cutoff may be about to receive a writer's file.
            if (Directory.GetLastWriteTimeUtc(directory) <= cutoff && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    // A writer may have just created a file in it.
                }
            }
        }
    }
}
