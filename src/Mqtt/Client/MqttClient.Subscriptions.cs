using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Topics;

namespace OneMap.Mqtt.Client;

public sealed partial class MqttClient
{
    private readonly Lock _requestLock = new();
    private readonly Dictionary<ushort, TaskCompletionSource<SubAckPacket?>> _requests = [];

    // Replaced, never mutated, so the receive loop can route without a lock.
    private volatile SubscriptionEntry[] _subscriptions = [];

    /// <summary>The topic filters this client subscribes to (restored after a reconnect when the broker lost the session).</summary>
    public IReadOnlyList<MqttTopicSubscription> Subscriptions =>
        [.. _subscriptions.Select(s => new MqttTopicSubscription(s.Filter, s.QualityOfService))];

    /// <summary>Subscribes to one topic filter; see the list overload.</summary>
    public async Task<MqttSubscribeOutcome> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService,
        CancellationToken cancellationToken = default) =>
        (await SubscribeAsync([new MqttTopicSubscription(topicFilter, qualityOfService)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Subscribes to topic filters (wildcards + and #, shared subscriptions <c>$share/&lt;group&gt;/&lt;filter&gt;</c>) and
    /// returns what the broker granted. Throws <see cref="MqttSubscriptionRefusedException"/> if the broker refused
    /// any (the granted ones stay active). The client remembers the subscriptions and subscribes again after a
    /// reconnect whenever the broker has no session. A connection lost before SUBACK throws a transient
    /// <see cref="MqttConnectionLostException"/>; the subscription is still restored on reconnect.
    /// </summary>
    public async Task<IReadOnlyList<MqttSubscribeOutcome>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("at least one topic filter is needed", nameof(subscriptions));
        }
        foreach (var subscription in subscriptions)
        {
            TopicFilter.Validate(subscription.TopicFilter, nameof(subscriptions));
            if (subscription.QualityOfService is < MqttQualityOfService.AtMostOnce or > MqttQualityOfService.ExactlyOnce)
            {
                throw new ArgumentOutOfRangeException(nameof(subscriptions), subscription.QualityOfService, $"QoS for \"{subscription.TopicFilter}\" must be 0, 1 or 2");
            }
        }
        var requests = subscriptions.Select(s => new SubscribeRequest(s.TopicFilter, s.QualityOfService)).ToList();
        Remember(requests);
        var outcomes = await SendSubscribeAsync(requests, cancellationToken).ConfigureAwait(false);
        var refused = outcomes.Where(o => o.Refused).Select(o => o.TopicFilter).ToList();
        if (refused.Count > 0)
        {
            throw new MqttSubscriptionRefusedException(refused, outcomes);
        }
        return outcomes;
    }

    /// <summary>Unsubscribes from topic filters (exactly as they were subscribed) and waits for UNSUBACK.</summary>
    public async Task UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("at least one topic filter is needed", nameof(topicFilters));
        }
        foreach (var filter in topicFilters)
        {
            TopicFilter.Validate(filter, nameof(topicFilters));
        }
        lock (_stateLock)
        {
            _subscriptions = [.. _subscriptions.Where(s => !topicFilters.Contains(s.Filter, StringComparer.Ordinal))];
        }
        await SendRequestAsync(id => new UnsubscribePacket(id, topicFilters).WriteTo, "UNSUBACK", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes from one topic filter.</summary>
    public Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken = default) =>
        UnsubscribeAsync([topicFilter], cancellationToken);

    private void Remember(IEnumerable<SubscribeRequest> requests)
    {
        lock (_stateLock)
        {
            var list = _subscriptions.ToList();
            foreach (var request in requests)
            {
                var index = list.FindIndex(s => s.Filter == request.TopicFilter);
                var entry = new SubscriptionEntry(request.TopicFilter, request.QualityOfService);
                if (index >= 0)
                {
                    list[index] = entry;
                }
                else
                {
                    list.Add(entry);
                }
            }
            _subscriptions = [.. list];
        }
    }

    private async Task<IReadOnlyList<MqttSubscribeOutcome>> SendSubscribeAsync(List<SubscribeRequest> requests, CancellationToken cancellationToken)
    {
        var subAck = await SendRequestAsync(id => new SubscribePacket(id, requests).WriteTo, "SUBACK", cancellationToken).ConfigureAwait(false);
        if (subAck is null || subAck.ReturnCodes.Count != requests.Count)
        {
            throw new MqttProtocolException($"SUBACK carries {subAck?.ReturnCodes.Count ?? 0} return codes for {requests.Count} topic filters (MQTT-3.8.4-5)");
        }
        var outcomes = new List<MqttSubscribeOutcome>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var code = subAck.ReturnCodes[i];
            outcomes.Add(new MqttSubscribeOutcome(requests[i].TopicFilter, code == SubAckPacket.Failure ? null : (MqttQualityOfService)code));
        }
        var refused = outcomes.Where(o => o.Refused).Select(o => o.TopicFilter).ToHashSet(StringComparer.Ordinal);
        if (refused.Count > 0)
        {
            foreach (var filter in refused)
            {
                Log.SubscriptionRefused(_logger, _options.Endpoint, filter);
            }
            lock (_stateLock)
            {
                _subscriptions = [.. _subscriptions.Where(s => !refused.Contains(s.Filter))];
            }
        }
        return outcomes;
    }

    /// <summary>
    /// After CONNACK without a session the broker has no subscriptions: send them all again (with a session too when
    /// <see cref="MqttClientOptions.ResubscribeWhenSessionPresent"/> says so).
    /// </summary>
    private async Task RestoreSubscriptionsAsync(bool sessionPresent, CancellationToken cancellationToken)
    {
        var subscriptions = _subscriptions;
        if ((sessionPresent && !_options.ResubscribeWhenSessionPresent) || subscriptions.Length == 0)
        {
            return;
        }
        await SendSubscribeAsync([.. subscriptions.Select(s => new SubscribeRequest(s.Filter, s.QualityOfService))], cancellationToken).ConfigureAwait(false);
        Log.Resubscribed(_logger, subscriptions.Length, _options.Endpoint);
    }

    /// <summary>Writes a SUBSCRIBE or UNSUBSCRIBE on the live connection and waits for its acknowledgement.</summary>
    private async Task<SubAckPacket?> SendRequestAsync(Func<ushort, Action<System.Buffers.IBufferWriter<byte>>> encoder, string expected,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
            var response = new TaskCompletionSource<SubAckPacket?>(TaskCreationOptions.RunContinuationsAsynchronously);
            ushort id;
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var connection = _connection;
                if (connection is null)
                {
                    continue;
                }
                id = _packetIds.Allocate();
                lock (_requestLock)
                {
                    _requests[id] = response;
                }
                encoder(id)(connection.Output);
                await connection.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
            try
            {
                return await response.Task.WaitAsync(_options.ResponseTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new MqttTimeoutException($"no {expected} from MQTT broker {_options.Endpoint} within {_options.ResponseTimeout.TotalSeconds:0.###} s", e);
            }
            finally
            {
                lock (_requestLock)
                {
                    _requests.Remove(id);
                }
                _packetIds.Release(id);
            }
        }
    }

    private void CompleteRequest(ushort packetId, SubAckPacket? response)
    {
        TaskCompletionSource<SubAckPacket?>? waiter;
        lock (_requestLock)
        {
            _requests.TryGetValue(packetId, out waiter);
        }
        if (waiter is null)
        {
            Log.UnknownPacketId(_logger, response is null ? "UNSUBACK" : "SUBACK", packetId);
            return;
        }
        waiter.TrySetResult(response);
    }

    private void FailPendingRequests(Exception reason)
    {
        List<TaskCompletionSource<SubAckPacket?>> waiters;
        lock (_requestLock)
        {
            waiters = [.. _requests.Values];
        }
        foreach (var waiter in waiters)
        {
            waiter.TrySetException(reason);
        }
    }

    private sealed record SubscriptionEntry(string Filter, MqttQualityOfService QualityOfService);
}
