using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace OneMap.Mqtt.Client;

/// <summary>
/// The application's view of the bounded receive channel. In <see cref="MqttAcknowledgeMode.Auto"/> mode taking a
/// message acknowledges it, which keeps acknowledgements in arrival order because the channel is FIFO.
/// </summary>
internal sealed class MqttMessageReader(ChannelReader<MqttMessage> inner, bool acknowledgeOnRead) : ChannelReader<MqttMessage>
{
    public override Task Completion => inner.Completion;

    public override bool CanCount => inner.CanCount;

    public override int Count => inner.Count;

    public override bool TryRead([MaybeNullWhen(false)] out MqttMessage item)
    {
        if (!inner.TryRead(out item))
        {
            return false;
        }
        if (acknowledgeOnRead)
        {
            item.Acknowledge();
        }
        return true;
    }

    public override bool TryPeek([MaybeNullWhen(false)] out MqttMessage item) => inner.TryPeek(out item);

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        inner.WaitToReadAsync(cancellationToken);
}
