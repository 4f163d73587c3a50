using System.IO.Pipelines;
using System.Net.Sockets;

namespace OneMap.Mqtt.Client;

/// <summary>
/// One TCP connection: a buffered pipe reader over the socket, and an in-memory pipe whose contents a pump copies
/// to the socket. Writers only append to the pipe and signal it, so a burst of PUBLISHes or acknowledgements goes
/// out in a few large socket writes. The connection ends once, with the first reason given to <see cref="Abort"/>.
/// </summary>
internal sealed class MqttConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<Exception> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private Task _sendPump = Task.CompletedTask;
    private long _lastReceived;
    private long _lastSent;
    private long _pingSentAt;
    private volatile bool _deliveryBlocked;
    private int _outputCompleted;

    private MqttConnection(Socket socket, TimeProvider time)
    {
        _socket = socket;
        _time = time;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        // Back-pressure on writers once 1 MiB is waiting for the socket.
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        _lastReceived = _lastSent = time.GetTimestamp();
    }

    public PipeReader Input { get; }

    /// <summary>Acknowledgements owed on this connection; set once CONNACK is accepted.</summary>
    public Sessions.InboundAckQueue? Acks { get; set; }

    /// <summary>Where packets are encoded. Only ever touched under the client's write lock.</summary>
    public PipeWriter Output => _output.Writer;

    /// <summary>Cancelled when the connection ends.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Completes with the reason the connection ended.</summary>
    public Task<Exception> Completion => _completion.Task;

    public bool IsClosed => _closed.IsCancellationRequested;

    public long LastReceived => Interlocked.Read(ref _lastReceived);

    public long LastSent => Interlocked.Read(ref _lastSent);

    /// <summary>Timestamp of the outstanding PINGREQ; 0 when none is outstanding.</summary>
    public long PingSentAt
    {
        get => Interlocked.Read(ref _pingSentAt);
        set => Interlocked.Exchange(ref _pingSentAt, value);
    }

    /// <summary>True while the receive loop waits for the application to make room: silence then proves nothing.</summary>
    public bool DeliveryBlocked
    {
        get => _deliveryBlocked;
        set => _deliveryBlocked = value;
    }

    public void MarkReceived() => Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());

    public static async Task<MqttConnection> OpenAsync(string host, int port, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new MqttConnectionLostException($"cannot reach MQTT broker {host}:{port}: {e.SocketErrorCode}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new MqttConnection(socket, time);
        connection._sendPump = connection.PumpAsync();
        return connection;
    }

    /// <summary>Ends the connection; the first reason wins and becomes <see cref="Completion"/>'s result.</summary>
    public void Abort(Exception reason)
    {
        if (!_completion.TrySetResult(reason))
        {
            return;
        }
        _closed.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to shut down.
        }
        _stream.Dispose();
    }

    /// <summary>Completes the output pipe once (the caller holds the write lock), releasing its buffers.</summary>
    public void CompleteOutput()
    {
        if (Interlocked.Exchange(ref _outputCompleted, 1) == 0)
        {
            _output.Writer.Complete();
        }
    }

    /// <summary>
    /// Sends what is buffered (a DISCONNECT, typically), then closes. The caller holds the write lock and has
    /// written its last packet.
    /// </summary>
    public async Task CloseGracefullyAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _outputCompleted, 1) == 0)
        {
            await _output.Writer.CompleteAsync().ConfigureAwait(false);
        }
        await _sendPump.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Abort(new MqttConnectionLostException("connection closed by the client"));
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closed.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _stream.WriteAsync(segment, _closed.Token).ConfigureAwait(false);
                }
                reader.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty)
                {
                    Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());
                }
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // Aborted elsewhere; the reason is already recorded.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Abort(new MqttConnectionLostException($"writing to the MQTT broker failed: {e.Message}", e));
        }
        finally
        {
            // Unblocks writers waiting on back-pressure: their flush now reports the pipe completed.
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
