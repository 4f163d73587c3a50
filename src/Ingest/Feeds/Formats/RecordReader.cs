using System.Text.Json;
using OneMap.Ingest.Feeds.Contracts;

namespace OneMap.Ingest.Feeds.Formats;

/// <summary>What a field of a record holds.</summary>
public enum FieldKind : byte
{
    /// <summary>The record has no such field.</summary>
    Missing,

    /// <summary>An explicit JSON null.</summary>
    Null,

    /// <summary>Text (CSV, or a JSON string).</summary>
    Text,

    /// <summary>A JSON value other than a string or null (number, boolean, object, array).</summary>
    Json,
}

/// <summary>One field of the current record: text or a JSON value. Valid until the reader moves on.</summary>
public readonly struct FieldValue
{
    private readonly ReadOnlyMemory<char> text;
    private readonly JsonElement json;

    private FieldValue(FieldKind kind, ReadOnlyMemory<char> text, JsonElement json)
    {
        Kind = kind;
        this.text = text;
        this.json = json;
    }

    public static FieldValue Missing => default;

    public static FieldValue Null => new(FieldKind.Null, default, default);

    public FieldKind Kind { get; }

    public ReadOnlySpan<char> Text => text.Span;

    public JsonElement Json => json;

    public static FieldValue FromText(ReadOnlyMemory<char> value) => new(FieldKind.Text, value, default);

    public static FieldValue FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.String => new FieldValue(FieldKind.Text, value.GetString().AsMemory(), value),
        _ => new FieldValue(FieldKind.Json, default, value),
    };

    /// <summary>True when there is no value: missing, null, or text that is empty or blank.</summary>
    public bool IsEmpty => Kind switch
    {
        FieldKind.Missing or FieldKind.Null => true,
        FieldKind.Text => text.Span.IsWhiteSpace(),
        _ => false,
    };

    /// <summary>The value as it appeared, for error messages (truncated).</summary>
    public string Display()
    {
        var value = Kind switch
        {
            FieldKind.Missing => "(missing)",
            FieldKind.Null => "null",
            FieldKind.Text => text.ToString(),
            _ => json.GetRawText(),
        };
        return value.Length > 80 ? value[..77] + "…" : value;
    }
}

/// <summary>
/// Reads the records of one input file. Field names are bound once (<see cref="Bind"/>) and looked up per record by
/// handle; <see cref="Line"/> is the 1-based line where the current record starts.
/// </summary>
public abstract class RecordReader : IDisposable
{
    /// <summary>The file being read (for messages).</summary>
    public abstract string Name { get; }

    /// <summary>The 1-based line where the current record starts.</summary>
    public long Line { get; protected set; }

    /// <summary>Records read so far.</summary>
    public long Records { get; protected set; }

    /// <summary>Bytes of the input consumed so far (for progress).</summary>
    public abstract long BytesRead { get; }

    /// <summary>A record-level problem of the current record (e.g. a JSON line that is not JSON), or null.</summary>
    public string? RecordError { get; protected set; }

    /// <summary>A handle for a field name, or -1 when the file cannot have it (a CSV header without the column).</summary>
    public abstract int Bind(string field);

    /// <summary>The source field names the file declares (CSV header), or null when every record brings its own.</summary>
    public virtual IReadOnlyList<string>? DeclaredFields => null;

    /// <summary>Moves to the next record; false at the end.</summary>
    public abstract bool Read();

    /// <summary>The value of a bound field in the current record.</summary>
    public abstract FieldValue Get(int handle);

    /// <summary>The current record as text, for quarantine.</summary>
    public abstract string RawRecord();

    /// <summary>The GeoJSON feature geometry of the current record, if the format has one.</summary>
    public virtual JsonElement? FeatureGeometry => null;

    /// <summary>A coordinate system the file itself declares (GeoJSON <c>crs</c>), if any.</summary>
    public virtual string? DeclaredCrs => null;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Opens a reader for <paramref name="format"/> over <paramref name="stream"/> (which it then owns).</summary>
    public static RecordReader Open(FeedFormat format, Stream stream, string name) => format.Kind switch
    {
        FeedFormatKind.Csv => new CsvRecordReader(stream, format, name),
        FeedFormatKind.JsonLines => new JsonLinesRecordReader(stream, format, name),
        FeedFormatKind.Json => new JsonArrayRecordReader(stream, format, name, geoJson: false),
        FeedFormatKind.GeoJson => new JsonArrayRecordReader(stream, format, name, geoJson: true),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format.Kind, "unknown format"),
    };
}
