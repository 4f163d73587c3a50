using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OneMap.DuckDb;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Query;

/// <summary>Options of a query session.</summary>
public sealed class QuerySessionOptions
{
    /// <summary>How often views are checked for new commits by other processes; null turns polling off. Default 1 s.</summary>
    public TimeSpan? RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Geometry columns read as DuckDB's GEOMETRY type instead of WKB BLOBs. Default false: WKB, the input of OneMap's
    /// spatial functions and the type the Delta schema declares (binary).
    /// </summary>
    public bool GeometryAsNativeType { get; set; }

    /// <summary>DuckDB threads for queries; null uses every core.</summary>
    public int? Threads { get; set; }

    /// <summary>DuckDB memory limit for queries, e.g. <c>8GB</c>; null for DuckDB's default.</summary>
    public string? MemoryLimit { get; set; }
}

/// <summary>
/// A DuckDB database in which every table of the lake is a view over its current snapshot (read_parquet of the active
/// files, partition values as typed columns). Views are replaced when a table gets a new version, without waiting for
/// running queries: a query binds the file list of the version current when it starts, and sees that one snapshot
/// throughout. <c>"table@vN"</c> names a table as of version N. Give each concurrent user its own <see cref="Connect"/>.
/// </summary>
public sealed partial class LakeQuerySession : IDisposable
{
    private readonly Lake lake;
    private readonly QuerySessionOptions options;
    private readonly ILogger logger;
    private readonly DuckDbDatabase database;
    private readonly DuckDbConnection ddl;
    private readonly Lock ddlLock = new();
    private readonly ConcurrentDictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> asOfViews = new(StringComparer.Ordinal);
    private readonly Timer? timer;
    private readonly EventHandler<TableCommitted> onCommitted;
    private int refreshing;
    private bool disposed;

    internal LakeQuerySession(Lake lake, QuerySessionOptions options, ILogger logger)
    {
        this.lake = lake;
        this.options = options;
        this.logger = logger;
        database = DuckDbDatabase.Open(null, new DuckDbConfig { Threads = options.Threads, MemoryLimit = options.MemoryLimit });
        ddl = database.Connect();
        ddl.Execute("SET GLOBAL TimeZone = 'UTC'");
        ddl.Execute($"SET GLOBAL enable_geoparquet_conversion = {(options.GeometryAsNativeType ? "true" : "false")}");
        // Footers of immutable data files are read once per session instead of once per query.
        ddl.Execute("SET GLOBAL parquet_metadata_cache = true");
        Refresh();
        onCommitted = (_, commit) => RefreshTable(commit.Table);
        lake.Committed += onCommitted;
        if (options.RefreshInterval is { } interval)
        {
            timer = new Timer(_ => TryRefresh(), null, interval, interval);
        }
    }

    /// <summary>The session's DuckDB database (to register functions, e.g. OneMap's spatial functions).</summary>
    public DuckDbDatabase Database => database;

    /// <summary>The version each view currently shows.</summary>
    public IReadOnlyDictionary<string, long> Versions => versions;

    /// <summary>A new connection that sees the views (dispose it after use; one per concurrent user).</summary>
    public DuckDbConnection Connect() => database.Connect();

    /// <summary>Brings every view up to its table's latest version now.</summary>
    public void Refresh()
    {
        foreach (var name in lake.TableNames(includeInternal: true))
        {
            RefreshTable(name);
        }
    }

    public Task RefreshAsync(CancellationToken cancellationToken = default) => Task.Run(Refresh, cancellationToken);

    /// <summary>The view name of <paramref name="table"/> as of <paramref name="version"/> (created on first use).</summary>
    public string AsOf(string table, long version)
    {
        var view = $"{table}@v{version.ToString(CultureInfo.InvariantCulture)}";
        if (asOfViews.ContainsKey(view))
        {
            return Sql.Identifier(view);
        }
        var delta = lake.Table(table);
        var snapshot = delta.AtVersion(version, CancellationToken.None);
        var scan = delta.Scan(snapshot);
        lock (ddlLock)
        {
            ddl.Execute($"CREATE OR REPLACE VIEW {Sql.Identifier(view)} AS {scan.Sql}");
        }
        asOfViews[view] = 0;
        return Sql.Identifier(view);
    }

    /// <summary>The view name of <paramref name="table"/> as of the last version committed at or before <paramref name="timestamp"/>.</summary>
    public string AsOf(string table, DateTimeOffset timestamp) => AsOf(table, lake.Table(table).VersionAt(timestamp));

    /// <summary>
    /// Runs a query (values as parameters <c>$1…</c>) on a fresh connection after creating any <c>"table@vN"</c> views it
    /// names, and returns all rows. For streaming results use <see cref="Connect"/>.
    /// </summary>
    public Task<QueryResult> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        PrepareAsOfViews(sql);
        using var connection = Connect();
        using var registration = cancellationToken.Register(connection.Interrupt);
        using var reader = connection.Query(sql, [.. parameters ?? []]);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = reader.ReadAllRows();
        return new QueryResult(columns, rows);
    }, cancellationToken);

    /// <summary>Creates the <c>"table@vN"</c> views a query text refers to.</summary>
    public void PrepareAsOfViews(string sql)
    {
        foreach (Match match in AsOfReference().Matches(sql))
        {
            AsOf(match.Groups["table"].Value, long.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture));
        }
    }

    private void RefreshTable(string name)
    {
        if (disposed)
        {
            return;
        }
        try
        {
            var table = lake.Table(name);
            var snapshot = table.Latest();
            if (versions.TryGetValue(name, out var shown) && shown >= snapshot.Version)
            {
                return;
            }
            var scan = table.Scan(snapshot);
            lock (ddlLock)
            {
                if (versions.TryGetValue(name, out shown) && shown >= snapshot.Version)
                {
                    return;
                }
                ddl.Execute($"CREATE OR REPLACE VIEW {Sql.Identifier(name)} AS {scan.Sql}");
                versions[name] = snapshot.Version;
            }
            LakehouseLog.ViewRefreshed(logger, name, snapshot.Version);
        }
        catch (TableNotFoundException) when (!versions.ContainsKey(name))
        {
            // A table being created: its folder is there, its first commit not yet. The commit's refresh shows it.
        }
        catch (Exception e) when (e is LakehouseException or DuckDbException or IOException)
        {
            LakehouseLog.ViewRefreshFailed(logger, name, e);
        }
    }

    private void TryRefresh()
    {
        if (Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }
        try
        {
            Refresh();
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }

    [GeneratedRegex("\"(?<table>[^\"]+)@v(?<version>\\d+)\"")]
    private static partial Regex AsOfReference();

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        lake.Committed -= onCommitted;
        timer?.Dispose();
        lock (ddlLock)
        {
            ddl.Dispose();
        }
        database.Dispose();
    }
}

/// <summary>The rows of a query, materialized.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
