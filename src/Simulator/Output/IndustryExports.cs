using OneMap.Models.Crs;
using OneMap.Models.Industry;
using OneMap.Simulator.Industry;

namespace OneMap.Simulator.Output;

public static partial class SampleWriter
{
    // Industry and IT (D02) keeps enterprises in a web system that geocodes with AMap, so positions are GCJ-02;
    // the export is a JSON array with a few spoiled records.
    private static void WriteIndustry(SampleCity city, Files files, List<BadRow> bad)
    {
        files.Write("industry/chains.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var spec in ChainCatalog.Chains)
            {
                var c = spec.Chain;
                w.WriteStartObject();
                w.WriteString("chain_id", c.Id);
                w.WriteString("name", c.Name);
                w.WriteString("name_en", c.NameEn);
                w.WriteString("lead_department", c.LeadDepartmentCode);
                w.WriteStartArray("segments");
                foreach (var s in c.Segments)
                {
                    w.WriteStartObject();
                    w.WriteString("segment_id", s.Id);
                    w.WriteString("stage", s.Stage.ToString().ToLowerInvariant());
                    w.WriteString("name", s.Name);
                    w.WriteString("name_en", s.NameEn);
                    w.WriteString("gbt4754_code", s.IndustryCode);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));

        var enterprises = city.Enterprises;
        files.Write("industry/enterprises.json", Json.Document(w =>
        {
            w.WriteStartObject();
            w.WriteString("source", "莆田市工业和信息化局 企业库");
            w.WriteString("coord_sys", "GCJ-02");
            w.WriteString("exported_at", ChinaTime.Iso(city.Options.End));
            w.WriteStartArray("data");
            for (var i = 0; i < enterprises.Count; i++)
            {
                var e = enterprises[i].Record;
                var (lng, lat) = CoordinateConverter.FromWgs84(CrsId.Gcj02, e.Location.X, e.Location.Y);
                var code = e.CreditCode;
                var founded = e.FoundedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                // Spoiled records, spread through the array.
                switch (i)
                {
                    case 97 or 1203:
                        bad.Add(new BadRow("industry/enterprises.json", i, "", "missing_key", $"credit_code is empty ({e.Name})"));
                        code = "";
                        break;
                    case 444:
                        lat += 230;
                        bad.Add(new BadRow("industry/enterprises.json", i, code, "coordinate_out_of_range", $"lat is {Json.Format(lat, 6)}"));
                        break;
                    case 845:
                        (lng, lat) = (0, 0);
                        bad.Add(new BadRow("industry/enterprises.json", i, code, "coordinate_out_of_range", "lng and lat are 0 (geocoding failed)"));
                        break;
                    case 1010:
                        founded = e.FoundedOn.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-02-30";
                        bad.Add(new BadRow("industry/enterprises.json", i, code, "broken_date", $"founded_on is \"{founded}\""));
                        break;
                }
                w.WriteStartObject();
                w.WriteString("credit_code", code);
                w.WriteString("name", e.Name);
                w.WriteString("chain_id", e.ChainId);
                w.WriteString("segment_id", e.SegmentId);
                w.WriteString("industry_code", e.IndustryCode);
                w.WriteString("district_code", e.DistrictCode);
                w.WriteNumber("output_value_10k_yuan", e.OutputValueTenThousandYuan);
                w.WriteNumber("employees", e.Employees);
                w.WriteBoolean("above_designated_size", e.IsAboveDesignatedSize);
                w.WriteString("founded_on", founded);
                Json.Number(w, "lng", lng, 6);
                Json.Number(w, "lat", lat, 6);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        files.Write("industry/policies.json", Json.Document(w =>
        {
            w.WriteStartArray();
            foreach (var p in city.Policies)
            {
                w.WriteStartObject();
                w.WriteString("policy_id", p.Id);
                w.WriteString("title", p.Title);
                w.WriteString("issuing_department", p.IssuingDepartmentCode);
                w.WriteNumber("max_subsidy_10k_yuan", p.MaxSubsidyTenThousandYuan);
                w.WriteString("valid_from", p.ValidFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("valid_to", p.ValidTo.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartObject("eligibility");
                Strings(w, "chain_ids", p.Eligibility.ChainIds);
                Strings(w, "stages", p.Eligibility.Stages.Select(s => s.ToString().ToLowerInvariant()));
                Strings(w, "industry_code_prefixes", p.Eligibility.IndustryCodePrefixes);
                Strings(w, "district_codes", p.Eligibility.DistrictCodes);
                NumberOrNull(w, "min_employees", p.Eligibility.MinEmployees);
                NumberOrNull(w, "max_employees", p.Eligibility.MaxEmployees);
                if (p.Eligibility.MinOutputValueTenThousandYuan is { } min)
                {
                    w.WriteNumber("min_output_value_10k_yuan", min);
                }
                else
                {
                    w.WriteNull("min_output_value_10k_yuan");
                }
                w.WriteBoolean("above_designated_size_only", p.Eligibility.AboveDesignatedSizeOnly);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private static void Strings(System.Text.Json.Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static void NumberOrNull(System.Text.Json.Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
