using OneMap.Models.Crs;
using OneMap.Models.Manholes;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    // Urban management (D14) collects manhole covers with a Baidu-map app, so coordinates are BD-09; its CSV has
    // English headers from the vendor's platform and a few broken rows (out-of-range coordinates, missing ids, a duplicate).
    private static void WriteMunicipal(SampleCity city, Files files, List<BadRow> bad)
    {
        var table = new CsvTable(["device_id", "network", "owner_dept", "district_code", "road", "depth_cm", "installed_on", "bd09_lng", "bd09_lat"]);
        var covers = city.Manholes.Covers;
        for (var i = 0; i < covers.Count; i++)
        {
            var c = covers[i].Record;
            var (lng, lat) = CoordinateConverter.FromWgs84(CrsId.Bd09, c.Location.X, c.Location.Y);
            var id = c.Id;
            string? problem = null, detail = null;
            switch (i)
            {
                case 211 or 2470:
                    (problem, detail, id) = ("missing_key", "device_id is empty", "");
                    break;
                case 905:
                    (problem, detail) = ("coordinate_out_of_range", "bd09_lng is 1190.3 (decimal point lost)");
                    lng = 1190.3;
                    break;
                case 1333:
                    (problem, detail) = ("coordinate_out_of_range", "bd09_lng/bd09_lat are 0");
                    (lng, lat) = (0, 0);
                    break;
                case 1777:
                    (problem, detail) = ("swapped_coordinates", "latitude in bd09_lng, longitude in bd09_lat");
                    (lng, lat) = (lat, lng);
                    break;
            }
            var line = table.Add(id, Network(c.Network), c.OwnerDepartmentCode, c.DistrictCode, c.Road,
                c.DepthCentimeters.ToString(System.Globalization.CultureInfo.InvariantCulture),
                c.InstalledOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Json.Format(lng, 6), Json.Format(lat, 6));
            if (problem is not null)
            {
                bad.Add(new BadRow("municipal/manhole-covers.csv", line, id, problem, detail!));
            }
            if (i == 2999)
            {
                // The vendor's export repeats a row.
                var again = table.Add(c.Id, Network(c.Network), c.OwnerDepartmentCode, c.DistrictCode, c.Road,
                    c.DepthCentimeters.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    c.InstalledOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Json.Format(lng, 6), Json.Format(lat, 6));
                bad.Add(new BadRow("municipal/manhole-covers.csv", again, c.Id, "duplicate_key", "the previous row repeated"));
            }
        }
        files.Write("municipal/manhole-covers.csv", table.ToBytes(TextEncodings.Utf8));
    }

    public static string Network(ManholeNetwork network) => network switch
    {
        ManholeNetwork.Storm => "storm",
        ManholeNetwork.Sewage => "sewage",
        ManholeNetwork.WaterSupply => "water_supply",
        ManholeNetwork.Gas => "gas",
        ManholeNetwork.Power => "power",
        _ => "telecom",
    };
}
