using System.Globalization;
using System.Text;
using System.Text.Json;
using OneMap.GraphQL.Types;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// The benchmark's schema, data and query, identical for OneMap and graphql-js: stations with many scalar fields,
/// an owner and readings; a query of 200 field selections through three levels of fragments.
/// </summary>
public static class BenchSchema
{
    public const int StationFields = 121;
    public const int OwnerFields = 20;
    public const int ReadingFields = 50;
    public const int Stations = 20;
    public const int ReadingsPerStation = 5;

    public static string Sdl { get; } = BuildSdl();

    public static string DataJson { get; } = BuildData();

    /// <summary>200 field selections: 125 on stations (three fragment levels), 22 on owners, 52 on readings, plus the stations list.</summary>
    public static string Query { get; } = BuildQuery();

    /// <summary>The small query of the HTTP benchmark (a cached document).</summary>
    public const string SmallQuery = "{ station(id: \"s3\") { id name m0 m1 owner { name } } }";

    public static int CountFieldSelections() => Query.Split([' ', '\n', '{', '}'], StringSplitOptions.RemoveEmptyEntries)
        .Count(t => t.Length > 0 && char.IsLower(t[0]) && t is not ("query" or "fragment" or "on"));

    public static Schema Build() => SchemaBuilder.FromSdl(Sdl)
        .Resolve("Query", "station", c => ((IEnumerable<object?>)Data["stations"]!).FirstOrDefault(s => (string?)((IReadOnlyDictionary<string, object?>)s!)["id"] == (string?)c.Arguments["id"]))
        .Build();

    public static IReadOnlyDictionary<string, object?> Data { get; } = (IReadOnlyDictionary<string, object?>)JsonValues.ToPlain(JsonDocument.Parse(DataJson).RootElement)!;

    private static string ScalarType(int i) => (i % 4) switch
    {
        0 => "Float",
        1 => "Int",
        2 => "String",
        _ => "Boolean",
    };

    private static object ScalarValue(int i, int seed) => (i % 4) switch
    {
        0 => Math.Round(seed * 1.25 + i / 8.0, 3),
        1 => seed * 31 + i,
        2 => $"v{seed}-{i}",
        _ => (seed + i) % 3 == 0,
    };

    private static string BuildSdl()
    {
        var sdl = new StringBuilder();
        sdl.Append("type Query {\n  stations: [Station!]!\n  station(id: ID!): Station\n}\n\n");
        sdl.Append("type Station {\n  id: ID!\n  name: String!\n  owner: Owner\n  readings: [Reading!]!\n");
        for (var i = 0; i < StationFields; i++)
        {
            sdl.Append(CultureInfo.InvariantCulture, $"  m{i}: {ScalarType(i)}\n");
        }
        sdl.Append("}\n\ntype Owner {\n  id: ID!\n  name: String!\n");
        for (var i = 0; i < OwnerFields; i++)
        {
            sdl.Append(CultureInfo.InvariantCulture, $"  o{i}: {ScalarType(i)}\n");
        }
        sdl.Append("}\n\ntype Reading {\n  at: String!\n  value: Float!\n");
        for (var i = 0; i < ReadingFields; i++)
        {
            sdl.Append(CultureInfo.InvariantCulture, $"  r{i}: {ScalarType(i)}\n");
        }
        sdl.Append("}\n");
        return sdl.ToString();
    }

    private static string BuildData()
    {
        var stations = new List<Dictionary<string, object?>>();
        for (var s = 0; s < Stations; s++)
        {
            var station = new Dictionary<string, object?> { ["id"] = $"s{s}", ["name"] = $"Station {s}" };
            for (var i = 0; i < StationFields; i++)
            {
                station[$"m{i}"] = ScalarValue(i, s);
            }
            var owner = new Dictionary<string, object?> { ["id"] = $"o{s}", ["name"] = $"Owner {s}" };
            for (var i = 0; i < OwnerFields; i++)
            {
                owner[$"o{i}"] = ScalarValue(i, s + 100);
            }
            station["owner"] = owner;
            var readings = new List<Dictionary<string, object?>>();
            for (var r = 0; r < ReadingsPerStation; r++)
            {
                var reading = new Dictionary<string, object?> { ["at"] = $"2024-05-01T0{r}:00:00Z", ["value"] = s + r / 10.0 };
                for (var i = 0; i < ReadingFields; i++)
                {
                    reading[$"r{i}"] = ScalarValue(i, s * 10 + r);
                }
                readings.Add(reading);
            }
            station["readings"] = readings;
            stations.Add(station);
        }
        return JsonSerializer.Serialize(new Dictionary<string, object?> { ["stations"] = stations });
    }

    private static string BuildQuery()
    {
        static string Fields(string prefix, int from, int to) => string.Join(" ", Enumerable.Range(from, to - from).Select(i => prefix + i));
        return $$"""
            query Bench { stations { ...StationFields } }
            fragment StationFields on Station { id name {{Fields("m", 0, 40)}} ...StationMore owner { ...OwnerFields } readings { ...ReadingFields } }
            fragment StationMore on Station { {{Fields("m", 40, 80)}} ...StationRest }
            fragment StationRest on Station { {{Fields("m", 80, StationFields)}} }
            fragment OwnerFields on Owner { id name {{Fields("o", 0, OwnerFields)}} }
            fragment ReadingFields on Reading { at value {{Fields("r", 0, ReadingFields)}} }
            """;
    }
}
