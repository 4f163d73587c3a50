using System.Text;
using OneMap.Mqtt;
using OneMap.Simulator.Publishing;
using OneMap.Simulator.Tests.Support;
using OneMap.Testing;

namespace OneMap.Simulator.Tests.Sensors;

/// <summary>The publisher replays the payload logs through OneMap's MQTT client; mosquitto's own mosquitto_sub checks what arrives.</summary>
[Collection("sample")]
public sealed class PublishTests(SampleFixture sample)
{
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task mosquitto_sub_receives_the_logged_messages_in_order(int qos)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0, MaxQueuedMessages = 0 }, ct);
        const int count = 3000;
        var expected = PayloadLogReader.Read(sample.Directory, PayloadLogReader.Streams).Take(count).ToList();
        // Both streams are in the first messages, interleaved by time.
        Assert.Contains(expected, m => m.Topic.Contains("/manhole/", StringComparison.Ordinal));
        Assert.Contains(expected, m => m.Topic.Contains("/wq/", StringComparison.Ordinal));
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "check-sub", "putian/#", ["-v", "-C", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1"], ct);

        var result = await Publisher.RunAsync(PayloadLogReader.Read(sample.Directory, PayloadLogReader.Streams),
            new PublishOptions
            {
                Host = broker.Host, Port = broker.Port, Limit = count, ClientId = $"sim-test-{qos}",
                QualityOfService = qos == 1 ? MqttQualityOfService.AtLeastOnce : MqttQualityOfService.AtMostOnce,
            }, null, ct);

        Assert.Equal(count, result.Messages);
        var lines = await subscriber.WaitForLinesAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Equal(expected.Select(m => m.Topic + " " + Encoding.UTF8.GetString(m.Payload)), lines);
    }

    [Fact]
    public async Task the_speedup_paces_messages_by_their_logged_times()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: ct);
        // Three logged cycles five minutes apart, replayed 3000× faster: the last is due 0.2 s after the first. This is a
        // lower bound (the publisher may not run ahead of the logged times), which a slow machine cannot break.
        var start = sample.City.Options.Start;
        var messages = PayloadLogReader.Read(sample.Directory, ["water-quality"]).TakeWhile(m => m.At <= start.AddMinutes(10)).ToList();
        var result = await Publisher.RunAsync(messages, new PublishOptions { Host = broker.Host, Port = broker.Port, Speedup = 3000 }, null, ct);
        Assert.Equal(messages.Count, result.Messages);
        Assert.Equal(TimeSpan.FromMinutes(10), result.LastLogged - result.FirstLogged);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(0.19), $"replayed 10 logged minutes in {result.Elapsed.TotalSeconds} s at speedup 3000");
    }

    [Fact]
    public void log_lines_without_a_zoned_timestamp_are_refused_with_their_position()
    {
        var error = Assert.Throws<FormatException>(() => PayloadLogReader.Parse("putian/wq/X/data\t{\"ts\":\"2024-06-01 00:00:00\"}", "day.log.gz line 7"));
        Assert.Contains("line 7", error.Message, StringComparison.Ordinal);
    }
}
