using OneMap.Simulator.Government;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    // The data bureau (D39) keeps the department list in Excel (UTF-8 CSV) and the responsibility matrix as JSON.
    private static void WriteGovernment(Files files)
    {
        var table = new CsvTable(["部门编码", "部门全称", "部门简称", "英文名称", "部门类型", "服务电话"]);
        foreach (var d in DepartmentCatalog.Departments)
        {
            table.Add(d.Code, d.Name, d.ShortName, d.NameEn, d.Kind switch
            {
                Models.Government.DepartmentKind.Municipal => "市直部门",
                Models.Government.DepartmentKind.Utility => "公共事业单位",
                Models.Government.DepartmentKind.District => "区县政府",
                _ => "垂直管理单位",
            }, d.Phone);
        }
        files.Write("government/departments.csv", table.ToBytes(TextEncodings.Utf8Bom));
        files.Write("government/responsibilities.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var r in DepartmentCatalog.Responsibilities())
            {
                w.WriteStartObject();
                w.WriteString("department_code", r.DepartmentCode);
                Strings(w, "ticket_sub_categories", r.TicketSubCategories);
                Strings(w, "asset_layers", r.AssetLayers);
                Strings(w, "district_codes", r.DistrictCodes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }
}
