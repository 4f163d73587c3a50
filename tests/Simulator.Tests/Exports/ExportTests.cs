using System.Globalization;
using System.Text.Json;
using OneMap.Models.Crs;
using OneMap.Models.Industry;
using OneMap.Models.Spatial;
using OneMap.Simulator.Output;
using OneMap.Simulator.Tests.Support;

namespace OneMap.Simulator.Tests.Exports;

/// <summary>The department exports are what the README says they are: encodings, headers, coordinate systems, spoiled rows.</summary>
[Collection("sample")]
public sealed class ExportTests(SampleFixture sample)
{
    [Fact]
    public void the_sample_stays_under_twenty_megabytes_and_the_manifest_lists_every_file()
    {
        var files = Directory.GetFiles(sample.Directory, "*", SearchOption.AllDirectories);
        Assert.True(files.Sum(f => new FileInfo(f).Length) < 20_000_000);
        using var manifest = sample.Json("manifest.json");
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToHashSet();
        var onDisk = files.Select(f => Path.GetRelativePath(sample.Directory, f).Replace('\\', '/')).Where(f => f != "manifest.json").ToHashSet();
        Assert.Equal(onDisk.Order(), listed.Order());
        foreach (var entry in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var bytes = File.ReadAllBytes(sample.PathOf(entry.GetProperty("path").GetString()!));
            Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
    }

    [Theory]
    [InlineData("ecology/stations.csv", "GB18030", "站点编码")]
    [InlineData("ecology/sampling-results.csv", "GB18030", "断面编码")]
    [InlineData("admin/grid-staff.csv", "GB18030", "网格编码")]
    [InlineData("marine/vessels.csv", "GB18030", "船名号")]
    [InlineData("ecology/outfalls.csv", "UTF-8 BOM", "排口编码")]
    [InlineData("government/departments.csv", "UTF-8 BOM", "部门编码")]
    [InlineData("water/river-nodes.csv", "UTF-8 BOM", "节点编码")]
    [InlineData("municipal/manhole-covers.csv", "UTF-8", "device_id")]
    public void csv_files_come_in_the_encoding_their_department_uses(string file, string encoding, string firstHeader)
    {
        var bytes = File.ReadAllBytes(sample.PathOf(file));
        var bom = bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF });
        Assert.Equal(encoding == "UTF-8 BOM", bom);
        if (encoding == "GB18030")
        {
            // Not valid UTF-8 (the Chinese header is two bytes a character), but GB18030 reads it.
            Assert.Throws<System.Text.DecoderFallbackException>(() => new System.Text.UTF8Encoding(false, true).GetString(bytes));
            Assert.StartsWith(firstHeader + ",", TextEncodings.Gb18030.GetString(bytes), StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith(firstHeader + ",", new System.Text.UTF8Encoding(false, true).GetString(bytes[(bom ? 3 : 0)..]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void every_bad_row_in_the_ground_truth_is_where_it_says_and_is_bad_in_the_way_it_says()
    {
        using var truth = sample.Json("ground-truth/bad-rows.json");
        var rows = truth.RootElement.EnumerateArray().ToList();
        Assert.True(rows.Count >= 12);
        Assert.Contains(rows, r => r.GetProperty("problem").GetString() == "broken_date");
        Assert.Contains(rows, r => r.GetProperty("problem").GetString() == "missing_key");
        Assert.Contains(rows, r => r.GetProperty("problem").GetString() == "coordinate_out_of_range");
        foreach (var row in rows)
        {
            var file = row.GetProperty("file").GetString()!;
            var problem = row.GetProperty("problem").GetString()!;
            if (file.EndsWith(".json", StringComparison.Ordinal))
            {
                using var doc = sample.Json(file);
                var record = doc.RootElement.GetProperty("data")[row.GetProperty("index").GetInt32()];
                AssertBad(problem, record.GetProperty("credit_code").GetString()!, record.GetProperty("founded_on").GetString()!,
                    record.GetProperty("lng").GetDouble(), record.GetProperty("lat").GetDouble(), file);
                continue;
            }
            var lines = ReadLines(file);
            var cells = lines[row.GetProperty("line").GetInt32() - 1].Split(',');
            switch (file)
            {
                case "municipal/manhole-covers.csv":
                    if (problem == "duplicate_key")
                    {
                        Assert.Equal(lines[row.GetProperty("line").GetInt32() - 2], lines[row.GetProperty("line").GetInt32() - 1]);
                    }
                    else
                    {
                        AssertBad(problem, cells[0], "2024-01-01", double.Parse(cells[7], CultureInfo.InvariantCulture), double.Parse(cells[8], CultureInfo.InvariantCulture), file);
                    }
                    break;
                case "ecology/sampling-results.csv":
                    AssertBad(problem, cells[0], cells[3], 119, 25.4, file);
                    break;
                case "ecology/outfalls.csv":
                    Assert.Equal("swapped_coordinates", problem);
                    Assert.True(double.Parse(cells[6], CultureInfo.InvariantCulture) < 10_000_000, "the easting column holds a northing");
                    break;
                case "marine/vessel-positions.csv.gz":
                    Assert.Equal(("0", "0"), (cells[3], cells[4]));
                    break;
                default:
                    Assert.Fail($"bad row in unexpected file {file}");
                    break;
            }
        }
    }

    [Fact]
    public void good_rows_convert_back_to_the_true_positions()
    {
        var truth = File.ReadAllLines(sample.PathOf("ground-truth/coordinates.csv")).Skip(1).Select(l => l.Split(','))
            .GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.ToDictionary(r => r[1], r => (double.Parse(r[3], CultureInfo.InvariantCulture), double.Parse(r[4], CultureInfo.InvariantCulture))));
        var bad = BadKeys();
        var checkedRows = 0;
        void Check(string dataset, string id, CrsId crs, double x, double y)
        {
            if (bad.Contains((dataset, id)) || !truth[dataset].TryGetValue(id, out var expected))
            {
                return;
            }
            var (lon, lat) = CoordinateConverter.ToWgs84(crs, x, y);
            // 6 decimals in the file are 0.1 m; the conversions themselves are far better than that.
            Assert.True(Geo.DistanceMeters(lon, lat, expected.Item1, expected.Item2) < 0.3, $"{dataset} {id}: {lon},{lat} vs {expected}");
            checkedRows++;
        }
        foreach (var cells in ReadLines("municipal/manhole-covers.csv").Skip(1).Select(l => l.Split(',')))
        {
            Check("municipal/manhole-covers.csv", cells[0], CrsId.Bd09, double.Parse(cells[7], CultureInfo.InvariantCulture), double.Parse(cells[8], CultureInfo.InvariantCulture));
        }
        using (var doc = sample.Json("industry/enterprises.json"))
        {
            Assert.Equal("GCJ-02", doc.RootElement.GetProperty("coord_sys").GetString());
            foreach (var e in doc.RootElement.GetProperty("data").EnumerateArray())
            {
                Check("industry/enterprises.json", e.GetProperty("credit_code").GetString()!, CrsId.Gcj02, e.GetProperty("lng").GetDouble(), e.GetProperty("lat").GetDouble());
            }
        }
        foreach (var cells in ReadLines("ecology/outfalls.csv").Skip(1).Select(l => l.Split(',')))
        {
            Check("ecology/outfalls.csv", cells[0], CrsId.FromEpsg(4528), double.Parse(cells[6], CultureInfo.InvariantCulture), double.Parse(cells[7], CultureInfo.InvariantCulture));
        }
        Assert.True(checkedRows > 4500, $"{checkedRows} rows checked");
    }

    [Fact]
    public void enterprises_have_valid_credit_codes_and_belong_to_thirteen_chains_with_gbt4754_codes()
    {
        using var doc = sample.Json("industry/enterprises.json");
        var codes = doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("credit_code").GetString()!).Where(c => c.Length > 0).ToList();
        Assert.InRange(codes.Count, 1450, 1750);
        Assert.All(codes, c => Assert.True(CreditCode.IsValid(c), c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        using var chains = sample.Json("industry/chains.json");
        Assert.Equal(13, chains.RootElement.GetArrayLength());
        Assert.All(chains.RootElement.EnumerateArray().SelectMany(c => c.GetProperty("segments").EnumerateArray()),
            s => Assert.Matches("^[0-9]{4}$", s.GetProperty("gbt4754_code").GetString()!));
    }

    [Fact]
    public void there_are_58_departments_and_every_ticket_sub_category_has_one()
    {
        var lines = new System.Text.UTF8Encoding(true).GetString(File.ReadAllBytes(sample.PathOf("government/departments.csv"))).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(59, lines.Length);
        using var responsibilities = sample.Json("government/responsibilities.json");
        var covered = responsibilities.RootElement.EnumerateArray().SelectMany(r => r.GetProperty("ticket_sub_categories").EnumerateArray().Select(s => s.GetString())).ToHashSet();
        Assert.All(Models.Tickets.TicketTaxonomy.SubCategories, s => Assert.Contains(s.Code, covered));
    }

    private static void AssertBad(string problem, string key, string date, double x, double y, string file)
    {
        switch (problem)
        {
            case "missing_key":
                Assert.Equal("", key);
                break;
            case "broken_date":
                Assert.False(DateTime.TryParseExact(date, ["yyyy/M/d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{file}: {date} parses");
                break;
            case "coordinate_out_of_range":
                Assert.False(x is > 73 and < 136 && y is > 3 and < 54, $"{file}: ({x}, {y}) is a plausible position in China");
                break;
            case "swapped_coordinates":
                Assert.True(x < y, $"{file}: ({x}, {y}) is not swapped");
                break;
            default:
                Assert.Fail($"unknown problem {problem}");
                break;
        }
    }

    private HashSet<(string, string)> BadKeys()
    {
        using var truth = sample.Json("ground-truth/bad-rows.json");
        return truth.RootElement.EnumerateArray().Select(r => (r.GetProperty("file").GetString()!, r.GetProperty("key").GetString()!)).ToHashSet();
    }

    private List<string> ReadLines(string file)
    {
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            return sample.GzipLines(file).ToList();
        }
        var bytes = File.ReadAllBytes(sample.PathOf(file));
        var text = file is "ecology/sampling-results.csv" ? TextEncodings.Gb18030.GetString(bytes) : new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
        return text.Split(["\r\n", "\n"], StringSplitOptions.None).Where(l => l.Length > 0).ToList();
    }
}
