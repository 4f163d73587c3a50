using System.ComponentModel.DataAnnotations;

namespace OneMap.Ingest.Tickets;

/// <summary>The ticket worker (configuration section <c>Ingest:Tickets</c>).</summary>
public sealed class TicketOptions
{
    /// <summary>Run the ticket worker. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each source is pulled. Default 30 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one request when the fault is transient (5xx, 408, 429, network). Default 5.</summary>
    [Range(1, 100)]
    public int Attempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubled each time, with jitter. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of one request. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public HotlineSourceOptions Hotline { get; set; } = new();

    public Open311SourceOptions Open311 { get; set; } = new();
}

/// <summary>The 12345/grid platform's paged JSON API (see docs/feeds.md, "Tickets").</summary>
public sealed class HotlineSourceOptions
{
    /// <summary>Base URL of the API, e.g. <c>http://127.0.0.1:5080/</c>; empty (default) imports <see cref="ExportFile"/> instead.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Path of the ticket list. Default <c>api/v1/tickets</c>.</summary>
    public string Path { get; set; } = "api/v1/tickets";

    /// <summary>Query parameter of the watermark. Default <c>updated_since</c>.</summary>
    public string UpdatedSinceParameter { get; set; } = "updated_since";

    /// <summary>Query parameter of the 1-based page number. Default <c>page</c>.</summary>
    public string PageParameter { get; set; } = "page";

    /// <summary>Query parameter of the page size. Default <c>page_size</c>.</summary>
    public string PageSizeParameter { get; set; } = "page_size";

    /// <summary>Records per page. Default 500.</summary>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>Dotted path of the records array in a page (empty when the page is the array). Default <c>data.records</c>.</summary>
    public string ItemsPath { get; set; } = "data.records";

    /// <summary>The platform's export (JSON lines, optionally gzip), imported when there is no API. Default <c>data-samples/tickets/hotline-12345.jsonl.gz</c>.</summary>
    public string ExportFile { get; set; } = "data-samples/tickets/hotline-12345.jsonl.gz";
}

/// <summary>An Open311 GeoReport v2 endpoint.</summary>
public sealed class Open311SourceOptions
{
    /// <summary>Base URL (the folder holding <c>requests.json</c>, e.g. <c>http://host/open311/v2/</c>); empty (default) imports <see cref="ExportFile"/> instead.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Jurisdiction id sent as <c>jurisdiction_id</c>, if the endpoint serves several.</summary>
    public string? JurisdictionId { get; set; }

    /// <summary>
    /// Requests made within this many days before the last pull's watermark are pulled again (GeoReport v2 filters by
    /// request date, so updates are found by re-reading the window). The first pull takes the endpoint's default window. Default 90.
    /// </summary>
    [Range(1, 3650)]
    public int LookbackDays { get; set; } = 90;

    /// <summary>An exported <c>requests.json</c>, imported when there is no endpoint. Default <c>data-samples/tickets/open311/requests.json</c>.</summary>
    public string ExportFile { get; set; } = "data-samples/tickets/open311/requests.json";
}
