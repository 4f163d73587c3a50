using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// Newline-delimited JSON of Delta actions, as in commit files: one action per line, unknown actions and fields
/// ignored (the protocol requires readers to tolerate them).
/// </summary>
public static class ActionJson
{
    // Relaxed escaping keeps Chinese partition values and names readable in the log; the files are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses every line of a commit file. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static List<DeltaAction> ParseLines(ReadOnlySpan<byte> utf8)
    {
        var actions = new List<DeltaAction>();
        while (!utf8.IsEmpty)
        {
            var end = utf8.IndexOf((byte)'\n');
            var line = end < 0 ? utf8 : utf8[..end];
            utf8 = end < 0 ? [] : utf8[(end + 1)..];
            if (line.Trim((byte)'\r').Trim((byte)' ').IsEmpty)
            {
                continue;
            }
            if (ParseLine(line) is { } action)
            {
                actions.Add(action);
            }
        }
        return actions;
    }

    /// <summary>Parses one action object; null for an unknown action (or an all-null checkpoint row).</summary>
    public static DeltaAction? ParseLine(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        return ParseAction(document.RootElement);
    }

    public static DeltaAction? ParseAction(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            switch (property.Name)
            {
                case "add":
                    return ParseAdd(value);
                case "remove":
                    return ParseRemove(value);
                case "metaData":
                    return ParseMetadata(value);
                case "protocol":
                    return new ProtocolAction(
                        Int(value, "minReaderVersion") ?? 1,
                        Int(value, "minWriterVersion") ?? 2,
                        StringList(value, "readerFeatures"),
                        StringList(value, "writerFeatures"));
                case "txn":
                    return new TransactionAction(Str(value, "appId")!, Long(value, "version") ?? 0, Long(value, "lastUpdated"));
                case "commitInfo":
                    return new CommitInfo(JsonNode.Parse(value.GetRawText())!.AsObject());
                case "cdc":
                    return new CdcFile(Str(value, "path")!, Map(value, "partitionValues") ?? new Dictionary<string, string?>(), Long(value, "size") ?? 0, Bool(value, "dataChange") ?? false);
                case "domainMetadata":
                    return new DomainMetadataAction(Str(value, "domain")!, Str(value, "configuration") ?? "", Bool(value, "removed") ?? false);
            }
        }
        return null;
    }

    /// <summary>Serializes actions as a commit file body: one compact JSON object per line, each ending in '\n'.</summary>
    public static byte[] Serialize(IEnumerable<DeltaAction> actions)
    {
        using var stream = new MemoryStream();
        foreach (var action in actions)
        {
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                Write(writer, action);
            }
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }

    public static string SerializeToString(DeltaAction action) => Encoding.UTF8.GetString(Serialize([action])).TrimEnd('\n');

    public static void Write(Utf8JsonWriter writer, DeltaAction action)
    {
        writer.WriteStartObject();
        switch (action)
        {
            case AddFile add:
                writer.WriteStartObject("add");
                writer.WriteString("path", add.Path);
                WriteMap(writer, "partitionValues", add.PartitionValues);
                writer.WriteNumber("size", add.Size);
                writer.WriteNumber("modificationTime", add.ModificationTime);
                writer.WriteBoolean("dataChange", add.DataChange);
                if (add.Stats is not null)
                {
                    writer.WriteString("stats", add.Stats);
                }
                if (add.Tags is not null)
                {
                    WriteMap(writer, "tags", add.Tags);
                }
                if (add.DeletionVector is { } dv)
                {
                    writer.WritePropertyName("deletionVector");
                    dv.WriteTo(writer);
                }
                WriteOptional(writer, "baseRowId", add.BaseRowId);
                WriteOptional(writer, "defaultRowCommitVersion", add.DefaultRowCommitVersion);
                if (add.ClusteringProvider is not null)
                {
                    writer.WriteString("clusteringProvider", add.ClusteringProvider);
                }
                writer.WriteEndObject();
                break;
            case RemoveFile remove:
                writer.WriteStartObject("remove");
                writer.WriteString("path", remove.Path);
                WriteOptional(writer, "deletionTimestamp", remove.DeletionTimestamp);
                writer.WriteBoolean("dataChange", remove.DataChange);
                if (remove.ExtendedFileMetadata is { } extended)
                {
                    writer.WriteBoolean("extendedFileMetadata", extended);
                }
                if (remove.PartitionValues is not null)
                {
                    WriteMap(writer, "partitionValues", remove.PartitionValues);
                }
                WriteOptional(writer, "size", remove.Size);
                if (remove.Stats is not null)
                {
                    writer.WriteString("stats", remove.Stats);
                }
                if (remove.Tags is not null)
                {
                    WriteMap(writer, "tags", remove.Tags);
                }
                if (remove.DeletionVector is { } removedDv)
                {
                    writer.WritePropertyName("deletionVector");
                    removedDv.WriteTo(writer);
                }
                WriteOptional(writer, "baseRowId", remove.BaseRowId);
                WriteOptional(writer, "defaultRowCommitVersion", remove.DefaultRowCommitVersion);
                writer.WriteEndObject();
                break;
            case MetadataAction metadata:
                writer.WriteStartObject("metaData");
                writer.WriteString("id", metadata.Id);
                if (metadata.Name is not null)
                {
                    writer.WriteString("name", metadata.Name);
                }
                if (metadata.Description is not null)
                {
                    writer.WriteString("description", metadata.Description);
                }
                writer.WriteStartObject("format");
                writer.WriteString("provider", metadata.FormatProvider);
                WriteMap(writer, "options", metadata.FormatOptions);
                writer.WriteEndObject();
                writer.WriteString("schemaString", metadata.SchemaString);
                writer.WriteStartArray("partitionColumns");
                foreach (var column in metadata.PartitionColumns)
                {
                    writer.WriteStringValue(column);
                }
                writer.WriteEndArray();
                WriteMap(writer, "configuration", metadata.Configuration);
                WriteOptional(writer, "createdTime", metadata.CreatedTime);
                writer.WriteEndObject();
                break;
            case ProtocolAction protocol:
                writer.WriteStartObject("protocol");
                writer.WriteNumber("minReaderVersion", protocol.MinReaderVersion);
                writer.WriteNumber("minWriterVersion", protocol.MinWriterVersion);
                WriteList(writer, "readerFeatures", protocol.ReaderFeatures);
                WriteList(writer, "writerFeatures", protocol.WriterFeatures);
                writer.WriteEndObject();
                break;
            case TransactionAction txn:
                writer.WriteStartObject("txn");
                writer.WriteString("appId", txn.AppId);
                writer.WriteNumber("version", txn.Version);
                WriteOptional(writer, "lastUpdated", txn.LastUpdated);
                writer.WriteEndObject();
                break;
            case CommitInfo info:
                writer.WritePropertyName("commitInfo");
                info.Content.WriteTo(writer);
                break;
            case DomainMetadataAction domain:
                writer.WriteStartObject("domainMetadata");
                writer.WriteString("domain", domain.Domain);
                writer.WriteString("configuration", domain.Configuration);
                writer.WriteBoolean("removed", domain.Removed);
                writer.WriteEndObject();
                break;
            case CdcFile cdc:
                writer.WriteStartObject("cdc");
                writer.WriteString("path", cdc.Path);
                WriteMap(writer, "partitionValues", cdc.PartitionValues);
                writer.WriteNumber("size", cdc.Size);
                writer.WriteBoolean("dataChange", cdc.DataChange);
                writer.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"cannot serialize {action.GetType().Name}");
        }
        writer.WriteEndObject();
    }

    private static AddFile ParseAdd(JsonElement value) => new()
    {
        Path = Str(value, "path") ?? throw new JsonException("add action without path"),
        PartitionValues = Map(value, "partitionValues") ?? new Dictionary<string, string?>(),
        Size = Long(value, "size") ?? 0,
        ModificationTime = Long(value, "modificationTime") ?? 0,
        DataChange = Bool(value, "dataChange") ?? true,
        Stats = Str(value, "stats"),
        Tags = Map(value, "tags"),
        DeletionVector = value.TryGetProperty("deletionVector", out var dv) && dv.ValueKind == JsonValueKind.Object ? dv.Clone() : null,
        BaseRowId = Long(value, "baseRowId"),
        DefaultRowCommitVersion = Long(value, "defaultRowCommitVersion"),
        ClusteringProvider = Str(value, "clusteringProvider"),
    };

    private static RemoveFile ParseRemove(JsonElement value) => new()
    {
        Path = Str(value, "path") ?? throw new JsonException("remove action without path"),
        DeletionTimestamp = Long(value, "deletionTimestamp"),
        DataChange = Bool(value, "dataChange") ?? true,
        ExtendedFileMetadata = Bool(value, "extendedFileMetadata"),
        PartitionValues = Map(value, "partitionValues"),
        Size = Long(value, "size"),
        Stats = Str(value, "stats"),
        Tags = Map(value, "tags"),
        DeletionVector = value.TryGetProperty("deletionVector", out var dv) && dv.ValueKind == JsonValueKind.Object ? dv.Clone() : null,
        BaseRowId = Long(value, "baseRowId"),
        DefaultRowCommitVersion = Long(value, "defaultRowCommitVersion"),
    };

    private static MetadataAction ParseMetadata(JsonElement value)
    {
        var format = value.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        return new MetadataAction
        {
            Id = Str(value, "id") ?? throw new JsonException("metaData action without id"),
            Name = Str(value, "name"),
            Description = Str(value, "description"),
            FormatProvider = format.ValueKind == JsonValueKind.Object ? Str(format, "provider") ?? "parquet" : "parquet",
            FormatOptions = format.ValueKind == JsonValueKind.Object ? Map(format, "options") ?? new Dictionary<string, string?>() : new Dictionary<string, string?>(),
            SchemaString = Str(value, "schemaString") ?? throw new JsonException("metaData action without schemaString"),
            PartitionColumns = StringList(value, "partitionColumns") ?? [],
            CreatedTime = Long(value, "createdTime"),
            Configuration = Map(value, "configuration") ?? new Dictionary<string, string?>(),
        };
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static List<string>? StringList(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : null;

    private static Dictionary<string, string?>? Map(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            };
        }
        return map;
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string?> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                writer.WriteNull(key);
            }
            else
            {
                writer.WriteString(key, value);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? list)
    {
        if (list is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var item in list)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
