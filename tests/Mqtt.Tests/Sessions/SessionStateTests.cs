using OneMap.Mqtt.Client;
using OneMap.Mqtt.Packets;
using OneMap.Mqtt.Sessions;

namespace OneMap.Mqtt.Tests.Sessions;

public sealed class SessionStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MqttMessage Message(InboundAckQueue queue, ushort id, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce)
    {
        var message = new MqttMessage("t", ReadOnlyMemory<byte>.Empty, qos, false, false, id, null, queue);
        queue.Track(message);
        return message;
    }

    [Fact]
    public async Task acknowledgements_are_released_in_arrival_order_only()
    {
        var queue = new InboundAckQueue();
        var first = Message(queue, 11);
        var second = Message(queue, 12, MqttQualityOfService.ExactlyOnce);
        var third = Message(queue, 13);

        Assert.True(third.Acknowledge());
        Assert.True(second.Acknowledge());
        Assert.Equal(3, queue.Unacknowledged);
        using (var nothingYet = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.TakeAsync(nothingYet.Token));
        }

        Assert.True(first.Acknowledge());
        var released = await queue.TakeAsync(Ct);
        Assert.Equal([new PendingAck(PacketType.PubAck, 11), new PendingAck(PacketType.PubRec, 12), new PendingAck(PacketType.PubAck, 13)], released);
        Assert.Equal(0, queue.Unacknowledged);
    }

    [Fact]
    public void acknowledging_is_idempotent_and_void_once_the_connection_is_gone()
    {
        var queue = new InboundAckQueue();
        var message = Message(queue, 1);
        var stale = Message(queue, 2);
        Assert.True(message.Acknowledge());
        Assert.True(message.Acknowledge());
        queue.Close();
        Assert.False(stale.Acknowledge());
        Assert.False(stale.IsAcknowledged);
    }

    [Fact]
    public void qos_0_messages_need_no_acknowledgement()
    {
        var message = new MqttMessage("t", ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtMostOnce, false, false, 0, null, new InboundAckQueue());
        Assert.True(message.IsAcknowledged);
        Assert.True(message.Acknowledge());
    }

    [Fact]
    public void packet_ids_are_never_zero_skip_ids_in_use_and_wrap()
    {
        var ids = new PacketIdAllocator();
        var taken = Enumerable.Range(0, ushort.MaxValue).Select(_ => ids.Allocate()).ToList();
        Assert.Equal(Enumerable.Range(1, ushort.MaxValue).Select(i => (ushort)i), taken);
        Assert.Throws<InvalidOperationException>(() => ids.Allocate());

        ids.Release(500);
        ids.Release(7);
        Assert.Equal(7, ids.Allocate());
        Assert.Equal(500, ids.Allocate());
        Assert.Equal(ushort.MaxValue, ids.InUse);
    }

    [Fact]
    public void the_outgoing_session_keeps_send_order_and_completes_on_the_right_acknowledgement()
    {
        var session = new OutgoingSession(10, new PacketIdAllocator());
        var qos1 = new OutgoingMessage("a", 1, "1"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false);
        var qos2 = new OutgoingMessage("b", 1, "2"u8.ToArray(), MqttQualityOfService.ExactlyOnce, false);
        // The sender takes a window slot before adding; acknowledgements give it back.
        Assert.True(session.Window.Wait(0, TestContext.Current.CancellationToken));
        session.Add(qos1);
        Assert.True(session.Window.Wait(0, TestContext.Current.CancellationToken));
        session.Add(qos2);
        Assert.Equal([qos1, qos2], session.Snapshot());

        Assert.Null(session.OnPubAck(qos2.PacketId));
        Assert.Same(qos2, session.OnPubRec(qos2.PacketId));
        Assert.Equal(OutgoingStage.AwaitingPubComp, qos2.Stage);
        Assert.Same(qos1, session.OnPubAck(qos1.PacketId));
        Assert.True(qos1.Completion.Task.IsCompletedSuccessfully);
        Assert.False(qos2.Completion.Task.IsCompleted);
        Assert.Same(qos2, session.OnPubComp(qos2.PacketId));
        Assert.Equal(0, session.Count);
        Assert.Equal(10, session.Window.CurrentCount);
    }

    [Fact]
    public void incoming_qos_2_forgets_unreleased_messages_without_pubrec_on_reconnect()
    {
        var session = new IncomingQos2Session();
        Assert.True(session.TryRegister(1, out _));
        Assert.True(session.TryRegister(2, out _));
        session.MarkPubRecSent(2);
        Assert.False(session.TryRegister(2, out var pubRecSent));
        Assert.True(pubRecSent);

        session.OnNewConnection(sessionPresent: true);
        Assert.True(session.TryRegister(1, out _));
        Assert.False(session.TryRegister(2, out _));

        session.OnNewConnection(sessionPresent: false);
        Assert.True(session.TryRegister(2, out _));
    }
}
