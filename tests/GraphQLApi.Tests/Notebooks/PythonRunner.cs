using System.Diagnostics;

using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Notebooks;

/// <summary>What a run of notebooks/run_notebook.py printed.</summary>
public sealed record NotebookRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs notebooks/run_notebook.py with python3, the only thing the notebooks need (standard library). Off CI a missing
/// python3 skips the test; on CI it fails it.
/// </summary>
public static class PythonRunner
{
    public static string NotebooksFolder => Path.Combine(RepoPaths.RepoRoot, "notebooks");

    public static string Notebook(string name) => Path.Combine(NotebooksFolder, name);

    public static string RequirePython()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var found = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "python3"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }
        const string message = "python3 is not installed (Debian package python3); the notebooks need nothing else";
        if (RepoPaths.IsCi)
        {
            throw new InvalidOperationException(message);
        }
        throw new InvalidOperationException(Xunit.v3.DynamicSkipToken.Value + message);
    }

    /// <summary>Runs the runner with these arguments and environment (ONEMAP_* variables) and waits for it.</summary>
    public static async Task<NotebookRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(RequirePython())
        {
            WorkingDirectory = NotebooksFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(NotebooksFolder, "run_notebook.py"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No __pycache__ in the checkout; UTF-8 output whatever the machine's locale (the city's names are Chinese).
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONUTF8"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new NotebookRun(process.ExitCode, await output, await error);
    }
}
