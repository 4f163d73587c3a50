using System.Text.Json.Nodes;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Tests.Types;

public sealed class SchemaBuilderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<string> RunAsync(Schema schema, string query, object? root = null, IReadOnlyDictionary<string, object?>? variables = null) =>
        (await new GraphQLEngine(schema).ExecuteAsync(new GraphQLRequest { Query = query, Variables = variables }, new ExecutionOptions { RootValue = root }, Cancel)).ToJson();

    private enum Severity
    {
        Low = 1,
        High = 5,
    }

    [Fact]
    public async Task schemas_from_clr_types_build_on_many_threads_at_once()
    {
        // Reading nullable annotations once shared one NullabilityInfoContext, which is not thread-safe: schemas built
        // at the same moment (parallel tests, several servers in a process) failed now and then with a duplicate key.
        using var start = new Barrier(8);
        var schemas = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(Cancel);
            return Enumerable.Range(0, 5).Select(_ => SampleSchema.Builder().Build()).ToList();
        }, Cancel)));

        Assert.All(schemas.SelectMany(s => s), schema => Assert.Equal("Query", schema.Query.Name));
    }

    [Fact]
    public async Task types_built_at_run_time_resolve_interfaces_unions_enums_and_inputs()
    {
        var schema = new SchemaBuilder()
            .Interface("Asset", i => i.Field("id", "ID!").ResolveType((value, _) => value is IDictionary<string, object?> d && d.ContainsKey("pressure") ? "Pump" : "Valve"))
            .Object("Pump", o => o.Implements("Asset").Field("id", "ID!").Field("pressure", "Float"))
            .Object("Valve", o => o.Implements("Asset").Field("id", "ID!").Field("open", "Boolean"))
            .Union("Anything", u => u.Members("Pump", "Valve").ResolveType((v, _) => v is IDictionary<string, object?> d && d.ContainsKey("open") ? "Valve" : "Pump"))
            .Enum("Severity", e => e.Value("LOW", Severity.Low).Value("HIGH", Severity.High, v => v.Description("Act now.")))
            .InputObject("Range", i => i.Field("from", "Float", f => f.DefaultValue(0.0)).Field("to", "Float!"))
            .Query(q => q
                .Field("assets", "[Asset!]!", _ => new object[]
                {
                    new Dictionary<string, object?> { ["id"] = "p1", ["pressure"] = 2.5 },
                    new Dictionary<string, object?> { ["id"] = "v1", ["open"] = true },
                })
                .Field("any", "[Anything]", _ => new object[] { new Dictionary<string, object?> { ["id"] = "v2", ["open"] = false } })
                .Field("worst", "Severity", f => f.Argument("of", "[Severity!]!").Resolve(c => ((object?[])c.Arguments["of"]!).Cast<Severity>().Max()))
                .Field("width", "Float", f => f.Argument("range", "Range!").Resolve(c =>
                {
                    var range = (IReadOnlyDictionary<string, object?>)c.Arguments["range"]!;
                    return (double)range["to"]! - (double)range["from"]!;
                })))
            .Build();

        var result = await RunAsync(schema, """
            { assets { __typename id ... on Pump { pressure } ... on Valve { open } }
              any { ... on Valve { id open } }
              worst(of: [LOW, HIGH, LOW])
              width(range: { to: 4 }) }
            """);
        Assert.Equal("""{"data":{"assets":[{"__typename":"Pump","id":"p1","pressure":2.5},{"__typename":"Valve","id":"v1","open":true}],"any":[{"id":"v2","open":false}],"worst":"HIGH","width":4}}""", result);
    }

    [Fact]
    public async Task custom_scalars_coerce_literals_variables_and_results()
    {
        var schema = new SchemaBuilder()
            .Scalar("Celsius", s => s
                .Description("A temperature in degrees Celsius.")
                .Serialize(v => Math.Round((double)v, 1))
                .ParseValue(v => v is double or long ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : throw new ValueCoercionException("Celsius needs a number"))
                .ParseLiteral((l, _) => l switch
                {
                    FloatValueNode f => double.Parse(f.Value, System.Globalization.CultureInfo.InvariantCulture),
                    IntValueNode i => double.Parse(i.Value, System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw new ValueCoercionException("Celsius needs a number"),
                }))
            .Scalar(Scalars.Json)
            .Query(q => q
                .Field("warmer", "Celsius", f => f.Argument("t", "Celsius!").Resolve(c => (double)c.Arguments["t"]! + 0.04))
                .Field("echo", "JSON", f => f.Argument("value", "JSON").Resolve(c => c.Arguments["value"]))
                .Field("when", "DateTime", _ => new DateTimeOffset(2024, 5, 1, 8, 30, 0, TimeSpan.FromHours(8))))
            .Scalar(Scalars.DateTime)
            .Build();
        Assert.Equal("""{"data":{"warmer":21.5}}""", await RunAsync(schema, "{ warmer(t: 21.46) }"));
        Assert.Equal("""{"data":{"warmer":20}}""", await RunAsync(schema, "query($t: Celsius!) { warmer(t: $t) }", variables: new Dictionary<string, object?> { ["t"] = 20L }));
        var refused = JsonNode.Parse(await RunAsync(schema, """{ warmer(t: "hot") }"""))!;
        Assert.Equal("ValuesOfCorrectType", (string)refused["errors"]![0]!["extensions"]!["rule"]!);
        Assert.Equal("""{"data":{"echo":{"a":[1,"x",null,{"b":true}]}}}""", await RunAsync(schema, """{ echo(value: { a: [1, "x", null, { b: true }] }) }"""));
        Assert.Equal("""{"data":{"when":"2024-05-01T08:30:00+08:00"}}""", await RunAsync(schema, "{ when }"));
    }

    [Fact]
    public async Task datetime_text_keeps_each_values_offset_and_fraction_when_instants_repeat()
    {
        // The same instant in three offsets, and fractions that trim; each twice, so the second is served from the
        // serializer's memo of recent texts and must still match its own value.
        var instant = new DateTimeOffset(2024, 5, 1, 0, 30, 0, TimeSpan.Zero);
        DateTimeOffset[] values =
        [
            instant, instant.ToOffset(TimeSpan.FromHours(8)), instant.ToOffset(TimeSpan.FromMinutes(-330)),
            instant.AddTicks(1_500_000), instant.AddTicks(1),
        ];
        var schema = new SchemaBuilder()
            .Scalar(Scalars.DateTime)
            .Query(q => q.Field("times", "[DateTime!]!", _ => values.Concat(values).ToList()))
            .Build();
        const string once = "\"2024-05-01T00:30:00+00:00\",\"2024-05-01T08:30:00+08:00\",\"2024-04-30T19:00:00-05:30\",\"2024-05-01T00:30:00.15+00:00\",\"2024-05-01T00:30:00.0000001+00:00\"";
        Assert.Equal("""{"data":{"times":[""" + once + "," + once + "]}}", await RunAsync(schema, "{ times }"));
    }

    [Fact]
    public async Task clr_types_become_object_types_with_method_fields()
    {
        var schema = SampleSchema.Build();
        var root = new SampleQuery(SampleSchema.Stations);
        var result = await RunAsync(schema, """
            { stations(filter: { class: CLASS_II }) { code name class position readingsAbove(threshold: 5) { parameter value at } delayedName }
              station(code: "MLR-02") { name readings { value } legacyId } }
            """, root);
        Assert.Equal("""{"data":{"stations":[{"code":"MLR-01","name":"Mulan River Bridge","class":"CLASS_II","position":[119,25.4],"readingsAbove":[{"parameter":"do","value":7.5,"at":"2024-05-01T08:00:00+08:00"}],"delayedName":"Mulan River Bridge"}],"station":{"name":"Estuary","readings":[],"legacyId":null}}}""", result);
    }

    [Fact]
    public void clr_types_take_descriptions_from_xml_docs_and_attributes()
    {
        var schema = SampleSchema.Build();
        var station = (ObjectType)schema.GetType("Station")!;
        Assert.Equal("A water-quality monitoring station on a river.", station.Description);
        Assert.Equal("Readings, newest first.", station.GetField("readings")!.Description);
        Assert.Equal("Lowest value returned.", station.GetField("readingsAbove")!.GetArgument("threshold")!.Description);
        Assert.Equal("Use code.", station.GetField("legacyId")!.DeprecationReason);
        Assert.Null(station.GetField("secret"));
        Assert.Equal("What was measured (e.g. dissolved oxygen).", ((ObjectType)schema.GetType("Reading")!).GetField("parameter")!.Description);
        var waterClass = (EnumType)schema.GetType("WaterClass")!;
        Assert.Equal(["CLASS_I", "CLASS_II", "CLASS_III", "CLASS_IV", "CLASS_V", "WORSE_THAN_V"], waterClass.Values.Select(v => v.Name));
        Assert.Equal(WaterClass.ClassIII, waterClass.GetValue("CLASS_III")!.Value);
        Assert.Equal("manhole_alerts", schema.GetType("ManholeAlerts")!.Metadata["table"]);
        Assert.Equal(1, station.GetField("readingsAbove")!.Cost!.Weight);
        Assert.Equal(["limit"], station.GetField("readingsAbove")!.Cost!.SizeArguments!);
    }

    [Fact]
    public void invalid_schemas_report_every_problem()
    {
        var error = Assert.Throws<SchemaException>(() => new SchemaBuilder()
            .Query(q => q.Field("a", "Missing").Field("b", "Node"))
            .Interface("Node", i => i.Field("id", "ID!"))
            .Object("Broken", o => o.Implements("Node").Field("id", "String"))
            .Object("Empty", _ => { })
            .Union("Bad", u => u.Members("String"))
            .InputObject("Loop", i => i.Field("self", "Loop!"))
            .InputObject("Choice", i => i.Field("a", "Int!").OneOf())
            .Object("Args", o => o.Field("x", "Int", f => f.Argument("r", "Int!", a => a.Deprecated())))
            .Build());
        var problems = string.Join("\n", error.Problems);
        Assert.Contains("unknown type \"Missing\"", problems, StringComparison.Ordinal);
        Assert.Contains("Interface field Node.id expects type ID! but Broken.id is type String", problems, StringComparison.Ordinal);
        Assert.Contains("Type Empty must define one or more fields", problems, StringComparison.Ordinal);
        Assert.Contains("Union type Bad can only include Object types", problems, StringComparison.Ordinal);
        Assert.Contains("Cannot reference Input Object \"Loop\" within itself", problems, StringComparison.Ordinal);
        Assert.Contains("OneOf input field Choice.a must be nullable", problems, StringComparison.Ordinal);
        Assert.Contains("Required argument Args.x(r:) cannot be deprecated", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void sdl_problems_name_what_is_wrong()
    {
        var error = Assert.Throws<SchemaException>(() => SchemaBuilder.FromSdl("""
            type Query { a: Int a: String b(x: Int = "no"): Int }
            type Query { c: Int }
            extend type Nothing { d: Int }
            type T @unknown { x: Int @skip(if: true) }
            enum E { A A }
            """).Build());
        var problems = string.Join("\n", error.Problems);
        Assert.Contains("Field \"Query.a\" can only be defined once.", problems, StringComparison.Ordinal);
        Assert.Contains("There can be only one type named \"Query\".", problems, StringComparison.Ordinal);
        Assert.Contains("Cannot extend type \"Nothing\" because it is not defined.", problems, StringComparison.Ordinal);
        Assert.Contains("Unknown directive \"@unknown\"", problems, StringComparison.Ordinal);
        Assert.Contains("Directive \"@skip\" may not be used on FIELD_DEFINITION", problems, StringComparison.Ordinal);
        Assert.Contains("Enum value \"E.A\" can only be defined once.", problems, StringComparison.Ordinal);
        Assert.Contains("The default value of Query.b(x:) is invalid", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task sdl_extensions_and_resolvers_attached_later_work_together()
    {
        var schema = SchemaBuilder.FromSdl("""
                type Query { hello(name: String = "world"): String }
                extend type Query { count: Int }
                """)
            .Resolve("Query", "hello", c => $"hello {c.Arguments["name"]}")
            .Resolve("Query", "count", _ => 3)
            .Build();
        Assert.Equal("""{"data":{"hello":"hello world","n":"hello GraphQL","count":3}}""", await RunAsync(schema, """{ hello n: hello(name: "GraphQL") count }"""));
        Assert.Equal("type Query {\n  hello(name: String = \"world\"): String\n  count: Int\n}", schema.ToSdl());
    }

    [Fact]
    public void builder_refuses_bad_names_and_type_references_at_once()
    {
        Assert.Throws<ArgumentException>(() => new SchemaBuilder().Object("bad name", _ => { }));
        Assert.Throws<ArgumentException>(() => new SchemaBuilder().Query(q => q.Field("x", "[Int")));
        Assert.Throws<ArgumentException>(() => new SchemaBuilder().Enum("E", e => e.Value("true")));
    }
}
