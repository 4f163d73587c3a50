using System.Buffers;

using OneMap.Mqtt.Packets;

namespace OneMap.Mqtt.Tests.Packets;

public sealed class RemainingLengthTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void encodes_the_boundaries_of_table_2_4_and_decodes_them_back(int value, byte[] encoded)
    {
        var buffer = new byte[4];
        var written = RemainingLength.Write(buffer, value);
        Assert.Equal(encoded, buffer[..written]);
        Assert.Equal(encoded.Length, RemainingLength.EncodedSize(value));

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(encoded));
        Assert.True(RemainingLength.TryRead(ref reader, out var decoded));
        Assert.Equal(value, decoded);
        Assert.Equal(encoded.Length, reader.Consumed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void refuses_values_mqtt_cannot_carry(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RemainingLength.EncodedSize(value));
        Assert.Equal(value, error.ActualValue);
    }

    [Fact]
    public void a_fifth_length_byte_is_a_protocol_error()
    {
        var error = Assert.Throws<MqttProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x80, 0x80, 0x80, 0x80, 0x01]));
            RemainingLength.TryRead(ref reader, out _);
        });
        Assert.Contains("longer than 4 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_incomplete_length_asks_for_more_bytes()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x80, 0x80]));
        Assert.False(RemainingLength.TryRead(ref reader, out _));
    }

    [Fact]
    public void framing_reads_headers_split_across_segments()
    {
        // 0x30, then the length 0x80 0x01 (128) in two segments, as a socket may deliver them.
        var sequence = Segments.Of([0x30, 0x80], [0x01]);
        Assert.True(PacketFramer.TryReadHeader(sequence, out var header));
        Assert.Equal(PacketType.Publish, header.Type);
        Assert.Equal(128, header.RemainingLength);
        Assert.Equal(3, header.HeaderLength);
        Assert.Equal(131, header.TotalLength);
    }
}

/// <summary>Builds multi-segment sequences, the shape a pipe hands over when a packet straddles reads.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        Segment? first = null;
        Segment? last = null;
        foreach (var part in parts)
        {
            var segment = new Segment(part, last);
            first ??= segment;
            last = segment;
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, Segment? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
