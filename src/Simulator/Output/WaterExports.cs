using System.Globalization;
using OneMap.Models.Crs;
using OneMap.Models.Rivers;
using OneMap.Models.WaterQuality;
using OneMap.Simulator.Randomness;
using OneMap.Simulator.WaterQuality;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    private static readonly CrsId Zone40Prefixed = CrsId.FromEpsg(4528);

    // Water resources (D15) sends reaches from its GIS in EPSG:4528 (zone prefix in the easting); the ecology bureau
    // (D12) sends its station list and lab results as GB18030 CSV from Excel, and its outfall register as UTF-8 Excel
    // CSV with projected X/Y.
    private static void WriteWater(SampleCity city, Files files, List<BadRow> bad)
    {
        var rivers = city.Rivers;
        files.Write("water/river-reaches.geojson", GeoJsonFiles.FeatureCollection(rivers.Reaches, r => r.Record.Geometry, (w, r) =>
        {
            var rec = r.Record;
            w.WriteString("reach_id", rec.Id);
            w.WriteString("river_name", rec.RiverName);
            w.WriteString("river_name_en", rec.RiverNameEn);
            w.WriteString("from_node", rec.FromNode);
            w.WriteString("to_node", rec.ToNode);
            Json.StringOrNull(w, "downstream_reach_id", rec.DownstreamReachId);
            Json.Number(w, "length_m", rec.LengthMeters, 1);
            Json.Number(w, "flow_speed_mps", rec.FlowSpeedMetersPerSecond, 2);
            w.WriteNumber("stream_order", rec.StreamOrder);
            Json.Number(w, "discharge_m3s", r.Discharge, 2);
        }, Zone40Prefixed, "river_reaches"));

        var nodes = new CsvTable(["节点编码", "节点类型", "X坐标", "Y坐标"]);
        foreach (var n in rivers.Nodes)
        {
            var (x, y) = CoordinateConverter.FromWgs84(Zone40Prefixed, n.Location.X, n.Location.Y);
            nodes.Add(n.Id, n.Kind switch
            {
                RiverNodeKind.Source => "源头",
                RiverNodeKind.Confluence => "汇流点",
                RiverNodeKind.Mouth => "入海口",
                _ => "河段分界",
            }, Json.Format(x, 3), Json.Format(y, 3));
        }
        files.Write("water/river-nodes.csv", nodes.ToBytes(TextEncodings.Utf8Bom));

        var stations = new CsvTable(["站点编码", "站点名称", "站点类型", "所在河流", "所在河段", "距河段起点(米)", "水质目标", "监测频次", "经度", "纬度"]);
        foreach (var s in city.Stations)
        {
            var r = s.Record;
            stations.Add(r.Id, r.Name, r.Kind == StationKind.Automatic ? "水质自动站" : "手工监测断面", rivers.Reaches[s.Reach].Record.RiverName, r.ReachId,
                Json.Format(r.DistanceAlongReachMeters, 1), Roman(r.TargetClass) + "类", r.Kind == StationKind.Automatic ? "每5分钟" : "每周",
                Json.Format(r.Location.X, 6), Json.Format(r.Location.Y, 6));
        }
        files.Write("ecology/stations.csv", stations.ToBytes(TextEncodings.Gb18030));

        var outfalls = new CsvTable(["排口编码", "排口名称", "排口类型", "受纳河段", "排污单位统一社会信用代码", "许可排放量(吨/日)", "X坐标(CGCS2000 3度带)", "Y坐标(CGCS2000 3度带)"]);
        var swapAt = city.Outfalls.FindIndex(o => o.Record.Kind == OutfallKind.Permitted);
        foreach (var (o, index) in city.Outfalls.Where(o => o.Record.Kind != OutfallKind.Hidden).Select((o, i) => (o, i)))
        {
            var r = o.Record;
            var (x, y) = CoordinateConverter.FromWgs84(Zone40Prefixed, r.Location.X, r.Location.Y);
            var swapped = index == swapAt + 7;
            var line = outfalls.Add(r.Id, r.Name, r.Kind == OutfallKind.Permitted ? "工业废水排放口" : "雨水排放口", r.ReachId, r.EnterpriseCreditCode,
                r.PermittedFlowCubicMetersPerDay is { } f ? Json.Format(f, 0) : "",
                Json.Format(swapped ? y : x, 3), Json.Format(swapped ? x : y, 3));
            if (swapped)
            {
                bad.Add(new BadRow("ecology/outfalls.csv", line, r.Id, "swapped_coordinates", "X and Y exchanged (northing in the easting column)"));
            }
        }
        files.Write("ecology/outfalls.csv", outfalls.ToBytes(TextEncodings.Utf8Bom));

        WriteSamplingResults(city, files, bad);
    }

    private static void WriteSamplingResults(SampleCity city, Files files, List<BadRow> bad)
    {
        var table = new CsvTable(["断面编码", "断面名称", "所属河流", "采样日期", "采样时间", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)",
            "高锰酸盐指数(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "水质类别", "定类因子"]);
        var lab = new Rng(Hash.Combine(city.Options.Seed, Hash.Of("lab")));
        var from = city.Options.End.AddDays(-city.Options.TicketDays);
        var samples = new List<(DateTimeOffset At, int Station)>();
        for (var s = 0; s < city.Stations.Count; s++)
        {
            if (city.Stations[s].Record.Kind != StationKind.SamplingPoint)
            {
                continue;
            }
            // Each point is sampled weekly on its own weekday, mid-morning.
            var weekday = s % 5;
            for (var day = from.Date; day < city.Options.End.Date; day = day.AddDays(1))
            {
                if (((int)day.DayOfWeek + 6) % 7 == weekday)
                {
                    samples.Add((new DateTimeOffset(day, ChinaTime.Offset).AddHours(9).AddMinutes(lab.Next(150)), s));
                }
            }
        }
        samples.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Station.CompareTo(b.Station));
        var values = new double[WaterSignal.Count];
        var badDates = new[] { "2024/13/02", "2024/2/30", "", "六月五日" };
        for (var i = 0; i < samples.Count; i++)
        {
            var (at, s) = samples[i];
            var station = city.Stations[s];
            var step = (long)Math.Floor((at - city.Options.Start) / WaterSignal.Step);
            city.Signal.Clean(s, step, values);
            double Lab(int index, int decimals) => Math.Round(values[index] * (1 + 0.03 * lab.Normal()), decimals);
            var measured = new (string Id, double Value)[]
            {
                ("do", Lab(WaterSignal.Do, 1)), ("cod_mn", Lab(WaterSignal.CodMn, 1)), ("nh3_n", Lab(WaterSignal.Nh3N, 3)),
                ("tp", Lab(WaterSignal.Tp, 3)), ("ph", Math.Round(values[WaterSignal.Ph] + 0.03 * lab.Normal(), 2)),
            };
            var assessment = Gb3838.ClassifyOverall(measured.Select(m => (m.Id, m.Value)))!;
            var local = at.ToOffset(ChinaTime.Offset);
            var date = local.ToString("yyyy/M/d", CultureInfo.InvariantCulture);
            var key = station.Record.Id;
            string? problem = null;
            // Spoil a few rows: broken dates and a missing point code, spread over the file.
            if (i % 37 == 11 && i / 37 < badDates.Length)
            {
                date = badDates[i / 37];
                problem = "broken_date";
            }
            else if (i == samples.Count / 2)
            {
                key = "";
                problem = "missing_key";
            }
            var line = table.Add(key, station.Record.Name, city.Rivers.Reaches[station.Reach].Record.RiverName, date, local.ToString("HH:mm", CultureInfo.InvariantCulture),
                Json.Format(Lab(WaterSignal.Temp, 1), 1), Json.Format(measured[4].Value, 2), Json.Format(measured[0].Value, 1),
                Json.Format(measured[1].Value, 1), Json.Format(measured[2].Value, 3), Json.Format(measured[3].Value, 3),
                assessment.Class.Label(), string.Join("、", assessment.DeterminingIndicators.Select(d => Indicators.Get(d).NameZh)));
            if (problem is not null)
            {
                bad.Add(new BadRow("ecology/sampling-results.csv", line, key, problem,
                    problem == "broken_date" ? $"采样日期 is \"{date}\"" : "断面编码 is empty"));
            }
        }
        files.Write("ecology/sampling-results.csv", table.ToBytes(TextEncodings.Gb18030));
    }

    private static string Roman(int waterClass) => waterClass switch { 1 => "I", 2 => "II", 3 => "III", 4 => "IV", 5 => "V", _ => "劣V" };
}
