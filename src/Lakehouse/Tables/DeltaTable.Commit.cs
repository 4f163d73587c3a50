using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>The actions an operation wants to commit, and what it read (for conflict checks).</summary>
internal sealed record PlannedCommit
{
    public required string Operation { get; init; }

    public Dictionary<string, string> Parameters { get; init; } = [];

    public List<DeltaAction> Actions { get; init; } = [];

    public bool IsBlindAppend { get; init; }

    public Func<AddFile, bool>? ReadFilter { get; init; }

    /// <summary>Refines <see cref="ReadFilter"/> for a concurrently added file (see <see cref="CommitScope.AddedFileConflict"/>).</summary>
    public Func<AddFile, string?>? AddedFileConflict { get; init; }

    /// <summary>Files whose rows the outcome depends on without removing them (see <see cref="CommitScope.DependsOnPaths"/>).</summary>
    public IReadOnlyCollection<AddFile> DependsOn { get; init; } = [];

    public bool ChangesMetadata { get; init; }

    /// <summary>Data files written for this attempt (deleted again if the commit does not happen).</summary>
    public List<string> WrittenFiles { get; init; } = [];

    public long RowsWritten { get; init; }

    public long RowsDeleted { get; init; }

    public long RowsUpdated { get; init; }

    public long RowsInserted { get; init; }

    public Dictionary<string, long> Metrics { get; init; } = [];

    public bool IsEmpty => Actions.Count == 0;
}

public sealed partial class DeltaTable
{
    /// <summary>
    /// Test seam: runs between planning an operation and committing it (with the attempt number), so tests can make
    /// another writer win the race at exactly that point.
    /// </summary>
    internal Action<int>? BeforeCommit { get; set; }

    private static readonly string EngineInfo = $"OneMap-Lakehouse/{typeof(DeltaTable).Assembly.GetName().Version} DuckDB/{OneMap.DuckDb.DuckDbDatabase.EngineVersion}";

    /// <summary>
    /// Plans and commits an operation against the latest snapshot. A lost version race without a real conflict is retried
    /// by the log committer; a real conflict re-plans the whole operation against the new snapshot, a bounded number of times.
    /// </summary>
    internal CommitResult Run(string operation, CommitOptions commitOptions, Func<DeltaSnapshot, DuckDbConnection, CancellationToken, PlannedCommit?> plan, CancellationToken cancellationToken, DuckDbConnection? connection = null)
    {
        var ownConnection = connection is null;
        connection ??= engine.Connect();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var snapshot = Latest(cancellationToken);
                ProtocolSupport.EnsureWritable(snapshot, Name);
                if (commitOptions.AppId is { } appId && commitOptions.AppVersion is { } appVersion
                    && snapshot.TransactionVersion(appId) is { } done && done >= appVersion)
                {
                    LakehouseLog.AlreadyApplied(logger, Name, appId, appVersion, done);
                    return new CommitResult { Status = CommitStatus.AlreadyApplied, Version = snapshot.Version, Operation = operation, Attempts = attempt };
                }

                var planned = plan(snapshot, connection, cancellationToken);
                if (planned is null || planned.IsEmpty)
                {
                    return new CommitResult { Status = CommitStatus.NoChanges, Version = snapshot.Version, Operation = operation, Attempts = attempt };
                }
                long version;
                try
                {
                    BeforeCommit?.Invoke(attempt);
                    var actions = new List<DeltaAction> { BuildCommitInfo(snapshot, planned, commitOptions) };
                    if (commitOptions.AppId is { } id && commitOptions.AppVersion is { } v)
                    {
                        actions.Add(new TransactionAction(id, v, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                    }
                    actions.AddRange(planned.Actions);
                    var scope = new CommitScope
                    {
                        ReadVersion = snapshot.Version,
                        ReadSchema = snapshot.Schema,
                        IsBlindAppend = planned.IsBlindAppend,
                        ReadFilter = planned.ReadFilter,
                        AddedFileConflict = planned.AddedFileConflict,
                        RemovedPaths = planned.Actions.OfType<RemoveFile>().Select(r => DeltaSnapshot.Key(r.Path)).ToHashSet(StringComparer.Ordinal),
                        DependsOnPaths = planned.DependsOn.Select(f => DeltaSnapshot.Key(f.Path)).ToHashSet(StringComparer.Ordinal),
                        ChangesMetadata = planned.ChangesMetadata,
                        AppId = commitOptions.AppId,
                    };
                    version = LogCommitter.CommitAsync(Log, Name, scope, actions, options.CommitAttempts, cancellationToken).GetAwaiter().GetResult();
                }
                catch (ConcurrentModificationException conflict) when (attempt < options.OperationAttempts && !cancellationToken.IsCancellationRequested)
                {
                    DeleteFiles(planned.WrittenFiles);
                    LakehouseLog.Conflict(logger, Name, operation, attempt, conflict.Conflict);
                    Thread.Sleep(Random.Shared.Next(1, 10 * attempt));
                    continue;
                }
                catch
                {
                    DeleteFiles(planned.WrittenFiles);
                    throw;
                }

                // Committed: the written files now belong to the table. Nothing that fails from here on (a checkpoint, a
                // cancellation, a listener) may delete them, or the log would name files that are gone.
                var result = new CommitResult
                {
                    Status = CommitStatus.Committed,
                    Version = version,
                    Operation = planned.Operation,
                    RowsWritten = planned.RowsWritten,
                    RowsDeleted = planned.RowsDeleted,
                    RowsUpdated = planned.RowsUpdated,
                    RowsInserted = planned.RowsInserted,
                    FilesAdded = planned.Actions.OfType<AddFile>().Count(),
                    FilesRemoved = planned.Actions.OfType<RemoveFile>().Count(),
                    Attempts = attempt,
                };
                LakehouseLog.Committed(logger, Name, version, planned.Operation, result.FilesAdded, result.FilesRemoved, planned.RowsWritten);
                AfterCommit(version, cancellationToken);
                onCommitted?.Invoke(this, result);
                return result;
            }
        }
        finally
        {
            if (ownConnection)
            {
                connection.Dispose();
            }
        }
    }

