using OneMap.Ingest.Feeds;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Datasets;
using LakeSensitivity = OneMap.Lakehouse.Tables.Sensitivity;
using ModelSensitivity = OneMap.Models.Datasets.Sensitivity;

namespace OneMap.Ingest.Tables;

/// <summary>Tables of the domain datasets (Models' <see cref="DatasetContract"/>s) that the sensor and ticket workers write.</summary>
public static class DomainTables
{
    /// <summary>The table definition of a domain dataset, with extra columns appended (e.g. hashes of personal columns).</summary>
    public static TableDefinition Definition(DatasetContract contract, params ColumnDefinition[] extra) => new()
    {
        Name = contract.Name,
        Description = contract.Description,
        KeyColumns = contract.Key,
        PartitionColumns = contract.PartitionBy,
        Columns = contract.Columns.Select(Column).Concat(extra).ToList(),
    };

    public static ColumnDefinition Column(ColumnContract column)
    {
        if (column.Type == ColumnType.Geometry)
        {
            return ColumnDefinition.Geometry(column.Name, column.Nullable) with { Description = column.Description };
        }
        return new ColumnDefinition(column.Name, FeedTables.DeltaTypeOf(column.Type))
        {
            Nullable = column.Nullable,
            Description = column.Description + (column.Sensitivity == ModelSensitivity.Personal ? " (masked)" : ""),
            Unit = column.Unit,
            Sensitivity = column.Sensitivity switch
            {
                ModelSensitivity.Personal => LakeSensitivity.Personal,
                ModelSensitivity.Internal => LakeSensitivity.Internal,
                _ => LakeSensitivity.Public,
            },
        };
    }

    /// <summary>Creates the table and registers it in the catalog as written by <paramref name="source"/>, unless it exists.</summary>
    public static async Task<DeltaTable> EnsureAsync(Lake lake, TableDefinition definition, string owner, string title, string source, CancellationToken cancellationToken)
    {
        var table = lake.Table(definition.Name);
        if (table.Exists)
        {
            // Registered when it was created; a worker restarting does not rewrite the catalog.
            return table;
        }
        return await lake.Catalog.CreateDatasetAsync(definition, new DatasetDescriptor
        {
            Name = definition.Name,
            Title = title,
            Description = definition.Description,
            OwnerDepartment = owner,
            Sources = [source],
        }, cancellationToken).ConfigureAwait(false);
    }
}
