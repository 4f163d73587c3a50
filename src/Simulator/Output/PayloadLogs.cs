using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OneMap.Models.Manholes;
using OneMap.Models.Rivers;
using OneMap.Models.Sensors;
using OneMap.Models.WaterQuality;
using OneMap.Simulator.Manholes;
using OneMap.Simulator.Rivers;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator.Output;

/// <summary>
/// Sensor payload logs: one MQTT message per line, <c>topic TAB payload</c>, gzip-compressed, one file per local day.
/// The payloads are exactly what the devices publish (see docs/sensors.md).
/// </summary>
public static class PayloadLogs
{
    /// <summary>The topic root of the sample city.</summary>
    public const string TopicRoot = "putian";

    private static readonly byte[] Tab = "\t"u8.ToArray();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Writes one day of water-quality messages; returns the number of messages.</summary>
    public static int WriteWaterQualityDay(Stream output, WaterSignal signal, List<StationInfo> stations, DateTimeOffset start, int day)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer, Json.Compact);
        Span<double> values = stackalloc double[WaterSignal.Count];
        Span<DataFlag> flags = stackalloc DataFlag[WaterSignal.Count];
        var automatic = Enumerable.Range(0, stations.Count).Where(s => stations[s].Record.Kind == StationKind.Automatic).ToArray();
        var topics = automatic.ToDictionary(s => s, s => Encoding.UTF8.GetBytes($"{TopicRoot}/wq/{stations[s].Record.Id}/"));
        var stepsPerDay = (long)(TimeSpan.FromDays(1) / WaterSignal.Step);
        var count = 0;
        for (var step = day * stepsPerDay; step < (day + 1) * stepsPerDay; step++)
        {
            var ts = ChinaTime.Iso(start + WaterSignal.Step * step);
            foreach (var s in automatic)
            {
                if (!signal.Report(s, step, values, flags))
                {
                    continue;
                }
                var station = stations[s].Record.Id;
                if (stations[s].Mode == ReportingMode.Batch)
                {
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    writer.WriteStartObject();
                    writer.WriteString("stationId", station);
                    writer.WriteString("ts", ts);
                    writer.WriteStartArray("readings");
                    for (var i = 0; i < WaterSignal.Count; i++)
                    {
                        var indicator = Indicators.All[i];
                        writer.WriteStartObject();
                        writer.WriteString("indicator", indicator.Id);
                        Json.Number(writer, "value", values[i], indicator.Decimals);
                        writer.WriteString("unit", indicator.Unit);
                        writer.WriteString("flag", flags[i].Code());
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    writer.Flush();
                    WriteLine(output, topics[s], "data"u8, buffer.WrittenSpan);
                    count++;
                }
                else
                {
                    for (var i = 0; i < WaterSignal.Count; i++)
                    {
                        var indicator = Indicators.All[i];
                        buffer.ResetWrittenCount();
                        writer.Reset(buffer);
                        writer.WriteStartObject();
                        writer.WriteString("stationId", station);
                        writer.WriteString("indicator", indicator.Id);
                        Json.Number(writer, "value", values[i], indicator.Decimals);
                        writer.WriteString("unit", indicator.Unit);
                        writer.WriteString("flag", flags[i].Code());
                        writer.WriteString("ts", ts);
                        writer.WriteEndObject();
                        writer.Flush();
                        WriteLine(output, topics[s], Encoding.UTF8.GetBytes(indicator.Id), buffer.WrittenSpan);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /// <summary>Writes one day of manhole-cover messages; returns the number of messages.</summary>
    public static int WriteManholeDay(Stream output, ManholeSystem manholes, DateTimeOffset start, int day)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, Json.Compact);
        var messages = manholes.Messages(start.AddDays(day), start.AddDays(day + 1));
        foreach (var m in messages)
        {
            var cover = manholes.Covers[m.Device].Record;
            var topic = Encoding.UTF8.GetBytes($"{TopicRoot}/manhole/{cover.Id}/");
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            writer.WriteString("deviceId", cover.Id);
            writer.WriteString("ts", ChinaTime.Iso(m.At));
            if (m.IsAlarm)
            {
                writer.WriteString("type", AlarmType(m.AlarmKind));
                Json.Number(writer, "value", m.Value, 2);
                Json.Number(writer, "threshold", m.Threshold, 2);
                writer.WriteEndObject();
                writer.Flush();
                WriteLine(output, topic, "alarm"u8, buffer.WrittenSpan);
            }
            else
            {
                var r = manholes.Read(m.Device, m.At);
                Json.Number(writer, "tiltDeg", r.TiltDegrees, 1);
                Json.Number(writer, "displacementMm", r.DisplacementMillimeters, 1);
                Json.Number(writer, "waterLevelCm", r.WaterLevelCentimeters, 1);
                Json.Number(writer, "ch4PctLel", r.MethanePercentLel, 1);
                Json.Number(writer, "h2sPpm", r.HydrogenSulfidePpm, 1);
                Json.Number(writer, "batteryV", r.BatteryVolts, 2);
                writer.WriteNumber("signalDbm", r.SignalDbm);
                writer.WriteEndObject();
                writer.Flush();
                WriteLine(output, topic, "status"u8, buffer.WrittenSpan);
            }
        }
        return messages.Count;
    }

    public static string AlarmType(ManholeAlarmKind kind) => kind switch
    {
        ManholeAlarmKind.Tilt => "tilt",
        ManholeAlarmKind.Displacement => "displacement",
        ManholeAlarmKind.WaterLevel => "water_level",
        ManholeAlarmKind.Gas => "gas",
        _ => "low_battery",
    };

    /// <summary>Opens a gzip stream for a log file (deterministic: gzip headers carry no timestamp in .NET).</summary>
    public static Stream CreateGzip(string path) =>
        new GZipStream(new BufferedStream(File.Create(path), 1 << 16), CompressionLevel.Optimal);

    private static void WriteLine(Stream output, ReadOnlySpan<byte> topicPrefix, ReadOnlySpan<byte> topicLeaf, ReadOnlySpan<byte> payload)
    {
        output.Write(topicPrefix);
        output.Write(topicLeaf);
        output.Write(Tab);
        output.Write(payload);
        output.Write(NewLine);
    }
}
