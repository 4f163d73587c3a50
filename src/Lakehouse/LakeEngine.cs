using OneMap.DuckDb;
using OneMap.Lakehouse.GeoParquet;

namespace OneMap.Lakehouse;

/// <summary>
/// The embedded DuckDB instance the lakehouse writes and reads data files with: in memory, UTC, GeoParquet geometry
/// read as plain WKB (so rewritten files keep exactly the <c>geo</c> metadata OneMap writes), and OneMap's WKB
/// functions registered. Thread-safe; each operation takes its own connection.
/// </summary>
public sealed class LakeEngine : IDisposable
{
    private readonly DuckDbDatabase database;
    private readonly bool ownsDatabase;

    /// <param name="threads">DuckDB worker threads; null lets DuckDB use every core.</param>
    /// <param name="memoryLimit">DuckDB memory limit such as <c>4GB</c>; null for DuckDB's default (80 % of RAM).</param>
    public LakeEngine(int? threads = null, string? memoryLimit = null)
    {
        var config = new DuckDbConfig { Threads = threads, MemoryLimit = memoryLimit };
        database = DuckDbDatabase.Open(null, config);
        ownsDatabase = true;
        Initialize();
    }

    public DuckDbDatabase Database => database;

    /// <summary>A new connection to the engine (dispose it after use).</summary>
    public DuckDbConnection Connect() => database.Connect();

    private void Initialize()
    {
        using var connection = database.Connect();
        // Timestamps are instants: DuckDB must not shift them into the machine's zone when casting or printing.
        connection.Execute("SET GLOBAL TimeZone = 'UTC'");
        connection.Execute("SET GLOBAL enable_geoparquet_conversion = false");
        WkbFunctions.Register(connection);
    }

    public void Dispose()
    {
        if (ownsDatabase)
        {
            database.Dispose();
        }
    }
}
