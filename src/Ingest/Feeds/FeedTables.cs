using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;
using OneMap.Models.Datasets;
using LakeSensitivity = OneMap.Lakehouse.Tables.Sensitivity;
using ModelSensitivity = OneMap.Models.Datasets.Sensitivity;

namespace OneMap.Ingest.Feeds;

/// <summary>The table and catalog entry a feed contract declares.</summary>
public static class FeedTables
{
    public static TableDefinition Definition(FeedContract contract)
    {
        var layout = new TableLayout(contract);
        return new TableDefinition
        {
            Name = contract.Dataset,
            Description = contract.Description ?? contract.Title,
            KeyColumns = contract.Key,
            PartitionColumns = contract.PartitionBy,
            Columns = layout.Columns.Select(Column).ToList(),
        };
    }

    public static DatasetDescriptor Descriptor(FeedContract contract) => new()
    {
        Name = contract.Dataset,
        Title = contract.Title,
        Description = contract.Description,
        OwnerDepartment = contract.Owner,
        Sources = [contract.Feed],
    };

    /// <summary>Creates the table if needed and registers the dataset in the catalog.</summary>
    public static Task<DeltaTable> EnsureAsync(Lake lake, FeedContract contract, CancellationToken cancellationToken) =>
        lake.Catalog.CreateDatasetAsync(Definition(contract), Descriptor(contract), cancellationToken);

    public static ColumnDefinition Column(LayoutColumn column)
    {
        if (column.Type == ColumnType.Geometry)
        {
            return ColumnDefinition.Geometry(column.Name, column.Nullable) with { Description = column.Description };
        }
        return new ColumnDefinition(column.Name, DeltaTypeOf(column.Type))
        {
            Nullable = column.Nullable,
            Description = column.Description,
            Unit = column.Unit,
            Sensitivity = column.Sensitivity switch
            {
                ModelSensitivity.Personal => LakeSensitivity.Personal,
                ModelSensitivity.Internal => LakeSensitivity.Internal,
                _ => LakeSensitivity.Public,
            },
        };
    }

    public static DeltaType DeltaTypeOf(ColumnType type) => type switch
    {
        ColumnType.String => DeltaType.String,
        ColumnType.Int64 => DeltaType.Long,
        ColumnType.Double => DeltaType.Double,
        ColumnType.Decimal => new DecimalType(18, 2),
        ColumnType.Boolean => DeltaType.Boolean,
        ColumnType.Date => DeltaType.Date,
        ColumnType.Timestamp => DeltaType.Timestamp,
        ColumnType.StringList => new ArrayType(DeltaType.String),
        ColumnType.Geometry => DeltaType.Binary,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no Delta type for this column type"),
    };
}
