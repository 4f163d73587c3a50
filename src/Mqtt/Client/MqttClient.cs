using System.Runtime.ExceptionServices;
using System.Threading.Channels;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using OneMap.Mqtt.Sessions;

namespace OneMap.Mqtt.Client;

/// <summary>
/// An MQTT 3.1.1 client (OASIS Standard, 29 October 2014): one connection to one broker, kept up by reconnecting
/// with backoff, with QoS 0/1/2 in both directions, persistent sessions, and received messages delivered through a
/// bounded channel (<see cref="Messages"/>) so a slow consumer slows the broker down rather than filling memory.
/// </summary>
/// <remarks>
/// Thread-safe: publish, subscribe and acknowledge from any thread. Everything written to the socket goes through
/// one write lock into an in-memory pipe that a pump copies to the socket, so concurrent publishers coalesce into
/// large writes. The receive loop never takes that lock: responses it owes (PUBREL, PUBCOMP) and the application's
/// acknowledgements are queued and written by a separate sender, so a stalled socket cannot deadlock reading.
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly PacketIdAllocator _packetIds = new();
    private readonly OutgoingSession _outgoing;
    private readonly Channel<MqttMessage> _inbox;
    private readonly Channel<OutgoingMessage> _publishQueue;
    private readonly Task _publisher;
    private readonly Lock _stateLock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private MqttConnectionState _state = MqttConnectionState.Disconnected;
    private TaskCompletionSource _connected = NewSignal();
    private MqttConnection? _connection;
    private CancellationTokenSource _run = new();
    private Task _supervisor = Task.CompletedTask;
    private Exception? _fault;

    /// <param name="options">Validated here; later changes to the object are not picked up.</param>
    /// <param name="logger">Optional; connection events are logged at Information/Warning, per-packet events at Debug.</param>
    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _outgoing = new OutgoingSession(options.MaximumInflight, _packetIds);
        _inbox = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.ReceiveBufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = false,
        });
        Messages = new MqttMessageReader(_inbox.Reader, options.AcknowledgeMode == MqttAcknowledgeMode.Auto);
        _publishQueue = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(Math.Max(64, options.MaximumInflight))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _publisher = SendPublishesAsync();
    }

    /// <summary>Raised on every state change (from a background thread; handlers should return quickly).</summary>
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Received messages, in arrival order. Completes when the client is disposed, and completes with the error
    /// when the client faults, so a consumer loop ends instead of waiting forever.
    /// </summary>
    public ChannelReader<MqttMessage> Messages { get; }

    public MqttConnectionState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    public MqttClientOptions Options => _options;

    public MqttClientStatistics Statistics { get; } = new();

    /// <summary>QoS 1/2 messages published and not yet acknowledged by the broker (kept across reconnects).</summary>
    public int PendingPublishes => _outgoing.Count;

    /// <summary>Received messages on the current connection whose acknowledgement has not been sent.</summary>
    public int PendingAcknowledgements => _connection?.Acks?.Unacknowledged ?? 0;

    /// <summary>The received messages as an async stream; ends as <see cref="Messages"/> does.</summary>
    public IAsyncEnumerable<MqttMessage> ReadMessagesAsync(CancellationToken cancellationToken = default) =>
        Messages.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Connects (one attempt; refusals throw <see cref="MqttConnectionRefusedException"/>, unreachable brokers
    /// <see cref="MqttConnectionLostException"/>, silence <see cref="MqttTimeoutException"/>). Once connected, a lost
    /// connection is re-established by the client itself per <see cref="MqttClientOptions.Reconnect"/>. Also valid
    /// after <see cref="DisconnectAsync"/>: QoS 1/2 messages still unacknowledged are then re-sent.
    /// </summary>
    public async Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            ThrowIfTerminal();
            if (_state != MqttConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"ConnectAsync called while the MQTT client is {_state}");
            }
            _run = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        }
        SetState(MqttConnectionState.Connecting);
        MqttConnection connection;
        bool sessionPresent;
        try
        {
            (connection, sessionPresent) = await EstablishAsync(_run.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SetState(MqttConnectionState.Disconnected, e);
            throw;
        }
        SetState(MqttConnectionState.Connected, sessionPresent: sessionPresent);
        _supervisor = SuperviseAsync(connection, _run.Token);
        return new MqttConnectResult(sessionPresent);
    }

    /// <summary>
    /// Sends DISCONNECT and closes the connection (the broker then discards the will). Unacknowledged QoS 1/2
    /// publishes stay pending and are re-sent by the next <see cref="ConnectAsync"/>.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            if (_state is MqttConnectionState.Disconnected or MqttConnectionState.Closed or MqttConnectionState.Faulted)
            {
                return;
            }
        }
        await _run.CancelAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        MqttConnection? connection;
        try
        {
            connection = _connection;
            _connection = null;
            if (connection is not null && !connection.IsClosed)
            {
                Packets.EmptyPacket.WriteTo(connection.Output, Packets.PacketType.Disconnect);
                await connection.CloseGracefullyAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
        await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (connection is not null)
        {
            await TearDownAsync(connection).ConfigureAwait(false);
        }
        SetState(MqttConnectionState.Disconnected);
    }

    /// <summary>
    /// Drops the network connection without DISCONNECT, as a crash would: the broker publishes the will and keeps
    /// unacknowledged messages for a persistent session. The client stays disconnected until <see cref="ConnectAsync"/>.
    /// </summary>
    public async Task AbortAsync()
    {
        await _run.CancelAsync().ConfigureAwait(false);
        _connection?.Abort(new MqttConnectionLostException("connection aborted by the application"));
        await _supervisor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var connection = _connection;
        if (connection is not null)
        {
            await TearDownAsync(connection).ConfigureAwait(false);
        }
        lock (_stateLock)
        {
            if (_state is MqttConnectionState.Closed or MqttConnectionState.Faulted)
            {
                return;
            }
        }
        SetState(MqttConnectionState.Disconnected);
    }

    /// <summary>Disconnects cleanly if connected, fails pending publishes, and completes <see cref="Messages"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_stateLock)
        {
            if (_state == MqttConnectionState.Closed)
            {
                return;
            }
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DisconnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttException or IOException)
        {
            // Best effort: the broker may already be gone.
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        SetState(MqttConnectionState.Closed);
        await _publisher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var closed = new ObjectDisposedException(nameof(MqttClient), "the MQTT client was disposed before the message was published");
        FailQueuedPublishes(closed);
        _outgoing.FailAll(closed);
        FailPendingRequests(closed);
        _inbox.Writer.TryComplete();
        lock (_stateLock)
        {
            _connected.TrySetResult();
        }
    }

    /// <summary>Waits until a connection is live; throws once the client is closed or faulted.</summary>
    private async ValueTask WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_stateLock)
            {
                ThrowIfTerminal();
                if (_connection is not null)
                {
                    return;
                }
                wait = _connected.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_stateLock)
            {
                if (_connection is null && _connected.Task.IsCompleted && _state is not (MqttConnectionState.Closed or MqttConnectionState.Faulted))
                {
                    // Signalled for a connection already torn down; wait for the next one.
                    _connected = NewSignal();
                }
            }
        }
    }

    private void ThrowIfTerminal()
    {
        if (_state == MqttConnectionState.Closed)
        {
            throw new ObjectDisposedException(nameof(MqttClient));
        }
        if (_state == MqttConnectionState.Faulted && _fault is not null)
        {
            ExceptionDispatchInfo.Throw(_fault);
        }
    }

    /// <summary>Gives up for good: fails everything waiting and ends the message stream with the reason.</summary>
    private void Fault(Exception reason)
    {
        Log.GaveUp(_logger, _options.Endpoint, reason.Message, reason);
        lock (_stateLock)
        {
            _fault = reason;
        }
        SetState(MqttConnectionState.Faulted, reason);
        _lifetime.Cancel();
        FailQueuedPublishes(reason);
        _outgoing.FailAll(reason);
        FailPendingRequests(reason);
        _inbox.Writer.TryComplete(reason);
        lock (_stateLock)
        {
            _connected.TrySetResult();
        }
    }

    private void SetState(MqttConnectionState next, Exception? reason = null, bool sessionPresent = false, int attempt = 0)
    {
        MqttConnectionState previous;
        lock (_stateLock)
        {
            previous = _state;
            if (previous == MqttConnectionState.Closed || (previous == next && next != MqttConnectionState.Reconnecting))
            {
                return;
            }
            _state = next;
        }
        try
        {
            StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(previous, next, reason, sessionPresent, attempt));
        }
#pragma warning disable CA1031 // An application's handler must not be able to kill the reconnect loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.StateHandlerFailed(_logger, e);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
