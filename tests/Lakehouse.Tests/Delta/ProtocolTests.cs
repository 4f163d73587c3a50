using System.Text;
using System.Text.Json.Nodes;
using OneMap.Lakehouse.Delta;
using OneMap.Lakehouse.GeoParquet;
using OneMap.Lakehouse.Tables;

namespace OneMap.Lakehouse.Tests.Delta;

/// <summary>Pure protocol pieces: serialization formats, conflict detection, WKB scanning.</summary>
public sealed class ProtocolTests
{
    public static TheoryData<string, object?, string?> PartitionValueCases => new()
    {
        { "string", "Licheng 荔城", "Licheng 荔城" },
        { "long", 9_000_000_000L, "9000000000" },
        { "integer", -42, "-42" },
        { "short", (short)7, "7" },
        { "byte", (sbyte)-3, "-3" },
        { "double", 2.5, "2.5" },
        { "float", 0.25f, "0.25" },
        { "decimal(10,2)", 12.30m, "12.30" },
        { "boolean", true, "true" },
        { "date", new DateOnly(2024, 2, 29), "2024-02-29" },
        { "timestamp", new DateTime(2024, 5, 1, 8, 30, 0, 123, DateTimeKind.Utc), "2024-05-01T08:30:00.123000Z" },
        { "timestamp_ntz", new DateTime(2024, 5, 1, 8, 30, 0, DateTimeKind.Unspecified), "2024-05-01 08:30:00.000000" },
        { "binary", new byte[] { 1, 2, 255 }, "\u0001\u0002\u00ff" },
        { "string", null, null },
        { "date", null, null },
    };

    [Theory]
    [MemberData(nameof(PartitionValueCases))]
    public void serializes_and_parses_partition_values_of_every_primitive_type(string type, object? value, string? serialized)
    {
        var deltaType = DeltaType.ParsePrimitive(type);

        Assert.Equal(serialized, PartitionValues.Serialize(value, deltaType));
        Assert.Equal(value, PartitionValues.Parse(serialized, deltaType));
    }

    [Fact]
    public void reads_the_older_space_separated_timestamp_partition_form_as_utc()
    {
        var parsed = PartitionValues.Parse("1970-01-01 00:00:01.5", DeltaType.Timestamp);

        Assert.Equal(new DateTime(1970, 1, 1, 0, 0, 1, 500, DateTimeKind.Utc), parsed);
        Assert.Null(PartitionValues.Parse("", DeltaType.Integer));
    }

