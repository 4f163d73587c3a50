using System.ComponentModel.DataAnnotations;

namespace OneMap.Ingest.Feeds;

/// <summary>The feed worker (configuration section <c>Ingest:Feeds</c>).</summary>
public sealed class FeedOptions
{
    /// <summary>Run the feed worker. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder of feed contracts (<c>*.json</c>). Default <c>feeds/sample-city</c> (the sample city's departments).</summary>
    [Required]
    public string ContractsFolder { get; set; } = "feeds/sample-city";

    /// <summary>Relative drop folders of contracts resolve against this. Default <c>data-samples</c>.</summary>
    [Required]
    public string DropRoot { get; set; } = "data-samples";

    /// <summary>How often drop folders are scanned. Default 2 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What happens to an ingested file: <c>keep</c> (default: left where it is; its content hash makes it a no-op),
    /// <c>move</c> (to a <c>.done</c> folder beside it) or <c>delete</c>.
    /// </summary>
    [RegularExpression("^(keep|move|delete)$")]
    public string AfterIngest { get; set; } = "keep";

    /// <summary>A file is taken only when it has not changed for this long (it may still be being copied). Default 1 s.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts of one HTTP download before waiting for the next scheduled poll. Default 4.</summary>
    [Range(1, 100)]
    public int HttpAttempts { get; set; } = 4;

    /// <summary>Timeout of one HTTP request. Default 60 s.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
