using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OneMap.Ingest.Quarantine;

/// <summary>A rejected record: where it was, what it held and why it was rejected.</summary>
/// <param name="Input">The file, URL or topic it came from.</param>
/// <param name="Line">1-based line in the file (0 for messages).</param>
/// <param name="Record">The record as text (a CSV row, a JSON object, an MQTT payload; base64 when not UTF-8).</param>
/// <param name="Reason">What was wrong, naming the column or field.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public sealed record QuarantinedRecord(string Input, long Line, string Record, string Reason, DateTimeOffset ReceivedAt);

/// <summary>
/// The lake's <c>_quarantine/</c> folder: rejected records as JSON lines (one file per input or micro-batch), and
/// refused files moved there whole with a <c>.reason.txt</c> beside them. Written and flushed to disk before the good
/// rows beside them are committed, so nothing rejected is lost by a crash.
/// </summary>
public sealed class QuarantineStore(string lakeRoot)
{
    /// <summary>The folder under the lake root.</summary>
    public const string FolderName = "_quarantine";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Root { get; } = Path.Combine(Path.GetFullPath(lakeRoot), FolderName);

    /// <summary>
    /// Writes rejected records to <c>_quarantine/&lt;area&gt;/&lt;yyyy-MM-dd&gt;/&lt;name&gt;.jsonl</c> (replacing a file of the
    /// same name, so a retried input does not double its quarantine); returns the path relative to the lake root.
    /// </summary>
    public async Task<string?> WriteAsync(string area, string name, IReadOnlyList<QuarantinedRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return null;
        }
        var day = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Root, Safe(area), day);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Safe(name) + ".jsonl");
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
            {
                foreach (var record in records)
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        input = record.Input,
                        line = record.Line,
                        reason = record.Reason,
                        record = record.Record,
                        received_at = record.ReceivedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                    }, JsonOptions).AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        return Path.GetRelativePath(Path.GetDirectoryName(Root)!, path);
    }

    /// <summary>Moves a refused file into <c>_quarantine/&lt;area&gt;/refused/</c> with its reason beside it; returns the new path.</summary>
    public string MoveRefused(string area, string file, string reason)
    {
        var folder = Path.Combine(Root, Safe(area), "refused");
        Directory.CreateDirectory(folder);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = Path.Combine(folder, $"{stamp}-{Path.GetFileName(file)}");
        for (var n = 1; File.Exists(target); n++)
        {
            target = Path.Combine(folder, $"{stamp}-{n}-{Path.GetFileName(file)}");
        }
        File.Move(file, target);
        File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine, new UTF8Encoding(false));
        return target;
    }

    /// <summary>Keeps a refused download (no file to move) with its reason.</summary>
    public string KeepRefused(string area, string name, byte[] content, string reason)
    {
        var folder = Path.Combine(Root, Safe(area), "refused");
        Directory.CreateDirectory(folder);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var target = Path.Combine(folder, $"{stamp}-{Safe(name)}");
        File.WriteAllBytes(target, content);
        File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine, new UTF8Encoding(false));
        return target;
    }

    /// <summary>Every quarantined record under an area (for tests and operators).</summary>
    public IEnumerable<JsonElement> ReadAll(string area)
    {
        var folder = Path.Combine(Root, Safe(area));
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        var refused = Path.Combine(folder, "refused") + Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories)
                     .Where(f => !f.StartsWith(refused, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                using var document = JsonDocument.Parse(line);
                yield return document.RootElement.Clone();
            }
        }
    }

    private static string Safe(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }
        return builder.ToString();
    }
}
