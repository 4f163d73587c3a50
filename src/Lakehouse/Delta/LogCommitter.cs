namespace OneMap.Lakehouse.Delta;

/// <summary>What a transaction read and changed, so a lost race can be told apart from a real conflict.</summary>
public sealed class CommitScope
{
    /// <summary>The snapshot version the transaction was planned against.</summary>
    public required long ReadVersion { get; init; }

    /// <summary>The schema the transaction was planned against (to accept additive schema changes under appends).</summary>
    public StructType? ReadSchema { get; init; }

    /// <summary>True when the transaction only adds files and read nothing: it conflicts with schema changes only.</summary>
    public bool IsBlindAppend { get; init; }

    /// <summary>
    /// For transactions that read data (delete, merge, partition overwrite): true for a file whose rows the transaction
    /// would have had to consider. A concurrently added file it matches is a conflict.
    /// </summary>
    public Func<AddFile, bool>? ReadFilter { get; init; }

    /// <summary>Decoded paths the transaction removes; a concurrent removal of any of them is a conflict.</summary>
    public IReadOnlySet<string> RemovedPaths { get; init; } = new HashSet<string>();

    public bool ChangesMetadata { get; init; }

    /// <summary>The application id of the transaction's txn action, if any.</summary>
    public string? AppId { get; init; }
}

/// <summary>
/// Commits a list of actions as the next version: create-if-absent of the commit file; when another writer won the
/// version, its actions are checked against the <see cref="CommitScope"/> and, absent a real conflict, the same actions
/// are committed at the following version.
/// </summary>
public static class LogCommitter
{
    /// <summary>Commits and returns the version written. Throws <see cref="ConcurrentModificationException"/> on a real conflict.</summary>
    public static async Task<long> CommitAsync(
        DeltaLogStore store, string table, CommitScope scope, IReadOnlyList<DeltaAction> actions, int maxAttempts, CancellationToken cancellationToken)
    {
        var content = ActionJson.Serialize(actions);
        var version = scope.ReadVersion + 1;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (store.TryCreateCommit(version, content))
            {
                return version;
            }
            if (version == 0)
            {
                throw new TableAlreadyExistsException(store.TableRoot);
            }
            while (store.CommitExists(version))
            {
                var winner = store.ReadCommit(version);
                if (FindConflict(scope, winner) is { } conflict)
                {
                    throw new ConcurrentModificationException(table, version, conflict);
                }
                version++;
            }
            if (attempt >= maxAttempts)
            {
                throw new ConcurrentModificationException(table, version, $"gave up after {attempt} attempts lost to other writers");
            }
            // Writers that keep colliding spread out; the delay stays far below a micro-batch interval.
            await Task.Delay(Random.Shared.Next(0, Math.Min(5 * attempt, 50)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The reason the winning commit's actions conflict with the transaction, or null when they do not.</summary>
    public static string? FindConflict(CommitScope scope, IReadOnlyList<DeltaAction> winner)
    {
        foreach (var action in winner)
        {
            switch (action)
            {
                case ProtocolAction:
                    return "the table protocol was changed";
                case MetadataAction metadata:
                    if (scope.ChangesMetadata)
                    {
                        return "the table metadata was changed by another writer";
                    }
                    if (!(scope.IsBlindAppend && scope.ReadSchema is not null && SchemaEvolution.IsAdditive(scope.ReadSchema, metadata.Schema)))
                    {
                        return "the table schema or configuration was changed";
                    }
                    break;
                case AddFile add when scope.ReadFilter is not null && add.DataChange && scope.ReadFilter(add):
                    return $"file '{add.Path}' was added by another writer where this operation read";
                case RemoveFile remove when scope.RemovedPaths.Contains(DeltaSnapshot.Key(remove.Path)):
                    return $"file '{remove.Path}' was removed by another writer";
                case TransactionAction txn when scope.AppId is not null && txn.AppId == scope.AppId:
                    return $"application '{txn.AppId}' committed its transaction {txn.Version} concurrently";
            }
        }
        return null;
    }
}

/// <summary>Schema comparison for additive evolution (new nullable columns at the end, nothing else changed).</summary>
public static class SchemaEvolution
{
    public static bool IsAdditive(StructType before, StructType after)
    {
        if (after.Fields.Count < before.Fields.Count)
        {
            return false;
        }
        for (var i = 0; i < before.Fields.Count; i++)
        {
            var old = before.Fields[i];
            var now = after.Fields[i];
            if (!string.Equals(old.Name, now.Name, StringComparison.OrdinalIgnoreCase) || !old.Type.Equals(now.Type) || (old.Nullable && !now.Nullable))
            {
                return false;
            }
        }
        return after.Fields.Skip(before.Fields.Count).All(f => f.Nullable);
    }
}
