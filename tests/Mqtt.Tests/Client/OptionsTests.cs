using OneMap.Mqtt.Client;

namespace OneMap.Mqtt.Tests.Client;

public sealed class OptionsTests
{
    private static MqttClientOptions Valid() => new() { Host = "127.0.0.1", ClientId = "c" };

    [Fact]
    public void a_persistent_session_needs_a_client_id()
    {
        var options = Valid();
        options.ClientId = "";
        options.CleanSession = false;
        Assert.Equal("ClientId", Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void ports_outside_the_tcp_range_are_refused(int port)
    {
        var options = Valid();
        options.Port = port;
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("Port", error.ParamName);
        Assert.Equal(port, error.ActualValue);
    }

    [Fact]
    public void keep_alive_must_be_whole_seconds()
    {
        var options = Valid();
        options.KeepAlive = TimeSpan.FromMilliseconds(1500);
        Assert.Equal("KeepAlive", Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }

    [Fact]
    public void a_password_needs_a_user_name()
    {
        var options = Valid();
        options.Password = "secret";
        Assert.Equal("Password", Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Fact]
    public void the_reconnect_delay_grows_exponentially_within_its_bounds_with_jitter()
    {
        var reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(2) };
        var random = new Random(1);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = Math.Min(2000, 100 * Math.Pow(2, attempt - 1));
            var delay = reconnect.DelayBefore(attempt, random).TotalMilliseconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public async Task publishing_to_a_wildcard_topic_is_refused_before_anything_is_sent()
    {
        await using var client = new MqttClient(Valid());
        // Thrown by the call itself, not by the returned task.
        var error = Assert.Throws<ArgumentException>(() => { _ = client.PublishAsync("water/+/do", "x", MqttQualityOfService.AtLeastOnce, cancellationToken: TestContext.Current.CancellationToken); });
        Assert.Contains("water/+/do", error.Message, StringComparison.Ordinal);
        Assert.Equal("topic", error.ParamName);
    }

    [Fact]
    public async Task connecting_to_a_port_nobody_listens_on_is_a_transient_connection_error()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var options = Valid();
        options.Port = port;
        await using var client = new MqttClient(options);

        var error = await Assert.ThrowsAsync<MqttConnectionLostException>(() => client.ConnectAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsTransient);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }
}
