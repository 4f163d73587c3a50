using System.Text.Json;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Catalog;

/// <summary>
/// The dataset catalog, stored in the lake as the Delta table <c>_catalog</c> (one row per dataset, upserted by name),
/// so Spark or DuckDB users read it like any table. Schema, units and sensitivity come from the dataset's own Delta
/// schema; freshness, size and lineage are read live from its log.
/// </summary>
public sealed class LakeCatalog
{
    /// <summary>The catalog table's name.</summary>
    public const string TableName = "_catalog";

    private static readonly TableDefinition Definition = new()
    {
        Name = "catalog",
        Description = "OneMap dataset catalog: one row per dataset",
        KeyColumns = ["name"],
        Columns =
        [
            new("name", DeltaType.String) { Nullable = false, Description = "dataset (table) name" },
            new("title", DeltaType.String),
            new("description", DeltaType.String),
            new("owner_department", DeltaType.String),
            new("columns", DeltaType.String) { Description = "JSON array: name, type, nullable, unit, sensitivity, description" },
            new("key_columns", new ArrayType(DeltaType.String)),
            new("partition_columns", new ArrayType(DeltaType.String)),
            new("sources", new ArrayType(DeltaType.String)) { Description = "feeds that write the dataset" },
            new("version", DeltaType.Long) { Description = "table version when the row was written" },
            new("last_commit_time", DeltaType.Timestamp),
            new("row_count", DeltaType.Long),
            new("updated_at", DeltaType.Timestamp),
        ],
    };

    private readonly Lake lake;

    internal LakeCatalog(Lake lake) => this.lake = lake;

    private DeltaTable Table => lake.Table(TableName);

