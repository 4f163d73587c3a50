using OneMap.Models.Crs;
using OneMap.Simulator.Geography;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    // Civil affairs (D06) sends divisions in WGS84; the grid centre (D40) exports grids from its GIS in CGCS2000
    // Gauss-Krüger zone 40 without the zone prefix (EPSG:4549); its staff list is an Excel sheet saved as GB18030 CSV.
    private static void WriteAdmin(SampleCity city, Files files)
    {
        var map = city.Admin;
        void Units(string path, string name, List<Unit> units, Func<Unit, string> parent, CrsId crs) =>
            files.Write(path, GeoJsonFiles.FeatureCollection(units, u => LocalFrame.ToWgs84(u.Shape), (w, u) =>
            {
                w.WriteString("code", u.Code);
                w.WriteString("name", u.Name);
                w.WriteString("name_en", u.NameEn);
                w.WriteString("level", LevelName(u.Level));
                w.WriteString("parent_code", parent(u));
                w.WriteNumber("households", u.Households);
                w.WriteNumber("population", u.Population);
            }, crs, name));

        Units("admin/districts.geojson", "districts", map.Districts, _ => PlaceNames.CityCode, CrsId.Wgs84);
        Units("admin/towns.geojson", "towns", map.Towns, u => map.Districts[u.Parent].Code, CrsId.Wgs84);
        Units("admin/communities.geojson", "communities", map.Communities, u => map.Towns[u.Parent].Code, CrsId.Wgs84);
        Units("admin/grids.geojson", "grids", map.Grids, u => map.Communities[u.Parent].Code, CrsId.FromEpsg(4549));
        Units("admin/micro-grids.geojson", "micro_grids", map.MicroGrids, u => map.Grids[u.Parent].Code, CrsId.FromEpsg(4549));

        var staff = new CsvTable(["网格编码", "网格名称", "所属社区", "专职网格员", "网格员手机号", "网格长"]);
        for (var i = 0; i < map.Grids.Count; i++)
        {
            var g = map.Grids[i];
            var s = city.GridStaff[i];
            staff.Add(g.Code, g.Name, map.Communities[g.Parent].Name, s.MemberName, s.MemberPhone, s.HeadName);
        }
        files.Write("admin/grid-staff.csv", staff.ToBytes(TextEncodings.Gb18030));
    }

    private static string LevelName(Models.Administration.AdminLevel level) => level switch
    {
        Models.Administration.AdminLevel.District => "district",
        Models.Administration.AdminLevel.Town => "town",
        Models.Administration.AdminLevel.Community => "community",
        Models.Administration.AdminLevel.Grid => "grid",
        Models.Administration.AdminLevel.MicroGrid => "micro_grid",
        _ => "city",
    };
}
