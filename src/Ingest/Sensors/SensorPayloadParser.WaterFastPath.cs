using System.Text;
using System.Text.Json;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Models.WaterQuality;

namespace OneMap.Ingest.Sensors;

public sealed partial class SensorPayloadParser
{
    /// <summary>A known indicator as the fast path matches it: its canonical id in UTF-8 and its quantity.</summary>
    private sealed record KnownIndicator(string Id, byte[] Utf8, SensorLimits.Quantity Quantity, byte[] UnitUtf8);

    private static readonly KnownIndicator[] KnownIndicators = Indicators.All
        .Select(i => (Indicator: i, Quantity: SensorLimits.WaterIndicator(i.Id)))
        .Where(x => x.Quantity is not null)
        .Select(x => new KnownIndicator(x.Indicator.Id, Encoding.UTF8.GetBytes(x.Indicator.Id), x.Quantity!, Encoding.UTF8.GetBytes(x.Quantity!.Unit)))
        .ToArray();

    private static readonly string[] FlagCodes = ["N", "F", "M", "S", "D", "C", "T", "B"];

    private const int HasStation = 1, HasIndicator = 2, HasValue = 4, HasUnit = 8, HasFlag = 16, HasTs = 32, HasReadings = 64;

    /// <summary>
    /// Reads a well-formed water-quality message (a single reading, or a station's <c>data</c> batch) in one pass over the
    /// payload, allocating nothing per reading. It accepts only what the full parser would accept unchanged: the members
    /// of docs/sensors.md, each once, with canonical indicator ids, a plausible value, a known unit spelling, an HJ 212 flag
    /// and a timestamp that parses. Anything else (an unknown or repeated member, a bad value, a batch whose <c>ts</c>
    /// follows its readings) returns false, and the caller parses the message with the document parser, which gives the
    /// reasons. So the fast path changes speed, never outcomes.
    /// </summary>
    private bool TryReadWater(string station, string leaf, ReadOnlySpan<byte> payload, ParsedMessage result)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var ok = leaf == "data" ? TryReadWaterBatch(ref reader, station, result) : TryReadWaterReading(ref reader, station, leaf, null, result);
            // Nothing but white space may follow the object (the reader throws on anything else).
            return ok && !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or text that is not valid UTF-8: the document parser names the problem.
            return false;
        }
    }

    private bool TryReadWaterBatch(ref Utf8JsonReader reader, string station, ParsedMessage result)
    {
        var seen = 0;
        DateTimeOffset? sharedTs = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return (seen & HasReadings) != 0;
            }
            var member = Member(ref reader, seen, HasStation | HasTs | HasReadings);
            if (member == 0)
            {
                return false;
            }
            seen |= member;
            reader.Read();
            switch (member)
            {
                case HasStation:
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(station))
                    {
                        return false;
                    }
                    break;
                case HasTs:
                    if (FastTimestamp(ref reader) is not { } ts)
                    {
                        return false;
                    }
                    sharedTs = ts;
                    break;
                default:
                    // The readings: each uses the shared timestamp unless it has its own, so the shared one must come first
                    // (an absent shared ts is fine as long as every reading has its own).
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return false;
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject || !TryReadWaterReading(ref reader, station, null, sharedTs, result))
                        {
                            return false;
                        }
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads one reading object (the reader is on its StartObject). <paramref name="topicIndicator"/> is the topic's
    /// indicator for a single reading (the payload may repeat it, exactly) and null inside a batch (the payload names it).
    /// </summary>
    private bool TryReadWaterReading(ref Utf8JsonReader reader, string station, string? topicIndicator, DateTimeOffset? sharedTs, ParsedMessage result)
    {
        var seen = 0;
        var indicator = topicIndicator is null ? null : FindKnown(topicIndicator);
        if (topicIndicator is not null && indicator is null)
        {
            return false;
        }
        double value = 0;
        string? unit = null;
        var flag = "N";
        var ts = sharedTs;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (indicator is null || (seen & HasValue) == 0 || unit is null || ts is not { } at)
                {
                    return false;
                }
                var quantity = indicator.Quantity;
                if (value < quantity.Minimum || value > quantity.Maximum || !(ReferenceEquals(unit, quantity.Unit) || SensorLimits.IsUnit(quantity, unit)))
                {
                    return false;
                }
                result.Water.Add(new WaterRow(station, indicator.Id, at, value, quantity.Unit, flag, LocalDate(at)));
                return true;
            }
            var member = Member(ref reader, seen, HasStation | HasIndicator | HasValue | HasUnit | HasFlag | HasTs);
            if (member == 0)
            {
                return false;
            }
            seen |= member;
            reader.Read();
            switch (member)
            {
                case HasStation:
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(station))
                    {
                        return false;
                    }
                    break;
                case HasIndicator:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }
                    if (topicIndicator is not null)
                    {
                        if (!reader.ValueTextEquals(indicator!.Utf8))
                        {
                            return false;
                        }
                    }
                    else if ((indicator = FindKnown(ref reader)) is null)
                    {
                        return false;
                    }
                    break;
                case HasValue:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
                    {
                        return false;
                    }
                    break;
                case HasUnit:
                    // Checked against the indicator at the end: the unit may come before the indicator.
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }
                    unit = KnownUnit(ref reader) ?? reader.GetString()!;
                    break;
                case HasFlag:
                    if (reader.TokenType != JsonTokenType.String || FlagCode(ref reader) is not { } code)
                    {
                        return false;
                    }
                    flag = code;
                    break;
                default:
                    if (FastTimestamp(ref reader) is not { } own)
                    {
                        return false;
                    }
                    ts = own;
                    break;
            }
        }
        return false;
    }

    /// <summary>Which member the reader is on (a flag), or 0 when it is not one of <paramref name="allowed"/> or came before.</summary>
    private static int Member(ref Utf8JsonReader reader, int seen, int allowed)
    {
        var member =
            reader.ValueTextEquals("indicator"u8) ? HasIndicator :
            reader.ValueTextEquals("value"u8) ? HasValue :
            reader.ValueTextEquals("unit"u8) ? HasUnit :
            reader.ValueTextEquals("flag"u8) ? HasFlag :
            reader.ValueTextEquals("ts"u8) ? HasTs :
            reader.ValueTextEquals("stationId"u8) ? HasStation :
            reader.ValueTextEquals("readings"u8) ? HasReadings : 0;
        return (member & allowed & ~seen) != 0 ? member : 0;
    }

    private static KnownIndicator? FindKnown(string id)
    {
        foreach (var known in KnownIndicators)
        {
            if (known.Id == id)
            {
                return known;
            }
        }
        return null;
    }

    private static KnownIndicator? FindKnown(ref Utf8JsonReader reader)
    {
        foreach (var known in KnownIndicators)
        {
            if (reader.ValueTextEquals(known.Utf8))
            {
                return known;
            }
        }
        return null;
    }

    /// <summary>The canonical unit string when the value spells one exactly, so the common case allocates nothing.</summary>
    private static string? KnownUnit(ref Utf8JsonReader reader)
    {
        foreach (var known in KnownIndicators)
        {
            if (reader.ValueTextEquals(known.UnitUtf8))
            {
                return known.Quantity.Unit;
            }
        }
        return null;
    }

    private static string? FlagCode(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length != 1)
        {
            return null;
        }
        var index = "NFMSDCTB"u8.IndexOf(reader.ValueSpan[0]);
        return index < 0 ? null : FlagCodes[index];
    }

    /// <summary>The timestamp string the reader is on, parsed as the document parser would (reusing the last parse), or null.</summary>
    private DateTimeOffset? FastTimestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }
        if (lastTsUtf8 is not null && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(lastTsUtf8))
        {
            return lastTs;
        }
        var text = reader.GetString()!;
        if (text == lastTsText)
        {
            return lastTs;
        }
        if (ValueParsers.Timestamp(FieldValue.FromText(text.AsMemory()), NoFormats, zone, out var ts) is not null)
        {
            return null;
        }
        RememberTimestamp(text, ts);
        return ts;
    }
}