    private static void DeleteFiles(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            DeltaLogStore.TryDelete(file);
        }
    }

    private static CommitInfo BuildCommitInfo(DeltaSnapshot snapshot, PlannedCommit planned, CommitOptions commitOptions)
    {
        var parameters = new JsonObject();
        foreach (var (key, value) in planned.Parameters)
        {
            parameters[key] = value;
        }
        var metrics = new JsonObject
        {
            ["numFiles"] = planned.Actions.OfType<AddFile>().Count().ToString(CultureInfo.InvariantCulture),
            ["numRemovedFiles"] = planned.Actions.OfType<RemoveFile>().Count().ToString(CultureInfo.InvariantCulture),
            ["numOutputRows"] = planned.RowsWritten.ToString(CultureInfo.InvariantCulture),
            ["numOutputBytes"] = planned.Actions.OfType<AddFile>().Sum(a => a.Size).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in planned.Metrics)
        {
            metrics[key] = value.ToString(CultureInfo.InvariantCulture);
        }
        var content = new JsonObject
        {
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["operation"] = planned.Operation,
            ["operationParameters"] = parameters,
            ["readVersion"] = snapshot.Version,
            ["isolationLevel"] = planned.IsBlindAppend ? "WriteSerializable" : "Serializable",
            ["isBlindAppend"] = planned.IsBlindAppend,
            ["operationMetrics"] = metrics,
            ["engineInfo"] = EngineInfo,
            ["txnId"] = Guid.NewGuid().ToString(),
        };
        if (commitOptions.UserMetadata is { } userMetadata)
        {
            content["userMetadata"] = userMetadata;
        }
        if (commitOptions.Lineage is { } lineage)
        {
            content[LineageKey] = new JsonObject
            {
                ["source"] = lineage.Source,
                ["receipts"] = new JsonArray(lineage.Receipts.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
            };
        }
        return new CommitInfo(content);
    }

    /// <summary>The commitInfo field holding OneMap's lineage (feed and receipts).</summary>
    internal const string LineageKey = "onemapLineage";

    /// <summary>Checkpoints every <c>delta.checkpointInterval</c> versions; a failed checkpoint only costs replay time.</summary>
    private void AfterCommit(long version, CancellationToken cancellationToken)
    {
        DeltaSnapshot snapshot;
        try
        {
            snapshot = Latest(cancellationToken);
        }
        catch (LakehouseException e)
        {
            LakehouseLog.RefreshFailed(logger, Name, version, e);
            return;
        }
        var interval = int.TryParse(snapshot.Metadata.Property(TableProperties.CheckpointInterval), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0 ? i : 10;
        if (version > 0 && version % interval == 0)
        {
            try
            {
                var at = snapshot.Version == version ? snapshot : AtVersion(version, cancellationToken);
                CheckpointWriter.Write(engine, Log, at, TombstoneRetention(at), cancellationToken);
                LakehouseLog.Checkpointed(logger, Name, version);
            }
            catch (LakehouseException e)
            {
                LakehouseLog.CheckpointFailed(logger, Name, version, e);
            }
        }
    }

    /// <summary>Writes a checkpoint of the latest version now.</summary>
    public Task<long> CheckpointAsync(CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var snapshot = Latest(cancellationToken);
        CheckpointWriter.Write(engine, Log, snapshot, TombstoneRetention(snapshot), cancellationToken);
        return snapshot.Version;
    }, cancellationToken);

    internal static TimeSpan TombstoneRetention(DeltaSnapshot snapshot) =>
        Durations.Parse(snapshot.Metadata.Property(TableProperties.DeletedFileRetentionDuration)) ?? TimeSpan.FromDays(7);
}
