using OneMap.Mqtt.Topics;

namespace OneMap.Mqtt.Tests.Topics;

/// <summary>Topic filter rules and matching, with the examples of MQTT 3.1.1 §4.7.</summary>
public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "anything/at/all", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis/x", true)]
    [InlineData("sport/tennis", "sport/tennis", true)]
    [InlineData("sport/tennis", "sport/Tennis", false)]
    [InlineData("sport/tennis", "sport/tennis/", false)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("$share/ingest/water/+/do", "water/ws-01/do", true)]
    [InlineData("$share/ingest/water/#", "air/aq-1", false)]
    [InlineData("莆田/+/水质", "莆田/木兰溪/水质", true)]
    public void matches_as_section_4_7_says(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("sport/tennis#")]
    [InlineData("sport/tennis/#/ranking")]
    [InlineData("sport+")]
    [InlineData("sport/+x/a")]
    [InlineData("")]
    [InlineData("$share/group")]
    [InlineData("$share//filter")]
    [InlineData("$share/group/")]
    [InlineData("$share/gr+oup/a")]
    [InlineData("a\0b")]
    public void rejects_invalid_filters_naming_them(string filter)
    {
        var error = Assert.Throws<ArgumentException>(() => TopicFilter.Validate(filter));
        Assert.Equal("topicFilter", error.ParamName);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData("+/+/#")]
    [InlineData("sport/tennis/+/#")]
    [InlineData("$share/ingest/sensors/#")]
    [InlineData("$SYS/#")]
    public void accepts_valid_filters(string filter) => TopicFilter.Validate(filter);

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("")]
    public void topic_names_cannot_hold_wildcards_or_be_empty(string topic) =>
        Assert.Throws<ArgumentException>(() => TopicName.Validate(topic));

    [Fact]
    public void shared_subscriptions_split_into_group_and_filter()
    {
        Assert.True(SharedSubscription.TryParse("$share/ingest/water/+/do", out var shared));
        Assert.Equal(new SharedSubscription("ingest", "water/+/do"), shared);
        Assert.Equal("$share/ingest/water/+/do", shared.ToString());
        Assert.False(SharedSubscription.TryParse("water/+/do", out _));
        Assert.True(TopicFilter.HasWildcards("$share/ingest/water/+/do"));
        Assert.False(TopicFilter.HasWildcards("$share/ingest/water/ws-1/do"));
    }
}
