using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneMap.Lakehouse.Delta;

/// <summary>One action of a Delta commit or checkpoint (a line of a <c>_delta_log/NNN.json</c> file).</summary>
public abstract record DeltaAction;

/// <summary>The <c>add</c> action: a data file that is part of the table from this version on.</summary>
public sealed record AddFile : DeltaAction
{
    /// <summary>Path relative to the table root, URI-encoded as the protocol requires (or an absolute URI).</summary>
    public required string Path { get; init; }

    /// <summary>Partition column (physical name) → serialized value; a null value is a null partition.</summary>
    public required IReadOnlyDictionary<string, string?> PartitionValues { get; init; }

    public required long Size { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public required long ModificationTime { get; init; }

    public bool DataChange { get; init; } = true;

    /// <summary>The statistics JSON (numRecords, minValues, maxValues, nullCount), or null.</summary>
    public string? Stats { get; init; }

    public IReadOnlyDictionary<string, string?>? Tags { get; init; }

    /// <summary>Present when rows of the file are soft-deleted; OneMap refuses to read such files.</summary>
    public JsonElement? DeletionVector { get; init; }

    public long? BaseRowId { get; init; }

    public long? DefaultRowCommitVersion { get; init; }

    public string? ClusteringProvider { get; init; }

    // Keyed by the JSON it was parsed from, so a `with { Stats = … }` copy never serves stale statistics.
    private Parsed<FileStatistics>? parsedStats;

    /// <summary>The parsed <see cref="Stats"/>, or <see cref="FileStatistics.Empty"/> when the writer recorded none.</summary>
    public FileStatistics Statistics => Parsed<FileStatistics>.Get(ref parsedStats, Stats, FileStatistics.Parse);
}

/// <summary>The <c>remove</c> action: a data file that leaves the table (kept as a tombstone until VACUUM).</summary>
public sealed record RemoveFile : DeltaAction
{
    public required string Path { get; init; }

    public long? DeletionTimestamp { get; init; }

    public bool DataChange { get; init; } = true;

    public bool? ExtendedFileMetadata { get; init; }

    public IReadOnlyDictionary<string, string?>? PartitionValues { get; init; }

    public long? Size { get; init; }

    public string? Stats { get; init; }

    public IReadOnlyDictionary<string, string?>? Tags { get; init; }

    public JsonElement? DeletionVector { get; init; }

    public long? BaseRowId { get; init; }

    public long? DefaultRowCommitVersion { get; init; }

    /// <summary>The tombstone for <paramref name="add"/>, carrying its partition values, size and stats.</summary>
    public static RemoveFile For(AddFile add, long deletionTimestamp, bool dataChange = true) => new()
    {
        Path = add.Path,
        DeletionTimestamp = deletionTimestamp,
        DataChange = dataChange,
        ExtendedFileMetadata = true,
        PartitionValues = add.PartitionValues,
        Size = add.Size,
        Stats = add.Stats,
        Tags = add.Tags,
    };
}

/// <summary>The <c>metaData</c> action: table id, schema, partition columns and configuration.</summary>
public sealed record MetadataAction : DeltaAction
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string FormatProvider { get; init; } = "parquet";

    public IReadOnlyDictionary<string, string?> FormatOptions { get; init; } = new Dictionary<string, string?>();

    public required string SchemaString { get; init; }

    public required IReadOnlyList<string> PartitionColumns { get; init; }

    public long? CreatedTime { get; init; }

    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    private Parsed<StructType>? schema;

    /// <summary>The parsed <see cref="SchemaString"/>.</summary>
    public StructType Schema => Parsed<StructType>.Get(ref schema, SchemaString, s => SchemaJson.Parse(s!));

    /// <summary>The <c>delta.columnMapping.mode</c> property.</summary>
    public ColumnMappingMode ColumnMappingMode =>
        Configuration.TryGetValue(TableProperties.ColumnMappingMode, out var mode) ? mode?.ToLowerInvariant() switch
        {
            "name" => ColumnMappingMode.Name,
            "id" => ColumnMappingMode.Id,
            _ => ColumnMappingMode.None,
        } : ColumnMappingMode.None;

