using System.Globalization;
using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>A new micro-batch builder for this table (dispose it when done).</summary>
    public WriteBatch CreateBatch()
    {
        var snapshot = Latest();
        var columns = snapshot.Schema.Fields.Where(f => SchemaColumns.CoveringOf(f) is null).ToList();
        var connection = engine.Connect();
        try
        {
            var staged = StagedRows.Create(connection, columns.Select(c => (c.Name, c.Type.ToDuckDbType())), ownsConnection: true);
            return new WriteBatch(this, staged, columns);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Appends a batch's rows as one commit.</summary>
    public Task<CommitResult> AppendAsync(WriteBatch batch, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        batch.AppendAsync(options, cancellationToken);

    /// <summary>
    /// Appends the result of a SQL query (run on the lake engine, values as parameters <c>$1</c>, <c>$2</c>, …) as one
    /// commit. The result's columns are matched to the table's by name.
    /// </summary>
    public Task<CommitResult> AppendQueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => WithQuery(sql, parameters, cancellationToken, staged => Append(staged, options ?? CommitOptions.Default, cancellationToken)), cancellationToken);

    /// <summary>Replaces partitions with the result of a SQL query (see <see cref="WriteBatch.OverwriteAsync"/>).</summary>
    public Task<CommitResult> OverwriteQueryAsync(string sql, IReadOnlyList<object?>? parameters = null, Predicate? replaceWhere = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => WithQuery(sql, parameters, cancellationToken, staged => Overwrite(staged, replaceWhere, options ?? CommitOptions.Default, cancellationToken)), cancellationToken);

    /// <summary>Adds nullable columns to the schema (additive schema evolution) as one commit.</summary>
    public Task<CommitResult> AddColumnsAsync(IReadOnlyList<ColumnDefinition> columns, CancellationToken cancellationToken = default) => Task.Run(() =>
        Run("ADD COLUMNS", CommitOptions.Default, (snapshot, _, _) =>
        {
            var added = new List<StructField>();
            foreach (var column in columns)
            {
                if (snapshot.Schema.Find(column.Name) is not null)
                {
                    throw new SchemaMismatchException(Name, column.Name, "already exists");
                }
                if (!column.Nullable)
                {
                    throw new SchemaMismatchException(Name, column.Name, "must be nullable: existing rows have no value for it");
                }
                if (column.IsGeometry)
                {
                    throw new SchemaMismatchException(Name, column.Name, "geometry columns can only be defined when the table is created");
                }
                added.Add(column.ToField());
            }
            return new PlannedCommit
            {
                Operation = "ADD COLUMNS",
                Parameters = { ["columns"] = string.Join(",", columns.Select(c => c.Name)) },
                Actions = { IncomingSchema.Evolve(snapshot.Metadata, added) },
                ChangesMetadata = true,
            };
        }, cancellationToken), cancellationToken);

    internal T WithQuery<T>(string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken, Func<StagedRows, T> action)
    {
        var connection = engine.Connect();
        StagedRows staged;
        try
        {
            staged = StagedRows.FromQuery(connection, sql, parameters ?? [], ownsConnection: true, cancellationToken);
        }
        catch (DuckDbException e)
        {
            connection.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFileException($"table '{Name}'", $"the query for the write failed: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        using (staged)
        {
            return action(staged);
        }
    }

    internal CommitResult Append(StagedRows staged, CommitOptions commitOptions, CancellationToken cancellationToken) =>
        Run("WRITE", commitOptions, (snapshot, connection, token) =>
        {
            var written = WriteIncoming(snapshot, staged, connection, commitOptions, token);
            if (written is null)
            {
                return null;
            }
            return new PlannedCommit
            {
                Operation = "WRITE",
                Parameters = { ["mode"] = "Append", ["partitionBy"] = PartitionByJson(snapshot) },
                Actions = written.Actions,
                IsBlindAppend = written.Metadata is null,
                ChangesMetadata = written.Metadata is not null,
                WrittenFiles = written.Files.Select(f => f.FullPath).ToList(),
                RowsWritten = written.Rows,
                RowsInserted = written.Rows,
            };
        }, cancellationToken, staged.Connection);

    internal CommitResult Overwrite(StagedRows staged, Predicate? replaceWhere, CommitOptions commitOptions, CancellationToken cancellationToken) =>
        Run("WRITE", commitOptions, (snapshot, connection, token) =>
        {
            if (ProtocolSupport.IsAppendOnly(snapshot))
            {
                throw new InvalidOperationLakehouseException(Name, "the table is append-only (delta.appendOnly); an overwrite would remove data");
            }
            if (replaceWhere is not null)
            {
                FilePruning.Validate(snapshot, replaceWhere, Name);
                var outside = replaceWhere.Columns.FirstOrDefault(c => c.Parts.Count > 1 || !SnapshotSql.IsPartition(snapshot.PartitionColumns, c.Parts[0]));
                if (outside is not null)
                {
                    throw new InvalidOperationLakehouseException(Name, $"replaceWhere may only use partition columns ({string.Join(", ", snapshot.PartitionColumns)}), not '{outside}'");
                }
                var parameters = new List<object?>();
                var condition = replaceWhere.ToSql(parameters);
                var misfits = connection.ExecuteScalar<long>($"SELECT count(*) FROM {staged.Relation} WHERE NOT coalesce({condition}, false)", [.. parameters]);
                if (misfits > 0)
                {
                    throw new InvalidOperationLakehouseException(Name, $"{misfits} incoming row(s) fall outside replaceWhere {FilePruning.Describe(replaceWhere)}");
                }
            }

            var written = WriteIncoming(snapshot, staged, connection, commitOptions, token);
            Func<AddFile, bool> replaced;
            if (replaceWhere is not null)
            {
                replaced = file => FilePruning.MayMatch(snapshot, file, replaceWhere);
            }
            else if (snapshot.PartitionColumns.Count == 0)
            {
                replaced = _ => true;
            }
            else
            {
                var partitions = (written?.Files ?? []).Select(f => PartitionIdentity(f.Add.PartitionValues)).ToHashSet(StringComparer.Ordinal);
                replaced = file => partitions.Contains(PartitionIdentity(file.PartitionValues));
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var removes = snapshot.Files.Where(replaced).Select(f => RemoveFile.For(f, now)).ToList();
            if (written is null && removes.Count == 0)
            {
                return null;
            }
            var actions = new List<DeltaAction>(written?.Actions ?? []);
            actions.AddRange(removes);
            return new PlannedCommit
            {
                Operation = "WRITE",
                Parameters =
                {
                    ["mode"] = "Overwrite",
                    ["partitionBy"] = PartitionByJson(snapshot),
                    ["replaceWhere"] = replaceWhere is null ? "dynamic partitions" : FilePruning.Describe(replaceWhere),
                },
                Actions = actions,
                ReadFilter = replaced,
                ChangesMetadata = written?.Metadata is not null,
                WrittenFiles = written?.Files.Select(f => f.FullPath).ToList() ?? [],
                RowsWritten = written?.Rows ?? 0,
                RowsDeleted = removes.Sum(r => FileStatistics.Parse(r.Stats).NumRecords ?? 0),
            };
        }, cancellationToken, staged.Connection);

    /// <summary>Data files written from incoming rows, with the metadata change they need (schema evolution).</summary>
    internal sealed record IncomingWrite(List<WrittenFile> Files, MetadataAction? Metadata, long Rows)
    {
        public List<DeltaAction> Actions
        {
            get
            {
                var actions = new List<DeltaAction>();
                if (Metadata is not null)
                {
                    actions.Add(Metadata);
                }
                actions.AddRange(Files.Select(f => f.Add));
                return actions;
            }
        }
    }

    /// <summary>Checks incoming rows against the schema and writes them as data files; null when there are none.</summary>
    internal IncomingWrite? WriteIncoming(DeltaSnapshot snapshot, StagedRows staged, DuckDbConnection connection, CommitOptions commitOptions, CancellationToken cancellationToken)
    {
        var rows = staged.Count();
        if (rows == 0)
        {
            return null;
        }
        var plan = IncomingSchema.Plan(Name, snapshot.Schema, staged.Describe(), staged.Relation, commitOptions.AllowSchemaEvolution);
        var metadata = plan.AddedFields.Count > 0 ? IncomingSchema.Evolve(snapshot.Metadata, plan.AddedFields) : null;
        // Required columns are checked in the writer's summary scan; malformed WKB fails the projection and is then explained.
        var files = WriteRelation(connection, metadata ?? snapshot.Metadata, plan.Projection, dataChange: true, cheapToRescan: true, cancellationToken,
            required: plan.RequiredColumns, incoming: staged.Relation);
        return new IncomingWrite(files, metadata, rows);
    }

    /// <summary>
    /// Writes a relation over the logical columns of <paramref name="metadata"/>'s schema as data files. A relation that
    /// is not cheap to scan more than once (it reads data files), or that computes geometry bboxes, is materialized first.
    /// NULLs in <paramref name="required"/> columns refuse the write; when the relation projects <paramref name="incoming"/>
    /// rows, a failure to prepare them (malformed WKB) is reported naming the column.
    /// </summary>
    internal List<WrittenFile> WriteRelation(DuckDbConnection connection, MetadataAction metadata, string relation, bool dataChange, bool cheapToRescan, CancellationToken cancellationToken,
        IReadOnlyList<string>? required = null, string? incoming = null)
    {
        var schema = metadata.Schema;
        var statsColumns = int.TryParse(metadata.Property(TableProperties.DataSkippingNumIndexedCols), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : options.StatsColumns;
        var writer = new DataFileWriter(connection, Name, Root, schema, metadata.PartitionColumns, metadata.ColumnMappingMode, statsColumns);
        var geometry = schema.Fields.Any(SchemaColumns.IsGeometry);
        // An unpartitioned write scans its relation twice (the summary, then one COPY). Over staged rows that is cheaper
        // than materializing: walking a WKB value again costs less than copying every column of the row into a table.
        if (cheapToRescan && (!geometry || metadata.PartitionColumns.Count == 0))
        {
            try
            {
                return writer.Write(relation, dataChange, cancellationToken, required);
            }
            catch (DataFileException e) when (geometry && incoming is not null && e.InnerException is DuckDbException)
            {
                CheckGeometry(connection, incoming, schema);
                throw;
            }
        }
        if (!geometry && metadata.PartitionColumns.Count == 0)
        {
            return writer.Write(relation, dataChange, cancellationToken, required);
        }
        // Geometry functions and scans of data files would run once per use of the relation: compute it once.
        var materialized = StagedRows.NewName("out");
        try
        {
            using (cancellationToken.Register(connection.Interrupt))
            {
                connection.Execute($"CREATE TABLE {Sql.Identifier(materialized)} AS {relation}");
            }
            return writer.Write($"SELECT * FROM {Sql.Identifier(materialized)}", dataChange, cancellationToken, required);
        }
        catch (DuckDbException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (incoming is not null)
            {
                CheckGeometry(connection, incoming, schema);
            }
            throw new DataFileException($"table '{Name}'", $"preparing the rows to write failed: {e.Message}", e);
        }
        finally
        {
            try
            {
                connection.Execute($"DROP TABLE IF EXISTS {Sql.Identifier(materialized)}");
            }
            catch (DuckDbException)
            {
                // Staging tables are in memory; one left behind after an engine error is harmless.
            }
        }
    }

    /// <summary>Refuses NULLs in required columns, naming the column and a count.</summary>
    private void CheckRequired(DuckDbConnection connection, string relation, IReadOnlyList<string> required)
    {
        if (required.Count > 0)
        {
            // One scan counts the NULLs of every required column.
            var counts = string.Join(", ", required.Select(c => $"count(*) FILTER (WHERE {Sql.Identifier(c)} IS NULL)"));
            using var reader = connection.Query($"SELECT {counts} FROM {relation}");
            reader.Read();
            for (var i = 0; i < required.Count; i++)
            {
                var nulls = reader.GetInt64(i);
                if (nulls > 0)
                {
                    throw new InvalidValueException(Name, required[i], nulls, "have NULL, but the column is not nullable");
                }
            }
        }
    }

    /// <summary>
    /// Refuses malformed WKB in the geometry columns of incoming rows, naming the column, a count and an example. A
    /// second, slower scan: run only to explain why preparing the rows failed.
    /// </summary>
    private void CheckGeometry(DuckDbConnection connection, string relation, StructType schema)
    {
        foreach (var geometry in schema.Fields.Where(SchemaColumns.IsGeometry))
        {
            var name = Sql.Identifier(geometry.Name);
            var incoming = connection.Query($"SELECT column_type FROM (DESCRIBE {relation}) WHERE lower(column_name) = lower($1)", geometry.Name);
            var isBlob = incoming.Read() && incoming.GetString(0) == "BLOB";
            incoming.Dispose();
            if (!isBlob)
            {
                continue;
            }
            using var reader = connection.Query($"SELECT count(*), min({WkbFunctions.Error}({name})) FROM {relation} WHERE {WkbFunctions.Error}({name}) IS NOT NULL");
            reader.Read();
            var bad = reader.GetInt64(0);
            if (bad > 0)
            {
                throw new InvalidValueException(Name, geometry.Name, bad, $"hold malformed WKB, e.g. {reader.GetString(1)}");
            }
        }
    }

    private static string PartitionIdentity(IReadOnlyDictionary<string, string?> values) =>
        string.Join('\u0001', values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + (kv.Value is null ? "\u0000" : kv.Value)));

    private static string PartitionByJson(DeltaSnapshot snapshot) =>
        "[" + string.Join(",", snapshot.PartitionColumns.Select(c => "\"" + c.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]";
}
