using System.Diagnostics;

namespace OneMap.Lakehouse.Tests.Concurrency;

/// <summary>Starts the CrashWriter program (copied beside the tests) as a separate process.</summary>
internal sealed class WriterProcess : IDisposable
{
    private readonly Process process;

    private WriterProcess(Process process) => this.process = process;

    public static WriterProcess Start(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "OneMap.Lakehouse.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the writer process did not start");
        return new WriterProcess(process);
    }

    public int Id => process.Id;

    /// <summary>The next line the writer printed, or null when it exited.</summary>
    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => process.StandardOutput.ReadLineAsync(cancellationToken).AsTask();

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }
        process.WaitForExit();
    }

    public async Task<(int ExitCode, string Output, string Error)> WaitAsync(CancellationToken cancellationToken)
    {
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }
        process.Dispose();
    }
}
