using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Topics;

/// <summary>Topic filters (§4.7): validation and matching against topic names, including shared subscriptions.</summary>
public static class TopicFilter
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the filter when a broker must refuse it: empty, '#' not alone as
    /// the last level, '+' sharing a level with other characters, a malformed <c>$share/group/filter</c>, U+0000,
    /// or more than 65,535 UTF-8 bytes.
    /// </summary>
    public static void Validate(string topicFilter, string paramName = "topicFilter")
    {
        ArgumentNullException.ThrowIfNull(topicFilter, paramName);
        MqttStrings.ByteCountForSending(topicFilter, "topic filter", paramName);
        var filter = topicFilter;
        if (topicFilter.StartsWith(SharedSubscription.Prefix, StringComparison.Ordinal))
        {
            if (!SharedSubscription.TryParse(topicFilter, out var shared))
            {
                throw new ArgumentException($"shared subscription \"{topicFilter}\" must read $share/<group>/<filter>", paramName);
            }
            if (shared.Group.AsSpan().IndexOfAny('+', '#') >= 0)
            {
                throw new ArgumentException($"shared subscription group \"{shared.Group}\" must not contain + or #", paramName);
            }
            filter = shared.Filter;
        }
        if (filter.Length == 0)
        {
            throw new ArgumentException("topic filter must not be empty (MQTT-4.7.3-1)", paramName);
        }
        var levelStart = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }
            var level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Contains('#') && (level.Length != 1 || i != filter.Length))
            {
                throw new ArgumentException($"topic filter \"{topicFilter}\": '#' must be a whole level and the last one (MQTT-4.7.1-2)", paramName);
            }
            if (level.Contains('+') && level.Length != 1)
            {
                throw new ArgumentException($"topic filter \"{topicFilter}\": '+' must be a whole level (MQTT-4.7.1-3)", paramName);
            }
            levelStart = i + 1;
        }
    }

    /// <summary>True when <paramref name="topicFilter"/> contains + or # (after any shared-subscription prefix).</summary>
    public static bool HasWildcards(string topicFilter) => MatchingPart(topicFilter).IndexOfAny('+', '#') >= 0;

    /// <summary>
    /// True when a message published to <paramref name="topicName"/> matches <paramref name="topicFilter"/>. A shared
    /// subscription matches as its inner filter. Topics starting with '$' are not matched by filters starting with a
    /// wildcard (MQTT-4.7.2-1).
    /// </summary>
    public static bool Matches(string topicFilter, string topicName) =>
        Matches(MatchingPart(topicFilter), topicName.AsSpan());

    internal static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && filter[0] is '+' or '#')
        {
            return false;
        }
        while (true)
        {
            if (filter.SequenceEqual("#"))
            {
                return true;
            }
            var filterSlash = filter.IndexOf('/');
            var topicSlash = topic.IndexOf('/');
            var filterLevel = filterSlash < 0 ? filter : filter[..filterSlash];
            var topicLevel = topicSlash < 0 ? topic : topic[..topicSlash];
            if (!filterLevel.SequenceEqual("+") && !filterLevel.SequenceEqual(topicLevel))
            {
                return false;
            }
            if (filterSlash < 0 && topicSlash < 0)
            {
                return true;
            }
            if (filterSlash < 0)
            {
                return false;
            }
            if (topicSlash < 0)
            {
                // "sport/#" matches "sport": the parent level is included (§4.7.1.2).
                return filter[(filterSlash + 1)..].SequenceEqual("#");
            }
            filter = filter[(filterSlash + 1)..];
            topic = topic[(topicSlash + 1)..];
        }
    }

    private static ReadOnlySpan<char> MatchingPart(string topicFilter) =>
        SharedSubscription.TryParse(topicFilter, out var shared) ? shared.Filter.AsSpan() : topicFilter.AsSpan();
}
