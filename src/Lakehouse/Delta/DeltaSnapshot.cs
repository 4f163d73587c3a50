using System.Collections.Immutable;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// The state of a table at one version, reconstructed from the log: protocol, metadata, the active data files, the
/// tombstones VACUUM needs, and the applications' transaction markers. Immutable; safe to share between threads.
/// </summary>
public sealed class DeltaSnapshot
{
    internal DeltaSnapshot(
        string tableRoot,
        long version,
        long timestamp,
        ProtocolAction protocol,
        MetadataAction metadata,
        ImmutableDictionary<string, AddFile> files,
        ImmutableDictionary<string, RemoveFile> tombstones,
        ImmutableDictionary<string, TransactionAction> transactions,
        ImmutableDictionary<string, DomainMetadataAction> domains,
        CommitInfo? commitInfo)
    {
        TableRoot = tableRoot;
        Version = version;
        Timestamp = timestamp;
        Protocol = protocol;
        Metadata = metadata;
        FilesByPath = files;
        Tombstones = tombstones;
        AppTransactions = transactions;
        Domains = domains;
        CommitInfo = commitInfo;
    }

    public string TableRoot { get; }

    public long Version { get; }

    /// <summary>Commit time of <see cref="Version"/> in milliseconds since the epoch.</summary>
    public long Timestamp { get; }

    public DateTimeOffset CommitTime => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);

    public ProtocolAction Protocol { get; }

    public MetadataAction Metadata { get; }

    /// <summary>Active files keyed by their decoded relative path.</summary>
    public ImmutableDictionary<string, AddFile> FilesByPath { get; }

    public ImmutableDictionary<string, RemoveFile> Tombstones { get; }

    public ImmutableDictionary<string, TransactionAction> AppTransactions { get; }

    public ImmutableDictionary<string, DomainMetadataAction> Domains { get; }

    /// <summary>The commitInfo of <see cref="Version"/> when the JSON commit was read.</summary>
    public CommitInfo? CommitInfo { get; }

    public IEnumerable<AddFile> Files => FilesByPath.Values;

    public int FileCount => FilesByPath.Count;

    public StructType Schema => Metadata.Schema;

    public IReadOnlyList<string> PartitionColumns => Metadata.PartitionColumns;

    public ColumnMappingMode ColumnMapping => Metadata.ColumnMappingMode;

    /// <summary>Rows in the snapshot from the add actions' statistics; null when some file has no numRecords.</summary>
    public long? RowCount
    {
        get
        {
            long total = 0;
            foreach (var file in FilesByPath.Values)
            {
                if (file.Statistics.NumRecords is not { } n)
                {
                    return null;
                }
                total += n;
            }
            return total;
        }
    }

    public long TotalBytes => FilesByPath.Values.Sum(f => f.Size);

    /// <summary>The last committed version of an application's transaction marker (txn action), or null.</summary>
    public long? TransactionVersion(string appId) => AppTransactions.TryGetValue(appId, out var txn) ? txn.Version : null;

    /// <summary>The absolute file system path of a data file.</summary>
    public string FullPath(AddFile file) => DeltaPath.Resolve(TableRoot, file.Path);

    /// <summary>The same snapshot seen through another metaData action (a schema evolved by the operation being planned).</summary>
    internal DeltaSnapshot WithMetadata(MetadataAction metadata) =>
        new(TableRoot, Version, Timestamp, Protocol, metadata, FilesByPath, Tombstones, AppTransactions, Domains, CommitInfo);

    internal static string Key(string actionPath) => Uri.UnescapeDataString(actionPath);

    /// <summary>The schema field of a partition column (by logical name).</summary>
    public StructField PartitionField(string column) =>
        Schema.Find(column) ?? throw new CorruptLogException(TableRoot, $"partition column '{column}' is not in the schema");

    /// <summary>The typed value of a file's partition column (by logical name).</summary>
    public object? PartitionValue(AddFile file, string column)
    {
        var field = PartitionField(column);
        file.PartitionValues.TryGetValue(field.PhysicalName(ColumnMapping), out var raw);
        return PartitionValues.Parse(raw, field.Type);
    }
}

/// <summary>Accumulates actions in log order into a <see cref="DeltaSnapshot"/> (the protocol's action reconciliation).</summary>
internal sealed class SnapshotBuilder
{
    private readonly string tableRoot;
    private readonly ImmutableDictionary<string, AddFile>.Builder files;
    private readonly ImmutableDictionary<string, RemoveFile>.Builder tombstones;
    private readonly ImmutableDictionary<string, TransactionAction>.Builder transactions;
    private readonly ImmutableDictionary<string, DomainMetadataAction>.Builder domains;
    private ProtocolAction? protocol;
    private MetadataAction? metadata;

    public SnapshotBuilder(string tableRoot)
    {
        this.tableRoot = tableRoot;
        files = ImmutableDictionary.CreateBuilder<string, AddFile>(StringComparer.Ordinal);
        tombstones = ImmutableDictionary.CreateBuilder<string, RemoveFile>(StringComparer.Ordinal);
        transactions = ImmutableDictionary.CreateBuilder<string, TransactionAction>(StringComparer.Ordinal);
        domains = ImmutableDictionary.CreateBuilder<string, DomainMetadataAction>(StringComparer.Ordinal);
    }

    public SnapshotBuilder(DeltaSnapshot from)
    {
        tableRoot = from.TableRoot;
        files = from.FilesByPath.ToBuilder();
        tombstones = from.Tombstones.ToBuilder();
        transactions = from.AppTransactions.ToBuilder();
        domains = from.Domains.ToBuilder();
        protocol = from.Protocol;
        metadata = from.Metadata;
    }

    public void Apply(DeltaAction action)
    {
        switch (action)
        {
            case AddFile add:
                var addKey = DeltaSnapshot.Key(add.Path);
                files[addKey] = add;
                tombstones.Remove(addKey);
                break;
            case RemoveFile remove:
                var removeKey = DeltaSnapshot.Key(remove.Path);
                files.Remove(removeKey);
                tombstones[removeKey] = remove;
                break;
            case MetadataAction m:
                metadata = m;
                break;
            case ProtocolAction p:
                protocol = p;
                break;
            case TransactionAction txn:
                transactions[txn.AppId] = txn;
                break;
            case DomainMetadataAction domain when domain.Removed:
                domains.Remove(domain.Domain);
                break;
            case DomainMetadataAction domain:
                domains[domain.Domain] = domain;
                break;
        }
    }

    public DeltaSnapshot Build(long version, long timestamp, CommitInfo? commitInfo, string sourceFile)
    {
        if (protocol is null)
        {
            throw new CorruptLogException(sourceFile, $"no protocol action up to version {version}");
        }
        if (metadata is null)
        {
            throw new CorruptLogException(sourceFile, $"no metaData action up to version {version}");
        }
        return new DeltaSnapshot(tableRoot, version, timestamp, protocol, metadata,
            files.ToImmutable(), tombstones.ToImmutable(), transactions.ToImmutable(), domains.ToImmutable(), commitInfo);
    }
}
