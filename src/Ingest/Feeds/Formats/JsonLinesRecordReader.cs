using System.Text.Json;
using OneMap.Ingest.Feeds.Contracts;

namespace OneMap.Ingest.Feeds.Formats;

/// <summary>JSON lines: one object per line; blank lines are skipped, a line that is not a JSON object is a bad record.</summary>
internal sealed class JsonLinesRecordReader(Stream stream, FeedFormat format, string name) : RecordReader
{
    private readonly StreamReader reader = new(stream, format.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
    private readonly List<string[]> paths = [];
    private JsonDocument? current;
    private string? line;
    private long physicalLine;

    public override string Name { get; } = name;

    public override long BytesRead => stream.CanSeek ? stream.Position : 0;

    public override int Bind(string field)
    {
        paths.Add(JsonRecords.Path(field));
        return paths.Count - 1;
    }

    public override bool Read()
    {
        current?.Dispose();
        current = null;
        RecordError = null;
        while ((line = reader.ReadLine()) is not null)
        {
            physicalLine++;
            if (physicalLine == 1)
            {
                line = line.TrimStart('\uFEFF');
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            Line = physicalLine;
            Records++;
            try
            {
                current = JsonDocument.Parse(line);
                if (current.RootElement.ValueKind != JsonValueKind.Object)
                {
                    RecordError = $"the line holds a JSON {current.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                }
            }
            catch (JsonException e)
            {
                RecordError = $"not JSON: {e.Message}";
            }
            return true;
        }
        return false;
    }

    public override FieldValue Get(int handle) =>
        current is { RootElement.ValueKind: JsonValueKind.Object } document ? JsonRecords.Lookup(document.RootElement, paths[handle]) : FieldValue.Missing;

    public override string RawRecord() => line ?? "";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
            reader.Dispose();
        }
    }
}
