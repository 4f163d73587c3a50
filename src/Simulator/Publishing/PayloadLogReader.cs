using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace OneMap.Simulator.Publishing;

/// <summary>One logged message: its topic, its payload bytes, and the time it was sent (the payload's <c>ts</c>).</summary>
public sealed record LoggedMessage(string Topic, byte[] Payload, DateTimeOffset At);

/// <summary>
/// Reads a sample's sensor payload logs (<c>sensors/&lt;stream&gt;/&lt;day&gt;.log.gz</c>, <c>topic TAB payload</c>
/// per line) and yields the messages of the chosen streams merged in time order, as the devices sent them.
/// </summary>
public static class PayloadLogReader
{
    public static readonly IReadOnlyList<string> Streams = ["water-quality", "manholes"];

    /// <summary>The day files of the given streams under a sample folder, by stream.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> DayFiles(string sampleDirectory, IEnumerable<string> streams)
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var stream in streams)
        {
            var folder = Path.Combine(sampleDirectory, "sensors", stream);
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"no payload logs in {folder}; run `generate --out {sampleDirectory}` first");
            }
            result.Add(Directory.GetFiles(folder, "*.log.gz").Order(StringComparer.Ordinal).ToList());
        }
        return result;
    }

    /// <summary>The messages of every stream, merged by time (ties: stream order, then file order).</summary>
    public static IEnumerable<LoggedMessage> Read(string sampleDirectory, IEnumerable<string> streams)
    {
        var sources = DayFiles(sampleDirectory, streams).Select(files => ReadFiles(files).GetEnumerator()).ToList();
        try
        {
            var heads = sources.Select(s => s.MoveNext() ? s.Current : null).ToList();
            while (true)
            {
                var next = -1;
                for (var i = 0; i < heads.Count; i++)
                {
                    if (heads[i] is { } h && (next < 0 || h.At < heads[next]!.At))
                    {
                        next = i;
                    }
                }
                if (next < 0)
                {
                    yield break;
                }
                yield return heads[next]!;
                heads[next] = sources[next].MoveNext() ? sources[next].Current : null;
            }
        }
        finally
        {
            foreach (var s in sources)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>Parses one log line; the time is the payload's <c>ts</c> field.</summary>
    public static LoggedMessage Parse(string line, string where)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        if (tab <= 0)
        {
            throw new FormatException($"{where}: expected \"topic<TAB>payload\"");
        }
        var payload = line[(tab + 1)..];
        var ts = payload.IndexOf("\"ts\":\"", StringComparison.Ordinal);
        var end = ts < 0 ? -1 : payload.IndexOf('"', ts + 6);
        if (end < 0 || !DateTimeOffset.TryParseExact(payload[(ts + 6)..end], "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            throw new FormatException($"{where}: payload has no \"ts\" with a zone offset");
        }
        return new LoggedMessage(line[..tab], Encoding.UTF8.GetBytes(payload), at);
    }

    private static IEnumerable<LoggedMessage> ReadFiles(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress), Encoding.UTF8);
            var number = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                number++;
                if (line.Length > 0)
                {
                    yield return Parse(line, $"{Path.GetFileName(file)} line {number}");
                }
            }
        }
    }
}
