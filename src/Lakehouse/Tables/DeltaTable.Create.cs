using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

public sealed partial class DeltaTable
{
    /// <summary>Writes version 0 of a new table. Throws <see cref="TableAlreadyExistsException"/> if another writer was first.</summary>
    internal async Task<CommitResult> CreateAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        definition.Validate();
        if (Log.List().LatestVersion is not null)
        {
            throw new TableAlreadyExistsException(Root);
        }
        var schema = definition.ToSchema();
        var configuration = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [TableProperties.CheckpointInterval] = definition.CheckpointInterval.ToString(CultureInfo.InvariantCulture),
        };
        if (definition.KeyColumns.Count > 0)
        {
            configuration[TableProperties.KeyColumns] = string.Join(",", definition.KeyColumns);
        }
        if (definition.ColumnMapping)
        {
            var next = 0;
            schema = (StructType)AssignColumnMapping(schema, ref next);
            configuration[TableProperties.ColumnMappingMode] = "name";
            configuration[TableProperties.ColumnMappingMaxId] = next.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in definition.Properties)
        {
            configuration[key] = value;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metadata = new MetadataAction
        {
            Id = Guid.NewGuid().ToString(),
            Name = definition.Name,
            Description = definition.Description,
            SchemaString = SchemaJson.Serialize(schema),
            PartitionColumns = definition.PartitionColumns,
            CreatedTime = now,
            Configuration = configuration,
        };
        var protocol = ProtocolSupport.ForNewTable(definition.ColumnMapping);
        var info = new CommitInfo(new JsonObject
        {
            ["timestamp"] = now,
            ["operation"] = "CREATE TABLE",
            ["operationParameters"] = new JsonObject
            {
                ["isManaged"] = "false",
                ["description"] = definition.Description,
                ["partitionBy"] = JsonSerializer.Serialize(definition.PartitionColumns),
                ["properties"] = JsonSerializer.Serialize(configuration),
            },
            ["isolationLevel"] = "Serializable",
            ["isBlindAppend"] = true,
            ["operationMetrics"] = new JsonObject(),
            ["engineInfo"] = EngineInfo,
            ["txnId"] = Guid.NewGuid().ToString(),
        });
        var scope = new CommitScope { ReadVersion = -1, ChangesMetadata = true };
        await LogCommitter.CommitAsync(Log, Name, scope, [info, protocol, metadata], 1, cancellationToken).ConfigureAwait(false);
        var result = new CommitResult { Status = CommitStatus.Committed, Version = 0, Operation = "CREATE TABLE" };
        onCommitted?.Invoke(this, result);
        return result;
    }

    /// <summary>Gives every field (nested ones too) a column mapping id and a physical name.</summary>
    private static DeltaType AssignColumnMapping(DeltaType type, ref int next)
    {
        switch (type)
        {
            case StructType structType:
                var fields = new List<StructField>();
                foreach (var field in structType.Fields)
                {
                    var id = ++next;
                    var inner = AssignColumnMapping(field.Type, ref next);
                    var metadata = new Dictionary<string, JsonElement>(field.Metadata)
                    {
                        [StructField.ColumnMappingIdKey] = JsonSerializer.SerializeToElement(id),
                        [StructField.PhysicalNameKey] = JsonSerializer.SerializeToElement($"col-{Guid.NewGuid()}"),
                    };
                    fields.Add(field with { Type = inner, Metadata = metadata });
                }
                return new StructType(fields);
            case ArrayType array:
                return array with { ElementType = AssignColumnMapping(array.ElementType, ref next) };
            case MapType map:
                return map with { KeyType = AssignColumnMapping(map.KeyType, ref next), ValueType = AssignColumnMapping(map.ValueType, ref next) };
            default:
                return type;
        }
    }
}
