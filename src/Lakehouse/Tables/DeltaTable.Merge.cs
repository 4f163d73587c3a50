using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>
    /// Upserts a batch by key (current-state tables such as tickets, sensor twins and dimension tables): rows whose key
    /// exists replace the stored row (when <see cref="MergeOptions.UpdateCondition"/> allows), others are inserted; rows
    /// meeting <see cref="MergeOptions.DeleteCondition"/> delete their key. Within the batch the last row of a key wins.
    /// Data files holding matched keys are rewritten (copy-on-write).
    /// </summary>
    public Task<CommitResult> MergeAsync(WriteBatch batch, MergeOptions? merge = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        batch.MergeAsync(merge, options, cancellationToken);

    /// <summary>Upserts the result of a SQL query by key (see <see cref="MergeAsync(WriteBatch, MergeOptions?, CommitOptions?, CancellationToken)"/>).</summary>
    public Task<CommitResult> MergeQueryAsync(string sql, IReadOnlyList<object?>? parameters = null, MergeOptions? merge = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => WithQuery(sql, parameters, cancellationToken, staged => Merge(staged, merge ?? new MergeOptions(), options ?? CommitOptions.Default, cancellationToken)), cancellationToken);

    internal CommitResult Merge(StagedRows staged, MergeOptions merge, CommitOptions commitOptions, CancellationToken cancellationToken) =>
        Run("MERGE", commitOptions, (snapshot, connection, token) =>
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
            foreach (var key in keys)
            {
                var nulls = connection.ExecuteScalar<long>($"SELECT count(*) FROM {staged.Relation} WHERE {Sql.Identifier(key)} IS NULL");
                if (nulls > 0)
                {
                    throw new InvalidValueException(Name, key, nulls, "have a NULL merge key");
                }
            }

            var temp = new List<string>();
            try
            {
                // The last row of each key in the batch wins.
                var deduplicated = StagedRows.NewName("dedup");
                temp.Add(deduplicated);
                var partitionBy = string.Join(", ", keys.Select(Sql.Identifier));
                connection.Execute($"CREATE TABLE {Sql.Identifier(deduplicated)} AS SELECT * FROM {staged.Relation} QUALIFY row_number() OVER (PARTITION BY {partitionBy} ORDER BY rowid DESC) = 1");

                var plan = IncomingSchema.Plan(Name, snapshot.Schema, incoming, Sql.Identifier(deduplicated), commitOptions.AllowSchemaEvolution);
                CheckValues(connection, Sql.Identifier(deduplicated), plan.RequiredColumns, snapshot.Schema);
                var metadata = plan.AddedFields.Count > 0 ? IncomingSchema.Evolve(snapshot.Metadata, plan.AddedFields) : null;
                var view = metadata is null ? snapshot : snapshot.WithMetadata(metadata);

                var source = StagedRows.NewName("source");
                temp.Add(source);
                connection.Execute($"CREATE TABLE {Sql.Identifier(source)} AS {plan.Projection}");

                var candidatePredicate = KeyRange(connection, Sql.Identifier(source), keys);
                var candidates = FilePruning.Candidates(snapshot, candidatePredicate).ToList();
                var touched = TouchedFiles(connection, snapshot, candidates, Sql.Identifier(source), keys);

                var keyMatch = string.Join(" AND ", keys.Select(k => $"source.{Sql.Identifier(k)} = target.{Sql.Identifier(k)}"));
                var update = merge.UpdateCondition is null ? "true" : $"coalesce(({merge.UpdateCondition}), false)";
                var delete = merge.DeleteCondition is null ? "false" : $"coalesce(({merge.DeleteCondition}), false)";
                var target = touched.Count == 0 ? SnapshotSql.Empty(view.Schema) : SnapshotSql.Select(view, touched);
                var sourceSql = $"SELECT * FROM {Sql.Identifier(source)}";

                var counts = connection.Query(
                    $"WITH target AS ({target}) SELECT " +
                    $"count(*) FILTER (WHERE m AND u AND NOT d), count(*) FILTER (WHERE m AND u AND d), count(*) FILTER (WHERE NOT m AND NOT d) FROM (" +
                    $"SELECT EXISTS (SELECT 1 FROM target WHERE {keyMatch}) AS m, EXISTS (SELECT 1 FROM target WHERE {keyMatch} AND {update}) AS u, {delete} AS d FROM ({sourceSql}) source)");
                counts.Read();
                var (updated, deleted, inserted) = (counts.GetInt64(0), counts.GetInt64(1), counts.GetInt64(2));
                counts.Dispose();
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
            finally
            {
                foreach (var table in temp)
                {
                    connection.Execute($"DROP TABLE IF EXISTS {Sql.Identifier(table)}");
                }
            }
        }, cancellationToken, staged.Connection);

    /// <summary>A predicate that holds for every stored row whose key could be in the source (min/max per key column).</summary>
    private static Predicate KeyRange(DuckDbConnection connection, string source, IReadOnlyList<string> keys)
    {
        var terms = new List<Predicate>();
        foreach (var key in keys)
        {
            using var reader = connection.Query($"SELECT min({Sql.Identifier(key)}), max({Sql.Identifier(key)}) FROM {source}");
            reader.Read();
            if (reader.IsDBNull(0))
            {
                continue;
            }
            var (min, max) = (reader.GetValue(0), reader.GetValue(1));
            terms.Add(Equals(min, max) ? Predicate.Eq(key, min) : Predicate.Between(key, min, max));
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
        var match = string.Join(" AND ", keys.Select(k => $"s.{Sql.Identifier(k)} = t.{Sql.Identifier(k)}"));
        var sql = $"SELECT DISTINCT t.{SnapshotSql.FileColumn} FROM ({SnapshotSql.Select(snapshot, candidates, includeFileColumn: true)}) t " +
                  $"WHERE EXISTS (SELECT 1 FROM {source} s WHERE {match})";
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
