namespace OneMap.Testing;

/// <summary>A fresh folder under the system temp dir, deleted on dispose (each test class gets its own lake).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "onemap-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold a file for a moment; leftovers in /tmp are harmless.
        }
    }
}
