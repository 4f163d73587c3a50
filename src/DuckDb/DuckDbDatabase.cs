using OneMap.DuckDb.Native;

namespace OneMap.DuckDb;

/// <summary>
/// An open DuckDB database: a file, or in memory. Thread-safe: any number of threads may <see cref="Connect"/>;
/// each concurrent user needs its own connection (or a <see cref="DuckDbConnectionPool"/>). Disposing closes it;
/// connections still open keep the engine alive until they are disposed too.
/// </summary>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DatabaseHandle _handle;

    private DuckDbDatabase(DatabaseHandle handle, string? path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The database file, or null for an in-memory database.</summary>
    public string? Path { get; }

    /// <summary>The engine's version, e.g. <c>v1.5.6</c>.</summary>
    public static string EngineVersion => Utf8.FromPointer(NativeMethods.LibraryVersion()) ?? "unknown";

    /// <summary>Opens (or creates) the database at <paramref name="path"/>; null or <c>:memory:</c> opens a new in-memory one.</summary>
    public static DuckDbDatabase Open(string? path = null, DuckDbConfig? config = null)
    {
        if (path == ":memory:")
        {
            path = null;
        }
        var configHandle = IntPtr.Zero;
        var handle = new DatabaseHandle();
        try
        {
            if (config is not null)
            {
                if (NativeMethods.CreateConfig(out configHandle) != DuckDbState.Success)
                {
                    throw new DuckDbException("DuckDB could not create a configuration object", DuckDbErrorType.InvalidConfiguration);
                }
                foreach (var (name, value) in config.AllOptions())
                {
                    if (NativeMethods.SetConfig(configHandle, name, value) != DuckDbState.Success)
                    {
                        throw new DuckDbException($"DuckDB refused the option {name} = '{value}' (unknown option or invalid value)", DuckDbErrorType.InvalidConfiguration);
                    }
                }
            }
            if (NativeMethods.OpenExt(path, out var database, configHandle, out var error) != DuckDbState.Success)
            {
                var message = Utf8.FromOwnedPointer(error) ?? "unknown error";
                var refusedOption = message.Contains("options were not recognized", StringComparison.Ordinal);
                throw DuckDbException.Create(
                    $"DuckDB could not open {(path is null ? "an in-memory database" : $"'{path}'")}: {message}",
                    refusedOption ? DuckDbErrorType.InvalidConfiguration : DuckDbErrorType.IO, sql: null);
            }
            handle.Adopt(database);
            return new DuckDbDatabase(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        finally
        {
            if (configHandle != IntPtr.Zero)
            {
                NativeMethods.DestroyConfig(ref configHandle);
            }
        }
    }

    /// <summary>Opens a new connection. Thread-safe.</summary>
    public DuckDbConnection Connect()
    {
        var added = false;
        var connection = new ConnectionHandle();
        try
        {
            _handle.DangerousAddRef(ref added);
            if (NativeMethods.Connect(_handle.DangerousGetHandle(), out var raw) != DuckDbState.Success)
            {
                throw new DuckDbException("DuckDB could not open a connection to the database", DuckDbErrorType.Connection);
            }
            connection.Adopt(raw);
            return new DuckDbConnection(this, connection);
        }
        catch (ObjectDisposedException)
        {
            connection.Dispose();
            throw new ObjectDisposedException(nameof(DuckDbDatabase), "the database has been disposed");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    public override string ToString() => Path is null ? "DuckDB (in memory)" : $"DuckDB ({Path})";
}
