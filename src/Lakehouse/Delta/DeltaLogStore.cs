using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OneMap.Lakehouse.Delta;

/// <summary>
/// File access to one table's <c>_delta_log</c>: listing, reading commits, and creating a commit file atomically and
/// exclusively. A commit is first written and flushed under a hidden temporary name, then hard-linked to its final
/// name; <c>link(2)</c> fails with EEXIST when another writer won that version, and a reader never sees a commit file
/// that is not complete.
/// </summary>
public sealed partial class DeltaLogStore
{
    public const string LogDirectoryName = "_delta_log";
    public const string LastCheckpointFileName = "_last_checkpoint";
    private const int EEXIST = 17;

    public DeltaLogStore(string tableRoot)
    {
        TableRoot = Path.GetFullPath(tableRoot);
        LogDirectory = Path.Combine(TableRoot, LogDirectoryName);
    }

    public string TableRoot { get; }

    public string LogDirectory { get; }

    public static string CommitFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    public static string CheckpointFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";

    public string CommitPath(long version) => Path.Combine(LogDirectory, CommitFileName(version));

    public bool CommitExists(long version) => File.Exists(CommitPath(version));

    /// <summary>Lists commits and complete checkpoints (multi-part checkpoints only when every part is present).</summary>
    public LogListing List()
    {
        var commits = new SortedDictionary<long, string>();
        var checkpointParts = new Dictionary<(long Version, int Parts), List<string>>();
        if (!Directory.Exists(LogDirectory))
        {
            return new LogListing(commits, []);
        }
        foreach (var path in Directory.EnumerateFiles(LogDirectory))
        {
            var name = Path.GetFileName(path);
            var match = LogFilePattern().Match(name);
            if (!match.Success)
            {
                continue;
            }
            var version = long.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["json"].Success)
            {
                commits[version] = path;
            }
            else if (match.Groups["parts"].Success)
            {
                var parts = int.Parse(match.Groups["parts"].Value, CultureInfo.InvariantCulture);
                var key = (version, parts);
                if (!checkpointParts.TryGetValue(key, out var list))
                {
                    checkpointParts[key] = list = [];
                }
                list.Add(path);
            }
            else
            {
                checkpointParts[(version, 1)] = [path];
            }
        }
        var checkpoints = checkpointParts
            .Where(kv => kv.Value.Count == kv.Key.Parts)
            .Select(kv => new CheckpointFiles(kv.Key.Version, kv.Value.Order(StringComparer.Ordinal).ToList()))
            .OrderBy(c => c.Version)
            .ToList();
        return new LogListing(commits, checkpoints);
    }

    /// <summary>The <c>_last_checkpoint</c> hint, or null when absent or unreadable (readers then list the log).</summary>
    public LastCheckpoint? ReadLastCheckpoint()
    {
        var path = Path.Combine(LogDirectory, LastCheckpointFileName);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new LastCheckpoint(
                root.GetProperty("version").GetInt64(),
                root.TryGetProperty("size", out var size) ? size.GetInt64() : 0,
                root.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Number ? parts.GetInt32() : null);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads and parses the commit file of <paramref name="version"/>.</summary>
    public List<DeltaAction> ReadCommit(long version)
    {
        var path = CommitPath(version);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new CorruptLogException(path, $"commit {version} is missing", e);
        }
        try
        {
            return ActionJson.ParseLines(bytes);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new CorruptLogException(path, e.Message, e);
        }
    }

    /// <summary>
    /// Creates the commit file of <paramref name="version"/> with <paramref name="content"/> if no writer has created it
    /// yet. Returns false when the version is already taken.
    /// </summary>
    public bool TryCreateCommit(long version, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(LogDirectory);
        var target = CommitPath(version);
        var temp = Path.Combine(LogDirectory, $".tmp-{Guid.NewGuid():N}.json");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                stream.Write(content);
                // Durable before it becomes visible: a machine crash must not leave a visible, empty commit.
                stream.Flush(flushToDisk: true);
            }
            return LinkExclusive(temp, target);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Replaces a small log file (e.g. <c>_last_checkpoint</c>) atomically through a temporary file and rename.</summary>
    public void WriteReplacing(string fileName, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(LogDirectory);
        var temp = Path.Combine(LogDirectory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(LogDirectory, fileName), overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>The modification time of a commit file in milliseconds since the epoch (the protocol's fallback timestamp).</summary>
    public long CommitFileTimestamp(long version) =>
        new DateTimeOffset(File.GetLastWriteTimeUtc(CommitPath(version))).ToUnixTimeMilliseconds();

    private static bool LinkExclusive(string source, string target)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Link(source, target) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST)
            {
                return false;
            }
            // File systems without hard links fall through to exclusive creation below.
        }
        try
        {
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var input = File.OpenRead(source);
            input.CopyTo(output);
            output.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is hidden from readers and removed by VACUUM.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [GeneratedRegex(@"^(?<version>\d{20})\.(?:(?<json>json)|checkpoint\.parquet|checkpoint\.(?<part>\d{10})\.(?<parts>\d{10})\.parquet)$")]
    private static partial Regex LogFilePattern();
}

/// <summary>The files of a log listing: commit files by version, and complete checkpoints in version order.</summary>
public sealed record LogListing(SortedDictionary<long, string> Commits, IReadOnlyList<CheckpointFiles> Checkpoints)
{
    public long? LatestVersion => Commits.Count > 0 ? Commits.Keys.Last() : Checkpoints.Count > 0 ? Checkpoints[^1].Version : null;
}

/// <summary>A checkpoint of <paramref name="Version"/>: one file, or every part of a multi-part checkpoint.</summary>
public sealed record CheckpointFiles(long Version, IReadOnlyList<string> Paths);

/// <summary>The content of <c>_delta_log/_last_checkpoint</c>.</summary>
public sealed record LastCheckpoint(long Version, long Size, int? Parts);
