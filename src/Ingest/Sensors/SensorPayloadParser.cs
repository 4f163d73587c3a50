using System.Globalization;
using System.Text;
using System.Text.Json;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Feeds.Mapping;
using OneMap.Models.Sensors;
using OneMap.Models.WaterQuality;

namespace OneMap.Ingest.Sensors;

/// <summary>
/// Parses the sensor payloads of docs/sensors.md. Topics are <c>&lt;city&gt;/wq/&lt;station&gt;/&lt;indicator&gt;</c> (one
/// reading), <c>&lt;city&gt;/wq/&lt;station&gt;/data</c> (a station's readings at one time), <c>&lt;city&gt;/manhole/&lt;device&gt;/status</c>
/// and <c>…/alarm</c>. Every problem becomes a reason (unknown sensor, not JSON, NaN/Infinity, wrong unit, absurd value,
/// oversized), never an exception; one bad reading of a batch does not reject the others. One parser per thread.
/// </summary>
public sealed partial class SensorPayloadParser(SensorRegistry registry, int maximumPayloadBytes, TimeZoneInfo zone)
{
    private static readonly string[] NoFormats = [];
    private readonly Dictionary<string, TopicParts> topics = new(StringComparer.Ordinal);
    private string? lastTsText;
    private byte[]? lastTsUtf8;
    private DateTimeOffset lastTs;
    private DateOnly lastDate;

    public int MaximumPayloadBytes => maximumPayloadBytes;

    /// <summary>
    /// Read well-formed water-quality payloads in one pass without building a document (default true). Off, every
    /// message goes through the document parser: the reference the fast path is tested against.
    /// </summary>
    public bool FastPath { get; init; } = true;

    /// <summary>Messages the fast path read (the others went through the document parser).</summary>
    public long FastPathMessages { get; private set; }

    /// <summary>Parses one message into <paramref name="result"/> (cleared first).</summary>
    public void Parse(string topic, ReadOnlySpan<byte> payload, int? oversizedLength, ParsedMessage result) =>
        Parse(topic, new ReadOnlyMemory<byte>(payload.ToArray()), oversizedLength, result);

