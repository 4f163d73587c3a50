using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;
using OneMap.Lakehouse.Alerts;

namespace OneMap.GraphQLApi.Tests.Alerts;

/// <summary>
/// Alerts through the API: queries with filters, the alertRaised subscription over graphql-transport-ws and
/// server-sent events, acknowledge and resolve recorded with who and when; a department sees only its alerts.
/// The alert producer (the detectors) is played by the alert store itself, which is the contract between them.
/// </summary>
public sealed class AlertTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IAlertStore Store => city.Server.Get<IAlertStore>();

    private static Alert Pollution(string id, string department = "D12", string station = "WQS-010") => new()
    {
        AlertId = id,
        Kind = AlertKinds.Pollution,
        SubjectKind = "station",
        SubjectId = station,
        Indicators = ["nh3_n", "do"],
        Start = new DateTimeOffset(2024, 6, 7, 2, 15, 0, TimeSpan.FromHours(8)),
        Severity = "critical",
        Score = 0.97,
        Explanation = "NH3-N 3.1× its night baseline, DO down 2.4 mg/L; spectral residual and CUSUM agree",
        DepartmentCode = department,
        Longitude = 119.01,
        Latitude = 25.43,
        Suspects = [new AlertSuspect(1, "outfall", "OF-012", "某食品厂排口", 3.2, 1.6, 0.81, "discharge signature matches")],
    };

    [Fact]
    public async Task alerts_are_queried_with_filters_and_handled_with_who_and_when()
    {
        await Store.RaiseAsync(Pollution("ALERT-Q-1"), Ct);
        await Store.RaiseAsync(Pollution("ALERT-Q-2", "D14", "WQS-020") with { Kind = AlertKinds.SensorFault, Severity = "warning" }, Ct);
        var listed = (await city.Server.QueryAsync(city.Keys.Analyst, """{ alerts(filter: { kinds: ["pollution"], statuses: ["open"] }) { id kind status severity department { code name } suspects { rank id } location } }""",
            cancellationToken: Ct)).Ok()["alerts"]!.AsArray();
        var alert = Assert.Single(listed, a => (string?)a!["id"] == "ALERT-Q-1")!;
        Assert.DoesNotContain(listed, a => (string?)a!["id"] == "ALERT-Q-2");
        Assert.Equal("OF-012", (string?)alert["suspects"]![0]!["id"]);
        Assert.Equal("Point", (string?)alert["location"]!["type"]);

        var acknowledged = (await city.Server.QueryAsync(city.Keys.EcologyDepartment,
            """mutation { acknowledgeAlert(id: "ALERT-Q-1", note: "team sent to the outfall") { status acknowledgedBy acknowledgedAt note } }""", cancellationToken: Ct)).Ok()["acknowledgeAlert"]!;
        Assert.Equal("acknowledged", (string?)acknowledged["status"]);
        Assert.Contains("ecology bureau", (string?)acknowledged["acknowledgedBy"], StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse((string)acknowledged["acknowledgedAt"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
        (await city.Server.QueryAsync(city.Keys.EcologyDepartment, """mutation { acknowledgeAlert(id: "ALERT-Q-1") { status } }""", cancellationToken: Ct)).Fails("acknowledged");
        var resolved = (await city.Server.QueryAsync(city.Keys.Admin, """mutation { resolveAlert(id: "ALERT-Q-1", note: "outfall sealed") { status resolvedBy resolvedAt acknowledgedBy } }""",
            cancellationToken: Ct)).Ok()["resolveAlert"]!;
        Assert.Equal("resolved", (string?)resolved["status"]);
        Assert.NotNull(resolved["acknowledgedBy"]);
        // Both steps are in the lake's alert_events table, with who and when.
        var events = LakeFiles.Query(city.LakeRoot, LakeAlertStore.EventsTable, "SELECT action, \"by\", note FROM {t} WHERE alert_id = 'ALERT-Q-1' ORDER BY \"at\"");
        Assert.Equal(["raised", "acknowledged", "resolved"], events.Select(e => (string)e[0]!));
        Assert.Contains("ecology bureau", (string)events[1][1]!, StringComparison.Ordinal);
        Assert.Equal("outfall sealed", events[2][2]);
        (await city.Server.QueryAsync(city.Keys.Analyst, """mutation { resolveAlert(id: "ALERT-Q-2") { status } }""", cancellationToken: Ct)).Fails("mutation");
    }

    [Fact]
    public async Task a_department_sees_and_handles_only_its_own_alerts()
    {
        await Store.RaiseAsync(Pollution("ALERT-D-1", "D12"), Ct);
        await Store.RaiseAsync(Pollution("ALERT-D-2", "D14"), Ct);
        var ecology = (await city.Server.QueryAsync(city.Keys.EcologyDepartment, "{ alerts(limit: 1000) { id department { code } } }", cancellationToken: Ct)).Ok()["alerts"]!.AsArray();
        Assert.Contains(ecology, a => (string?)a!["id"] == "ALERT-D-1");
        Assert.All(ecology, a => Assert.Equal("D12", (string?)a!["department"]!["code"]));
        Assert.Null((await city.Server.QueryAsync(city.Keys.EcologyDepartment, "{ alert(id: \"ALERT-D-2\") { id } }", cancellationToken: Ct)).Ok()["alert"]);
        (await city.Server.QueryAsync(city.Keys.EcologyDepartment, """mutation { resolveAlert(id: "ALERT-D-2") { status } }""", cancellationToken: Ct)).Fails("no alert");
    }

    [Fact]
    public async Task alert_raised_reaches_a_graphql_ws_subscriber_filtered_and_by_row_rule()
    {
        using var analyst = await SubscribeAsync(city.Keys.Analyst, """subscription { alertRaised(filter: { kinds: ["pollution"] }) { change alert { id kind department { code } } } }""");
        using var ecology = await SubscribeAsync(city.Keys.EcologyDepartment, "subscription { alertRaised { change alert { id department { code } } } }");
        await Store.RaiseAsync(Pollution("ALERT-S-1", "D14") with { Kind = AlertKinds.SensorFault }, Ct);
        await Store.RaiseAsync(Pollution("ALERT-S-2", "D14"), Ct);
        await Store.RaiseAsync(Pollution("ALERT-S-3", "D12"), Ct);

        var first = await analyst.NextAsync();
        Assert.Equal("ALERT-S-2", (string?)first["alertRaised"]!["alert"]!["id"]);
        Assert.Equal("raised", (string?)first["alertRaised"]!["change"]);
        Assert.Equal("ALERT-S-3", (string?)(await analyst.NextAsync())["alertRaised"]!["alert"]!["id"]);
        // The ecology bureau's subscription skips the other department's alerts.
        Assert.Equal("ALERT-S-3", (string?)(await ecology.NextAsync())["alertRaised"]!["alert"]!["id"]);
    }

    [Fact]
    public async Task an_admin_subscription_carries_every_departments_alerts_and_the_public_role_cannot_subscribe()
    {
        using var admin = await SubscribeAsync(city.Keys.Admin, "subscription { alertRaised { change alert { id department { code } } } }");
        await Store.RaiseAsync(Pollution("ALERT-A-1", "D14"), Ct);
        await Store.RaiseAsync(Pollution("ALERT-A-2", "D12"), Ct);
        Assert.Equal("ALERT-A-1", (string?)(await admin.NextAsync())["alertRaised"]!["alert"]!["id"]);
        Assert.Equal("ALERT-A-2", (string?)(await admin.NextAsync())["alertRaised"]!["alert"]!["id"]);
        // The public role's schema has no subscription type at all.
        var refused = await city.Server.QueryAsync(city.Keys.Public, "subscription { alertRaised { change } }", cancellationToken: Ct);
        Assert.Null(refused.Data);
        Assert.Contains(refused.Messages, m => m.Contains("subscription", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task alert_raised_streams_as_server_sent_events()
    {
        using var client = city.Server.ClientWith(city.Keys.Analyst);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = "subscription { alertRaised(filter: { subjectId: \"WQS-033\" }) { alert { id subjectId } } }" }),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        using var reader = new StreamReader(stream);
        var raising = Task.Run(async () =>
        {
            await Task.Delay(300, Ct);
            await Store.RaiseAsync(Pollution("ALERT-E-1", station: "WQS-033"), Ct);
        }, Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("ALERT-E-1", StringComparison.Ordinal))
            {
                data = line[5..].Trim();
            }
        }
        await raising;
        Assert.NotNull(data);
        Assert.Equal("WQS-033", (string?)JsonNode.Parse(data)!["data"]!["alertRaised"]!["alert"]!["subjectId"]);
    }

    [Fact]
    public async Task a_websocket_without_a_valid_key_is_refused()
    {
        var client = city.Server.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        var socket = await client.ConnectAsync(new Uri(city.Server.Server.BaseAddress, "/graphql"), Ct);
        await Send(socket, new { type = "connection_init", payload = new { apiKey = "om_000000000000_nope-nope-nope-nope-nope" } });
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, Ct);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(4403, (int)socket.CloseStatus!);
    }

    private async Task<Subscription> SubscribeAsync(string key, string query)
    {
        var client = city.Server.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        var socket = await client.ConnectAsync(new Uri(city.Server.Server.BaseAddress, "/graphql"), Ct);
        await Send(socket, new { type = "connection_init", payload = new { apiKey = key } });
        var ack = await Receive(socket);
        Assert.Equal("connection_ack", (string?)ack["type"]);
        await Send(socket, new { id = "1", type = "subscribe", payload = new { query } });
        // The subscription is live once the server has asked the store to watch; give it a moment to get there.
        await Task.Delay(300, Ct);
        return new Subscription(socket);
    }

    private static Task Send(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, Ct);

    private static async Task<JsonNode> Receive(WebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    private sealed class Subscription(WebSocket socket) : IDisposable
    {
        public async Task<JsonNode> NextAsync()
        {
            var message = await Receive(socket);
            Assert.True((string?)message["type"] == "next", message.ToJsonString());
            Assert.Null(message["payload"]!["errors"]);
            return message["payload"]!["data"]!;
        }

        public void Dispose() => socket.Dispose();
    }
}
