using System.Text;

using OneMap.Lakehouse;

namespace OneMap.GraphQLApi.Hosting;

/// <summary>
/// The server's own state under the lake root (<c>&lt;lake&gt;/_onemap/</c>): API key hashes and generated secrets.
/// Files are written atomically (temp file, then rename) and readable by the owner only.
/// </summary>
public sealed class StateFolder
{
    /// <summary>The folder's name under the lake root; names starting with '_' are never datasets.</summary>
    public const string Name = "_onemap";

    public StateFolder(Lake lake)
        : this(System.IO.Path.Combine(lake.Root, Name))
    {
    }

    public StateFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Path { get; }

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    public string? ReadText(string name)
    {
        var path = FilePath(name);
        return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
    }

    /// <summary>Replaces a file as a whole, so a reader never sees half of it.</summary>
    public void WriteText(string name, string content)
    {
        var target = FilePath(name);
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, streamOptions))
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, target, overwrite: true);
    }
}
