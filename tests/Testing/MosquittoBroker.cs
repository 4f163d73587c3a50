using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OneMap.Testing;

/// <summary>
/// A mosquitto broker for one test: started from the Debian binary on a free 127.0.0.1 port with its config, log
/// and persistence file in a temp dir, stopped and removed on dispose. <see cref="StopAsync"/> /
/// <see cref="StartAsync(CancellationToken)"/> / <see cref="RestartAsync"/> keep the port and the persisted state, for broker-restart tests.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoOptions _options;
    private readonly TempDirectory _directory;
    private Process? _process;

    private MosquittoBroker(MosquittoOptions options, string binary)
    {
        _options = options;
        Binary = binary;
        _directory = new TempDirectory("onemap-mosquitto");
    }

    public string Binary { get; }

    public string Host => "127.0.0.1";

    /// <summary>The loopback port, fixed for the broker's life (restarts reuse it).</summary>
    public int Port { get; private set; }

    /// <summary>The temp dir holding mosquitto.conf, mosquitto.log and the persistence database.</summary>
    public string Directory => _directory.Path;

    public string ConfigPath => Path.Combine(Directory, "mosquitto.conf");

    public string LogPath => Path.Combine(Directory, "mosquitto.log");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts a broker. When mosquitto is not installed the test is skipped off CI and fails on CI (run
    /// tests/setup/install-dependencies.sh).
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        var binary = RequireBinary("mosquitto");
        var broker = new MosquittoBroker(options ?? new MosquittoOptions(), binary);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                broker.Port = FreeLoopbackPort();
                try
                {
                    await broker.StartAsync(cancellationToken);
                    return broker;
                }
                catch (InvalidOperationException) when (attempt < 5 && broker.ReadLog().Contains("Address already in use", StringComparison.Ordinal))
                {
                    // Another test took the port between our probe and mosquitto's bind: pick another.
                }
            }
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The full path of a mosquitto binary (mosquitto, mosquitto_pub, mosquitto_sub); skips the test off CI when it
    /// is missing, fails it on CI.
    /// </summary>
    public static string RequireBinary(string name)
    {
        var found = FindBinary(name);
        if (found is not null)
        {
            return found;
        }
        var message = $"{name} is not installed (Debian packages mosquitto and mosquitto-clients; run tests/setup/install-dependencies.sh)";
        if (RepoPaths.IsCi)
        {
            throw new InvalidOperationException(message);
        }
        throw new InvalidOperationException(Xunit.v3.DynamicSkipToken.Value + message);
    }

    public static string? FindBinary(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin").Append("/usr/local/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Starts the broker process again (after <see cref="StopAsync"/> or <see cref="Kill"/>) on the same port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"mosquitto is already running on port {Port}");
        }
        await File.WriteAllTextAsync(ConfigPath, Configuration(), cancellationToken);
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { "-c", ConfigPath },
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Binary}");
        // Drain the pipes so the broker never blocks on a full stdout (its log goes to the file).
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} while starting on port {Port}:\n{ReadLog()}");
            }
            if (await AcceptsConnectionsAsync(cancellationToken))
            {
                return;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                process.Kill();
                throw new InvalidOperationException($"mosquitto did not accept connections on port {Port} within 15 s:\n{ReadLog()}");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Stops the broker gracefully (SIGTERM): with persistence on, it saves its state first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync(cancellationToken);
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Kills the broker (SIGKILL): nothing is saved, as in a crash.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Graceful stop then start on the same port, keeping persisted sessions and messages.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "(no log written)";
        }
    }

    /// <summary>Waits until the broker's log contains <paramref name="fragment"/> (e.g. a subscription being recorded).</summary>
    public async Task WaitForLogAsync(string fragment, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (!ReadLog().Contains(fragment, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"mosquitto's log did not show \"{fragment}\" within {timeout.TotalSeconds} s:\n{ReadLog()}");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Waits until the broker has recorded the subscription of <paramref name="clientId"/> to <paramref name="topicFilter"/>.</summary>
    public Task WaitForSubscriptionAsync(string clientId, string topicFilter, CancellationToken cancellationToken = default) =>
        WaitForLogAsync($": {clientId} ", topicFilter, cancellationToken);

    private async Task WaitForLogAsync(string prefix, string topicFilter, CancellationToken cancellationToken)
    {
        // mosquitto logs "<time>: <client id> <qos> <filter>" for each subscription it records (log_type subscribe).
        var deadline = Stopwatch.StartNew();
        while (!ReadLog().Split('\n').Any(line => line.Contains(prefix, StringComparison.Ordinal) && line.EndsWith($" {topicFilter}", StringComparison.Ordinal)))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"mosquitto did not record a subscription{prefix}… {topicFilter} within 15 s:\n{ReadLog()}");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process?.Dispose();
            _directory.Dispose();
        }
    }

    private string Configuration()
    {
        var lines = new List<string>
        {
            $"listener {Port} {Host}",
            "allow_anonymous true",
            $"log_dest file {LogPath}",
            _options.LogAllPackets ? "log_type all" : "log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type subscribe\nlog_type unsubscribe",
            "log_timestamp true",
        };
        // Started as root, mosquitto 2 switches to the 'mosquitto' user, which cannot write this temp dir.
        if (Environment.UserName == "root")
        {
            lines.Add("user root");
        }
        if (_options.Persistence)
        {
            lines.Add("persistence true");
            lines.Add($"persistence_location {Directory}/");
        }
        if (_options.MaxInflightMessages is { } inflight)
        {
            lines.Add($"max_inflight_messages {inflight}");
        }
        if (_options.MaxQueuedMessages is { } queued)
        {
            lines.Add($"max_queued_messages {queued}");
        }
        if (_options.MaxPacketSize is { } packet)
        {
            lines.Add($"max_packet_size {packet}");
        }
        if (_options.QueueQos0Messages)
        {
            lines.Add("queue_qos0_messages true");
        }
        lines.AddRange(_options.ExtraConfiguration);
        return string.Join('\n', lines) + "\n";
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
