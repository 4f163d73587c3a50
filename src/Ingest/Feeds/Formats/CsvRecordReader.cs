using System.Buffers;
using System.Text;
using OneMap.Ingest.Feeds.Contracts;

namespace OneMap.Ingest.Feeds.Formats;

/// <summary>
/// RFC 4180 CSV: a configurable delimiter and quote, quoted fields with doubled quotes and line breaks inside, CRLF or
/// LF line ends, blank lines skipped, title lines above the header skipped. Fields are kept in one reused buffer.
/// </summary>
internal sealed class CsvRecordReader : RecordReader
{
    private readonly Stream stream;
    private readonly StreamReader reader;
    private readonly char delimiter;
    private readonly char quote;
    private readonly SearchValues<char> stops;
    private readonly Dictionary<string, int> header = new(StringComparer.Ordinal);
    private readonly List<string> headerNames = [];
    private readonly char[] buffer = new char[1 << 16];
    private int position;
    private int end;
    private bool eof;
    private long physicalLine = 1;
    private char[] row = new char[1024];
    private int rowLength;
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int fieldCount;

    public CsvRecordReader(Stream stream, FeedFormat format, string name)
    {
        this.stream = stream;
        Name = name;
        delimiter = format.Delimiter;
        quote = format.Quote;
        stops = SearchValues.Create([delimiter, '\r', '\n', quote]);
        reader = new StreamReader(stream, format.Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        // Title lines above the header (report names, export dates) are common in department exports.
        while (ReadRecord())
        {
            if (Line >= format.HeaderLine)
            {
                break;
            }
        }
        if (fieldCount == 0)
        {
            throw new FileRefusedException(name, format.HeaderLine == 1 ? "the file is empty (no header row)" : $"the file ends before the header row on line {format.HeaderLine}");
        }
        for (var i = 0; i < fieldCount; i++)
        {
            var field = new string(row, starts[i], lengths[i]).Trim().TrimStart('\uFEFF').Trim();
            headerNames.Add(field);
            header.TryAdd(field, i);
        }
        HeaderLine = Line;
    }

    public override string Name { get; }

    public long HeaderLine { get; }

    public override long BytesRead => stream.CanSeek ? stream.Position : 0;

    public override IReadOnlyList<string>? DeclaredFields => headerNames;

    public override int Bind(string field) => header.TryGetValue(field.Trim(), out var index) ? index : -1;

    public override bool Read()
    {
        while (ReadRecord())
        {
            if (fieldCount == 1 && lengths[0] == 0)
            {
                continue; // a blank line
            }
            Records++;
            return true;
        }
        return false;
    }

    public override FieldValue Get(int handle) =>
        handle >= 0 && handle < fieldCount ? FieldValue.FromText(new ReadOnlyMemory<char>(row, starts[handle], lengths[handle])) : FieldValue.Missing;

    public override string RawRecord() => Format(row, starts, lengths, fieldCount, delimiter, quote);

    /// <summary>Copies the current record into <paramref name="target"/>, to be mapped later or on another thread.</summary>
    public void CopyCurrent(CsvRowCopy target) => target.Fill(row, rowLength, starts, lengths, fieldCount, Line, delimiter, quote);

    internal static string Format(char[] row, int[] starts, int[] lengths, int fieldCount, char delimiter, char quote)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < fieldCount; i++)
        {
            if (i > 0)
            {
                builder.Append(delimiter);
            }
            var field = row.AsSpan(starts[i], lengths[i]);
            if (field.IndexOfAny([delimiter, quote, '\r', '\n']) >= 0)
            {
                builder.Append(quote).Append(field.ToString().Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal)).Append(quote);
            }
            else
            {
                builder.Append(field);
            }
        }
        return builder.ToString();
    }

    /// <summary>The number of fields of the current record (a row with fewer fields than the header is suspicious).</summary>
    public int FieldCount => fieldCount;

    public int HeaderCount => headerNames.Count;

    private bool ReadRecord()
    {
        fieldCount = 0;
        rowLength = 0;
        if (!EnsureData())
        {
            return false;
        }
        Line = physicalLine;
        while (true)
        {
            var start = rowLength;
            if (EnsureData() && buffer[position] == quote)
            {
                position++;
                ReadQuoted();
            }
            ReadUnquoted();
            AddField(start, rowLength - start);
            if (!EnsureData())
            {
                return true;
            }
            var c = buffer[position];
            if (c == delimiter)
            {
                position++;
                if (!EnsureData())
                {
                    AddField(rowLength, 0);
                    return true;
                }
                continue;
            }
            // A line end.
            position++;
            if (c == '\r' && EnsureData() && buffer[position] == '\n')
            {
                position++;
            }
            physicalLine++;
            return true;
        }
    }

    /// <summary>Copies characters up to a delimiter, a line end or the end of input.</summary>
    private void ReadUnquoted()
    {
        while (EnsureData())
        {
            var span = buffer.AsSpan(position, end - position);
            var stop = span.IndexOfAny(stops);
            if (stop < 0)
            {
                Append(span);
                position = end;
                continue;
            }
            Append(span[..stop]);
            position += stop;
            if (buffer[position] == quote)
            {
                // A quote inside an unquoted field is kept as text (lenient, as spreadsheet exports need).
                Append(buffer.AsSpan(position, 1));
                position++;
                continue;
            }
            return;
        }
    }

    private void ReadQuoted()
    {
        while (EnsureData())
        {
            var c = buffer[position++];
            if (c == quote)
            {
                if (EnsureData() && buffer[position] == quote)
                {
                    position++;
                    Append([quote]);
                    continue;
                }
                return;
            }
            if (c == '\n')
            {
                physicalLine++;
            }
            Append([c]);
        }
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (rowLength + chars.Length > row.Length)
        {
            Array.Resize(ref row, Math.Max(row.Length * 2, rowLength + chars.Length));
        }
        chars.CopyTo(row.AsSpan(rowLength));
        rowLength += chars.Length;
    }

    private void AddField(int start, int length)
    {
        if (fieldCount == starts.Length)
        {
            Array.Resize(ref starts, starts.Length * 2);
            Array.Resize(ref lengths, lengths.Length * 2);
        }
        starts[fieldCount] = start;
        lengths[fieldCount] = length;
        fieldCount++;
    }

    private bool EnsureData()
    {
        if (position < end)
        {
            return true;
        }
        if (eof)
        {
            return false;
        }
        end = reader.Read(buffer, 0, buffer.Length);
        position = 0;
        if (end == 0)
        {
            eof = true;
            return false;
        }
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            reader.Dispose();
        }
    }
}
