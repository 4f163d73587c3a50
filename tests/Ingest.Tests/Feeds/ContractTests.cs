using OneMap.Ingest.Feeds.Contracts;
using OneMap.Models.Crs;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Tests.Feeds;

public sealed class ContractTests
{
    private const string Valid = """
        {
          // comments are allowed
          "feed": "ecology-stations",
          "dataset": "monitoring_stations",
          "owner": "D12",
          "title": "水质监测站",
          "mode": "upsert",
          "key": ["station_id"],
          "source": { "folder": "ecology/stations", "pattern": "*.csv" },
          "format": { "type": "csv", "encoding": "gb18030" },
          "bounds": [118.0, 24.5, 119.5, 25.8],
          "geometry": { "lon": "经度", "lat": "纬度", "crs": "GCJ-02" },
          "columns": [
            { "name": "station_id", "from": "站点编码" },
            { "name": "target_class", "from": "目标类别", "type": "int64", "values": { "I": "1", "II": "2", "III": "3" } },
            { "name": "built_at", "from": "建站时间", "type": "timestamp", "formats": ["yyyy/M/d H:mm"] },
            { "name": "built_on", "derivedFrom": "built_at", "type": "date" },
            { "name": "kind", "constant": "automatic" },
          ],
        }
        """;

    [Fact]
    public void parses_a_contract_with_defaults_filled_in()
    {
        var contract = FeedContractReader.Parse(Valid, "stations.json");

        Assert.Equal("ecology-stations", contract.Feed);
        Assert.Equal(FeedMode.Upsert, contract.Mode);
        Assert.Equal(54936, contract.Format.Encoding.CodePage);
        Assert.Equal(',', contract.Format.Delimiter);
        Assert.Equal("Asia/Shanghai", contract.TimeZone.Id);
        Assert.Equal(CrsId.Gcj02, contract.Geometry!.Crs);
        Assert.Equal("geom", contract.Geometry.Column);
        Assert.True(contract.Columns[0].Required); // key columns are required
        Assert.Equal(ColumnType.Int64, contract.Columns[1].Type);
        Assert.Equal("built_at", contract.Columns[3].DerivedFrom);
        Assert.Equal(["station_id", "target_class", "built_at", "built_on", "kind", "geom"], contract.ColumnNames);
    }

    [Theory]
    [InlineData("\"type\": \"int64\"", "\"type\": \"integer32\"", "columns[1].type", "unknown type 'integer32'")]
    [InlineData("\"key\": [\"station_id\"]", "\"key\": [\"station\"]", "key[0]", "key column 'station' is not among the columns")]
    [InlineData("\"crs\": \"GCJ-02\"", "\"crs\": \"EPSG:3857\"", "geometry.crs", "unknown coordinate system 'EPSG:3857'")]
    [InlineData("\"encoding\": \"gb18030\"", "\"encoding\": \"big5\"", "format.encoding", "unsupported encoding 'big5'")]
    [InlineData("\"mode\": \"upsert\"", "\"mode\": \"replace\"", "mode", "'replace' is not a mode")]
    [InlineData("\"derivedFrom\": \"built_at\"", "\"derivedFrom\": \"kind\"", "columns[3].derivedFrom", "must name a mapped timestamp column")]
    [InlineData("\"formats\": [\"yyyy/M/d H:mm\"]", "\"formats\": [\"yyyy/M/d H:mm\"], \"colour\": 1", "columns[2].colour", "unknown member")]
    public void names_the_file_and_the_json_path_of_a_mistake(string original, string replacement, string path, string problem)
    {
        var json = Valid.Replace(original, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<FeedContractException>(() => FeedContractReader.Parse(json, "contracts/stations.json"));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("feed contract contracts/stations.json: " + path, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void refuses_invalid_json_with_its_line()
    {
        var error = Assert.Throws<FeedContractException>(() => FeedContractReader.Parse("{\n \"feed\": \"x\",\n \"dataset\" \"y\" }", "broken.json"));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void refuses_a_personal_key_column()
    {
        var json = Valid.Replace("{ \"name\": \"station_id\", \"from\": \"站点编码\" }", "{ \"name\": \"station_id\", \"from\": \"站点编码\", \"sensitivity\": \"personal\" }", StringComparison.Ordinal);

        var error = Assert.Throws<FeedContractException>(() => FeedContractReader.Parse(json, "c.json"));

        Assert.Contains("personal data", error.Message, StringComparison.Ordinal);
    }
}
