using System.Diagnostics;
using System.Text;

namespace OneMap.Testing;

/// <summary>
/// Runs mosquitto's own command-line clients against a <see cref="MosquittoBroker"/>: the second reader and writer
/// that OneMap's MQTT traffic is checked against.
/// </summary>
public static class MosquittoClients
{
    /// <summary>
    /// Runs <c>mosquitto_pub -h 127.0.0.1 -p PORT ARGS</c> to completion, optionally feeding <paramref name="standardInput"/>
    /// (for <c>-l</c>, one message per line, or <c>-s</c>); throws with its stderr when it fails.
    /// </summary>
    public static async Task PublishAsync(MosquittoBroker broker, IEnumerable<string> arguments, string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var start = StartInfo(MosquittoBroker.RequireBinary("mosquitto_pub"), broker, arguments);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start mosquitto_pub");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
        }
    }

    /// <summary>
    /// Starts <c>mosquitto_sub -h 127.0.0.1 -p PORT -i CLIENTID ARGS</c> and waits until the broker has recorded its
    /// subscription to <paramref name="topicFilter"/> (passed as <c>-t</c>), so publishing right after is safe.
    /// </summary>
    public static async Task<MosquittoSubscriber> SubscribeAsync(MosquittoBroker broker, string clientId, string topicFilter,
        IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = StartInfo(MosquittoBroker.RequireBinary("mosquitto_sub"), broker, ["-i", clientId, "-t", topicFilter, .. arguments]);
        var subscriber = new MosquittoSubscriber(Process.Start(start) ?? throw new InvalidOperationException("cannot start mosquitto_sub"), start);
        try
        {
            await broker.WaitForSubscriptionAsync(clientId, topicFilter, cancellationToken);
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }
        return subscriber;
    }

    private static ProcessStartInfo StartInfo(string binary, MosquittoBroker broker, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}

/// <summary>A running mosquitto_sub whose stdout (the payloads it received) is captured as bytes.</summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessStartInfo _start;
    private readonly MemoryStream _output = new();
    private readonly Task _copyOutput;
    private readonly Task<string> _errors;

    internal MosquittoSubscriber(Process process, ProcessStartInfo start)
    {
        _process = process;
        _start = start;
        _copyOutput = process.StandardOutput.BaseStream.CopyToAsync(_output);
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>
    /// Waits for mosquitto_sub to exit by itself (use <c>-C count</c>) and returns everything it printed. Throws with
    /// its stderr when it fails or has not finished within <paramref name="timeout"/>.
    /// </summary>
    public async Task<byte[]> WaitForOutputAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _process.Kill();
            await _copyOutput;
            throw new TimeoutException(
                $"mosquitto_sub {string.Join(' ', _start.ArgumentList)} did not finish within {timeout.TotalSeconds} s; it printed {_output.Length} bytes: {await _errors}");
        }
        await _copyOutput;
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_sub exited with {_process.ExitCode}: {await _errors}");
        }
        return _output.ToArray();
    }

    /// <summary>Like <see cref="WaitForOutputAsync"/>, as UTF-8 lines (mosquitto_sub prints one message per line).</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var text = Encoding.UTF8.GetString(await WaitForOutputAsync(timeout, cancellationToken));
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        await _copyOutput.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
        await _output.DisposeAsync();
    }
}
