using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

using Npgsql;

using Xunit;

namespace OneMap.Testing;

/// <summary>
/// A throw-away PostgreSQL + PostGIS server started from the Debian binaries: <c>initdb</c> as user postgres into a
/// temp dir, <c>pg_ctl start</c> on a free 127.0.0.1 port with its socket in that dir, <c>CREATE EXTENSION postgis</c>;
/// stopped and deleted on dispose. Use it as an xUnit class or collection fixture (tests call
/// <see cref="EnsureAvailable"/>) or directly from a benchmark (<see cref="StartAsync"/>).
/// </summary>
public sealed class PostgisServer : IAsyncDisposable, IAsyncLifetime
{
    private const string PostgresUser = "postgres";
    private readonly IReadOnlyDictionary<string, string> _settings;
    private TempDirectory? _directory;
    private string? _binDirectory;
    private bool _started;

    /// <summary>A server that is not yet started; xUnit starts it as a fixture.</summary>
    public PostgisServer() : this(new Dictionary<string, string>())
    {
    }

    // Extra `postgres -c name=value` settings (e.g. shared_buffers for a benchmark); see StartAsync.
    private PostgisServer(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>Npgsql connection string for the server's <c>postgres</c> database (superuser, trust auth, loopback).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Why the server is not running when the binaries are missing off CI; null once it runs.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>Starts a server; on a machine without the binaries, throws <see cref="InvalidOperationException"/>.</summary>
    public static async Task<PostgisServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
    {
        var server = new PostgisServer(settings ?? new Dictionary<string, string>());
        try
        {
            await server.StartCoreAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Skips the calling test off CI when the server could not start for lack of binaries; fails it on CI.</summary>
    public void EnsureAvailable()
    {
        if (UnavailableReason is null)
        {
            return;
        }
        if (RepoPaths.IsCi)
        {
            Assert.Fail(UnavailableReason);
        }
        Assert.Skip(UnavailableReason);
    }

    /// <summary>Opens a connection to the server (the caller disposes it).</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        var missing = FindMissingBinaries();
        if (missing is not null && !RepoPaths.IsCi)
        {
            UnavailableReason = missing;
            return;
        }
        await StartCoreAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Locates the newest PostgreSQL with PostGIS installed; null when found, else what is missing.</summary>
    public static string? FindMissingBinaries() => LocateBinaries(out _);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var missing = LocateBinaries(out var binDirectory);
        if (missing is not null)
        {
            throw new InvalidOperationException(missing + " (tests/setup/install-dependencies.sh installs them)");
        }
        _binDirectory = binDirectory;
        _directory = new TempDirectory("onemap-postgis");
        var dataDirectory = Path.Combine(_directory.Path, "data");
        if (Environment.UserName == "root")
        {
            // initdb refuses to run as root; the cluster belongs to postgres, so its folder must too.
            await RunAsync("chown", ["-R", PostgresUser, _directory.Path], cancellationToken);
        }
        await RunAsPostgresAsync(Path.Combine(binDirectory!, "initdb"),
            ["-D", dataDirectory, "-U", PostgresUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], cancellationToken);

        // A port found free may be taken before the server binds it: retry with another.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            var options = string.Join(' ', new[]
                {
                    "-c listen_addresses=127.0.0.1", $"-p {Port}", $"-k {_directory.Path}",
                    // A test server holds nothing worth a durable write.
                    "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                }
                .Concat(_settings.Select(s => $"-c {s.Key}={s.Value}")));
            try
            {
                await RunAsPostgresAsync(Path.Combine(binDirectory!, "pg_ctl"),
                    ["-D", dataDirectory, "-l", Path.Combine(_directory.Path, "server.log"), "-o", options, "-w", "-t", "60", "start"],
                    cancellationToken);
                _started = true;
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Most likely the port was taken between the probe and the bind; the log says why.
            }
        }

        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = PostgresUser,
            Database = "postgres",
            // Large agreement corpora are sent in one statement; no statement should wait forever on a test machine.
            CommandTimeout = 600,
            Timeout = 30,
        }.ConnectionString;

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started && _directory is not null && _binDirectory is not null)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"),
                    ["-D", Path.Combine(_directory.Path, "data"), "-m", "fast", "-w", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already gone (e.g. killed by the OS); the folder is removed below either way.
            }
            _started = false;
        }
        _directory?.Dispose();
        _directory = null;
    }

    private static string? LocateBinaries(out string? binDirectory)
    {
        binDirectory = null;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return $"PostgreSQL is not installed ({root} is missing)";
        }
        var versions = Directory.GetDirectories(root)
            .Select(Path.GetFileName)
            .Where(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderByDescending(v => int.Parse(v!, CultureInfo.InvariantCulture))
            .ToList();
        foreach (var version in versions)
        {
            var bin = Path.Combine(root, version!, "bin");
            if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists($"/usr/share/postgresql/{version}/extension/postgis.control"))
            {
                binDirectory = bin;
                return null;
            }
        }
        return versions.Count == 0
            ? $"PostgreSQL server binaries are not installed (no version under {root})"
            : $"PostGIS is not installed for PostgreSQL {string.Join(", ", versions)} (postgis.control missing)";
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", PostgresUser, "--", program, .. arguments], cancellationToken)
            : RunAsync(program, arguments, cancellationToken);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server must not inherit a locale it cannot find when run as another user.
            Environment = { ["LC_ALL"] = "C", ["LANG"] = "C" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
