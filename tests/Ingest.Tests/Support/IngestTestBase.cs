using OneMap.Ingest.Feeds;
using OneMap.Ingest.Metrics;
using OneMap.Ingest.Privacy;
using OneMap.Ingest.Quarantine;
using OneMap.Ingest.Receipts;
using OneMap.Lakehouse;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Support;

/// <summary>A fresh lake, receipts, quarantine and feed ingestor in the test class's own temp directory.</summary>
public abstract class IngestTestBase : IDisposable
{
    public const string Secret = "test-personal-data-key-0123456789";

    protected IngestTestBase()
    {
        Directory = new TempDirectory("onemap-ingest");
        LakeRoot = Path.Combine(Directory.Path, "lake");
        Lake = new Lake(new LakehouseOptions { Root = LakeRoot, Threads = 2 });
        Receipts = new ReceiptStore(Lake);
        Quarantine = new QuarantineStore(LakeRoot);
        Metrics = new IngestMetrics();
        Ingestor = new FeedIngestor(Lake, Receipts, Quarantine, new PersonalData(Secret), Metrics);
    }

    protected TempDirectory Directory { get; }

    protected string LakeRoot { get; }

    protected Lake Lake { get; }

    protected ReceiptStore Receipts { get; }

    protected QuarantineStore Quarantine { get; }

    protected IngestMetrics Metrics { get; }

    protected FeedIngestor Ingestor { get; }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes a file into the test directory and returns its path.</summary>
    protected string WriteFile(string name, string text, System.Text.Encoding? encoding = null)
    {
        var path = Path.Combine(Directory.Path, "drop", name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, (encoding ?? new System.Text.UTF8Encoding(false)).GetBytes(text));
        return path;
    }

    /// <summary>Rows of a table read by DuckDB straight from the Parquet files the Delta log lists (a second reader).</summary>
    protected List<object?[]> ReadBack(string table, string select, string? orderBy = null) =>
        OneMap.Testing.LakeFiles.Query(LakeRoot, table, $"SELECT {select} FROM {{t}}" + (orderBy is null ? "" : $" ORDER BY {orderBy}"));

    /// <summary>The GeoParquet <c>geo</c> key/value metadata of the table's first data file.</summary>
    protected object ReadBackMetadata(string table) =>
        OneMap.Testing.LakeFiles.GeoMetadata(OneMap.Testing.LakeFiles.Live(Path.Combine(LakeRoot, table)).First());

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Lake.Dispose();
            Directory.Dispose();
        }
    }
}
