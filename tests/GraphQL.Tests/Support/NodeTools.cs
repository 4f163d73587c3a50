using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneMap.Testing;

namespace OneMap.GraphQL.Tests.Support;

/// <summary>
/// Runs the npm tools in tests/tools (graphql-js, graphql-ws, graphql-request, urql) with node. Off CI, a machine
/// without node or without the installed tools skips the test; on CI that is a failure.
/// </summary>
public static class NodeTools
{
    public static string ToolsDirectory => Path.Combine(RepoPaths.RepoRoot, "tests", "tools");

    /// <summary>Skips (off CI) or fails (on CI) when node or the npm tools are missing.</summary>
    public static void Require()
    {
        var problem = FindProblem();
        if (problem is null)
        {
            return;
        }
        if (RepoPaths.IsCi)
        {
            Assert.Fail(problem);
        }
        Assert.Skip(problem);
    }

    private static string? FindProblem()
    {
        if (!Directory.Exists(Path.Combine(ToolsDirectory, "node_modules", "graphql")))
        {
            return $"npm tools are not installed in {ToolsDirectory} (run tests/setup/install-dependencies.sh)";
        }
        return FindNode() is null ? "node is not on PATH" : null;
    }

    private static string? FindNode()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs <c>node script args…</c> in the tools folder and returns its standard output; fails on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(FindNode() ?? "node")
        {
            WorkingDirectory = ToolsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {errors}");
        }
        return output;
    }

    /// <summary>Writes <paramref name="input"/> as JSON to a temp file, runs the script on it and parses its JSON output.</summary>
    public static async Task<JsonNode> RunJsonAsync(string script, object input, string directory, CancellationToken cancellationToken, string? mode = null)
    {
        var path = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(script)}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(input), cancellationToken);
        var output = await RunAsync(script, mode is null ? [path] : [mode, path], cancellationToken);
        return JsonNode.Parse(output) ?? throw new InvalidOperationException($"node {script} printed nothing");
    }
}
