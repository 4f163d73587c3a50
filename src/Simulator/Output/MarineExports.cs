using System.Globalization;
using System.Text;
using OneMap.Models.Crs;
using OneMap.Models.Vessels;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    // Ocean and fisheries (D17): vessel register as GB18030 CSV, BeiDou positions as a gzipped CSV (with a few GPS
    // glitches at 0,0 as terminals report after a cold start), fences as WGS84 GeoJSON.
    private static void WriteMarine(SampleCity city, Files files, List<BadRow> bad)
    {
        var fleet = city.Fleet;
        var register = new CsvTable(["船名号", "船名", "北斗终端号", "船籍港", "船长(米)", "主机功率(千瓦)", "船主姓名", "船主电话", "所属网格"]);
        foreach (var v in fleet.Vessels)
        {
            register.Add(v.Id, v.Name, v.TerminalId, v.HomePort, Json.Format(v.LengthMeters, 1), Json.Format(v.EnginePowerKw, 0),
                v.OwnerName, v.OwnerPhone, v.GridCode);
        }
        files.Write("marine/vessels.csv", register.ToBytes(TextEncodings.Gb18030));

        var path = files.Prepare("marine/vessel-positions.csv.gz");
        using (var stream = PayloadLogs.CreateGzip(path, city.Options.Scale))
        using (var writer = new StreamWriter(stream, TextEncodings.Utf8, 1 << 16) { NewLine = "\n" })
        {
            writer.WriteLine("terminal_id,vessel_id,ts,lon,lat,speed_kn,course_deg");
            var line = 1;
            var glitchEvery = Math.Max(1, fleet.Fixes.Count / 4);
            for (var i = 0; i < fleet.Fixes.Count; i++)
            {
                var f = fleet.Fixes[i];
                var v = fleet.Vessels[f.Vessel];
                line++;
                var (lon, lat) = (f.Lon, f.Lat);
                if (i % glitchEvery == glitchEvery / 2)
                {
                    (lon, lat) = (0, 0);
                    bad.Add(new BadRow("marine/vessel-positions.csv.gz", line, $"{v.TerminalId} {ChinaTime.Iso(f.At)}", "coordinate_out_of_range",
                        "lon/lat are 0 (no satellite fix)"));
                }
                var sb = new StringBuilder(96);
                sb.Append(v.TerminalId).Append(',').Append(v.Id).Append(',').Append(ChinaTime.Iso(f.At)).Append(',')
                  .Append(Json.Format(lon, 6)).Append(',').Append(Json.Format(lat, 6)).Append(',')
                  .Append(f.SpeedKnots.ToString("0.0", CultureInfo.InvariantCulture)).Append(',')
                  .Append(f.Course.ToString("0", CultureInfo.InvariantCulture));
                writer.WriteLine(sb.ToString());
            }
        }
        files.Record("marine/vessel-positions.csv.gz");

        files.Write("marine/fences.geojson", GeoJsonFiles.FeatureCollection(fleet.Fences, f => f.Record.Area, (w, f) =>
        {
            w.WriteString("fence_id", f.Record.Id);
            w.WriteString("name", f.Record.Name);
            w.WriteString("kind", f.Record.Kind switch
            {
                FenceKind.NoFishing => "no_fishing",
                FenceKind.Channel => "channel",
                FenceKind.Aquaculture => "aquaculture",
                _ => "offshore",
            });
        }, CrsId.Wgs84, "fences"));
    }
}
