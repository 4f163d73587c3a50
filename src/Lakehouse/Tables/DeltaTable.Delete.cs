using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>
    /// Deletes the rows matching <paramref name="predicate"/>. Files whose rows all match (by partition values or
    /// statistics) are removed without being read; files that may hold matches are checked and rewritten without them.
    /// </summary>
    public Task<CommitResult> DeleteAsync(Predicate predicate, CommitOptions? options = null, CancellationToken cancellationToken = default) => Task.Run(() =>
        Run("DELETE", options ?? CommitOptions.Default, (snapshot, connection, token) =>
        {
            FilePruning.Validate(snapshot, predicate, Name);
            if (ProtocolSupport.IsAppendOnly(snapshot))
            {
                throw new InvalidOperationLakehouseException(Name, "the table is append-only (delta.appendOnly); rows cannot be deleted");
            }
            var whole = new List<AddFile>();
            var partial = new List<AddFile>();
            foreach (var file in snapshot.Files)
            {
                if (FilePruning.AllRowsMatch(snapshot, file, predicate))
                {
                    whole.Add(file);
                }
                else if (FilePruning.MayMatch(snapshot, file, predicate))
                {
                    partial.Add(file);
                }
            }

            var parameters = new List<object?>();
            var condition = $"coalesce({predicate.ToSql(parameters)}, false)";
            var touched = new List<AddFile>();
            long partialRows = 0;
            if (partial.Count > 0)
            {
                var byPath = partial.ToDictionary(snapshot.FullPath, StringComparer.Ordinal);
                using var reader = connection.Query(
                    $"SELECT {SnapshotSql.FileColumn}, count(*) FROM ({SnapshotSql.Select(snapshot, partial, includeFileColumn: true)}) WHERE {condition} GROUP BY ALL",
                    [.. parameters]);
                while (reader.Read())
                {
                    touched.Add(byPath[reader.GetString(0)]);
                    partialRows += reader.GetInt64(1);
                }
            }
            if (whole.Count == 0 && touched.Count == 0)
            {
                return null;
            }

            var files = new List<WrittenFile>();
            if (touched.Count > 0)
            {
                var keep = $"SELECT * FROM ({SnapshotSql.Select(snapshot, touched)}) WHERE NOT {condition}";
                files = WriteRelationWithParameters(connection, snapshot.Metadata, keep, parameters, token);
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var actions = new List<DeltaAction>();
            actions.AddRange(whole.Concat(touched).Select(f => RemoveFile.For(f, now)));
            actions.AddRange(files.Select(f => f.Add));
            var deleted = partialRows + whole.Sum(f => f.Statistics.NumRecords ?? 0);
            return new PlannedCommit
            {
                Operation = "DELETE",
                Parameters = { ["predicate"] = FilePruning.Describe(predicate) },
                Actions = actions,
                ReadFilter = file => FilePruning.MayMatch(snapshot, file, predicate),
                WrittenFiles = files.Select(f => f.FullPath).ToList(),
                RowsWritten = files.Sum(f => f.Add.Statistics.NumRecords ?? 0),
                RowsDeleted = deleted,
                Metrics =
                {
                    ["numDeletedRows"] = deleted,
                    ["numRemovedFiles"] = whole.Count + touched.Count,
                    ["numCopiedRows"] = files.Sum(f => f.Add.Statistics.NumRecords ?? 0),
                },
            };
        }, cancellationToken), cancellationToken);

    /// <summary>Materializes a parameterized relation (predicate values) and writes it.</summary>
    private List<WrittenFile> WriteRelationWithParameters(OneMap.DuckDb.DuckDbConnection connection, MetadataAction metadata, string relation, List<object?> parameters, CancellationToken cancellationToken)
    {
        var name = StagedRows.NewName("keep");
        try
        {
            using (cancellationToken.Register(connection.Interrupt))
            {
                connection.Execute($"CREATE TABLE {Sql.Identifier(name)} AS {relation}", [.. parameters]);
            }
            return WriteRelation(connection, metadata, $"SELECT * FROM {Sql.Identifier(name)}", dataChange: true, cheapToRescan: true, cancellationToken);
        }
        catch (OneMap.DuckDb.DuckDbException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFileException($"table '{Name}'", $"reading the rows to keep failed: {e.Message}", e);
        }
        finally
        {
            connection.Execute($"DROP TABLE IF EXISTS {Sql.Identifier(name)}");
        }
    }
}
