using System.Globalization;

namespace OneMap.DuckDb;

/// <summary>
/// Start-up options for a database (DuckDB's <c>duckdb_config</c>). Unset options keep DuckDB's defaults:
/// threads = the machine's cores, memory_limit = 80% of RAM. Any other DuckDB option goes in <see cref="Options"/>
/// by its DuckDB name (e.g. <c>access_mode</c> = <c>READ_ONLY</c>, <c>default_order</c>, <c>temp_directory</c>).
/// </summary>
public sealed class DuckDbConfig
{
    /// <summary>Worker threads DuckDB may use (<c>threads</c>); default: all cores.</summary>
    public int? Threads { get; set; }

    /// <summary>Memory DuckDB may use, in DuckDB's notation, e.g. <c>"2GB"</c>, <c>"512MiB"</c> (<c>memory_limit</c>); default: 80% of RAM.</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>Further options by DuckDB name; values as DuckDB's SQL would spell them.</summary>
    public IDictionary<string, string> Options { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sets an option and returns the config, for chaining.</summary>
    public DuckDbConfig Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Options[name] = value;
        return this;
    }

    internal IEnumerable<KeyValuePair<string, string>> AllOptions()
    {
        if (Threads is { } threads)
        {
            if (threads < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Threads), threads, "threads must be at least 1");
            }
            yield return new("threads", threads.ToString(CultureInfo.InvariantCulture));
        }
        if (MemoryLimit is { } memoryLimit)
        {
            yield return new("memory_limit", memoryLimit);
        }
        foreach (var option in Options)
        {
            yield return option;
        }
    }
}
