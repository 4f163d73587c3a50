using System.ComponentModel.DataAnnotations;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>Settings of the OneMap API (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The city's time zone: timestamps are shown in it and time buckets follow its calendar. Default <c>Asia/Shanghai</c>.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Largest page a connection returns (<c>first</c>/<c>last</c>). Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Page size when a query gives neither <c>first</c> nor <c>last</c>. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Most groups an aggregate returns. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxGroups { get; set; } = 100_000;

    /// <summary>How often the catalog is checked for new datasets and columns written by other processes. Default 5 s.</summary>
    public TimeSpan CatalogPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The dataset of administrative units that aggregates group by (district, town, community, grid). Default <c>admin_units</c>.</summary>
    [Required]
    public string AdminUnitsDataset { get; set; } = "admin_units";

    /// <summary>DuckDB threads for queries; null (default) uses every core.</summary>
    [Range(1, 1024)]
    public int? QueryThreads { get; set; }

    /// <summary>DuckDB memory limit for queries, e.g. <c>4GB</c>; null (default) is DuckDB's own.</summary>
    public string? QueryMemoryLimit { get; set; }

    /// <summary>
    /// Keep each caller's view of the stations and their latest readings until the stations or the twin get a new
    /// version (the answer to "what is every station showing now" depends on nothing else). Default true.
    /// </summary>
    public bool CacheStationSnapshots { get; set; } = true;

    /// <summary>
    /// Write large results (an aggregate's groups, a page as a GeoJSON FeatureCollection) as JSON straight from
    /// DuckDB's result chunks, rather than as values the GraphQL engine completes one by one. Both give the same JSON;
    /// false takes the general path (for comparison). Default true.
    /// </summary>
    public bool DirectJson { get; set; } = true;

    /// <summary>Show resolver exception messages to clients (development only). Default false.</summary>
    public bool IncludeExceptionDetails { get; set; }

    /// <summary>Run the ingest workers in this process (the embedded default). Default true.</summary>
    public bool HostIngest { get; set; } = true;

    /// <summary>Serve the GraphiQL page at <c>/graphiql</c>. Default true.</summary>
    public bool GraphiQL { get; set; } = true;

    /// <summary>How grids get their colour and what counts as their elements.</summary>
    public GridOptions Grids { get; set; } = new();
}

/// <summary>Grid status rules and governance elements (section <c>Api:Grids</c>).</summary>
public sealed class GridOptions
{
    /// <summary>A grid is red with at least this many open overdue tickets. Default 1.</summary>
    [Range(1, 1_000_000)]
    public int RedOverdueTickets { get; set; } = 1;

    /// <summary>A grid is yellow with at least this many open tickets (and fewer overdue than red). Default 3.</summary>
    [Range(1, 1_000_000)]
    public int YellowOpenTickets { get; set; } = 3;

    /// <summary>Datasets whose geometries count as a grid's governance elements. Default stations, manholes, outfalls, enterprises.</summary>
    public List<string> ElementDatasets { get; set; } = ["monitoring_stations", "manhole_covers", "outfalls", "enterprises"];
}