    public string? Property(string key) => Configuration.TryGetValue(key, out var value) ? value : null;
}

/// <summary>The <c>protocol</c> action: the reader and writer versions (and features) a client needs.</summary>
public sealed record ProtocolAction(
    int MinReaderVersion,
    int MinWriterVersion,
    IReadOnlyList<string>? ReaderFeatures = null,
    IReadOnlyList<string>? WriterFeatures = null) : DeltaAction
{
    public bool Equals(ProtocolAction? other) =>
        other is not null
        && MinReaderVersion == other.MinReaderVersion
        && MinWriterVersion == other.MinWriterVersion
        && (ReaderFeatures ?? []).SequenceEqual(other.ReaderFeatures ?? [])
        && (WriterFeatures ?? []).SequenceEqual(other.WriterFeatures ?? []);

    public override int GetHashCode() => HashCode.Combine(MinReaderVersion, MinWriterVersion);
}

/// <summary>The <c>txn</c> action: an application's progress marker that makes its commits idempotent.</summary>
public sealed record TransactionAction(string AppId, long Version, long? LastUpdated = null) : DeltaAction;

/// <summary>The <c>cdc</c> action (change data files); OneMap reads past it and does not write it.</summary>
public sealed record CdcFile(string Path, IReadOnlyDictionary<string, string?> PartitionValues, long Size, bool DataChange) : DeltaAction;

/// <summary>The <c>domainMetadata</c> action: configuration of a named metadata domain.</summary>
public sealed record DomainMetadataAction(string Domain, string Configuration, bool Removed) : DeltaAction;

/// <summary>The <c>commitInfo</c> action: provenance of a commit (free-form JSON; the common fields have accessors).</summary>
public sealed record CommitInfo(JsonObject Content) : DeltaAction
{
    /// <summary>Milliseconds since the epoch (inCommitTimestamp when present, else timestamp).</summary>
    public long? Timestamp => Long("inCommitTimestamp") ?? Long("timestamp");

    public string? Operation => (string?)Content["operation"];

    public long? ReadVersion => Long("readVersion");

    public bool? IsBlindAppend => Content["isBlindAppend"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public JsonObject? OperationParameters => Content["operationParameters"] as JsonObject;

    public JsonObject? OperationMetrics => Content["operationMetrics"] as JsonObject;

    public string? EngineInfo => (string?)Content["engineInfo"];

    private long? Long(string name) => Content[name] is JsonValue value
        ? value.TryGetValue<long>(out var l) ? l : value.TryGetValue<double>(out var d) ? (long)d : null
        : null;

    public bool Equals(CommitInfo? other) => other is not null && Content.ToJsonString() == other.Content.ToJsonString();

    public override int GetHashCode() => Content.ToJsonString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>Table property names of the protocol and of OneMap.</summary>
public static class TableProperties
{
    public const string ColumnMappingMode = "delta.columnMapping.mode";
    public const string ColumnMappingMaxId = "delta.columnMapping.maxColumnId";
    public const string CheckpointInterval = "delta.checkpointInterval";
    public const string AppendOnly = "delta.appendOnly";
    public const string LogRetentionDuration = "delta.logRetentionDuration";
    public const string DeletedFileRetentionDuration = "delta.deletedFileRetentionDuration";
    public const string DataSkippingNumIndexedCols = "delta.dataSkippingNumIndexedCols";
    public const string EnableChangeDataFeed = "delta.enableChangeDataFeed";

    /// <summary>OneMap: the key columns of a current-state table (comma-separated), used by merges.</summary>
    public const string KeyColumns = "onemap.keyColumns";
}

/// <summary>A value parsed from a string, remembered together with the string it came from.</summary>
internal sealed class Parsed<T>(string? source, T value)
{
    private readonly string? source = source;
    private readonly T value = value;

    public static T Get(ref Parsed<T>? cache, string? source, Func<string?, T> parse)
    {
        var current = cache;
        if (current is not null && ReferenceEquals(current.source, source))
        {
            return current.value;
        }
        var parsed = new Parsed<T>(source, parse(source));
        cache = parsed;
        return parsed.value;
    }

    public override bool Equals(object? obj) => obj is Parsed<T>;

    public override int GetHashCode() => 0;
}
