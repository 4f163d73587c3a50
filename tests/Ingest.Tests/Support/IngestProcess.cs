using System.Diagnostics;
using System.Globalization;

namespace OneMap.Ingest.Tests.Support;

/// <summary>The standalone ingest worker (OneMap.IngestHost) as a child process, so a test can kill -9 it.</summary>
public sealed class IngestProcess : IAsyncDisposable
{
    private readonly Process process;

    private IngestProcess(Process process, string logPath)
    {
        this.process = process;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts <c>dotnet OneMap.IngestHost.dll run</c> with configuration overrides (<c>Section:Key</c> → value).</summary>
    public static IngestProcess Start(string logPath, IReadOnlyDictionary<string, string> settings)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "OneMap.IngestHost.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logPath)!,
        };
        start.ArgumentList.Add(host);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--Urls=http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the ingest host");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new Lock();
        var closed = false;
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (gate)
            {
                // The last lines of output can be delivered after Exited has closed the log; they are dropped rather
                // than thrown on a thread-pool thread (which would bring down the test run).
                if (!closed)
                {
                    log.WriteLine(line);
                }
            }
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            // Waiting again after exit lets the redirected output reach its end, so the last lines land in the log.
            process.WaitForExit();
            lock (gate)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new IngestProcess(process, logPath);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill9()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait: the host stops its workers (they commit what they hold and write a receipt).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill9();
        }
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill9();
        process.Dispose();
        await Task.CompletedTask;
    }
}