    /// <summary>Parses one message into <paramref name="result"/> (cleared first); the payload is not copied.</summary>
    public void Parse(string topic, ReadOnlyMemory<byte> memory, int? oversizedLength, ParsedMessage result)
    {
        var payload = memory.Span;
        result.Clear();
        var length = oversizedLength ?? payload.Length;
        if (oversizedLength is not null || payload.Length > maximumPayloadBytes)
        {
            result.Rejected.Add(("", $"payload of {length} bytes exceeds the limit of {maximumPayloadBytes} bytes"));
            return;
        }
        if (Split(topic) is not (var kind, var id, var leaf))
        {
            result.Rejected.Add(("", $"topic '{topic}' is not <city>/wq/<station>/<indicator|data> or <city>/manhole/<device>/<status|alarm>"));
            return;
        }
        var known = kind switch
        {
            "wq" => registry.IsKnownStation(id),
            "manhole" => registry.IsKnownDevice(id),
            _ => false,
        };
        if (kind is not ("wq" or "manhole"))
        {
            result.Rejected.Add(("", $"unknown sensor kind '{kind}' in topic '{topic}' (expected wq or manhole)"));
            return;
        }
        if (!known)
        {
            result.Rejected.Add(("", $"unknown sensor '{id}': not in the {(kind == "wq" ? "station" : "manhole cover")} register"));
            return;
        }
        if (FastPath && kind == "wq" && TryReadWater(id, leaf, payload, result))
        {
            FastPathMessages++;
            return;
        }
        // The document parser handles everything the fast path leaves, and names what is wrong.
        result.Clear();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(memory);
        }
        catch (JsonException e)
        {
            result.Rejected.Add(("", NotJson(payload, e)));
            return;
        }
        using (document)
        {
            try
            {
                ReadDocument(topic, kind, id, leaf, document.RootElement, result);
            }
            catch (InvalidOperationException)
            {
                // JSON's structure was fine but a string in it is not valid UTF-8 (JsonElement.GetString refuses it).
                result.Clear();
                result.Rejected.Add(("", "payload holds a string that is not valid UTF-8"));
            }
        }
    }

    private void ReadDocument(string topic, string kind, string id, string leaf, JsonElement root, ParsedMessage result)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            result.Rejected.Add(("", $"payload is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object"));
            return;
        }
        switch (kind, leaf)
        {
            case ("wq", "data"):
                WaterBatch(id, root, result);
                break;
            case ("wq", _):
                if (WaterReading(id, leaf, root, null, out var row) is { } error)
                {
                    result.Rejected.Add(("", error));
                }
                else
                {
                    result.Water.Add(row);
                }
                break;
            case ("manhole", "status"):
                ManholeStatus(id, root, result);
                break;
            case ("manhole", "alarm"):
                ManholeAlarm(id, root, result);
                break;
            default:
                result.Rejected.Add(("", $"unknown manhole message '{leaf}' in topic '{topic}' (expected status or alarm)"));
                break;
        }
    }

    private void WaterBatch(string station, JsonElement root, ParsedMessage result)
    {
        if (IdMismatch(root, "stationId", station) is { } mismatch)
        {
            result.Rejected.Add(("", mismatch));
            return;
        }
        if (!root.TryGetProperty("readings", out var readings) || readings.ValueKind != JsonValueKind.Array)
        {
            result.Rejected.Add(("", "a data message needs a \"readings\" array"));
            return;
        }
        root.TryGetProperty("ts", out var sharedTs);
        var index = 0;
        foreach (var reading in readings.EnumerateArray())
        {
            var position = $"readings[{index++}]";
            if (reading.ValueKind != JsonValueKind.Object)
            {
                result.Rejected.Add((position, "not an object"));
                continue;
            }
            var indicator = reading.TryGetProperty("indicator", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
            if (WaterReading(station, indicator, reading, sharedTs.ValueKind == JsonValueKind.Undefined ? null : sharedTs, out var row) is { } error)
            {
                result.Rejected.Add((position, error));
            }
            else
            {
                result.Water.Add(row);
            }
        }
    }

    private string? WaterReading(string station, string topicIndicator, JsonElement reading, JsonElement? sharedTs, out WaterRow row)
    {
        row = default;
        if (IdMismatch(reading, "stationId", station) is { } mismatch)
        {
            return mismatch;
        }
        var indicatorId = reading.TryGetProperty("indicator", out var ind) && ind.ValueKind == JsonValueKind.String ? ind.GetString()! : topicIndicator;
        if (!string.Equals(indicatorId, topicIndicator, StringComparison.OrdinalIgnoreCase) && sharedTs is null)
        {
            return $"the topic names indicator '{topicIndicator}' but the payload says '{indicatorId}'";
        }
        var indicator = Indicators.Find(indicatorId);
        var quantity = indicator is null ? null : SensorLimits.WaterIndicator(indicator.Id);
        if (indicator is null || quantity is null)
        {
            return $"unknown indicator '{indicatorId}' (expected one of {string.Join(", ", Indicators.All.Select(x => x.Id))})";
        }
        if (Number(reading, "value", out var value) is { } valueError)
        {
            return $"{indicator.Id}: {valueError}";
        }
        var unit = reading.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : null;
        if (unit is null)
        {
            return $"{indicator.Id}: no unit (expected {quantity.Unit})";
        }
        if (!SensorLimits.IsUnit(quantity, unit))
        {
            return $"{indicator.Id}: wrong unit '{unit}' (expected {quantity.Unit})";
        }
        if (value < quantity.Minimum || value > quantity.Maximum)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{indicator.Id}: absurd value {value} {quantity.Unit} (possible: {quantity.Minimum}…{quantity.Maximum})");
        }
        var flag = reading.TryGetProperty("flag", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "N";
        try
        {
            DataFlags.Parse(flag);
        }
        catch (FormatException e)
        {
            return $"{indicator.Id}: {e.Message}";
        }
        var tsElement = reading.TryGetProperty("ts", out var own) ? own : sharedTs;
        if (Timestamp(tsElement, out var ts) is { } tsError)
        {
            return tsError;
        }
        row = new WaterRow(station, indicator.Id, ts, value, quantity.Unit, flag, LocalDate(ts));
        return null;
    }

    private void ManholeStatus(string device, JsonElement root, ParsedMessage result)
    {
        if (IdMismatch(root, "deviceId", device) is { } mismatch)
        {
            result.Rejected.Add(("", mismatch));
            return;
        }
        if (Timestamp(root.TryGetProperty("ts", out var t) ? t : null, out var ts) is { } tsError)
        {
            result.Rejected.Add(("", tsError));
            return;
        }
        Span<double> values = stackalloc double[SensorLimits.ManholeFields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var (member, _, unit, minimum, maximum) = SensorLimits.ManholeFields[i];
            if (Number(root, member, out values[i]) is { } error)
            {
                result.Rejected.Add(("", $"{member}: {error}"));
                return;
            }
            if (values[i] < minimum || values[i] > maximum)
            {
                result.Rejected.Add(("", string.Create(CultureInfo.InvariantCulture, $"{member}: absurd value {values[i]} {unit} (possible: {minimum}…{maximum})")));
                return;
            }
        }
        result.Manhole.Add(new ManholeRow(device, ts, values[0], values[1], values[2], values[3], values[4], values[5], (long)Math.Round(values[6]), LocalDate(ts)));
    }

    private void ManholeAlarm(string device, JsonElement root, ParsedMessage result)
    {
        if (IdMismatch(root, "deviceId", device) is { } mismatch)
        {
            result.Rejected.Add(("", mismatch));
            return;
        }
        if (Timestamp(root.TryGetProperty("ts", out var t) ? t : null, out var ts) is { } tsError)
        {
            result.Rejected.Add(("", tsError));
            return;
        }
        var type = root.TryGetProperty("type", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        if (type is not ("tilt" or "displacement" or "water_level" or "gas" or "low_battery"))
        {
            result.Rejected.Add(("", $"unknown alarm type '{type}' (expected tilt, displacement, water_level, gas or low_battery)"));
            return;
        }
        if (Number(root, "value", out var value) is { } valueError)
        {
            result.Rejected.Add(("", $"value: {valueError}"));
            return;
        }
        if (Number(root, "threshold", out var threshold) is { } thresholdError)
        {
            result.Rejected.Add(("", $"threshold: {thresholdError}"));
            return;
        }
        result.Alarms.Add(new AlarmRow(device, ts, type, value, threshold));
    }

    private static string? IdMismatch(JsonElement element, string member, string topicId) =>
        element.TryGetProperty(member, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() != topicId
            ? $"the topic names sensor '{topicId}' but the payload's {member} is '{id.GetString()}'"
            : null;

    private static string? Number(JsonElement element, string member, out double value)
    {
        value = 0;
        if (!element.TryGetProperty(member, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return "missing";
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value) && double.IsFinite(value))
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!.Trim();
            if (text.Contains("nan", StringComparison.OrdinalIgnoreCase) || text.Contains("inf", StringComparison.OrdinalIgnoreCase) || text.Contains('∞', StringComparison.Ordinal))
            {
                return $"'{text}' is not a finite number (NaN/Infinity)";
            }
            return $"'{text}' is a string, not a number";
        }
        return $"{v.GetRawText()} is not a number";
    }

    private string? Timestamp(JsonElement? element, out DateTimeOffset ts)
    {
        ts = default;
        if (element is not { } e || e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return "no timestamp (ts)";
        }
        // A station's batch repeats one ts for all its readings, and messages arrive in time order: reuse the last parse.
        if (e.ValueKind == JsonValueKind.String && lastTsText is not null && e.ValueEquals(lastTsText))
        {
            ts = lastTs;
            return null;
        }
        if (ValueParsers.Timestamp(FieldValue.FromJson(e), NoFormats, zone, out ts) is { } error)
        {
            return $"ts: {error}";
        }
        if (e.ValueKind == JsonValueKind.String)
        {
            RememberTimestamp(e.GetString()!, ts);
        }
        return null;
    }

    private void RememberTimestamp(string text, DateTimeOffset ts) =>
        (lastTsText, lastTsUtf8, lastTs, lastDate) = (text, Encoding.UTF8.GetBytes(text), ts, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ts, zone).DateTime));

    /// <summary>A topic's kind, sensor id and leaf.</summary>
    private readonly record struct TopicParts(string Kind, string Id, string Leaf);

    /// <summary>
    /// The parts of a <c>&lt;city&gt;/&lt;kind&gt;/&lt;id&gt;/&lt;leaf&gt;</c> topic, or null. Sensors publish on a few thousand
    /// topics over and over, so the split is remembered rather than allocated per message (bounded: forgotten when full).
    /// </summary>
    private TopicParts? Split(string topic)
    {
        if (topics.TryGetValue(topic, out var known))
        {
            return known;
        }
        var parts = topic.Split('/');
        if (parts.Length != 4 || parts[2].Length == 0)
        {
            return null;
        }
        if (topics.Count >= 16_384)
        {
            topics.Clear();
        }
        return topics[topic] = new TopicParts(parts[1], parts[2], parts[3]);
    }

    private DateOnly LocalDate(DateTimeOffset ts) => ts == lastTs && lastTsText is not null ? lastDate : DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ts, zone).DateTime);

    private static string NotJson(ReadOnlySpan<byte> payload, JsonException e)
    {
        var text = Encoding.UTF8.GetString(payload);
        if (System.Text.RegularExpressions.Regex.IsMatch(text, @"[:\[,]\s*-?(NaN|Infinity)\b"))
        {
            return "payload holds NaN or Infinity, which are not numbers in JSON";
        }
        return $"payload is not JSON: {e.Message}";
    }
}
