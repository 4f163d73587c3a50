using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OneMap.Bench.Mqtt;

/// <summary>
/// A mosquitto for one benchmark, on a free loopback port in the scratch folder. (The test fixture in tests/Testing
/// does the same with xUnit skip semantics; benchmarks do not reference test projects.)
/// </summary>
internal sealed class BenchmarkBroker : IAsyncDisposable
{
    private readonly Process _process;

    private BenchmarkBroker(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static string Binary(string name) =>
        new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed (run tests/setup/install-dependencies.sh)");

    public static async Task<BenchmarkBroker> StartAsync(string directory, IEnumerable<string> configuration, CancellationToken cancellationToken)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var config = Path.Combine(directory, "mosquitto.conf");
        var lines = new List<string> { $"listener {port} 127.0.0.1", "allow_anonymous true", $"log_dest file {Path.Combine(directory, "mosquitto.log")}" };
        if (Environment.UserName == "root")
        {
            lines.Add("user root");
        }
        lines.AddRange(configuration);
        await File.WriteAllLinesAsync(config, lines, cancellationToken);
        var process = Process.Start(new ProcessStartInfo(Binary("mosquitto")) { ArgumentList = { "-c", config }, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start mosquitto");
        var broker = new BenchmarkBroker(process, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return broker;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    /// <summary>Runs a mosquitto command-line client to completion with stdout discarded; returns nothing, throws on failure.</summary>
    public async Task RunClientAsync(string client, IEnumerable<string> arguments, string? standardInputFile, CancellationToken cancellationToken)
    {
        var command = string.Join(' ', new[] { Binary(client), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) }.Concat(arguments).Select(Quote));
        var shell = standardInputFile is null ? $"exec {command} > /dev/null" : $"exec {command} < {Quote(standardInputFile)} > /dev/null";
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", shell }, UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"cannot start {client}");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{client} exited with {process.ExitCode}: {await errors}");
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
