namespace OneMap.Ingest.Feeds.Formats;

/// <summary>A copy of one CSV record (its fields and line), readable through the same field handles as its reader.</summary>
public sealed class CsvRowCopy : RecordReader
{
    private char[] row = new char[256];
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private int fieldCount;
    private char delimiter;
    private char quote;

    public override string Name => "";

    public override long BytesRead => 0;

    public override int Bind(string field) => throw new NotSupportedException("a copied record uses its reader's handles");

    public override bool Read() => false;

    public override FieldValue Get(int handle) =>
        handle >= 0 && handle < fieldCount ? FieldValue.FromText(new ReadOnlyMemory<char>(row, starts[handle], lengths[handle])) : FieldValue.Missing;

    public override string RawRecord() => CsvRecordReader.Format(row, starts, lengths, fieldCount, delimiter, quote);

    internal void Fill(char[] sourceRow, int rowLength, int[] sourceStarts, int[] sourceLengths, int count, long line, char delimiterChar, char quoteChar)
    {
        if (row.Length < rowLength)
        {
            row = new char[Math.Max(rowLength, row.Length * 2)];
        }
        if (starts.Length < count)
        {
            starts = new int[Math.Max(count, starts.Length * 2)];
            lengths = new int[starts.Length];
        }
        Array.Copy(sourceRow, row, rowLength);
        Array.Copy(sourceStarts, starts, count);
        Array.Copy(sourceLengths, lengths, count);
        fieldCount = count;
        Line = line;
        delimiter = delimiterChar;
        quote = quoteChar;
    }
}
