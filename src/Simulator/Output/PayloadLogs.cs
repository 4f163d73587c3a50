using System.IO.Compression;
using System.Text;
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

    /// <summary>Writes one day of water-quality messages; returns the number of messages.</summary>
    public static int WriteWaterQualityDay(Stream output, WaterSignal signal, List<StationInfo> stations, DateTimeOffset start, int day)
    {
        var line = new PayloadBuffer();
        Span<double> values = stackalloc double[WaterSignal.Count];
        Span<DataFlag> flags = stackalloc DataFlag[WaterSignal.Count];
        var automatic = Enumerable.Range(0, stations.Count).Where(s => stations[s].Record.Kind == StationKind.Automatic).ToArray();
        var flagCodes = Enum.GetValues<DataFlag>().Select(f => f.Code()).ToArray();
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
                    line.Clear();
                    line.Raw($"{TopicRoot}/wq/{station}/data\t");
                    line.BeginObject();
                    line.String("stationId", station);
                    line.String("ts", ts);
                    line.BeginArray("readings");
                    for (var i = 0; i < WaterSignal.Count; i++)
                    {
                        var indicator = Indicators.All[i];
                        line.BeginObject();
                        line.String("indicator", indicator.Id);
                        line.Number("value", values[i], indicator.Decimals);
                        line.String("unit", indicator.Unit);
                        line.String("flag", flagCodes[(int)flags[i]]);
                        line.EndObject();
                    }
                    line.EndArray();
                    line.EndObject();
                    line.EndLine();
                    output.Write(line.Written);
                    count++;
                }
                else
                {
                    for (var i = 0; i < WaterSignal.Count; i++)
                    {
                        var indicator = Indicators.All[i];
                        line.Clear();
                        line.Raw($"{TopicRoot}/wq/{station}/{indicator.Id}\t");
                        line.BeginObject();
                        line.String("stationId", station);
                        line.String("indicator", indicator.Id);
                        line.Number("value", values[i], indicator.Decimals);
                        line.String("unit", indicator.Unit);
                        line.String("flag", flagCodes[(int)flags[i]]);
                        line.String("ts", ts);
                        line.EndObject();
                        line.EndLine();
                        output.Write(line.Written);
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
        var line = new PayloadBuffer();
        var messages = manholes.Messages(start.AddDays(day), start.AddDays(day + 1));
        foreach (var m in messages)
        {
            var cover = manholes.Covers[m.Device].Record;
            line.Clear();
            line.Raw($"{TopicRoot}/manhole/{cover.Id}/{(m.IsAlarm ? "alarm" : "status")}\t");
            line.BeginObject();
            line.String("deviceId", cover.Id);
            line.String("ts", ChinaTime.Iso(m.At));
            if (m.IsAlarm)
            {
                line.String("type", AlarmType(m.AlarmKind));
                line.Number("value", m.Value, 2);
                line.Number("threshold", m.Threshold, 2);
            }
            else
            {
                var r = manholes.Read(m.Device, m.At);
                line.Number("tiltDeg", r.TiltDegrees, 1);
                line.Number("displacementMm", r.DisplacementMillimeters, 1);
                line.Number("waterLevelCm", r.WaterLevelCentimeters, 1);
                line.Number("ch4PctLel", r.MethanePercentLel, 1);
                line.Number("h2sPpm", r.HydrogenSulfidePpm, 1);
                line.Number("batteryV", r.BatteryVolts, 2);
                line.Integer("signalDbm", r.SignalDbm);
            }
            line.EndObject();
            line.EndLine();
            output.Write(line.Written);
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

    /// <summary>
    /// Opens a gzip stream for a log file (deterministic: .NET writes no timestamp in the gzip header). The committed
    /// sample compresses hard to stay small; benchmark scales compress fast.
    /// </summary>
    public static Stream CreateGzip(string path, double scale) =>
        new GZipStream(new BufferedStream(File.Create(path), 1 << 16), scale <= 1 ? CompressionLevel.Optimal : CompressionLevel.Fastest);

}
