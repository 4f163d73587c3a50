namespace OneMap.Testing;

/// <summary>Locates the repository root and the shared/ folder beside it, from wherever a test runs.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding OneMap.sln).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared/ folder beside the repository (datasets, reference Delta tables, design).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>True when running in CI, where a missing server binary fails a test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneMap.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"OneMap.sln not found above {AppContext.BaseDirectory}");
    }
}
