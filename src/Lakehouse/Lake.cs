using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OneMap.Lakehouse.Catalog;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Query;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse;

/// <summary>A commit made through this process's <see cref="Lake"/>.</summary>
public sealed record TableCommitted(string Table, CommitResult Result);

/// <summary>
/// The lake: one Delta table per dataset under <see cref="Root"/>, the DuckDB engine that writes their GeoParquet
/// files, the catalog, and query sessions over table snapshots. One instance per process; thread-safe.
/// </summary>
public sealed class Lake : IDisposable
{
    private readonly ConcurrentDictionary<string, DeltaTable> tables = new(StringComparer.Ordinal);
    private readonly ILoggerFactory loggerFactory;
    private readonly Lazy<LakeCatalog> catalog;

    public Lake(LakehouseOptions options, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Root = Path.GetFullPath(options.Root);
        Directory.CreateDirectory(Root);
        Engine = new LakeEngine(options.Threads, options.MemoryLimit);
        catalog = new Lazy<LakeCatalog>(() => new LakeCatalog(this));
    }

    /// <summary>A lake at <paramref name="root"/> with default options.</summary>
    public Lake(string root)
        : this(new LakehouseOptions { Root = root })
    {
    }

    public LakehouseOptions Options { get; }

    public string Root { get; }

    public LakeEngine Engine { get; }

    internal ILoggerFactory LoggerFactory => loggerFactory;

    /// <summary>The dataset catalog stored in the lake (table <c>_catalog</c>).</summary>
    public LakeCatalog Catalog => catalog.Value;

    /// <summary>Raised after every commit made through this lake (other processes' commits are found by polling).</summary>
    public event EventHandler<TableCommitted>? Committed;

    /// <summary>The table of a dataset (it may not exist yet: see <see cref="DeltaTable.Exists"/>).</summary>
    public DeltaTable Table(string name)
    {
        ValidateName(name);
        return tables.GetOrAdd(name, n => new DeltaTable(n, Path.Combine(Root, n), Engine, Options, loggerFactory.CreateLogger<DeltaTable>(), OnCommitted));
    }

    /// <summary>A Delta table anywhere on the file system (for example one written by Spark), read and written with this lake's engine.</summary>
    public DeltaTable OpenPath(string path)
    {
        var full = Path.GetFullPath(path);
        return tables.GetOrAdd("path:" + full, _ => new DeltaTable(Path.GetFileName(full.TrimEnd('/')), full, Engine, Options, loggerFactory.CreateLogger<DeltaTable>(), OnCommitted));
    }

    public bool TableExists(string name) => Table(name).Exists;

    /// <summary>Creates a table; throws <see cref="TableAlreadyExistsException"/> when it exists.</summary>
    public async Task<DeltaTable> CreateTableAsync(TableDefinition definition, CancellationToken cancellationToken = default)
    {
        var table = Table(definition.Name);
        await table.CreateAsync(definition, cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>The table, created from <paramref name="definition"/> if it does not exist yet (safe when several writers race).</summary>
    public async Task<DeltaTable> GetOrCreateTableAsync(TableDefinition definition, CancellationToken cancellationToken = default)
    {
        var table = Table(definition.Name);
        if (table.Exists)
        {
            return table;
        }
        try
        {
            await table.CreateAsync(definition, cancellationToken).ConfigureAwait(false);
        }
        catch (TableAlreadyExistsException)
        {
            // Another writer created it first; its definition stands.
        }
        return table;
    }

    /// <summary>The datasets of the lake: directories under the root holding a Delta log (names starting with '_' are internal).</summary>
    public IReadOnlyList<string> TableNames(bool includeInternal = false)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => includeInternal || !n.StartsWith('_'))
            .Where(n => !n.StartsWith('.'))
            .Where(n => Directory.Exists(Path.Combine(Root, n, DeltaLogStore.LogDirectoryName)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Opens a DuckDB query session exposing every table's current snapshot as a view.</summary>
    public LakeQuerySession OpenQuerySession(QuerySessionOptions? options = null) =>
        new(this, options ?? new QuerySessionOptions(), loggerFactory.CreateLogger<LakeQuerySession>());

    private void OnCommitted(DeltaTable table, CommitResult result) => Committed?.Invoke(this, new TableCommitted(table.Name, result));

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or ".." || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a valid table name (no path separators, not starting with '.')", nameof(name));
        }
    }

    public void Dispose() => Engine.Dispose();
}
