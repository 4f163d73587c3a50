using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Transport;

/// <summary>
/// The graphql-transport-ws protocol (graphql-ws): connection_init/connection_ack, ping/pong, subscribe/next/error/
/// complete, with its close codes (4400 bad message, 4401 not acknowledged, 4403 forbidden, 4408 init timeout,
/// 4409 duplicate id, 4429 repeated init). Every operation runs concurrently; sends are serialised.
/// </summary>
public sealed class GraphQLWebSocketHandler(GraphQLEngine engine, GraphQLServerOptions options)
{
    public const string SubProtocol = "graphql-transport-ws";

    private GraphQLEngine Engine { get; } = engine;

    private GraphQLServerOptions Options { get; } = options;
    private const int MaxMessageBytes = 1 << 20;

    public async Task HandleAsync(HttpContext context)
    {
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(requested.Contains(SubProtocol) ? SubProtocol : null).ConfigureAwait(false);
        if (!requested.Contains(SubProtocol))
        {
            await CloseAsync(socket, 4406, "Subprotocol not acceptable: use graphql-transport-ws", CancellationToken.None).ConfigureAwait(false);
            return;
        }
        await using var connection = new Connection(this, context, socket);
        await connection.RunAsync().ConfigureAwait(false);
    }

    private static async Task CloseAsync(WebSocket socket, int code, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseAsync((WebSocketCloseStatus)code, reason, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The peer is gone already.
            }
        }
    }

    private sealed class Connection(GraphQLWebSocketHandler handler, HttpContext context, WebSocket socket) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly ConcurrentDictionary<string, CancellationTokenSource> _operations = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _lifetime = GraphQLHttpHandler.Lifetime(context);
        private bool _initReceived;
        private volatile bool _acknowledged;
        private ExecutionOptions? _executionOptions;

        public async Task RunAsync()
        {
            var token = _lifetime.Token;
            var initTimeout = Task.Delay(handler.Options.ConnectionInitTimeout, token).ContinueWith(async t =>
            {
                if (!t.IsCanceled && !_initReceived)
                {
                    await CloseAsync(socket, 4408, "Connection initialisation timeout", CancellationToken.None).ConfigureAwait(false);
                }
            }, TaskScheduler.Default).Unwrap();
            try
            {
                while (socket.State == WebSocketState.Open && !token.IsCancellationRequested)
                {
                    var message = await ReceiveAsync(token).ConfigureAwait(false);
                    if (message is null)
                    {
                        break;
                    }
                    if (!await HandleMessageAsync(message.Value).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The client disconnected; its operations are cancelled below.
            }
            finally
            {
                var shuttingDown = _lifetime.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested;
                await _lifetime.CancelAsync().ConfigureAwait(false);
                if (shuttingDown)
                {
                    await CloseAsync(socket, (int)WebSocketCloseStatus.EndpointUnavailable, "Server shutting down", CancellationToken.None).ConfigureAwait(false);
                }
                try
                {
                    await initTimeout.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The timer was cancelled with the connection.
                }
            }
        }

        /// <summary>One whole text message, or null when the client closed the socket.</summary>
        private async Task<JsonElement?> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var received = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(socket, 1000, "", CancellationToken.None).ConfigureAwait(false);
                    return null;
                }
                buffer.Advance(received.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    await CloseAsync(socket, 4400, "Message too large", CancellationToken.None).ConfigureAwait(false);
                    return null;
                }
                if (received.EndOfMessage)
                {
                    if (received.MessageType != WebSocketMessageType.Text)
                    {
                        await CloseAsync(socket, 4400, "Invalid message received: expected text", CancellationToken.None).ConfigureAwait(false);
                        return null;
                    }
                    try
                    {
                        using var document = JsonDocument.Parse(buffer.WrittenMemory);
                        return document.RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        await CloseAsync(socket, 4400, "Invalid message received: not JSON", CancellationToken.None).ConfigureAwait(false);
                        return null;
                    }
                }
            }
        }

        /// <summary>Handles one message; false when the socket was closed because of it.</summary>
        private async Task<bool> HandleMessageAsync(JsonElement message)
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return await RejectAsync(4400, "Invalid message received: no type").ConfigureAwait(false);
            }
            switch (typeElement.GetString())
            {
                case "connection_init":
                    if (_initReceived)
                    {
                        return await RejectAsync(4429, "Too many initialisation requests").ConfigureAwait(false);
                    }
                    _initReceived = true;
                    var payload = message.TryGetProperty("payload", out var p) ? JsonValues.ToPlainObject(p) : null;
                    if (handler.Options.AuthorizeWebSocket is { } authorize && !await authorize(context, payload).ConfigureAwait(false))
                    {
                        return await RejectAsync(4403, "Forbidden").ConfigureAwait(false);
                    }
                    _executionOptions = await new GraphQLHttpHandler(handler.Engine, handler.Options).CreateOptionsAsync(context, isGet: false).ConfigureAwait(false);
                    _acknowledged = true;
                    await SendAsync(new Dictionary<string, object?> { ["type"] = "connection_ack" }).ConfigureAwait(false);
                    return true;
                case "ping":
                    var pong = new Dictionary<string, object?> { ["type"] = "pong" };
                    if (message.TryGetProperty("payload", out var pingPayload) && pingPayload.ValueKind == JsonValueKind.Object)
                    {
                        pong["payload"] = pingPayload.Clone();
                    }
                    await SendAsync(pong).ConfigureAwait(false);
                    return true;
                case "pong":
                    return true;
                case "subscribe":
                    return await SubscribeAsync(message).ConfigureAwait(false);
                case "complete":
                    if (message.TryGetProperty("id", out var completeId) && completeId.ValueKind == JsonValueKind.String
                        && _operations.TryRemove(completeId.GetString()!, out var operation))
                    {
                        await operation.CancelAsync().ConfigureAwait(false);
                    }
                    return true;
                default:
                    return await RejectAsync(4400, $"Invalid message received: unknown type \"{typeElement.GetString()}\"").ConfigureAwait(false);
            }
        }

        private async Task<bool> SubscribeAsync(JsonElement message)
        {
            if (!_acknowledged)
            {
                return await RejectAsync(4401, "Unauthorized").ConfigureAwait(false);
            }
            if (!message.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 } id)
            {
                return await RejectAsync(4400, "Invalid message received: subscribe needs an id").ConfigureAwait(false);
            }
            if (!message.TryGetProperty("payload", out var payloadElement) || JsonValues.ToPlainObject(payloadElement) is not { } payload)
            {
                return await RejectAsync(4400, "Invalid message received: subscribe needs a payload").ConfigureAwait(false);
            }
            GraphQLRequest request;
            try
            {
                request = GraphQLRequestReader.FromPlain(payload);
            }
            catch (BadRequestException e)
            {
                return await RejectAsync(4400, "Invalid message received: " + e.Message).ConfigureAwait(false);
            }
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            if (!_operations.TryAdd(id, cancellation))
            {
                cancellation.Dispose();
                return await RejectAsync(4409, $"Subscriber for {id} already exists").ConfigureAwait(false);
            }
            // Operations run alongside the receive loop, so a client can complete them or start others.
            _ = Task.Run(() => RunOperationAsync(id, request, cancellation), CancellationToken.None);
            return true;
        }

        private async Task RunOperationAsync(string id, GraphQLRequest request, CancellationTokenSource cancellation)
        {
            var token = cancellation.Token;
            try
            {
                var (resolved, persistedError) = await PersistedQueryResolver.ResolveAsync(request, handler.Options.PersistedQueries, token).ConfigureAwait(false);
                if (persistedError is not null)
                {
                    await SendErrorAsync(id, [persistedError]).ConfigureAwait(false);
                    return;
                }
                var result = await handler.Engine.ExecuteAsync(resolved, _executionOptions, token).ConfigureAwait(false);
                if (result.Stream is { } stream)
                {
                    await foreach (var item in stream.WithCancellation(token).ConfigureAwait(false))
                    {
                        await SendNextAsync(id, item).ConfigureAwait(false);
                    }
                }
                else if (result.IsRequestError)
                {
                    await SendErrorAsync(id, result.Errors ?? []).ConfigureAwait(false);
                    return;
                }
                else
                {
                    await SendNextAsync(id, result).ConfigureAwait(false);
                }
                if (!token.IsCancellationRequested)
                {
                    await SendAsync(new Dictionary<string, object?> { ["type"] = "complete", ["id"] = id }).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Completed by the client, or the connection ended.
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                // The socket broke while sending; the receive loop ends the connection.
            }
            finally
            {
                _operations.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, cancellation));
                cancellation.Dispose();
            }
        }

        private Task SendNextAsync(string id, ExecutionResult result) => SendRawAsync(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", "next");
            writer.WritePropertyName("payload");
            result.WriteTo(writer);
            writer.WriteEndObject();
        });

        private Task SendErrorAsync(string id, IReadOnlyList<GraphQLError> errors) => SendRawAsync(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", "error");
            writer.WritePropertyName("payload");
            ResultJsonWriter.WriteErrors(writer, errors);
            writer.WriteEndObject();
        });

        private Task SendAsync(Dictionary<string, object?> message) => SendRawAsync(writer => ResultJsonWriter.WriteValue(writer, message));

        private async Task SendRawAsync(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, ResultJsonWriter.WriterOptions))
            {
                write(writer);
            }
            await _sendLock.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, _lifetime.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }

        private async Task<bool> RejectAsync(int code, string reason)
        {
            if (handler.Engine.Options.Logger is { } logger)
            {
                Log.WebSocketClosed(logger, code, reason);
            }
            await _lifetime.CancelAsync().ConfigureAwait(false);
            await CloseAsync(socket, code, reason, CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        public async ValueTask DisposeAsync()
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
            foreach (var operation in _operations.Values)
            {
                await operation.CancelAsync().ConfigureAwait(false);
            }
            _lifetime.Dispose();
            _sendLock.Dispose();
        }
    }
}
