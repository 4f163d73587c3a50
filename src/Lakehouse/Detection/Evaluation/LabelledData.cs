using System.Globalization;
using System.Text.Json;

namespace OneMap.Lakehouse.Detection.Evaluation;

/// <summary>One file of a NAB-format corpus: rows of (timestamp, value) and its labelled windows.</summary>
/// <param name="Name">Path relative to the corpus root, as windows.json names it (e.g. <c>artificialWithAnomaly/art_daily_jumpsup.csv</c>).</param>
/// <param name="Timestamps">Row timestamps.</param>
/// <param name="Values">Row values.</param>
/// <param name="Windows">Labelled anomaly windows as row ranges.</param>
public sealed record NabFile(string Name, IReadOnlyList<DateTime> Timestamps, double[] Values, IReadOnlyList<LabelWindow> Windows);

/// <summary>A labelled multivariate table: one row per time, numeric columns, one boolean label column.</summary>
/// <param name="Times">Row times.</param>
/// <param name="Columns">Column names, in order.</param>
/// <param name="Values">Values per column (NaN where a cell is empty).</param>
/// <param name="Labels">Label per row.</param>
public sealed record LabelledTable(IReadOnlyList<DateTime> Times, IReadOnlyList<string> Columns, IReadOnlyList<double[]> Values, bool[] Labels);

/// <summary>Readers of the labelled datasets the evaluation runs on (NAB corpus format; labelled CSV such as GECCO 2018).</summary>
public static class LabelledData
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fff"];

    /// <summary>
    /// Loads every file windows.json (NAB's combined_windows format) lists under <paramref name="root"/>. A window
    /// boundary that is not a row's timestamp is an error, as in NAB.
    /// </summary>
    public static IReadOnlyList<NabFile> LoadNabCorpus(string root)
    {
        var windowsPath = Path.Combine(root, "windows.json");
        if (!File.Exists(windowsPath))
        {
            throw new InvalidSeriesException($"{windowsPath} not found");
        }
        using var json = JsonDocument.Parse(File.ReadAllText(windowsPath));
        var files = new List<NabFile>();
        foreach (var entry in json.RootElement.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, entry.Name);
            var (timestamps, values) = ReadTimestampValue(path);
            var index = new Dictionary<DateTime, int>();
            for (var i = 0; i < timestamps.Count; i++)
            {
                index.TryAdd(timestamps[i], i);
            }
            var windows = new List<LabelWindow>();
            foreach (var window in entry.Value.EnumerateArray())
            {
                var bounds = window.EnumerateArray().Select(b => ParseTime(b.GetString() ?? "", windowsPath)).ToArray();
                if (bounds.Length != 2 || !index.TryGetValue(bounds[0], out var start) || !index.TryGetValue(bounds[1], out var end))
                {
                    throw new InvalidSeriesException($"{windowsPath}: a window of {entry.Name} does not start and end on rows of the file");
                }
                windows.Add(new LabelWindow(start, end));
            }
            files.Add(new NabFile(entry.Name, timestamps, values, windows));
        }
        return files;
    }

    /// <summary>
    /// Reads a CSV with a time column, numeric columns and a TRUE/FALSE label column (header on the first line).
    /// Empty cells are NaN; a malformed number is an error naming the line and column.
    /// </summary>
    public static LabelledTable LoadLabelledCsv(string path, string timeColumn, string labelColumn)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new InvalidSeriesException($"{path}: empty file")).Split(',');
        var timeIndex = Array.IndexOf(header, timeColumn);
        var labelIndex = Array.IndexOf(header, labelColumn);
        if (timeIndex < 0 || labelIndex < 0)
        {
            throw new InvalidSeriesException($"{path}: columns '{timeColumn}' and '{labelColumn}' expected in the header");
        }
        var valueIndexes = Enumerable.Range(0, header.Length).Where(i => i != timeIndex && i != labelIndex).ToArray();
        var times = new List<DateTime>();
        var values = valueIndexes.Select(_ => new List<double>()).ToArray();
        var labels = new List<bool>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != header.Length)
            {
                throw new InvalidSeriesException($"{path}:{lineNumber}: {cells.Length} cells, expected {header.Length}");
            }
            times.Add(ParseTime(cells[timeIndex], $"{path}:{lineNumber}"));
            labels.Add(cells[labelIndex].Trim().ToUpperInvariant() switch
            {
                "TRUE" or "1" => true,
                "FALSE" or "0" => false,
                var other => throw new InvalidSeriesException($"{path}:{lineNumber}: label '{other}' is neither TRUE nor FALSE"),
            });
            for (var c = 0; c < valueIndexes.Length; c++)
            {
                var cell = cells[valueIndexes[c]];
                if (cell.Length == 0 || cell == "NA")
                {
                    values[c].Add(double.NaN);
                }
                else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    values[c].Add(v);
                }
                else
                {
                    throw new InvalidSeriesException($"{path}:{lineNumber}: column {header[valueIndexes[c]]}: '{cell}' is not a number");
                }
            }
        }
        return new LabelledTable(times, [.. valueIndexes.Select(i => header[i])], [.. values.Select(v => v.ToArray())], [.. labels]);
    }

    private static (List<DateTime> Timestamps, double[] Values) ReadTimestampValue(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidSeriesException($"{path} not found");
        }
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !double.TryParse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidSeriesException($"{path}:{lineNumber}: expected 'timestamp,value'");
            }
            timestamps.Add(ParseTime(line[..comma], $"{path}:{lineNumber}"));
            values.Add(value);
        }
        return (timestamps, values.ToArray());
    }

    private static DateTime ParseTime(string text, string where) =>
        DateTime.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new InvalidSeriesException($"{where}: '{text}' is not a timestamp");
}
