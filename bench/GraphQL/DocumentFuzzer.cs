using System.Text;
using OneMap.GraphQL.Types;

namespace OneMap.Bench.GraphQL;

/// <summary>
/// Deterministic generator of hostile documents (seeded): random queries over a schema with wrong-typed arguments,
/// mutations of real documents (characters and tokens inserted, deleted, swapped), token soup, and pathological
/// shapes (deep nesting, fragment cycles and bombs, huge literals, odd Unicode).
/// </summary>
public sealed class DocumentFuzzer(Schema schema, IReadOnlyList<string> seeds, int seed)
{
    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "[", "]", ":", "=", "@", "$", "!", "|", "&", "...", ",", "query", "mutation", "subscription", "fragment", "on",
        "true", "false", "null", "\"s\"", "\"\"\"block\"\"\"", "1", "-1", "1.5e3", "__typename", "__schema", "__type", "skip", "include",
        "dog", "name", "owner", "pets", "echo", "int", "if", "x", "Dog", "Pet", "Query", "#c\n", "\n", " ",
    ];

    private static readonly string Alphabet = "{}()[]:=@$!|&.,\"\\#\n\t abcxyzABC019_-+eE\u00e9\u4e2d\ud83d\ude00\u0000\ufeff\u2028";

    private readonly Random _random = new(seed);
    private readonly ObjectType[] _objects = [.. schema.Types.OfType<ObjectType>().Where(t => !t.IsBuiltIn)];

    public (string Query, IReadOnlyDictionary<string, object?>? Variables) Next()
    {
        var kind = _random.Next(100);
        var query = kind switch
        {
            < 35 => RandomQuery(),
            < 65 => MutateCharacters(Pick(seeds)),
            < 80 => MutateTokens(Pick(seeds)),
            < 90 => TokenSoup(),
            _ => Pathological(),
        };
        return (query, _random.Next(4) == 0 ? RandomVariables() : null);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string RandomQuery()
    {
        var text = new StringBuilder();
        var operation = _random.Next(10) switch
        {
            0 => "mutation",
            1 => "subscription",
            _ => "query",
        };
        text.Append(operation).Append(" Q");
        if (_random.Next(3) == 0)
        {
            text.Append("($v: ").Append(Pick(["Int", "String!", "[Boolean]", "ComplexInput", "DogCommand", "Bogus"])).Append(')');
        }
        var root = operation switch
        {
            "mutation" => schema.Mutation,
            "subscription" => schema.Subscription,
            _ => schema.Query,
        } ?? schema.Query;
        text.Append(' ');
        Selection(text, root, 0);
        if (_random.Next(4) == 0)
        {
            var type = Pick(_objects);
            text.Append(" fragment F on ").Append(type.Name).Append(' ');
            Selection(text, type, 2);
        }
        return text.ToString();
    }

    private void Selection(StringBuilder text, NamedType type, int depth)
    {
        text.Append('{');
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            text.Append(' ');
            if (_random.Next(8) == 0)
            {
                text.Append(_random.Next(2) == 0 ? "...F" : "... on " + Pick(_objects).Name + " { __typename }");
                continue;
            }
            if (type is not ComplexType complex || complex.Fields.Count == 0 || _random.Next(15) == 0)
            {
                text.Append(_random.Next(2) == 0 ? "__typename" : "unknownField");
                continue;
            }
            var field = Pick(complex.Fields);
            if (_random.Next(5) == 0)
            {
                text.Append("a").Append(_random.Next(3)).Append(": ");
            }
            text.Append(field.Name);
            if (field.Arguments.Count > 0 && _random.Next(4) != 0)
            {
                text.Append('(');
                foreach (var argument in field.Arguments.Where(_ => _random.Next(3) != 0))
                {
                    text.Append(argument.Name).Append(": ").Append(Literal(argument.Type, 0)).Append(' ');
                }
                text.Append(')');
            }
            if (_random.Next(10) == 0)
            {
                text.Append(Pick([" @skip(if: true)", " @include(if: $v)", " @tag(name: \"t\")", " @deprecated", " @once @once"]));
            }
            if (field.Type.Named is ComplexType or UnionType && depth < 6 && _random.Next(8) != 0)
            {
                text.Append(' ');
                var next = field.Type.Named is UnionType union ? Pick(union.Types) : field.Type.Named;
                Selection(text, next, depth + 1);
            }
        }
        text.Append(" }");
    }

    private string Literal(GraphQLType type, int depth)
    {
        if (_random.Next(6) == 0 || depth > 3)
        {
            return Pick(["null", "1", "\"x\"", "true", "SIT", "[1, 2]", "{a: 1}", "$v", "2147483648", "1.5", "\"\\u00e9\""]);
        }
        return type.Nullable switch
        {
            ListType list => "[" + Literal(list.OfType, depth + 1) + ", " + Literal(list.OfType, depth + 1) + "]",
            InputObjectType input => "{" + string.Join(", ", input.Fields.Where(_ => _random.Next(2) == 0).Select(f => f.Name + ": " + Literal(f.Type, depth + 1))) + "}",
            EnumType enumType => Pick(enumType.Values).Name,
            ScalarType { Name: "Int" } => _random.Next(-5, 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ScalarType { Name: "Float" } => "1.25",
            ScalarType { Name: "Boolean" } => _random.Next(2) == 0 ? "true" : "false",
            _ => "\"v" + _random.Next(10) + "\"",
        };
    }

    private string MutateCharacters(string source)
    {
        var text = new StringBuilder(source);
        var edits = 1 + _random.Next(5);
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var at = _random.Next(text.Length);
            switch (_random.Next(3))
            {
                case 0:
                    text.Remove(at, 1);
                    break;
                case 1:
                    text.Insert(at, Alphabet[_random.Next(Alphabet.Length)]);
                    break;
                default:
                    text[at] = Alphabet[_random.Next(Alphabet.Length)];
                    break;
            }
        }
        return text.ToString();
    }

    private string MutateTokens(string source)
    {
        var parts = source.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
        var edits = 1 + _random.Next(4);
        for (var i = 0; i < edits && parts.Count > 1; i++)
        {
            var at = _random.Next(parts.Count);
            switch (_random.Next(4))
            {
                case 0:
                    parts.RemoveAt(at);
                    break;
                case 1:
                    parts.Insert(at, Pick(Tokens));
                    break;
                case 2:
                    (parts[at], parts[_random.Next(parts.Count)]) = (parts[_random.Next(parts.Count)], parts[at]);
                    break;
                default:
                    parts.Insert(at, parts[_random.Next(parts.Count)]);
                    break;
            }
        }
        return string.Join(' ', parts);
    }

    private string TokenSoup() => string.Join(' ', Enumerable.Range(0, 1 + _random.Next(40)).Select(_ => Pick(Tokens)));

    private string Pathological() => _random.Next(8) switch
    {
        0 => new string('{', 500 + _random.Next(5000)) + "dog" + new string('}', 100),
        1 => "{ echo(list: " + new string('[', 300) + "1" + new string(']', 300) + ") }",
        2 => "{ dog { ...A } } " + string.Join(" ", Enumerable.Range(0, 20).Select(i => $"fragment {(char)('A' + i)} on Dog {{ x{i}: name ...{(char)('A' + i + 1)} ...{(char)('A' + i + 1)} }}"))
            + " fragment U on Dog { name }",
        3 => "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...A name }",
        4 => "{ echo(string: \"" + new string('x', 100_000) + "\") }",
        5 => "{ echo(int: " + new string('9', 5000) + ") }",
        6 => "{ " + string.Join(" ", Enumerable.Range(0, 3000).Select(i => $"a{i}: dog {{ name }}")) + " }",
        _ => "{ dog { name } }" + new string('\u2028', 10) + "\ud800 \udfff { }",
    };

    private Dictionary<string, object?> RandomVariables() => new()
    {
        ["v"] = _random.Next(8) switch
        {
            0 => null,
            1 => 1L,
            2 => "str",
            3 => true,
            4 => new List<object?> { 1L, null, "x" },
            5 => new Dictionary<string, object?> { ["requiredField"] = true, ["nested"] = new Dictionary<string, object?> { ["requiredField"] = "no" } },
            6 => 1.5,
            _ => "SIT",
        },
    };
}