    [Fact]
    public void escapes_partition_directories_like_spark_and_encodes_action_paths()
    {
        var directory = PartitionValues.Directory(["district", "code"], new Dictionary<string, string?> { ["district"] = "a/b:c", ["code"] = null });

        Assert.Equal("district=a%2Fb%3Ac/code=__HIVE_DEFAULT_PARTITION__/", directory);
        var encoded = DeltaPath.Encode(directory + "part 1.parquet");
        Assert.Equal("district=a%252Fb%253Ac/code=__HIVE_DEFAULT_PARTITION__/part%201.parquet", encoded);
        Assert.Equal(Path.Combine("/t", directory + "part 1.parquet"), DeltaPath.Resolve("/t", encoded));
        Assert.Equal("区=莆田/", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(DeltaPath.Encode("区=莆田/")))));
    }

    [Fact]
    public void round_trips_a_schema_with_nested_types_and_metadata()
    {
        const string json = """{"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},{"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"decimal(12,3)","nullable":true,"metadata":{"comment":"x"}}]},"nullable":true,"metadata":{}},{"name":"c","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},{"name":"m","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{"delta.columnMapping.id":4}}]}""";

        var schema = SchemaJson.Parse(json);

        Assert.Equal(json, SchemaJson.Serialize(schema));
        Assert.Equal(new DecimalType(12, 3), ((StructType)schema.Fields[1].Type).Fields[0].Type);
        Assert.Equal("STRUCT(\"d\" DECIMAL(12,3))", schema.Fields[1].Type.ToDuckDbType());
        Assert.Equal("MAP(VARCHAR, BIGINT)", schema.Fields[3].Type.ToDuckDbType());
    }

    [Theory]
    [InlineData("BIGINT", "long")]
    [InlineData("TIMESTAMP WITH TIME ZONE", "timestamp")]
    [InlineData("TIMESTAMP", "timestamp_ntz")]
    [InlineData("DECIMAL(18,3)", "decimal(18,3)")]
    [InlineData("GEOMETRY('OGC:CRS84')", "binary")]
    [InlineData("UUID", "string")]
    public void maps_duckdb_types_to_delta_types(string duckDb, string delta)
    {
        Assert.Equal(delta, DuckDbTypeNames.ToDelta(duckDb).ToString());
    }

    [Fact]
    public void maps_nested_duckdb_types_and_refuses_types_delta_lacks()
    {
        var type = DuckDbTypeNames.ToDelta("STRUCT(xmin DOUBLE, \"y max\" DOUBLE)[]");

        var element = Assert.IsType<StructType>(Assert.IsType<ArrayType>(type).ElementType);
        Assert.Equal(["xmin", "y max"], element.Fields.Select(f => f.Name));
        var error = Assert.Throws<NotSupportedException>(() => DuckDbTypeNames.ToDelta("INTERVAL"));
        Assert.Contains("INTERVAL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void writes_and_reads_every_action_kind()
    {
        DeltaAction[] actions =
        [
            new CommitInfo(new JsonObject { ["timestamp"] = 5L, ["operation"] = "WRITE" }),
            new ProtocolAction(3, 7, ["columnMapping"], ["columnMapping", "domainMetadata"]),
            new MetadataAction { Id = "id", SchemaString = """{"type":"struct","fields":[]}""", PartitionColumns = ["k"], Configuration = new Dictionary<string, string?> { ["a"] = "b" } },
            new AddFile { Path = "k=x/f.parquet", PartitionValues = new Dictionary<string, string?> { ["k"] = null }, Size = 10, ModificationTime = 1, Stats = "{\"numRecords\":3}" },
            new RemoveFile { Path = "g.parquet", DeletionTimestamp = 9, ExtendedFileMetadata = true, Size = 4 },
            new TransactionAction("app", 12, 99),
            new DomainMetadataAction("delta.x", "{}", false),
        ];

        var parsed = ActionJson.ParseLines(ActionJson.Serialize(actions));

        Assert.Equal(actions.Length, parsed.Count);
        Assert.Equal("WRITE", ((CommitInfo)parsed[0]).Operation);
        Assert.Equal(actions[1], parsed[1]);
        Assert.Equal(["k"], ((MetadataAction)parsed[2]).PartitionColumns);
        var add = (AddFile)parsed[3];
        Assert.Null(add.PartitionValues["k"]);
        Assert.Equal(3, add.Statistics.NumRecords);
        Assert.Equal(actions[5], parsed[5]);
        Assert.Equal(actions[6], parsed[6]);
        Assert.Null(ActionJson.ParseLine("""{"unknownAction":{"x":1}}"""u8));
    }

    [Fact]
    public void a_concurrent_append_conflicts_only_with_operations_that_read_what_it_added()
    {
        var added = new AddFile { Path = "day=2024-05-01/a.parquet", PartitionValues = new Dictionary<string, string?> { ["day"] = "2024-05-01" }, Size = 1, ModificationTime = 1 };
        var blind = new CommitScope { ReadVersion = 3, IsBlindAppend = true };
        var overwriteOtherDay = new CommitScope { ReadVersion = 3, ReadFilter = f => f.PartitionValues["day"] == "2024-05-02" };
        var overwriteSameDay = new CommitScope { ReadVersion = 3, ReadFilter = f => f.PartitionValues["day"] == "2024-05-01" };

        Assert.Null(LogCommitter.FindConflict(blind, [added]));
        Assert.Null(LogCommitter.FindConflict(overwriteOtherDay, [added]));
        Assert.NotNull(LogCommitter.FindConflict(overwriteSameDay, [added]));
    }

    [Fact]
    public void removing_the_same_file_twice_is_a_conflict_and_additive_schema_changes_are_not_for_appends()
    {
        var remove = new RemoveFile { Path = "a%20b.parquet" };
        var deleter = new CommitScope { ReadVersion = 1, RemovedPaths = new HashSet<string> { "a b.parquet" } };
        var schema = new StructType(new StructField("a", DeltaType.Long));
        var wider = new MetadataAction { Id = "t", SchemaString = SchemaJson.Serialize(new StructType(new StructField("a", DeltaType.Long), new StructField("b", DeltaType.String))), PartitionColumns = [] };
        var narrower = wider with { SchemaString = SchemaJson.Serialize(new StructType(new StructField("a", DeltaType.String))) };
        var append = new CommitScope { ReadVersion = 1, IsBlindAppend = true, ReadSchema = schema };

        Assert.Contains("removed by another writer", LogCommitter.FindConflict(deleter, [remove]), StringComparison.Ordinal);
        Assert.Null(LogCommitter.FindConflict(append, [wider]));
        Assert.NotNull(LogCommitter.FindConflict(append, [narrower]));
        Assert.NotNull(LogCommitter.FindConflict(new CommitScope { ReadVersion = 1, AppId = "x" }, [new TransactionAction("x", 3)]));
    }

    [Fact]
    public void reads_wkb_types_and_envelopes_and_rewrites_ewkb_as_iso()
    {
        var polygon = new NetTopologySuite.IO.WKTReader().Read("MULTIPOLYGON (((0 0, 4 0, 4 3, 0 0)), ((10 10, 11 10, 11 12, 10 10)))");
        var wkb = new NetTopologySuite.IO.WKBWriter().Write(polygon);

        var info = Wkb.Read(wkb);

        Assert.Equal("MultiPolygon", info.GeometryType);
        Assert.Equal(new Envelope(0, 0, 11, 12), info.Envelope);
        Assert.Same(wkb, Wkb.ToIso(wkb));
        Assert.True(Wkb.Read(Wkb.ToIso(HexToBytes("01010000A0E6100000000000000000F03F00000000000000400000000000000840"))).GeometryType == "Point Z");
        Assert.True(Wkb.Read(HexToBytes("0101000000000000000000F87F000000000000F87F")).Envelope.IsEmpty);
        var truncated = Assert.Throws<FormatException>(() => Wkb.Read(wkb.AsSpan(0, wkb.Length - 3)));
        Assert.Contains("offset", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void builds_geoparquet_metadata_with_sorted_unique_types_and_the_crs84_projjson()
    {
        var json = GeoMetadata.Build("geom", [new GeometryColumnSummary("geom", ["Polygon", "MultiPolygon", "Polygon"], new Envelope(1, 2, 3, 4), "bbox")]);
        var geo = JsonNode.Parse(json)!;

        Assert.Equal("1.1.0", (string?)geo["version"]);
        Assert.Equal("""["MultiPolygon","Polygon"]""", geo["columns"]!["geom"]!["geometry_types"]!.ToJsonString());
        Assert.Equal("WGS 84 longitude-latitude", (string?)geo["columns"]!["geom"]!["crs"]!["name"]);
        Assert.Equal("[1,2,3,4]", geo["columns"]!["geom"]!["bbox"]!.ToJsonString());
    }

    [Fact]
    public void statistics_json_keeps_string_prefixes_millisecond_timestamps_and_nested_bbox_fields()
    {
        var columns = new List<StatsColumn>
        {
            new(["s"], DeltaType.String),
            new(["ts"], DeltaType.Timestamp),
            new(["bbox", "xmin"], DeltaType.Double),
            new(["v"], DeltaType.Double),
        };
        var stats = new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["\"s\""] = new Dictionary<string, string?> { ["min"] = new string('a', 40), ["max"] = new string('z', 40), ["null_count"] = "0" },
            ["\"ts\""] = new Dictionary<string, string?> { ["min"] = "2024-05-01 08:00:00.123456+00", ["max"] = "2024-05-01 09:00:00.999999+00", ["null_count"] = "2" },
            ["\"bbox\".\"xmin\""] = new Dictionary<string, string?> { ["min"] = "119.5", ["max"] = "120", ["null_count"] = "1", ["has_nan"] = "false" },
            ["\"v\""] = new Dictionary<string, string?> { ["min"] = "1", ["max"] = "nan", ["null_count"] = "0", ["has_nan"] = "true" },
        };

        var parsed = FileStatistics.Parse(StatsJson.Build(10, stats, columns));

        Assert.Equal(10, parsed.NumRecords);
        Assert.Equal(new string('a', 32), parsed.Min(["s"])!.Value.GetString());
        Assert.Null(parsed.Max(["s"]));
        Assert.Equal("2024-05-01T08:00:00.123Z", parsed.Min(["ts"])!.Value.GetString());
        Assert.Equal("2024-05-01T09:00:00.999Z", parsed.Max(["ts"])!.Value.GetString());
        Assert.Equal(119.5, parsed.Min(["bbox", "xmin"])!.Value.GetDouble());
        Assert.Equal(1, parsed.NullCount(["bbox", "xmin"]));
        Assert.Null(parsed.Min(["v"]));
        Assert.Equal(0, parsed.NullCount(["v"]));
    }

    private static byte[] HexToBytes(string hex) => Convert.FromHexString(hex);
}
