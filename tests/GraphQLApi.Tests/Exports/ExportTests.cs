using System.Globalization;
using System.Net;
using System.Text;

using OneMap.DuckDb;
using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Exports;

/// <summary>Large results as CSV or Parquet: a download link, streamed, for the caller who asked only, read back with DuckDB.</summary>
public sealed class ExportTests(SampleCity city) : IDisposable
{
    private readonly OneMap.Testing.TempDirectory directory = new("onemap-api-export");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> PrepareAsync(string key, string field, string arguments)
    {
        var data = (await city.Server.QueryAsync(key, $"{{ {field}({arguments}) {{ url format version expiresAt }} }}", cancellationToken: Ct)).Ok();
        var url = (string)data[field]!["url"]!;
        Assert.StartsWith("/exports/", url, StringComparison.Ordinal);
        return url;
    }

    private async Task<string> DownloadAsync(string key, string url, string name)
    {
        using var client = city.Server.ClientWith(key);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(directory.Path, name);
        await using (var file = File.Create(path))
        {
            await response.Content.CopyToAsync(file, Ct);
        }
        return path;
    }

    private static List<object?[]> Read(string sql)
    {
        using var database = DuckDbDatabase.Open();
        using var connection = database.Connect();
        connection.Execute("SET TimeZone = 'UTC'");
        using var reader = connection.Query(sql);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task a_csv_export_streams_every_matching_row_and_duckdb_reads_it_back()
    {
        var url = await PrepareAsync(city.Keys.Analyst, "tickets_export", "format: CSV, filter: { level: { in: [\"street\", \"district\"] } }, orderBy: [{ column: reported_at }]");
        var path = await DownloadAsync(city.Keys.Analyst, url, "tickets.csv");
        var expected = LakeFiles.Query(city.Server.LakeRoot, "tickets", "SELECT ticket_id FROM {t} WHERE level IN ('street', 'district') ORDER BY reported_at, ticket_id")
            .Select(r => (string)r[0]!).ToList();
        Assert.True(expected.Count > 100);
        var read = Read($"SELECT ticket_id, reported_at, geom FROM read_csv('{path}', header = true, all_varchar = true)");
        Assert.Equal(expected, read.Select(r => (string)r[0]!));
        Assert.All(read, r => Assert.EndsWith("+08:00", (string)r[1]!, StringComparison.Ordinal));
        Assert.Contains(read, r => ((string?)r[2])?.StartsWith("POINT (", StringComparison.Ordinal) == true);
        var header = File.ReadLines(path, Encoding.UTF8).First();
        // An analyst's export carries no personal column, masked or not.
        Assert.DoesNotContain("reporter_name", header, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter_phone", header, StringComparison.Ordinal);
        Assert.Contains("description", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_parquet_export_holds_the_rows_and_types()
    {
        var url = await PrepareAsync(city.Keys.Analyst, "enterprises_export", "format: PARQUET, filter: { above_designated_size: { eq: true } }");
        var path = await DownloadAsync(city.Keys.Analyst, url, "enterprises.parquet");
        var expected = LakeFiles.Query(city.Server.LakeRoot, "enterprises", "SELECT count(*), sum(employees)::BIGINT, sum(output_value_10k_yuan)::DOUBLE FROM {t} WHERE above_designated_size")[0];
        var actual = Read($"SELECT count(*), sum(employees)::BIGINT, sum(output_value_10k_yuan)::DOUBLE, typeof(any_value(founded_on)), typeof(any_value(geom)) FROM read_parquet('{path}')")[0];
        Assert.Equal(Convert.ToInt64(expected[0], CultureInfo.InvariantCulture), Convert.ToInt64(actual[0], CultureInfo.InvariantCulture));
        Assert.Equal(Convert.ToDecimal(expected[1], CultureInfo.InvariantCulture), Convert.ToDecimal(actual[1], CultureInfo.InvariantCulture));
        Assert.Equal((double)expected[2]!, (double)actual[2]!, 2);
        Assert.Equal("DATE", actual[3]);
        // The export is GeoParquet: a stock DuckDB (GeoParquet conversion on) reads the column as a geometry.
        Assert.StartsWith("GEOMETRY", (string)actual[4]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_parquet_export_with_geometry_carries_geoparquet_metadata_for_what_it_holds()
    {
        var url = await PrepareAsync(city.Keys.Analyst, "enterprises_export", "format: PARQUET, filter: { above_designated_size: { eq: true } }");
        var path = await DownloadAsync(city.Keys.Analyst, url, "enterprises-geo.parquet");

        var geo = System.Text.Json.JsonDocument.Parse((string)Read($"SELECT decode(value) FROM parquet_kv_metadata('{path}') WHERE decode(key) = 'geo'").Single()[0]!).RootElement;
        Assert.Equal("1.1.0", geo.GetProperty("version").GetString());
        Assert.Equal("geom", geo.GetProperty("primary_column").GetString());
        var geom = geo.GetProperty("columns").GetProperty("geom");
        Assert.Equal("WKB", geom.GetProperty("encoding").GetString());
        Assert.Equal(["Point"], geom.GetProperty("geometry_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("OGC", geom.GetProperty("crs").GetProperty("id").GetProperty("authority").GetString());
        // The bbox is that of the exported rows, not of the whole table.
        var expected = LakeFiles.Query(city.Server.LakeRoot, "enterprises",
            "SELECT min(bbox.xmin), min(bbox.ymin), max(bbox.xmax), max(bbox.ymax) FROM {t} WHERE above_designated_size")[0].Select(v => (double)v!);
        Assert.Equal(expected, geom.GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()));
        var points = Read($"SELECT count(*) FILTER (WHERE ST_AsText(geom) LIKE 'POINT (%'), count(geom) FROM read_parquet('{path}')")[0];
        Assert.Equal(points[1], points[0]);
    }

    [Fact]
    public async Task a_parquet_export_without_geometry_has_no_geoparquet_metadata()
    {
        var url = await PrepareAsync(city.Keys.Analyst, "enterprises_export", "format: PARQUET, columns: [name, employees]");
        var path = await DownloadAsync(city.Keys.Analyst, url, "enterprises-plain.parquet");

        Assert.Empty(Read($"SELECT key FROM parquet_kv_metadata('{path}') WHERE decode(key) = 'geo'"));
        Assert.Equal(2L, Read($"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))")[0][0]);
    }

    [Fact]
    public async Task a_link_works_only_for_whoever_prepared_it()
    {
        var url = await PrepareAsync(city.Keys.Analyst, "manhole_covers_export", "format: CSV");
        using (var other = city.Server.ClientWith(city.Keys.Admin))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url, Ct)).StatusCode);
        }
        using (var nobody = city.Server.ClientWith(null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync(url, Ct)).StatusCode);
        }
        using (var owner = city.Server.ClientWith(city.Keys.Analyst))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/exports/" + new string('0', 48), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(url, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task a_department_exports_only_its_own_tickets_with_their_personal_columns_masked()
    {
        var url = await PrepareAsync(city.Keys.HousingDepartment, "tickets_export", "format: CSV");
        var path = await DownloadAsync(city.Keys.HousingDepartment, url, "housing.csv");
        var read = Read($"SELECT department_code, reporter_phone FROM read_csv('{path}', header = true, all_varchar = true)");
        Assert.Equal(LakeFiles.Count(city.Server.LakeRoot, "tickets", "department_code = 'D11'"), read.Count);
        Assert.All(read, r => Assert.Equal(RoleKeys.Housing, r[0]));
        Assert.All(read.Where(r => r[1] is not null), r => Assert.Contains("****", (string)r[1]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_admins_export_carries_the_personal_columns_masked()
    {
        var url = await PrepareAsync(city.Keys.Admin, "tickets_export", "format: CSV, filter: { level: { eq: \"district\" } }");
        var path = await DownloadAsync(city.Keys.Admin, url, "admin.csv");
        var read = Read($"SELECT ticket_id, reporter_phone FROM read_csv('{path}', header = true, all_varchar = true)");
        Assert.Equal(LakeFiles.Count(city.Server.LakeRoot, "tickets", "level = 'district'"), read.Count);
        Assert.Contains(read, r => r[1] is not null);
        Assert.All(read.Where(r => r[1] is not null), r => Assert.Contains("****", (string)r[1]!, StringComparison.Ordinal));
    }

    public void Dispose() => directory.Dispose();
}
