using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>
    /// Upserts a batch by key (current-state tables such as tickets, sensor twins and dimension tables): rows whose key
    /// exists replace the stored row (when <see cref="MergeOptions.UpdateCondition"/> allows), others are inserted; rows
    /// meeting <see cref="MergeOptions.DeleteCondition"/> delete their key. Within the batch the last row of a key wins.
    /// Data files holding matched keys are rewritten (copy-on-write). With <see cref="MergeMatchAction.Ignore"/> only the
    /// keys not yet stored are inserted, as one new file, and nothing is rewritten.
    /// </summary>
    public Task<CommitResult> MergeAsync(WriteBatch batch, MergeOptions? merge = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        batch.MergeAsync(merge, options, cancellationToken);

    /// <summary>Upserts the result of a SQL query by key (see <see cref="MergeAsync(WriteBatch, MergeOptions?, CommitOptions?, CancellationToken)"/>).</summary>
    public Task<CommitResult> MergeQueryAsync(string sql, IReadOnlyList<object?>? parameters = null, MergeOptions? merge = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => WithQuery(sql, parameters, cancellationToken, staged => Merge(staged, merge ?? new MergeOptions(), options ?? CommitOptions.Default, cancellationToken)), cancellationToken);

    internal CommitResult Merge(StagedRows staged, MergeOptions merge, CommitOptions commitOptions, CancellationToken cancellationToken)
    {
        if (merge.WhenMatched == MergeMatchAction.Ignore && (merge.UpdateCondition is not null || merge.DeleteCondition is not null))
        {
            throw new ArgumentException("an insert-only merge (WhenMatched = Ignore) takes no UpdateCondition or DeleteCondition", nameof(merge));
        }
        // The staging tables of a plan live until its commit is decided: an insert-only merge checks rows that other
        // writers committed meanwhile against the rows it inserts.
        var temp = new MergeTables();
        try
        {
            return Run("MERGE", commitOptions, (snapshot, connection, token) =>
            {
                temp.Drop(connection);
                return PlanMerge(snapshot, connection, staged, merge, commitOptions, temp, token);
            }, cancellationToken, staged.Connection);
        }
        finally
        {
            temp.Drop(staged.Connection);
        }
    }

    /// <summary>Names of one merge's staging tables.</summary>
    private sealed class MergeTables
    {
        public string Deduplicated { get; } = StagedRows.NewName("dedup");

        public string Source { get; } = StagedRows.NewName("source");

        public string Found { get; } = StagedRows.NewName("found");

        public string Inserted { get; } = StagedRows.NewName("insert");

        public void Drop(DuckDbConnection connection)
        {
            foreach (var table in new[] { Deduplicated, Source, Found, Inserted })
            {
                try
                {
                    connection.Execute($"DROP TABLE IF EXISTS {Sql.Identifier(table)}");
                }
                catch (Exception e) when (e is DuckDbException or ObjectDisposedException)
                {
                    // In-memory staging tables; one left behind after an engine error is harmless.
                }
            }
        }
    }

    private PlannedCommit? PlanMerge(DeltaSnapshot snapshot, DuckDbConnection connection, StagedRows staged, MergeOptions merge, CommitOptions commitOptions, MergeTables temp, CancellationToken token)
    {
        if (ProtocolSupport.IsAppendOnly(snapshot))
        {
            throw new InvalidOperationLakehouseException(Name, "the table is append-only (delta.appendOnly); a merge would change data");
        }
        var keys = merge.KeyColumns ?? SchemaColumns.KeyColumns(snapshot.Metadata);
        if (keys.Count == 0)
        {
            throw new InvalidOperationLakehouseException(Name, "a merge needs key columns: the table defines none, so pass MergeOptions.KeyColumns");
        }
        var incoming = staged.Describe();
        foreach (var key in keys)
        {
            if (snapshot.Schema.Find(key) is null)
            {
                throw new InvalidOperationLakehouseException(Name, $"merge key column '{key}' is not in the table schema");
            }
            if (!incoming.Any(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase)))
            {
                throw new SchemaMismatchException(Name, key, "is a merge key but missing from the incoming rows");
            }
        }
        if (staged.Count() == 0)
        {
            return null;
        }
        var keyNulls = string.Join(", ", keys.Select(k => $"count(*) FILTER (WHERE {Sql.Identifier(k)} IS NULL)"));
        using (var reader = connection.Query($"SELECT {keyNulls} FROM {staged.Relation}"))
        {
            reader.Read();
            for (var i = 0; i < keys.Count; i++)
            {
                if (reader.GetInt64(i) is var nulls and > 0)
                {
                    throw new InvalidValueException(Name, keys[i], nulls, "have a NULL merge key");
                }
            }
        }

        // The last row of each key in the batch wins.
        var deduplicated = Sql.Identifier(temp.Deduplicated);
        var partitionBy = string.Join(", ", keys.Select(Sql.Identifier));
        connection.Execute($"CREATE TABLE {deduplicated} AS SELECT * FROM {staged.Relation} QUALIFY row_number() OVER (PARTITION BY {partitionBy} ORDER BY rowid DESC) = 1");

        var plan = IncomingSchema.Plan(Name, snapshot.Schema, incoming, deduplicated, commitOptions.AllowSchemaEvolution);
        CheckRequired(connection, deduplicated, plan.RequiredColumns);
        var metadata = plan.AddedFields.Count > 0 ? IncomingSchema.Evolve(snapshot.Metadata, plan.AddedFields) : null;
        var view = metadata is null ? snapshot : snapshot.WithMetadata(metadata);

        var source = Sql.Identifier(temp.Source);
        try
        {
            using (token.Register(connection.Interrupt))
            {
                connection.Execute($"CREATE TABLE {source} AS {plan.Projection}");
            }
        }
        catch (DuckDbException e)
        {
            token.ThrowIfCancellationRequested();
            CheckGeometry(connection, deduplicated, view.Schema);
            throw new DataFileException($"table '{Name}'", $"preparing the rows to merge failed: {e.Message}", e);
        }

        var candidatePredicate = KeyRange(connection, source, keys);
        var candidates = FilePruning.Candidates(snapshot, candidatePredicate).ToList();
        return merge.WhenMatched == MergeMatchAction.Ignore
            ? PlanInsertOnly(snapshot, view, connection, temp, keys, candidatePredicate, candidates, metadata, token)
            : PlanUpsert(snapshot, view, connection, source, keys, merge, candidatePredicate, candidates, metadata, token);
    }

    private PlannedCommit? PlanUpsert(DeltaSnapshot snapshot, DeltaSnapshot view, DuckDbConnection connection, string source, IReadOnlyList<string> keys, MergeOptions merge,
        Predicate candidatePredicate, List<AddFile> candidates, MetadataAction? metadata, CancellationToken token)
    {
        var touched = TouchedFiles(connection, snapshot, candidates, source, keys);
        var keyMatch = KeyMatch(keys, "source", "target");
        var update = merge.UpdateCondition is null ? "true" : $"coalesce(({merge.UpdateCondition}), false)";
        var delete = merge.DeleteCondition is null ? "false" : $"coalesce(({merge.DeleteCondition}), false)";
        var target = touched.Count == 0 ? SnapshotSql.Empty(view.Schema) : SnapshotSql.Select(view, touched);
        var sourceSql = $"SELECT * FROM {source}";

        long updated, deleted, inserted;
        using (var counts = connection.Query(
            $"WITH target AS ({target}) SELECT " +
            $"count(*) FILTER (WHERE m AND u AND NOT d), count(*) FILTER (WHERE m AND u AND d), count(*) FILTER (WHERE NOT m AND NOT d) FROM (" +
            $"SELECT EXISTS (SELECT 1 FROM target WHERE {keyMatch}) AS m, EXISTS (SELECT 1 FROM target WHERE {keyMatch} AND {update}) AS u, {delete} AS d FROM ({sourceSql}) source)"))
        {
            counts.Read();
            (updated, deleted, inserted) = (counts.GetInt64(0), counts.GetInt64(1), counts.GetInt64(2));
        }
        if (updated == 0 && deleted == 0 && inserted == 0 && metadata is null)
        {
            return null;
        }

        var relation =
            $"WITH target AS ({target}), source AS ({sourceSql}) " +
            $"SELECT * FROM target WHERE NOT EXISTS (SELECT 1 FROM source WHERE {keyMatch} AND {update}) " +
            $"UNION ALL BY NAME " +
            $"SELECT * FROM source WHERE NOT {delete} AND NOT EXISTS (SELECT 1 FROM target WHERE {keyMatch} AND NOT {update})";
        var files = WriteRelation(connection, view.Metadata, relation, dataChange: true, cheapToRescan: false, token);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var actions = new List<DeltaAction>();
        if (metadata is not null)
        {
            actions.Add(metadata);
        }
        actions.AddRange(touched.Select(f => RemoveFile.For(f, now)));
        actions.AddRange(files.Select(f => f.Add));
        var copied = touched.Sum(f => f.Statistics.NumRecords ?? 0) - updated - deleted;
        return new PlannedCommit
        {
            Operation = "MERGE",
            Parameters =
            {
                ["keys"] = string.Join(",", keys),
                ["matchedPredicates"] = merge.UpdateCondition ?? "",
                ["deletePredicate"] = merge.DeleteCondition ?? "",
            },
            Actions = actions,
            ReadFilter = file => FilePruning.MayMatch(snapshot, file, candidatePredicate),
            ChangesMetadata = metadata is not null,
            WrittenFiles = files.Select(f => f.FullPath).ToList(),
            RowsWritten = files.Sum(f => f.Add.Statistics.NumRecords ?? 0),
            RowsUpdated = updated,
            RowsDeleted = deleted,
            RowsInserted = inserted,
            Metrics =
            {
                ["numTargetRowsUpdated"] = updated,
                ["numTargetRowsDeleted"] = deleted,
                ["numTargetRowsInserted"] = inserted,
                ["numTargetRowsCopied"] = Math.Max(0, copied),
                ["numTargetFilesRemoved"] = touched.Count,
            },
        };
    }

    /// <summary>
    /// Insert-only: the source rows whose key no candidate file holds are written as new files; nothing is removed. The
    /// commit conflicts only with a concurrent commit that added one of the inserted keys (checked against the rows of
    /// the files it added) or changed the rows of a file where a key was found (so the key might be gone now).
    /// </summary>
    private PlannedCommit? PlanInsertOnly(DeltaSnapshot snapshot, DeltaSnapshot view, DuckDbConnection connection, MergeTables temp, IReadOnlyList<string> keys,
        Predicate candidatePredicate, List<AddFile> candidates, MetadataAction? metadata, CancellationToken token)
    {
        var source = Sql.Identifier(temp.Source);
        var inserted = source;
        var dependsOn = new List<AddFile>();
        if (candidates.Count > 0)
        {
            // One read of the candidate files' key columns finds the stored keys and the files holding them.
            var found = Sql.Identifier(temp.Found);
            var byPath = candidates.ToDictionary(snapshot.FullPath, StringComparer.Ordinal);
            var keyList = string.Join(", ", keys.Select(k => "t." + Sql.Identifier(k)));
            using (token.Register(connection.Interrupt))
            {
                connection.Execute(
                    $"CREATE TABLE {found} AS SELECT {keyList}, t.{SnapshotSql.FileColumn} FROM ({SnapshotSql.Select(snapshot, candidates, includeFileColumn: true)}) t " +
                    $"SEMI JOIN {source} s ON {KeyMatch(keys, "s", "t")}");
            }
            using (var reader = connection.Query($"SELECT DISTINCT {SnapshotSql.FileColumn} FROM {found}"))
            {
                while (reader.Read())
                {
                    if (byPath.TryGetValue(reader.GetString(0), out var file))
                    {
                        dependsOn.Add(file);
                    }
                }
            }
            if (dependsOn.Count > 0)
            {
                inserted = Sql.Identifier(temp.Inserted);
                connection.Execute($"CREATE TABLE {inserted} AS SELECT * FROM {source} s ANTI JOIN {found} t ON {KeyMatch(keys, "s", "t")}");
            }
        }
        var sourceRows = connection.ExecuteScalar<long>($"SELECT count(*) FROM {source}");
        var insertedRows = ReferenceEquals(inserted, source) ? sourceRows : connection.ExecuteScalar<long>($"SELECT count(*) FROM {inserted}");
        if (insertedRows == 0 && metadata is null)
        {
            return null;
        }
        var files = insertedRows == 0 ? [] : WriteRelation(connection, view.Metadata, $"SELECT * FROM {inserted}", dataChange: true, cheapToRescan: true, token);
        var actions = new List<DeltaAction>();
        if (metadata is not null)
        {
            actions.Add(metadata);
        }
        actions.AddRange(files.Select(f => f.Add));
        var insertedTable = inserted;
        return new PlannedCommit
        {
            Operation = "MERGE",
            Parameters =
            {
                ["keys"] = string.Join(",", keys),
                ["matchedPredicates"] = "[]",
                ["notMatchedPredicates"] = "[{\"actionType\":\"insert\"}]",
            },
            Actions = actions,
            ReadFilter = file => FilePruning.MayMatch(snapshot, file, candidatePredicate),
            // A file another writer added in the key range is a conflict only if it holds a key inserted here.
            AddedFileConflict = file => AddedKeysOverlap(connection, snapshot, file, insertedTable, keys),
            DependsOn = dependsOn,
            ChangesMetadata = metadata is not null,
            WrittenFiles = files.Select(f => f.FullPath).ToList(),
            RowsWritten = insertedRows,
            RowsInserted = insertedRows,
            Metrics =
            {
                ["numSourceRows"] = sourceRows,
                ["numTargetRowsInserted"] = insertedRows,
                ["numTargetRowsUpdated"] = 0,
                ["numTargetRowsDeleted"] = 0,
                ["numTargetRowsCopied"] = 0,
                ["numTargetFilesRemoved"] = 0,
            },
        };
    }

    /// <summary>Why a file another writer committed conflicts with the keys inserted here, or null when it holds none of them.</summary>
    private static string? AddedKeysOverlap(DuckDbConnection connection, DeltaSnapshot snapshot, AddFile file, string inserted, IReadOnlyList<string> keys)
    {
        try
        {
            var overlap = connection.ExecuteScalar<long>(
                $"SELECT count(*) FROM ({SnapshotSql.Select(snapshot, [file])}) t SEMI JOIN {inserted} s ON {KeyMatch(keys, "s", "t")}");
            return overlap == 0 ? null : $"file '{file.Path}' added by another writer holds {overlap} of the key(s) this merge inserts";
        }
        catch (DuckDbException e)
        {
            // Unable to tell: treat it as a conflict, so the merge is planned again against the new snapshot.
            return $"file '{file.Path}' added by another writer could not be checked for the keys this merge inserts: {e.Message}";
        }
    }

    private static string KeyMatch(IReadOnlyList<string> keys, string left, string right) =>
        string.Join(" AND ", keys.Select(k => $"{left}.{Sql.Identifier(k)} = {right}.{Sql.Identifier(k)}"));

    /// <summary>A predicate that holds for every stored row whose key could be in the source (min/max per key column).</summary>
    private static Predicate KeyRange(DuckDbConnection connection, string source, IReadOnlyList<string> keys)
    {
        var terms = new List<Predicate>();
        var bounds = string.Join(", ", keys.Select(k => $"min({Sql.Identifier(k)}), max({Sql.Identifier(k)})"));
        using var reader = connection.Query($"SELECT {bounds} FROM {source}");
        reader.Read();
        for (var i = 0; i < keys.Count; i++)
        {
            if (reader.IsDBNull(2 * i))
            {
                continue;
            }
            var (min, max) = (reader.GetValue(2 * i), reader.GetValue(2 * i + 1));
            terms.Add(Equals(min, max) ? Predicate.Eq(keys[i], min) : Predicate.Between(keys[i], min, max));
        }
        return terms.Count == 0 ? Predicate.True : Predicate.And([.. terms]);
    }

    /// <summary>The candidate files that really hold a key of the source.</summary>
    private static List<AddFile> TouchedFiles(DuckDbConnection connection, DeltaSnapshot snapshot, List<AddFile> candidates, string source, IReadOnlyList<string> keys)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var byPath = candidates.ToDictionary(snapshot.FullPath, StringComparer.Ordinal);
        var sql = $"SELECT DISTINCT t.{SnapshotSql.FileColumn} FROM ({SnapshotSql.Select(snapshot, candidates, includeFileColumn: true)}) t " +
                  $"WHERE EXISTS (SELECT 1 FROM {source} s WHERE {KeyMatch(keys, "s", "t")})";
        var touched = new List<AddFile>();
        using var reader = connection.Query(sql);
        while (reader.Read())
        {
            if (byPath.TryGetValue(reader.GetString(0), out var file))
            {
                touched.Add(file);
            }
        }
        return touched;
    }
}
