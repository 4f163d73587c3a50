using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Lakehouse.Alerts;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Docs;

/// <summary>
/// docs/api.md is run: every GraphQL block in the guide, as the role it names (queries and mutations over HTTP, the
/// subscription over server-sent events), must answer without errors and with data. And graphql-js, the reference
/// implementation, accepts each role's introspected schema and validates the guide's documents against the schema
/// of the role they are written for.
/// </summary>
public sealed partial class ApiGuideTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record Example(string Name, string Role, string Query, JsonNode? Variables);

    public static IReadOnlyList<Example> Examples()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "docs", "api.md"));
        var examples = new List<Example>();
        foreach (Match block in GraphQLBlock().Matches(text))
        {
            var body = block.Groups["body"].Value;
            var role = RoleLine().Match(body) is { Success: true } r ? r.Groups["role"].Value : throw new InvalidOperationException("a guide example names no role:\n" + body);
            var variables = VariablesLine().Match(body) is { Success: true } v ? JsonNode.Parse(v.Groups["json"].Value) : null;
            var name = OperationName().Match(body).Groups["name"].Value;
            examples.Add(new Example(name, role, body, variables));
        }
        return examples;
    }

    private string KeyFor(string role) => role switch
    {
        "admin" => city.Keys.Admin,
        "analyst" => city.Keys.Analyst,
        "department" => city.Keys.HousingDepartment,
        "public" => city.Keys.Public,
        _ => throw new InvalidOperationException($"unknown role {role}"),
    };

    [Fact]
    public async Task every_example_in_the_guide_runs_as_its_role()
    {
        var examples = Examples();
        Assert.True(examples.Count >= 20, $"the guide has {examples.Count} examples");
        // The alert the guide acknowledges, addressed to the department whose key runs department examples.
        await city.Server.Get<IAlertStore>().RaiseAsync(new Alert
        {
            AlertId = "ALERT-GUIDE-1", Kind = AlertKinds.Pollution, SubjectKind = "station", SubjectId = "WQS-020", Indicators = ["nh3_n"],
            Start = SampleCity.ExportTime.AddHours(-5), Severity = "critical", Score = 0.9, DepartmentCode = RoleKeys.Housing,
        }, Ct);
        foreach (var example in examples)
        {
            if (example.Query.TrimStart().Split('\n').SkipWhile(l => l.TrimStart().StartsWith('#')).First().StartsWith("subscription", StringComparison.Ordinal))
            {
                await RunSubscriptionAsync(example);
                continue;
            }
            var result = await city.Server.QueryAsync(KeyFor(example.Role), example.Query, example.Variables, Ct);
            var data = result.Ok();
            foreach (var (field, value) in data.AsObject())
            {
                Assert.True(value is not null, $"{example.Name}: {field} is null");
                if (value is JsonArray list)
                {
                    Assert.True(list.Count > 0, $"{example.Name}: {field} is empty");
                }
                else if (value is JsonObject item)
                {
                    foreach (var (child, inner) in item)
                    {
                        Assert.False(inner is JsonArray { Count: 0 }, $"{example.Name}: {field}.{child} is empty");
                    }
                }
            }
        }
    }

    private async Task RunSubscriptionAsync(Example example)
    {
        using var client = city.Server.ClientWith(KeyFor(example.Role));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = example.Query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        using var reader = new StreamReader(stream);
        var raise = Task.Run(async () =>
        {
            await Task.Delay(300, Ct);
            await city.Server.Get<IAlertStore>().RaiseAsync(new Alert
            {
                AlertId = "ALERT-GUIDE-SUB", Kind = AlertKinds.Pollution, SubjectKind = "station", SubjectId = "WQS-011", Indicators = ["do"],
                Start = SampleCity.ExportTime.AddHours(-1), Severity = "critical", Score = 0.95, DepartmentCode = "D12",
            }, Ct);
        }, Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        JsonNode? received = null;
        while (received is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("ALERT-GUIDE-SUB", StringComparison.Ordinal))
            {
                received = JsonNode.Parse(line[5..]);
            }
        }
        await raise;
        Assert.NotNull(received);
        Assert.Null(received["errors"]);
    }

    [Fact]
    public async Task graphql_js_accepts_every_roles_schema_and_the_guides_documents()
    {
        RequireNode();
        using var directory = new TempDirectory("onemap-api-graphqljs");
        var introspectionQuery = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scripts", "introspection.graphql"), Ct);
        foreach (var role in new[] { "public", "analyst", "department", "admin" })
        {
            var introspection = (await city.Server.QueryAsync(KeyFor(role), introspectionQuery, cancellationToken: Ct)).Ok();
            var schemaFile = Path.Combine(directory.Path, role + ".json");
            await File.WriteAllTextAsync(schemaFile, introspection.ToJsonString(), Ct);
            var mine = Examples().Where(e => e.Role == role).Select(e => new { name = e.Name, query = e.Query }).ToList();
            // What an analyst may ask is not valid for the public role: graphql-js must refuse it against the public schema.
            var foreign = role == "public" ? Examples().Where(e => e.Role == "analyst").Select(e => new { name = "analyst:" + e.Name, query = e.Query }).ToList() : [];
            var documentsFile = Path.Combine(directory.Path, role + "-documents.json");
            await File.WriteAllTextAsync(documentsFile, JsonSerializer.Serialize(mine.Concat(foreign)), Ct);
            var output = JsonNode.Parse(await RunNodeAsync(schemaFile, documentsFile))!;
            Assert.Empty(output["schemaErrors"]!.AsArray());
            foreach (var document in mine)
            {
                Assert.True(output["documents"]![document.name]!.AsArray().Count == 0, $"{role}/{document.name}: {output["documents"]![document.name]}");
            }
            if (role == "public")
            {
                Assert.Contains(foreign, f => output["documents"]![f.name]!.AsArray().Count > 0);
                Assert.Contains(output["documents"]!["analyst:StationsNow"]!.AsArray(), m => ((string)m!).Contains("stations", StringComparison.Ordinal));
            }
        }
    }

    private static void RequireNode()
    {
        var tools = Path.Combine(RepoPaths.RepoRoot, "tests", "tools", "node_modules", "graphql");
        var problem = !Directory.Exists(tools) ? $"graphql-js is not installed in tests/tools (run tests/setup/install-dependencies.sh)" : null;
        if (problem is not null)
        {
            if (RepoPaths.IsCi)
            {
                Assert.Fail(problem);
            }
            Assert.Skip(problem);
        }
    }

    private static async Task<string> RunNodeAsync(string schemaFile, string documentsFile)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Scripts", "validate.cjs"));
        start.ArgumentList.Add(Path.Combine(RepoPaths.RepoRoot, "tests", "tools"));
        start.ArgumentList.Add(schemaFile);
        start.ArgumentList.Add(documentsFile);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    [GeneratedRegex(@"```graphql\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex GraphQLBlock();

    [GeneratedRegex(@"^# role: (?<role>\w+)", RegexOptions.Multiline)]
    private static partial Regex RoleLine();

    [GeneratedRegex(@"^# variables: (?<json>.+)$", RegexOptions.Multiline)]
    private static partial Regex VariablesLine();

    [GeneratedRegex(@"(?:query|mutation|subscription)\s+(?<name>\w+)")]
    private static partial Regex OperationName();
}