    /// <summary>Creates the dataset's table (if absent) and registers it.</summary>
    public async Task<DeltaTable> CreateDatasetAsync(TableDefinition definition, DatasetDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(definition.Name, descriptor.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the descriptor names '{descriptor.Name}' but the table is '{definition.Name}'", nameof(descriptor));
        }
        var table = await lake.GetOrCreateTableAsync(definition, cancellationToken).ConfigureAwait(false);
        await RegisterAsync(descriptor, cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>
    /// Adds or updates a dataset's catalog row (the table must exist). Several feeds may write one dataset: the row's
    /// sources are the union of those registered. Nothing is written when the row already says all of it at the
    /// table's current version.
    /// </summary>
    public async Task RegisterAsync(DatasetDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        var table = lake.Table(descriptor.Name);
        if (!table.Exists)
        {
            throw new TableNotFoundException(table.Root);
        }
        var snapshot = await table.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var stored = (await ListRowsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Descriptor.Name == descriptor.Name);
        var merged = descriptor;
        if (stored is not null)
        {
            var sources = stored.Descriptor.Sources.Concat(descriptor.Sources.Where(s => !stored.Descriptor.Sources.Contains(s, StringComparer.Ordinal))).ToList();
            merged = descriptor with { Sources = sources };
            if (stored.Version == snapshot.Version && sources.Count == stored.Descriptor.Sources.Count
                && stored.Descriptor.Title == merged.Title && stored.Descriptor.Description == merged.Description
                && stored.Descriptor.OwnerDepartment == merged.OwnerDepartment)
            {
                return;
            }
        }
        await UpsertAsync([(merged, snapshot)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the current version, commit time and row count of every registered dataset into the catalog table.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => RefreshAsync(null, cancellationToken);

    /// <summary>
    /// Writes the current version, commit time and row count of the named registered datasets (all when null) into the
    /// catalog table, in one commit; rows that are already current are left alone (no commit when none changed).
    /// </summary>
    public async Task RefreshAsync(IReadOnlyCollection<string>? names, CancellationToken cancellationToken = default)
    {
        var rows = new List<(DatasetDescriptor, DeltaSnapshot)>();
        foreach (var stored in await ListRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            var table = lake.Table(stored.Descriptor.Name);
            if ((names is null || names.Contains(stored.Descriptor.Name)) && table.Exists)
            {
                var snapshot = await table.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
                if (names is null || snapshot.Version != stored.Version)
                {
                    rows.Add((stored.Descriptor, snapshot));
                }
            }
        }
        if (rows.Count > 0)
        {
            await UpsertAsync(rows, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The catalog entry of a dataset with live freshness and lineage, or null when it is not registered.</summary>
    public async Task<DatasetInfo?> GetAsync(string name, int lineageCommits = 20, CancellationToken cancellationToken = default)
    {
        var descriptor = (await ListDescriptorsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Name == name);
        return descriptor is null ? null : await DescribeAsync(descriptor, lineageCommits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every registered dataset, with live freshness.</summary>
    public async Task<IReadOnlyList<DatasetInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<DatasetInfo>();
        foreach (var descriptor in await ListDescriptorsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lake.Table(descriptor.Name).Exists)
            {
                result.Add(await DescribeAsync(descriptor, 0, cancellationToken).ConfigureAwait(false));
            }
        }
        return result;
    }

    private async Task<DatasetInfo> DescribeAsync(DatasetDescriptor descriptor, int lineageCommits, CancellationToken cancellationToken)
    {
        var table = lake.Table(descriptor.Name);
        var snapshot = await table.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var lineage = new List<LineageEntry>();
        if (lineageCommits > 0)
        {
            foreach (var entry in await table.HistoryAsync(lineageCommits, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Lineage is { } l)
                {
                    lineage.Add(new LineageEntry(entry.Version, entry.Timestamp, entry.Operation ?? "", l.Source, l.Receipts));
                }
            }
        }
        return new DatasetInfo
        {
            Descriptor = descriptor,
            Columns = Columns(snapshot.Schema),
            KeyColumns = SchemaColumns.KeyColumns(snapshot.Metadata),
            PartitionColumns = snapshot.PartitionColumns,
            Version = snapshot.Version,
            LastCommitTime = snapshot.CommitTime,
            RowCount = snapshot.RowCount,
            FileCount = snapshot.FileCount,
            SizeBytes = snapshot.TotalBytes,
            RecentLineage = lineage,
        };
    }

    private async Task<List<DatasetDescriptor>> ListDescriptorsAsync(CancellationToken cancellationToken) =>
        (await ListRowsAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.Descriptor).ToList();

    /// <summary>A catalog row: the declaration and the table version its freshness columns describe.</summary>
    private sealed record StoredRow(DatasetDescriptor Descriptor, long? Version);

    private async Task<List<StoredRow>> ListRowsAsync(CancellationToken cancellationToken)
    {
        if (!Table.Exists)
        {
            return [];
        }
        var rows = await Table.QueryAsync(
            "SELECT name, title, description, owner_department, to_json(sources)::VARCHAR, version FROM {table} ORDER BY name",
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new StoredRow(new DatasetDescriptor
        {
            Name = (string)r[0]!,
            Title = r[1] as string,
            Description = r[2] as string,
            OwnerDepartment = r[3] as string,
            Sources = r[4] is string json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [],
        }, r[5] is null ? null : Convert.ToInt64(r[5], System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    private async Task UpsertAsync(IReadOnlyList<(DatasetDescriptor Descriptor, DeltaSnapshot Snapshot)> rows, CancellationToken cancellationToken)
    {
        var catalog = await lake.GetOrCreateTableAsync(Definition with { Name = TableName }, cancellationToken).ConfigureAwait(false);
        var selects = new List<string>();
        var parameters = new List<object?>();
        foreach (var (descriptor, snapshot) in rows)
        {
            string P(object? value)
            {
                parameters.Add(value);
                return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var columnsJson = JsonSerializer.Serialize(Columns(snapshot.Schema));
            selects.Add(
                $"SELECT CAST({P(descriptor.Name)} AS VARCHAR) AS name, CAST({P(descriptor.Title)} AS VARCHAR) AS title, " +
                $"CAST({P(descriptor.Description)} AS VARCHAR) AS description, CAST({P(descriptor.OwnerDepartment)} AS VARCHAR) AS owner_department, " +
                $"CAST({P(columnsJson)} AS VARCHAR) AS columns, " +
                $"from_json(CAST({P(JsonSerializer.Serialize(SchemaColumns.KeyColumns(snapshot.Metadata)))} AS VARCHAR), '[\"VARCHAR\"]') AS key_columns, " +
                $"from_json(CAST({P(JsonSerializer.Serialize(snapshot.PartitionColumns))} AS VARCHAR), '[\"VARCHAR\"]') AS partition_columns, " +
                $"from_json(CAST({P(JsonSerializer.Serialize(descriptor.Sources))} AS VARCHAR), '[\"VARCHAR\"]') AS sources, " +
                $"CAST({P(snapshot.Version)} AS BIGINT) AS version, CAST({P(snapshot.CommitTime)} AS TIMESTAMPTZ) AS last_commit_time, " +
                $"CAST({P(snapshot.RowCount)} AS BIGINT) AS row_count, now() AS updated_at");
        }
        await catalog.MergeQueryAsync(string.Join(" UNION ALL ", selects), parameters, new MergeOptions { KeyColumns = ["name"] }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static List<CatalogColumn> Columns(StructType schema) => schema.Fields
        .Where(f => SchemaColumns.CoveringOf(f) is null)
        .Select(f =>
        {
            var column = ColumnDefinition.FromField(f);
            return new CatalogColumn(f.Name, f.Type.ToString() ?? "", f.Nullable, column.Unit, column.Sensitivity, column.Description, column.IsGeometry);
        })
        .ToList();
}
