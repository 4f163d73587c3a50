using System.Text;

namespace OneMap.Simulator.Output;

/// <summary>
/// A CSV file built row by row: RFC 4180 quoting, CRLF line ends (as Excel writes them), and the encoding of the
/// department that sends it. Rows are counted so bad rows can be reported by line number (header = line 1).
/// </summary>
public sealed class CsvTable(IReadOnlyList<string> header)
{
    private readonly StringBuilder _text = new(string.Join(',', header.Select(Quote)) + "\r\n");

    /// <summary>The 1-based line number the next row will have.</summary>
    public int NextLine { get; private set; } = 2;

    public int Add(params string?[] cells)
    {
        _text.Append(string.Join(',', cells.Select(c => Quote(c ?? "")))).Append("\r\n");
        return NextLine++;
    }

    public byte[] ToBytes(Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var preamble = encoding.GetPreamble();
        var body = encoding.GetBytes(_text.ToString());
        return preamble.Length == 0 ? body : [.. preamble, .. body];
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
