using System.Buffers;
using System.Net;
using System.Net.Sockets;

using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Tests.Support;

/// <summary>
/// A scripted "broker" on a loopback TcpListener, for what a real broker never does: malformed packets, oversized
/// packets, silence. Each accepted connection runs the script; bytes the client sends are recorded per packet type.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeBrokerConnection, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];

    public FakeBroker(Func<FakeBrokerConnection, CancellationToken, Task> script)
    {
        _script = script;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Packets received from clients, in order, across connections.</summary>
    public List<(PacketType Type, byte[] Body)> Received { get; } = [];

    public int Connections { get; private set; }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Connections++;
                var connection = new FakeBrokerConnection(socket, this);
                lock (_connections)
                {
                    _connections.Add(RunAsync(connection));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is InvalidOperationException or ObjectDisposedException or SocketException)
        {
            // Stopped between two accepts: the listener was already closed when the loop asked for the next client.
        }
    }

    private async Task RunAsync(FakeBrokerConnection connection)
    {
        try
        {
            await _script(connection, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away or the test ended; scripts need not care.
        }
        finally
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        await Task.WhenAll(running);
        _stop.Dispose();
    }
}

/// <summary>One client connection to a <see cref="FakeBroker"/>.</summary>
internal sealed class FakeBrokerConnection(Socket socket, FakeBroker broker) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly List<byte> _pending = [];

    /// <summary>Reads the client's CONNECT and answers CONNACK with the given code.</summary>
    public async Task<ConnectPacket> AcceptAsync(CancellationToken cancellationToken, ConnectReturnCode code = ConnectReturnCode.Accepted, bool sessionPresent = false)
    {
        var (type, flags, body) = await ReadPacketAsync(cancellationToken);
        if (type != PacketType.Connect)
        {
            throw new InvalidOperationException($"expected CONNECT, got {type}");
        }
        var connect = ConnectPacket.Decode(flags, body);
        var buffer = new ArrayBufferWriter<byte>();
        new ConnAckPacket(sessionPresent, code).WriteTo(buffer);
        await SendAsync(buffer.WrittenMemory, cancellationToken);
        return connect;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        await _stream.WriteAsync(bytes, cancellationToken);

    public Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => SendAsync(bytes.AsMemory(), cancellationToken);

    /// <summary>Reads one packet from the client (small packets only: the client under test sends small ones).</summary>
    public async Task<(PacketType Type, byte Flags, byte[] Body)> ReadPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>([.. _pending]);
            if (PacketFramer.TryReadHeader(sequence, out var header) && sequence.Length >= header.TotalLength)
            {
                var body = sequence.Slice(header.HeaderLength, header.RemainingLength).ToArray();
                _pending.RemoveRange(0, (int)header.TotalLength);
                lock (broker.Received)
                {
                    broker.Received.Add((header.Type, body));
                }
                return (header.Type, header.Flags, body);
            }
            var chunk = new byte[4096];
            var read = await _stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new IOException("client closed the connection");
            }
            _pending.AddRange(chunk.AsSpan(0, read));
        }
    }

    /// <summary>Reads and records packets until the client disconnects or the test ends.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await ReadPacketAsync(cancellationToken);
        }
    }

    public void Dispose() => _stream.Dispose();
}
