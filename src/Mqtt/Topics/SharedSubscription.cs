namespace OneMap.Mqtt.Topics;

/// <summary>
/// A shared subscription, <c>$share/&lt;group&gt;/&lt;filter&gt;</c>: the broker hands each matching message to one member
/// of the group. Defined by MQTT 5 (§4.8.2); mosquitto 2 honours it for MQTT 3.1.1 clients too. Messages arrive
/// with their real topic, so routing matches them against <see cref="Filter"/>, not the whole string.
/// </summary>
public readonly record struct SharedSubscription(string Group, string Filter)
{
    public const string Prefix = "$share/";

    public override string ToString() => $"{Prefix}{Group}/{Filter}";

    /// <summary>Splits <paramref name="topicFilter"/> when it is a shared subscription; false for an ordinary filter.</summary>
    public static bool TryParse(string topicFilter, out SharedSubscription shared)
    {
        shared = default;
        if (!topicFilter.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topicFilter.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return false;
        }
        shared = new SharedSubscription(rest[..slash].ToString(), rest[(slash + 1)..].ToString());
        return true;
    }
}
