using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.Lakehouse;
using OneMap.Lakehouse.Catalog;

namespace OneMap.GraphQLApi.Datasets;

/// <summary>The datasets the API serves, as of one reading of the catalog.</summary>
public sealed class DatasetSet
{
    private readonly Dictionary<string, DatasetModel> byName;

    public DatasetSet(IReadOnlyList<DatasetModel> datasets, long generation)
    {
        Datasets = datasets;
        Generation = generation;
        byName = datasets.ToDictionary(d => d.Name, StringComparer.Ordinal);
        Fingerprint = string.Join('\n', datasets.Select(d => d.Fingerprint));
    }

    public IReadOnlyList<DatasetModel> Datasets { get; }

    /// <summary>Increases by one each time the catalog changes in a way the schema shows.</summary>
    public long Generation { get; }

    public string Fingerprint { get; }

    public DatasetModel? this[string name] => byName.GetValueOrDefault(name);

    public static DatasetSet Empty { get; } = new([], 0);
}

/// <summary>
/// Reads the lake's catalog into dataset models and keeps them current: a commit to the catalog in this process, or
/// a change seen by polling (other processes), rebuilds the set and raises <see cref="Changed"/> so the schema is
/// generated again. A dataset appears once its table has a first commit and a catalog row.
/// </summary>
public sealed class DatasetRegistry : BackgroundService
{
    /// <summary>Root field names taken by curated fields; a dataset with one of these names gets the suffix <c>_dataset</c>.</summary>
    public static readonly IReadOnlySet<string> ReservedFieldNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "catalog", "station", "stations", "manhole", "manholes", "ticket", "ticketRates", "departmentEvaluation", "grid", "grids", "alerts", "alert",
        "apiKeys", "audit", "me", "node",
    };

    private readonly Lake lake;
    private readonly LakeQueries queries;
    private readonly ApiOptions options;
    private readonly ILogger<DatasetRegistry> logger;
    private readonly SemaphoreSlim reload = new(1, 1);
    private volatile DatasetSet current = DatasetSet.Empty;
    private long generation;
    private int dirty;

    public DatasetRegistry(Lake lake, LakeQueries queries, IOptions<ApiOptions> options, ILogger<DatasetRegistry> logger)
    {
        this.lake = lake;
        this.queries = queries;
        this.options = options.Value;
        this.logger = logger;
        lake.Committed += OnCommitted;
    }

    public DatasetSet Current => current;

    /// <summary>Raised after the set of datasets (or a dataset's columns) changed.</summary>
    public event Action<DatasetSet>? Changed;

    /// <summary>Reads the catalog now; returns the (possibly unchanged) set.</summary>
    public async Task<DatasetSet> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref dirty, 0);
            var infos = await lake.Catalog.ListAsync(cancellationToken).ConfigureAwait(false);
            queries.Refresh();
            var used = new HashSet<string>(ReservedFieldNames, StringComparer.Ordinal);
            var models = new List<DatasetModel>();
            foreach (var info in infos.OrderBy(i => i.Descriptor.Name, StringComparer.Ordinal))
            {
                if (info.Columns.Count == 0 || !queries.HasTable(info.Descriptor.Name))
                {
                    continue;
                }
                var name = DatasetModel.GraphQLName(info.Descriptor.Name);
                if (used.Contains(name) || used.Contains(name + "_aggregate") || used.Contains(name + "_export"))
                {
                    name += "_dataset";
                }
                used.Add(name);
                used.Add(name + "_aggregate");
                used.Add(name + "_export");
                models.Add(new DatasetModel(info, name));
            }
            var candidate = new DatasetSet(models, generation + 1);
            if (candidate.Fingerprint == current.Fingerprint && current.Generation > 0)
            {
                return current;
            }
            generation++;
            current = candidate;
            Log.DatasetsChanged(logger, models.Count, generation);
            Changed?.Invoke(candidate);
            return candidate;
        }
        finally
        {
            reload.Release();
        }
    }

    /// <summary>Reads the catalog before the server takes requests, so a restarted server never serves an empty schema.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LakehouseException or IOException or OneMap.DuckDb.DuckDbException)
        {
            Log.CatalogReadFailed(logger, e.Message, e);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var lastPoll = DateTimeOffset.MinValue;
        try
        {
            do
            {
                var due = DateTimeOffset.UtcNow - lastPoll >= options.CatalogPollInterval;
                if (due || Volatile.Read(ref dirty) == 1)
                {
                    lastPoll = DateTimeOffset.UtcNow;
                    try
                    {
                        await ReloadAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is LakehouseException or IOException or OneMap.DuckDb.DuckDbException)
                    {
                        Log.CatalogReadFailed(logger, e.Message, e);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnCommitted(object? sender, TableCommitted commit)
    {
        // A catalog row or a table's schema changed: look again soon (the poll loop does it off the committing thread).
        if (commit.Table == LakeCatalog.TableName || commit.Result.Operation == "ADD COLUMNS" || (current[commit.Table] is null && !commit.Table.StartsWith('_')))
        {
            Interlocked.Exchange(ref dirty, 1);
        }
    }

    public override void Dispose()
    {
        lake.Committed -= OnCommitted;
        reload.Dispose();
        base.Dispose();
    }
}
