using System.Text.Json;
using System.Text.RegularExpressions;

namespace OneMap.GraphQL.Tests.Conformance;

/// <summary>
/// One document of the committed corpus (tests/GraphQL.Tests/Corpus/**.graphql). Leading comment lines may give
/// <c># variables: {json}</c> and <c># operationName: Name</c>; the lexer ignores comments, so the document is unchanged.
/// </summary>
public sealed partial record CorpusDocument(string Id, string Query, string? VariablesJson, string? OperationName)
{
    public IReadOnlyDictionary<string, object?>? Variables =>
        VariablesJson is null ? null : GraphQL.Types.JsonValues.ToPlainObject(JsonDocument.Parse(VariablesJson).RootElement);

    public static IReadOnlyList<CorpusDocument> LoadAll()
    {
        var root = ConformanceSchema.CorpusDirectory;
        return Directory.EnumerateFiles(root, "*.graphql", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != "schema.graphql")
            .Select(path => Load(Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static CorpusDocument Load(string id, string text)
    {
        string? variables = null;
        string? operationName = null;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith('#'))
            {
                break;
            }
            if (VariablesLine().Match(line) is { Success: true } v)
            {
                variables = v.Groups[1].Value;
            }
            if (OperationLine().Match(line) is { Success: true } o)
            {
                operationName = o.Groups[1].Value.Trim();
            }
        }
        return new CorpusDocument(id, text, variables, operationName);
    }

    [GeneratedRegex(@"^#\s*variables:\s*(.*)$")]
    private static partial Regex VariablesLine();

    [GeneratedRegex(@"^#\s*operationName:\s*(\S+)")]
    private static partial Regex OperationLine();

    public override string ToString() => Id;
}
