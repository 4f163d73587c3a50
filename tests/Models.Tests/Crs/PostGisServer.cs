using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OneMap.Testing;

namespace OneMap.Models.Tests.Crs;

/// <summary>
/// A throwaway PostgreSQL + PostGIS cluster on a free loopback port, started from the Debian binaries in a temp dir
/// and stopped on dispose. <see cref="Unavailable"/> says why when the binaries are missing.
/// </summary>
public sealed class PostGisServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private TempDirectory? _directory;

    public string? Unavailable { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists("/usr/share/postgresql/15/extension/postgis.control"))
        {
            Unavailable = "PostgreSQL 15 with PostGIS is not installed (tests/setup/install-dependencies.sh installs it)";
            return;
        }
        _directory = new TempDirectory("onemap-postgis");
        var dir = _directory.Path;
        // initdb refuses to run as root, so the cluster belongs to the postgres user when we are root.
        var asPostgres = Environment.UserName == "root";
        if (asPostgres && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }
        var port = FreePort();
        await RunAsync(asPostgres, $"{BinDirectory}/initdb -D {dir}/data -U postgres --auth=trust -E UTF8 --no-locale");
        await RunAsync(asPostgres,
            $"{BinDirectory}/pg_ctl -D {dir}/data -l {dir}/log -o \"-c listen_addresses=127.0.0.1 -p {port} -k {dir} -c fsync=off\" -w start");
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }
        try
        {
            await RunAsync(Environment.UserName == "root", $"{BinDirectory}/pg_ctl -D {_directory.Path}/data -m immediate -w stop");
        }
        finally
        {
            _directory.Dispose();
        }
    }

    /// <summary>Skips the test off CI when PostGIS is missing; fails it on CI.</summary>
    public void RequireAvailable()
    {
        if (Unavailable is null)
        {
            return;
        }
        if (RepoPaths.IsCi)
        {
            Assert.Fail(Unavailable);
        }
        Assert.Skip(Unavailable);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(bool asPostgres, string command)
    {
        var start = asPostgres
            ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/sh", "-c", command])
            : new ProcessStartInfo("/bin/sh", ["-c", command]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start: {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
