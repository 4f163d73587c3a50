using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using OneMap.GraphQL.Tests.Support;

namespace OneMap.GraphQL.Tests.Transport;

/// <summary>The graphql-transport-ws protocol's rules and close codes, checked with a raw WebSocket client.</summary>
public sealed class WebSocketProtocolTests : IAsyncLifetime
{
    private GraphQLTestServer _server = null!;

    // A generous init timeout: on a loaded machine the client's connection_init can take longer than a short one, and
    // the server would close a socket the test expects to be acknowledged. The timeout itself is tested on its own server.
    public async ValueTask InitializeAsync() => _server = await StartServerAsync(TimeSpan.FromSeconds(30));

    private static Task<GraphQLTestServer> StartServerAsync(TimeSpan initTimeout) =>
        GraphQLTestServer.StartAsync(ServerSchema.Build(), options =>
        {
            options.ConnectionInitTimeout = initTimeout;
            options.AuthorizeWebSocket = (_, payload) => ValueTask.FromResult(payload?.GetValueOrDefault("token") as string != "bad");
        });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<ClientWebSocket> ConnectAsync(string? subProtocol = "graphql-transport-ws") => ConnectAsync(_server, subProtocol);

    private static async Task<ClientWebSocket> ConnectAsync(GraphQLTestServer server, string? subProtocol = "graphql-transport-ws")
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        await socket.ConnectAsync(server.WebSocketUri, Cancel);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, Cancel);

    /// <summary>The next message as JSON, or null when the server closed the socket (its close status is then set).</summary>
    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, Cancel);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(text.ToString());
            }
        }
    }

    private async Task<ClientWebSocket> AcknowledgedAsync()
    {
        var socket = await ConnectAsync();
        await SendAsync(socket, """{"type":"connection_init","payload":{"token":"good"}}""");
        Assert.Equal("connection_ack", (string)(await ReceiveAsync(socket))!["type"]!);
        return socket;
    }

    [Fact]
    public async Task the_server_accepts_the_subprotocol_and_acknowledges_init()
    {
        using var socket = await AcknowledgedAsync();
        Assert.Equal("graphql-transport-ws", socket.SubProtocol);
    }

    [Fact]
    public async Task ping_gets_pong()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"type":"ping","payload":{"n":1}}""");
        var pong = await ReceiveAsync(socket);
        Assert.Equal("""{"type":"pong","payload":{"n":1}}""", pong!.ToJsonString());
    }

    [Fact]
    public async Task no_init_within_the_timeout_closes_with_4408()
    {
        await using var server = await StartServerAsync(TimeSpan.FromMilliseconds(300));
        using var socket = await ConnectAsync(server);
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4408, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task subscribe_before_ack_closes_with_4401()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }"}}""");
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4401, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task a_second_init_closes_with_4429()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"type":"connection_init"}""");
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4429, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task a_refused_init_payload_closes_with_4403()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """{"type":"connection_init","payload":{"token":"bad"}}""");
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4403, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task invalid_messages_close_with_4400()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"type":"launch_missiles"}""");
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4400, (int)socket.CloseStatus!);

        using var notJson = await AcknowledgedAsync();
        await SendAsync(notJson, "not json at all");
        Assert.Null(await ReceiveAsync(notJson));
        Assert.Equal(4400, (int)notJson.CloseStatus!);
    }

    [Fact]
    public async Task a_duplicate_operation_id_closes_with_4409()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"id":"same","type":"subscribe","payload":{"query":"subscription { ticks(count: 1000) }"}}""");
        await SendAsync(socket, """{"id":"same","type":"subscribe","payload":{"query":"subscription { ticks(count: 1000) }"}}""");
        JsonNode? message;
        do
        {
            message = await ReceiveAsync(socket);
        }
        while (message is not null);
        Assert.Equal(4409, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task complete_from_the_client_stops_a_subscription()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"id":"s","type":"subscribe","payload":{"query":"subscription { ticks(count: 100000) }"}}""");
        var first = await ReceiveAsync(socket);
        Assert.Equal("next", (string)first!["type"]!);
        await SendAsync(socket, """{"id":"s","type":"complete"}""");
        // The connection stays usable and the stopped operation sends no "complete" of its own.
        await SendAsync(socket, """{"id":"q","type":"subscribe","payload":{"query":"{ __typename }"}}""");
        JsonNode? message;
        do
        {
            message = await ReceiveAsync(socket);
        }
        while (message is not null && (string?)message["id"] == "s");
        Assert.Equal("""{"id":"q","type":"next","payload":{"data":{"__typename":"Query"}}}""", message!.ToJsonString());
        Assert.Equal("""{"type":"complete","id":"q"}""", (await ReceiveAsync(socket))!.ToJsonString());
    }

    [Fact]
    public async Task validation_errors_are_an_error_message()
    {
        using var socket = await AcknowledgedAsync();
        await SendAsync(socket, """{"id":"e","type":"subscribe","payload":{"query":"subscription { ticks }"}}""");
        var error = await ReceiveAsync(socket);
        Assert.Equal("error", (string)error!["type"]!);
        Assert.Equal("e", (string)error["id"]!);
        Assert.Equal("ProvidedRequiredArguments", (string)error["payload"]![0]!["extensions"]!["rule"]!);
    }

    [Fact]
    public async Task a_socket_without_the_subprotocol_is_closed_with_4406()
    {
        using var socket = await ConnectAsync(subProtocol: null);
        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4406, (int)socket.CloseStatus!);
    }
}
