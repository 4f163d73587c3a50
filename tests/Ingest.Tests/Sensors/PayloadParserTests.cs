using System.IO.Compression;
using System.Text;
using OneMap.Ingest.Sensors;
using OneMap.Testing;

namespace OneMap.Ingest.Tests.Sensors;

public sealed class PayloadParserTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static SensorPayloadParser Parser(bool fastPath = true)
    {
        var registry = new SensorRegistry();
        registry.Replace(["WQ001"], ["MH0001"]);
        return new SensorPayloadParser(registry, 1024, Shanghai) { FastPath = fastPath };
    }

    /// <summary>What a parse produced, as comparable values.</summary>
    private static (List<WaterRow> Water, List<(string, string)> Rejected) Outcome(SensorPayloadParser parser, string topic, byte[] payload)
    {
        var result = new ParsedMessage();
        parser.Parse(topic, payload, null, result);
        return ([.. result.Water], [.. result.Rejected]);
    }

    private static void AssertSameOutcome(SensorPayloadParser fast, SensorPayloadParser document, string topic, byte[] payload)
    {
        var (fastRows, fastRejected) = Outcome(fast, topic, payload);
        var (documentRows, documentRejected) = Outcome(document, topic, payload);
        Assert.Equal(documentRows, fastRows);
        Assert.Equal(documentRejected, fastRejected);
    }

    private static ParsedMessage Parse(string topic, string payload, int? oversized = null)
    {
        var result = new ParsedMessage();
        Parser().Parse(topic, Encoding.UTF8.GetBytes(payload), oversized, result);
        return result;
    }

    [Fact]
    public void reads_a_single_reading_with_its_zone()
    {
        var parsed = Parse("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":7.21,"unit":"mg/L","flag":"N","ts":"2024-06-01T08:00:00+08:00"}""");

        var row = Assert.Single(parsed.Water);
        Assert.Empty(parsed.Rejected);
        Assert.Equal(("WQ001", "do", 7.21, "mg/L", "N"), (row.StationId, row.Indicator, row.Value, row.Unit, row.Flag));
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), row.Ts);
        Assert.Equal(new DateOnly(2024, 6, 1), row.Date);
    }

    [Fact]
    public void puts_a_late_evening_reading_into_its_local_day()
    {
        var parsed = Parse("putian/wq/WQ001/ph", """{"stationId":"WQ001","indicator":"ph","value":7.1,"unit":"dimensionless","flag":"N","ts":"2024-06-01T23:30:00+08:00"}""");

        Assert.Equal(new DateOnly(2024, 6, 1), Assert.Single(parsed.Water).Date);
    }

    [Fact]
    public void keeps_the_good_readings_of_a_batch_and_rejects_the_bad_one_by_position()
    {
        var parsed = Parse("putian/wq/WQ001/data", """
            {"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[
              {"indicator":"do","value":7.2,"unit":"mg/L","flag":"N"},
              {"indicator":"ph","value":20,"unit":"dimensionless","flag":"N"},
              {"indicator":"nh3_n","value":0.31,"unit":"mg/L","flag":"N"}]}
            """);

        Assert.Equal(2, parsed.Water.Count);
        var (position, reason) = Assert.Single(parsed.Rejected);
        Assert.Equal("readings[1]", position);
        Assert.Contains("absurd value 20", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("putian/wq/WQ999/do", """{"stationId":"WQ999","indicator":"do","value":7,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "unknown sensor 'WQ999'")]
    [InlineData("putian/wq/WQ001/do", "not json at all", "payload is not JSON")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":NaN,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "NaN or Infinity")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":"Infinity","unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "not a finite number")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":7,"unit":"mg/m3","ts":"2024-06-01T08:00:00+08:00"}""", "wrong unit 'mg/m3' (expected mg/L)")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":-1.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "absurd value -1.5 mg/L")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ001","indicator":"do","value":7,"unit":"mg/L","ts":"yesterday"}""", "ts: 'yesterday' is not a timestamp")]
    [InlineData("putian/wq/WQ001/xx", """{"stationId":"WQ001","indicator":"xx","value":7,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "unknown indicator 'xx'")]
    [InlineData("putian/manhole/MH0001/status", """{"deviceId":"MH0001","ts":"2024-06-01T08:00:00+08:00","tiltDeg":400,"displacementMm":1,"waterLevelCm":80,"ch4PctLel":0,"h2sPpm":0,"batteryV":3.6,"signalDbm":-80}""", "tiltDeg: absurd value 400")]
    [InlineData("putian/manhole/MH0001/alarm", """{"deviceId":"MH0001","ts":"2024-06-01T08:00:00+08:00","type":"explosion","value":1,"threshold":1}""", "unknown alarm type 'explosion'")]
    [InlineData("putian/wq/WQ001/do", """[1,2,3]""", "not an object")]
    [InlineData("putian/wq/WQ001/do", """{"stationId":"WQ002","indicator":"do","value":7,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""", "the topic names sensor 'WQ001'")]
    [InlineData("weird", "{}", "is not <city>/wq/")]
    public void rejects_malformed_payloads_with_their_reason(string topic, string payload, string reason)
    {
        var parsed = Parse(topic, payload);

        Assert.Empty(parsed.Water);
        Assert.Empty(parsed.Manhole);
        Assert.Empty(parsed.Alarms);
        Assert.Contains(reason, Assert.Single(parsed.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void rejects_oversized_payloads_without_reading_them()
    {
        var parsed = Parse("putian/wq/WQ001/do", new string('x', 2000));
        var skipped = Parse("putian/wq/WQ001/do", "", oversized: 5_000_000);

        Assert.Contains("2000 bytes exceeds the limit of 1024", Assert.Single(parsed.Rejected).Reason, StringComparison.Ordinal);
        Assert.Contains("5000000 bytes", Assert.Single(skipped.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void reads_manhole_status_and_alarms()
    {
        var status = Parse("putian/manhole/MH0001/status", """{"deviceId":"MH0001","ts":"2024-06-01T08:00:00+08:00","tiltDeg":1.5,"displacementMm":2,"waterLevelCm":80.5,"ch4PctLel":3,"h2sPpm":0.5,"batteryV":3.61,"signalDbm":-87}""");
        var alarm = Parse("putian/manhole/MH0001/alarm", """{"deviceId":"MH0001","ts":"2024-06-01T08:00:05+08:00","type":"tilt","value":35.2,"threshold":15}""");

        Assert.Equal(-87, Assert.Single(status.Manhole).SignalDbm);
        Assert.Equal(("tilt", 35.2, 15.0), (Assert.Single(alarm.Alarms).Kind, alarm.Alarms[0].Value, alarm.Alarms[0].Threshold));
    }

    [Fact]
    public void the_fast_path_reads_a_day_of_sample_city_logs_exactly_as_the_document_parser()
    {
        var registry = SensorRegistry.AcceptAll();
        var fast = new SensorPayloadParser(registry, 64 * 1024, Shanghai);
        var document = new SensorPayloadParser(registry, 64 * 1024, Shanghai) { FastPath = false };
        var log = Path.Combine(RepoPaths.RepoRoot, "data-samples", "sensors", "water-quality", "2024-06-01.log.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(log), CompressionMode.Decompress), Encoding.UTF8);
        var lines = 0;
        var rows = 0;
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var (topic, payload) = (line[..tab], Encoding.UTF8.GetBytes(line[(tab + 1)..]));
            var (fastRows, fastRejected) = Outcome(fast, topic, payload);
            var (documentRows, documentRejected) = Outcome(document, topic, payload);
            Assert.Equal(documentRows, fastRows);
            Assert.Equal(documentRejected, fastRejected);
            lines++;
            rows += fastRows.Count;
        }

        Assert.True(lines > 10_000, $"only {lines} lines read");
        Assert.Equal(lines, fast.FastPathMessages);
        Assert.Equal(0, document.FastPathMessages);
        Assert.True(rows > lines, $"only {rows} rows from {lines} lines");
    }

    /// <summary>
    /// Payloads the one-pass reader must either read exactly as the document parser does or leave to it: member order,
    /// escapes, spellings, repeated and unknown members, timestamps after the readings, bad values, broken JSON.
    /// </summary>
    [Theory]
    [InlineData("putian/wq/WQ001/do", """{"unit":"mg/L","value":7.5,"ts":"2024-06-01T08:00:00+08:00","indicator":"do","stationId":"WQ001","flag":"N"}""")]
    [InlineData("putian/wq/WQ001/do", """{"value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"DO","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/w01009", """{"indicator":"w01009","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"\u0064o","value":7.5,"unit":"mg\/L","flag":"\u004E","ts":"2024-06-01T08:00:00+08:00","stationId":"WQ\u0030\u00301"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":" MG/L ","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/water_temp", """{"indicator":"water_temp","value":21,"unit":"℃","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","flag":"F","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","flag":"X","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","flag":null,"ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"value":8.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00","note":"calibrated"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":"7.5","unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":1e1,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":25.0000001,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":-0.0,"unit":"mg/L","ts":"2024-06-01 08:00:00"}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","ts":1717200000}""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"} trailing""")]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"do","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}  """)]
    [InlineData("putian/wq/WQ001/do", """{"indicator":"ph","value":7.5,"unit":"dimensionless","ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[{"indicator":"do","value":7.2,"unit":"mg/L","flag":"N"},{"indicator":"ph","value":7.1,"unit":"dimensionless","flag":"N","ts":"2024-06-01T07:00:00+08:00"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","readings":[{"indicator":"do","value":7.2,"unit":"mg/L","flag":"N"}],"ts":"2024-06-01T08:00:00+08:00"}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","readings":[{"indicator":"do","value":7.2,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","readings":[{"indicator":"do","value":7.2,"unit":"mg/L"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[7,{"indicator":"do","value":7.2,"unit":"mg/L"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[{"indicator":"do","value":7.2,"unit":"mg/L","stationId":"WQ002"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[{"value":7.2,"unit":"mg/L"},{"indicator":"do","value":-1,"unit":"mg/L"}]}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":{"indicator":"do"}}""")]
    [InlineData("putian/wq/WQ001/data", """{"stationId":"WQ001","ts":"2024-06-01T08:00:00+08:00","readings":[{"indicator":"do","value":7.2,"unit":"mg/L"}""")]
    public void the_fast_path_reads_or_leaves_every_payload_as_the_document_parser_would(string topic, string payload)
    {
        AssertSameOutcome(Parser(), Parser(fastPath: false), topic, Encoding.UTF8.GetBytes(payload));
    }

    [Fact]
    public void the_fast_path_reads_reordered_and_escaped_members_itself()
    {
        var fast = Parser();

        AssertSameOutcome(fast, Parser(fastPath: false), "putian/wq/WQ001/do", Encoding.UTF8.GetBytes(
            """{"unit":"mg\/L","value":7.5,"ts":"2024-06-01T08:00:00+08:00","indicator":"\u0064o","stationId":"WQ001","flag":"N"}"""));

        Assert.Equal(1, fast.FastPathMessages);
    }

    [Fact]
    public void quarantines_a_string_that_is_not_valid_utf8_on_either_path()
    {
        var payload = Encoding.UTF8.GetBytes("""{"indicator":"do","value":7.5,"unit":"mg/L","ts":"2024-06-01T08:00:00+08:00"}""");
        payload[Array.IndexOf(payload, (byte)'2')] = 0xC3; // a lead byte with no continuation, inside the ts string
        var fast = Parser();

        var (_, fastRejected) = Outcome(fast, "putian/wq/WQ001/do", payload);
        var (_, documentRejected) = Outcome(Parser(fastPath: false), "putian/wq/WQ001/do", payload);

        Assert.Equal(("", "payload holds a string that is not valid UTF-8"), Assert.Single(fastRejected));
        Assert.Equal(fastRejected, documentRejected);
        Assert.Equal(0, fast.FastPathMessages);
    }
}
