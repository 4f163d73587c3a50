using System.Text;
using System.Text.Json;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Models.Spatial;

namespace OneMap.Ingest.Feeds.Formats;

/// <summary>
/// A JSON array of objects (top level, or at a dotted path inside an envelope object), or a GeoJSON FeatureCollection.
/// The file is read whole; each element is parsed on its own so its line number is known.
/// </summary>
internal sealed class JsonArrayRecordReader : RecordReader
{
    private readonly byte[] utf8;
    private readonly bool geoJson;
    private readonly List<string[]> paths = [];
    private readonly int arrayEnd;
    private int offset;
    private int lineCountedTo;
    private long line = 1;
    private JsonDocument? current;
    private JsonElement properties;

    public JsonArrayRecordReader(Stream stream, FeedFormat format, string name, bool geoJson)
    {
        Name = name;
        this.geoJson = geoJson;
        byte[] bytes;
        using (stream)
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        utf8 = format.Encoding.CodePage == Encoding.UTF8.CodePage ? Validate(bytes, format.Encoding, name) : Transcode(bytes, format.Encoding, name);
        var start = utf8.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (geoJson)
            {
                DeclaredCrs = ReadGeoJsonEnvelope(name);
                reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                Descend(ref reader, ["features"], name);
            }
            else
            {
                Descend(ref reader, format.RecordsPath.Length == 0 ? [] : format.RecordsPath.Split('.'), name);
            }
            // Past the '[' that opens the records.
            offset = start + (int)reader.BytesConsumed;
            // Find the array's end once so element parsing never runs past it.
            var skip = reader;
            skip.Skip();
            arrayEnd = start + (int)skip.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw new FileRefusedException(name, $"is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    public override string Name { get; }

    public override long BytesRead => offset;

    public override string? DeclaredCrs { get; }

    public override JsonElement? FeatureGeometry =>
        geoJson && current is not null && current.RootElement.ValueKind == JsonValueKind.Object && current.RootElement.TryGetProperty("geometry", out var g) ? g : null;

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
        // Step over the separators between elements; the reader below starts at an element.
        while (offset < arrayEnd && utf8[offset] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',')
        {
            offset++;
        }
        if (offset >= arrayEnd || utf8[offset] == (byte)']')
        {
            offset = arrayEnd;
            return false;
        }
        var reader = new Utf8JsonReader(utf8.AsSpan(offset, arrayEnd - offset), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        Line = LineAt(offset + (int)reader.TokenStartIndex);
        current = JsonDocument.ParseValue(ref reader);
        offset += (int)reader.BytesConsumed;
        Records++;
        var root = current.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            RecordError = $"the element is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
            properties = default;
        }
        else if (geoJson)
        {
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
            {
                RecordError = "the element is not a GeoJSON Feature (\"type\": \"Feature\")";
            }
            properties = root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        }
        else
        {
            properties = root;
        }
        return true;
    }

    public override FieldValue Get(int handle)
    {
        if (current is null)
        {
            return FieldValue.Missing;
        }
        if (properties.ValueKind == JsonValueKind.Object)
        {
            var value = JsonRecords.Lookup(properties, paths[handle]);
            if (value.Kind != FieldKind.Missing || !geoJson)
            {
                return value;
            }
        }
        // A feature's own members (its "id") are reachable too.
        return geoJson ? JsonRecords.Lookup(current.RootElement, paths[handle]) : FieldValue.Missing;
    }

    public override string RawRecord() => current?.RootElement.GetRawText() ?? "";

    private long LineAt(int position)
    {
        line += utf8.AsSpan(lineCountedTo, position - lineCountedTo).Count((byte)'\n');
        lineCountedTo = position;
        return line;
    }

    private string? ReadGeoJsonEnvelope(string name)
    {
        using var document = JsonDocument.Parse(utf8.AsMemory(utf8.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.GetString() != "FeatureCollection")
        {
            throw new FileRefusedException(name, "is not a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")");
        }
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new FileRefusedException(name, "the FeatureCollection has no \"features\" array");
        }
        return GeoJson.ReadCrsName(root);
    }

    /// <summary>Moves the reader onto the start of the array at <paramref name="path"/>.</summary>
    private static void Descend(ref Utf8JsonReader reader, string[] path, string name)
    {
        if (!reader.Read())
        {
            throw new FileRefusedException(name, "the file is empty");
        }
        foreach (var part in path)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FileRefusedException(name, $"expected an object holding \"{part}\", found {reader.TokenType}");
            }
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(part);
                reader.Read();
                if (match)
                {
                    found = true;
                    break;
                }
                reader.Skip();
            }
            if (!found)
            {
                throw new FileRefusedException(name, $"has no \"{string.Join('.', path)}\" records array");
            }
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FileRefusedException(name, path.Length == 0
                ? $"expected a JSON array of records, found {reader.TokenType} (set format.recordsPath when the records sit inside an envelope)"
                : $"\"{string.Join('.', path)}\" is not an array");
        }
    }

    private static byte[] Validate(byte[] bytes, Encoding encoding, string name)
    {
        try
        {
            _ = encoding.GetCharCount(bytes);
            return bytes;
        }
        catch (DecoderFallbackException e)
        {
            throw new FileRefusedException(name, $"is not valid UTF-8 (byte {e.Index}); if it is GB18030/GBK, say so in format.encoding", e);
        }
    }

    private static byte[] Transcode(byte[] bytes, Encoding encoding, string name)
    {
        try
        {
            return Encoding.UTF8.GetBytes(encoding.GetString(bytes));
        }
        catch (DecoderFallbackException e)
        {
            throw new FileRefusedException(name, $"is not valid {encoding.WebName} (byte {e.Index})", e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
        }
    }
}
