using System.Globalization;
using System.Text;
using System.Text.Json;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.Testing;

namespace OneMap.GraphQL.Tests.Conformance;

/// <summary>
/// The conformance schema built by OneMap from the same SDL and data graphql-js uses, with resolvers that behave as
/// tests/tools/conformance-resolvers.mjs does.
/// </summary>
public static class ConformanceSchema
{
    public static string CorpusDirectory => Path.Combine(RepoPaths.RepoRoot, "tests", "GraphQL.Tests", "Corpus");

    public static string Sdl { get; } = File.ReadAllText(Path.Combine(CorpusDirectory, "schema.graphql"));

    public static string DataJson { get; } = File.ReadAllText(Path.Combine(CorpusDirectory, "data.json"));

    /// <summary>The data as plain values (maps and lists), the root value of every execution.</summary>
    public static object? Data { get; } = JsonValues.ToPlain(JsonDocument.Parse(DataJson).RootElement);

    private static readonly Lazy<Schema> Built = new(Build);

    public static Schema Schema => Built.Value;

    private static Schema Build()
    {
        var data = (IReadOnlyDictionary<string, object?>)Data!;
        var builder = SchemaBuilder.FromSdl(Sdl);
        builder.Resolve("Dog", "doesKnowCommand", c => Knows(c.Parent, c.Arguments["dogCommand"]));
        builder.Resolve("Cat", "doesKnowCommand", c => Knows(c.Parent, c.Arguments["catCommand"]));
        builder.Resolve("Dog", "isHouseTrained", c => Get(c.Parent, c.Arguments.GetValueOrDefault("atOtherHomes") is true ? "houseTrainedElsewhere" : "houseTrained"));
        foreach (var name in new[] { "booleanArgField", "floatArgField", "intArgField", "nonNullBooleanArgField", "booleanListArgField", "optionalNonNullBooleanArgField", "nonNullBooleanListField" })
        {
            builder.Resolve("Arguments", name, c => c.Arguments.Values.FirstOrDefault());
        }
        builder.Resolve("Arguments", "multipleRequirements", c => (int)c.Arguments["x"]! + (int)c.Arguments["y"]!);
        foreach (var name in new[] { "intArgField", "nonNullIntArgField", "stringArgField", "booleanArgField", "enumArgField", "floatArgField", "idArgField",
                     "stringListArgField", "stringListNonNullArgField", "complexArgField", "oneOfArgField", "multipleReqs", "nonNullFieldWithDefault",
                     "multipleOpts", "multipleOptAndReq" })
        {
            builder.Resolve("ComplicatedArgs", name, c => JsJson.Stringify(c.Arguments));
        }
        foreach (var name in new[] { "echo", "echoDefaults", "echoRequired" })
        {
            builder.Resolve("Query", name, c => JsJson.Stringify(c.Arguments));
        }
        var dogs = (IReadOnlyList<object?>)data["dogs"]!;
        builder.Resolve("Query", "dogs", c =>
        {
            var sorted = dogs.OrderBy(d => (string)Get(d, "name")!, StringComparer.Ordinal).ToList();
            if ((string?)c.Arguments["orderBy"] == "NAME_DESC")
            {
                sorted.Reverse();
            }
            // Math.max(0, null) is 0 in JavaScript: an explicit null first returns nothing.
            return sorted.Take(Math.Max(0, (int?)c.Arguments["first"] ?? 0)).ToList();
        });
        builder.Resolve("Query", "findDog", c =>
        {
            var search = c.Arguments.GetValueOrDefault("searchBy") as IReadOnlyDictionary<string, object?>;
            var name = search?.GetValueOrDefault("name") as string;
            return dogs.FirstOrDefault(d => name is null || (string?)Get(d, "name") == name);
        });
        builder.Resolve("Query", "node", c =>
        {
            var candidates = new List<object?> { data["dog"] };
            candidates.AddRange(dogs);
            candidates.AddRange(((IReadOnlyList<object?>)data["pets"]!).Where(p => p is not null));
            candidates.Add(data["human"]);
            candidates.Add(data["pet"]);
            return candidates.FirstOrDefault(x => (string?)Get(x, "id") == (string?)c.Arguments["id"]);
        });
        builder.Resolve("Query", "throwing", _ => throw new GraphQLFieldException("boom"));
        builder.Resolve("Query", "nonNullThrowing", _ => throw new GraphQLFieldException("boom!"));
        builder.ConfigureField("Query", "asyncDog", f => f.ResolveAsync(async _ =>
        {
            await Task.Yield();
            return data["dog"];
        }));
        builder.ConfigureField("Query", "asyncNumbers", f => f.ResolveAsync(async c =>
        {
            await Task.Delay(1, c.CancellationToken);
            return data["asyncNumbers"];
        }));
        builder.Resolve("Mutation", "addPet", c => ToPet((IReadOnlyDictionary<string, object?>)c.Arguments["pet"]!));
        builder.Resolve("Mutation", "addPets", c => ((IEnumerable<object?>)c.Arguments["pets"]!).Select(p => ToPet((IReadOnlyDictionary<string, object?>)p!)).ToList());
        builder.Resolve("Mutation", "renameDog", c =>
        {
            var renamed = new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)data["dog"]!) { ["name"] = c.Arguments["name"] };
            return renamed;
        });
        builder.Resolve("Mutation", "failingMutation", _ => throw new GraphQLFieldException("mutation failed"));
        return builder.Build();
    }

    private static object? Get(object? source, string key) => (source as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault(key);

    private static bool Knows(object? source, object? command) =>
        Get(source, "knownCommands") is IEnumerable<object?> commands && commands.Contains(command);

    private static Dictionary<string, object?> ToPet(IReadOnlyDictionary<string, object?> pet)
    {
        if (pet.GetValueOrDefault("cat") is IReadOnlyDictionary<string, object?> cat)
        {
            return new Dictionary<string, object?>
            {
                ["__typename"] = "Cat", ["id"] = "new-cat", ["name"] = cat["name"], ["nickname"] = cat.GetValueOrDefault("nickname"),
                ["meowVolume"] = cat.GetValueOrDefault("meowVolume"),
            };
        }
        var dog = (IReadOnlyDictionary<string, object?>)pet["dog"]!;
        return new Dictionary<string, object?>
        {
            ["__typename"] = "Dog", ["id"] = "new-dog", ["name"] = dog["name"], ["nickname"] = dog.GetValueOrDefault("nickname"),
            ["barkVolume"] = dog.GetValueOrDefault("barkVolume"),
        };
    }
}

/// <summary>JSON text as JavaScript's <c>JSON.stringify</c> writes it (what the echo fields return on both sides).</summary>
public static class JsJson
{
    public static string Stringify(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                WriteString(text, s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case double d:
                text.Append(double.IsFinite(d) ? JsNumber.Format(d) : "null");
                break;
            case int or long:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object?> map:
                text.Append('{');
                var first = true;
                foreach (var (key, item) in map)
                {
                    if (!first)
                    {
                        text.Append(',');
                    }
                    first = false;
                    WriteString(text, key);
                    text.Append(':');
                    Write(text, item);
                }
                text.Append('}');
                break;
            case System.Collections.IEnumerable list:
                text.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem)
                    {
                        text.Append(',');
                    }
                    firstItem = false;
                    Write(text, item);
                }
                text.Append(']');
                break;
            default:
                WriteString(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    var loneSurrogate = (char.IsHighSurrogate(c) && (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])))
                        || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1])));
                    if (c < 0x20 || loneSurrogate)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }
}
