using System.Diagnostics;

namespace OneMap.Bench.GraphQL;

/// <summary>Finds the repository and runs its node tools (tests/tools: graphql-js, installed by tests/setup).</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Tools => Path.Combine(Root, "tests", "tools");

    public static string BenchScripts => Path.Combine(Root, "bench", "GraphQL");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneMap.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("OneMap.sln not found above " + AppContext.BaseDirectory);
    }

    public static void RequireNodeTools()
    {
        if (!Directory.Exists(Path.Combine(Tools, "node_modules", "graphql")))
        {
            throw new InvalidOperationException($"graphql-js is not installed in {Tools}: run tests/setup/install-dependencies.sh");
        }
    }

    /// <summary>Starts node with a script from bench/GraphQL, the npm tools folder as its module root.</summary>
    public static Process StartNode(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(BenchScripts, script));
        start.ArgumentList.Add(Tools);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("node did not start");
    }

    public static async Task<string> RunNodeAsync(string script, CancellationToken cancellationToken, params string[] arguments)
    {
        using var process = StartNode(script, arguments);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed: {await errors}");
        }
        return await output;
    }
}
