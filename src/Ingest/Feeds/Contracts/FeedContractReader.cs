using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneMap.Models.Crs;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Feeds.Contracts;

/// <summary>
/// Reads and validates feed contract files (JSON, comments and trailing commas allowed; format in docs/feeds.md).
/// Every problem is reported with the file and the JSON path of the offending member.
/// </summary>
public static partial class FeedContractReader
{
    /// <summary>The zone of timestamps written without an offset when a contract names none.</summary>
    public const string DefaultTimeZone = "Asia/Shanghai";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    static FeedContractReader()
    {
        // GB18030 and GBK live in the code-pages provider, not in .NET's built-in encodings.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Reads every <c>*.json</c> contract in <paramref name="folder"/> (sorted by name); feed ids must be unique.</summary>
    public static IReadOnlyList<FeedContract> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new FeedContractException(folder, "", "the contracts folder does not exist");
        }
        var contracts = Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();
        var duplicate = contracts.GroupBy(c => c.Feed, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FeedContractException(duplicate.Last().ContractPath, "feed",
                $"feed id '{duplicate.Key}' is also used by {duplicate.First().ContractPath}");
        }
        return contracts;
    }

    /// <summary>Reads one contract file.</summary>
    public static FeedContract Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException e)
        {
            throw new FeedContractException(path, "", $"cannot be read: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses contract JSON; <paramref name="path"/> names it in errors and resolves relative folders.</summary>
    public static FeedContract Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new FeedContractException(path, "", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (document)
        {
            return new Parser(path).Contract(document.RootElement);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex FeedIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCasePattern();

    private sealed class Parser(string path)
    {
        private static readonly string[] TopLevel =
        [
            "$schema", "feed", "dataset", "owner", "title", "description", "mode", "key", "partitionBy", "source", "format",
            "timeZone", "bounds", "geometry", "columns", "freshness",
        ];

        private static readonly string[] ColumnMembers =
        [
            "name", "from", "type", "required", "formats", "format", "values", "derivedFrom", "constant", "description", "unit",
            "sensitivity", "hashInto", "listSeparator", "timeZone",
        ];

        private FeedContractException Error(string at, string problem) => new(path, at, problem);

        public FeedContract Contract(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("", "must be a JSON object");
            }
            Unknown(root, "", TopLevel);
            var feed = RequiredString(root, "feed", "");
            if (!FeedIdPattern().IsMatch(feed))
            {
                throw Error("feed", $"'{feed}' must be lower case letters, digits, '-' or '_'");
            }
            var dataset = RequiredString(root, "dataset", "");
            if (!SnakeCasePattern().IsMatch(dataset))
            {
                throw Error("dataset", $"'{dataset}' must be snake_case (lower case letters, digits, '_', starting with a letter)");
            }
            var owner = RequiredString(root, "owner", "");
            var mode = OptionalString(root, "mode", "") switch
            {
                null or "append" => FeedMode.Append,
                "upsert" => FeedMode.Upsert,
                var other => throw Error("mode", $"'{other}' is not a mode (append or upsert)"),
            };
            var zone = Zone(OptionalString(root, "timeZone", "") ?? DefaultTimeZone, "timeZone");
            var key = StringList(root, "key", "");
            var partitionBy = StringList(root, "partitionBy", "");
            var source = Source(Member(root, "source", "") ?? throw Error("source", "is required (a drop folder or a URL)"));
            var format = Format(Member(root, "format", "") ?? throw Error("format", "is required"));
            var bounds = Member(root, "bounds", "") is { } b ? Bounds(b) : null;
            var geometry = Member(root, "geometry", "") is { } g ? Geometry(g, format) : null;
            if (format.Kind == FeedFormatKind.GeoJson && geometry is null)
            {
                throw Error("geometry", "a GeoJSON feed needs a geometry column (e.g. {\"column\": \"geom\"})");
            }
            var columnsElement = Member(root, "columns", "") ?? throw Error("columns", "is required");
            if (columnsElement.ValueKind != JsonValueKind.Array || columnsElement.GetArrayLength() == 0)
            {
                throw Error("columns", "must be a non-empty array");
            }
            var columns = new List<ColumnSpec>();
            var index = 0;
            foreach (var element in columnsElement.EnumerateArray())
            {
                columns.Add(Column(element, $"columns[{index}]", key, zone));
                index++;
            }
            var freshness = OptionalString(root, "freshness", "") is { } f ? Duration(f, "freshness") : (TimeSpan?)null;

            var contract = new FeedContract(feed, dataset, owner, OptionalString(root, "title", ""), OptionalString(root, "description", ""),
                mode, key, partitionBy, source, format, zone, bounds, geometry, columns, freshness, path);
            CheckConsistency(contract);
            return contract;
        }

        private void CheckConsistency(FeedContract contract)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < contract.Columns.Count; i++)
            {
                var column = contract.Columns[i];
                if (!names.Add(column.Name))
                {
                    throw Error($"columns[{i}].name", $"column '{column.Name}' is defined twice");
                }
                if (column.HashInto is { } hash && !names.Add(hash))
                {
                    throw Error($"columns[{i}].hashInto", $"column '{hash}' is defined twice");
                }
            }
            if (contract.Geometry is { } geometry && !names.Add(geometry.Column))
            {
                throw Error("geometry.column", $"column '{geometry.Column}' is also a mapped column");
            }
            for (var i = 0; i < contract.Key.Count; i++)
            {
                var key = contract.Key[i];
                var column = contract.Columns.FirstOrDefault(c => c.Name == key);
                if (column is null)
                {
                    throw Error($"key[{i}]", $"key column '{key}' is not among the columns");
                }
                if (column.Sensitivity == Sensitivity.Personal)
                {
                    throw Error($"key[{i}]", $"key column '{key}' is personal data, which is stored masked and cannot identify rows");
                }
            }
            if (contract.Mode == FeedMode.Upsert && contract.Key.Count == 0)
            {
                throw Error("key", "an upsert feed needs key columns");
            }
            for (var i = 0; i < contract.PartitionBy.Count; i++)
            {
                var partition = contract.PartitionBy[i];
                var column = contract.Columns.FirstOrDefault(c => c.Name == partition)
                    ?? throw Error($"partitionBy[{i}]", $"partition column '{partition}' is not among the columns");
                if (column.Type is ColumnType.Geometry or ColumnType.StringList or ColumnType.Double)
                {
                    throw Error($"partitionBy[{i}]", $"partition column '{partition}' has type {column.Type}, which cannot partition a table");
                }
            }
            for (var i = 0; i < contract.Columns.Count; i++)
            {
                var column = contract.Columns[i];
                if (column.DerivedFrom is { } from)
                {
                    var source = contract.Columns.FirstOrDefault(c => c.Name == from);
                    if (source is null || source.Type != ColumnType.Timestamp || source.DerivedFrom is not null)
                    {
                        throw Error($"columns[{i}].derivedFrom", $"'{from}' must name a mapped timestamp column");
                    }
                }
            }
            if (contract.Source.IsFolder && contract.Format.Kind != FeedFormatKind.Csv && contract.Format.HeaderLine != 1)
            {
                throw Error("format.headerLine", "applies to CSV only");
            }
        }

        private ColumnSpec Column(JsonElement element, string at, IReadOnlyList<string> key, TimeZoneInfo feedZone)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(at, "must be an object with at least a name");
            }
            Unknown(element, at, ColumnMembers);
            var name = RequiredString(element, "name", at);
            if (!SnakeCasePattern().IsMatch(name))
            {
                throw Error($"{at}.name", $"'{name}' must be snake_case");
            }
            var typeName = OptionalString(element, "type", at) ?? "string";
            var type = typeName.ToLowerInvariant() switch
            {
                "string" or "text" => ColumnType.String,
                "int64" or "long" or "integer" => ColumnType.Int64,
                "double" or "number" => ColumnType.Double,
                "decimal" => ColumnType.Decimal,
                "boolean" or "bool" => ColumnType.Boolean,
                "date" => ColumnType.Date,
                "timestamp" => ColumnType.Timestamp,
                "string_list" => ColumnType.StringList,
                "geometry" => throw Error($"{at}.type", "geometry is described by the contract's \"geometry\" member, not as a column"),
                _ => throw Error($"{at}.type", $"unknown type '{typeName}' (expected string, int64, double, decimal, boolean, date, timestamp or string_list)"),
            };
            var derivedFrom = OptionalString(element, "derivedFrom", at);
            var constant = Member(element, "constant", at) is { } c ? Scalar(c, $"{at}.constant") : null;
            var from = OptionalString(element, "from", at);
            if (derivedFrom is not null && type != ColumnType.Date)
            {
                throw Error($"{at}.derivedFrom", "only a date column can be derived (the local date of a timestamp)");
            }
            if ((derivedFrom is not null ? 1 : 0) + (constant is not null ? 1 : 0) + (from is not null ? 1 : 0) > 1)
            {
                throw Error(at, "give only one of from, derivedFrom and constant");
            }
            if (derivedFrom is null && constant is null)
            {
                from ??= name;
            }
            var formats = StringList(element, "formats", at);
            if (formats.Count == 0 && OptionalString(element, "format", at) is { } single)
            {
                formats = [single];
            }
            if (formats.Count > 0 && type is not (ColumnType.Date or ColumnType.Timestamp))
            {
                throw Error($"{at}.formats", "formats apply to date and timestamp columns only");
            }
            foreach (var format in formats)
            {
                CheckDateFormat(format, $"{at}.formats");
            }
            Dictionary<string, string?>? values = null;
            if (Member(element, "values", at) is { } v)
            {
                if (v.ValueKind != JsonValueKind.Object)
                {
                    throw Error($"{at}.values", "must be an object mapping source texts to stored values");
                }
                values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var entry in v.EnumerateObject())
                {
                    values[entry.Name] = entry.Value.ValueKind == JsonValueKind.Null ? null : Scalar(entry.Value, $"{at}.values.{entry.Name}");
                }
            }
            var sensitivity = OptionalString(element, "sensitivity", at) switch
            {
                null or "public" => Sensitivity.Public,
                "internal" => Sensitivity.Internal,
                "personal" => Sensitivity.Personal,
                var other => throw Error($"{at}.sensitivity", $"'{other}' is not a sensitivity (public, internal or personal)"),
            };
            var hashInto = OptionalString(element, "hashInto", at);
            if (hashInto is not null)
            {
                if (sensitivity != Sensitivity.Personal || type != ColumnType.String)
                {
                    throw Error($"{at}.hashInto", "applies to personal string columns only");
                }
                if (!SnakeCasePattern().IsMatch(hashInto))
                {
                    throw Error($"{at}.hashInto", $"'{hashInto}' must be snake_case");
                }
            }
            if (sensitivity == Sensitivity.Personal && type != ColumnType.String)
            {
                throw Error($"{at}.sensitivity", "personal columns must be strings (they are stored masked)");
            }
            var separator = OptionalString(element, "listSeparator", at) ?? ";";
            if (separator.Length != 1)
            {
                throw Error($"{at}.listSeparator", "must be one character");
            }
            var zone = OptionalString(element, "timeZone", at) is { } z ? Zone(z, $"{at}.timeZone") : null;
            var required = key.Contains(name) || (Member(element, "required", at) is { } r
                ? r.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Error($"{at}.required", "must be true or false"),
                }
                : false);
            if (constant is not null && values is not null)
            {
                throw Error($"{at}.values", "a constant column needs no code list");
            }
            _ = feedZone;
            return new ColumnSpec(name, from, type, required, formats, values, derivedFrom, constant,
                OptionalString(element, "description", at), OptionalString(element, "unit", at), sensitivity, hashInto, separator[0], zone);
        }

        private void CheckDateFormat(string format, string at)
        {
            if (format is "iso" or "unix" or "unix_ms")
            {
                return;
            }
            try
            {
                _ = new DateTime(2024, 6, 1, 8, 30, 15, DateTimeKind.Unspecified).ToString(format, CultureInfo.InvariantCulture);
            }
            catch (FormatException e)
            {
                throw new FeedContractException(path, at, $"'{format}' is not a valid date format: {e.Message}", e);
            }
        }

        private FeedSource Source(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("source", "must be an object with a folder or a url");
            }
            Unknown(element, "source", ["folder", "pattern", "url", "every", "headers"]);
            var folder = OptionalString(element, "folder", "source");
            var url = OptionalString(element, "url", "source");
            if ((folder is null) == (url is null))
            {
                throw Error("source", "give exactly one of folder and url");
            }
            Uri? uri = null;
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            {
                throw Error("source.url", $"'{url}' is not an absolute http(s) URL");
            }
            var every = OptionalString(element, "every", "source") is { } e ? Duration(e, "source.every") : TimeSpan.FromMinutes(5);
            if (every < TimeSpan.FromSeconds(1))
            {
                throw Error("source.every", "must be at least one second");
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Member(element, "headers", "source") is { } h)
            {
                if (h.ValueKind != JsonValueKind.Object)
                {
                    throw Error("source.headers", "must be an object of header names and values");
                }
                foreach (var header in h.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                        ? header.Value.GetString()!
                        : throw Error($"source.headers.{header.Name}", "must be a string");
                }
            }
            return new FeedSource(folder, OptionalString(element, "pattern", "source") ?? "*", uri, every, headers);
        }

        private FeedFormat Format(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                element = JsonDocument.Parse($"{{\"type\": {JsonSerializer.Serialize(element.GetString())}}}").RootElement;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("format", "must be an object (or a format name)");
            }
            Unknown(element, "format", ["type", "encoding", "delimiter", "quote", "headerLine", "recordsPath"]);
            var typeName = RequiredString(element, "type", "format");
            var kind = typeName.ToLowerInvariant() switch
            {
                "csv" => FeedFormatKind.Csv,
                "jsonl" or "jsonlines" or "ndjson" => FeedFormatKind.JsonLines,
                "json" => FeedFormatKind.Json,
                "geojson" => FeedFormatKind.GeoJson,
                _ => throw Error("format.type", $"unknown format '{typeName}' (expected csv, jsonl, json or geojson)"),
            };
            var encodingName = OptionalString(element, "encoding", "format") ?? "utf-8";
            var encoding = EncodingNamed(encodingName, "format.encoding");
            var delimiter = OptionalString(element, "delimiter", "format") ?? ",";
            if (delimiter == "\\t" || delimiter == "tab")
            {
                delimiter = "\t";
            }
            if (delimiter.Length != 1 || delimiter[0] is '"' or '\r' or '\n')
            {
                throw Error("format.delimiter", $"'{delimiter}' must be one character other than a quote or a line break");
            }
            var quote = OptionalString(element, "quote", "format") ?? "\"";
            if (quote.Length != 1 || quote[0] == delimiter[0])
            {
                throw Error("format.quote", "must be one character other than the delimiter");
            }
            var headerLine = 1;
            if (Member(element, "headerLine", "format") is { } line)
            {
                if (!line.TryGetInt32(out headerLine) || headerLine < 1)
                {
                    throw Error("format.headerLine", "must be a line number from 1");
                }
            }
            var recordsPath = OptionalString(element, "recordsPath", "format") ?? "";
            if (recordsPath.Length > 0 && kind != FeedFormatKind.Json)
            {
                throw Error("format.recordsPath", "applies to the json format only");
            }
            return new FeedFormat(kind, encoding, delimiter[0], quote[0], headerLine, recordsPath);
        }

        private Encoding EncodingNamed(string name, string at)
        {
            var normalized = name.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
            var codePage = normalized switch
            {
                "utf-8" or "utf8" => 65001,
                "gb18030" or "gb-18030" => 54936,
                "gbk" or "cp936" or "gb2312" => 936,
                _ => throw Error(at, $"unsupported encoding '{name}' (expected utf-8, gb18030 or gbk)"),
            };
            // Decoders throw on invalid bytes, so a file in the wrong encoding is refused instead of landing as mojibake.
            return codePage == 65001
                ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                : Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }

        private GeoBounds Bounds(JsonElement element)
        {
            double[] values;
            if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 4)
            {
                values = element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN).ToArray();
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                Unknown(element, "bounds", ["west", "south", "east", "north"]);
                values = new[] { "west", "south", "east", "north" }.Select(n => element.TryGetProperty(n, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : double.NaN).ToArray();
            }
            else
            {
                throw Error("bounds", "must be [west, south, east, north] or {\"west\":…, \"south\":…, \"east\":…, \"north\":…} in WGS84 degrees");
            }
            if (values.Any(double.IsNaN) || values[0] >= values[2] || values[1] >= values[3] || values[0] < -180 || values[2] > 180 || values[1] < -90 || values[3] > 90)
            {
                throw Error("bounds", "must be four numbers west < east, south < north, in WGS84 degrees");
            }
            return new GeoBounds(values[0], values[1], values[2], values[3]);
        }

        private GeometrySpec Geometry(JsonElement element, FeedFormat format)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("geometry", "must be an object");
            }
            Unknown(element, "geometry", ["column", "lon", "lat", "x", "y", "wkt", "geojson", "crs", "required", "description"]);
            var column = OptionalString(element, "column", "geometry") ?? "geom";
            if (!SnakeCasePattern().IsMatch(column))
            {
                throw Error("geometry.column", $"'{column}' must be snake_case");
            }
            var x = OptionalString(element, "lon", "geometry") ?? OptionalString(element, "x", "geometry");
            var y = OptionalString(element, "lat", "geometry") ?? OptionalString(element, "y", "geometry");
            var wkt = OptionalString(element, "wkt", "geometry");
            var geojson = OptionalString(element, "geojson", "geometry");
            var given = (x is not null || y is not null ? 1 : 0) + (wkt is not null ? 1 : 0) + (geojson is not null ? 1 : 0);
            GeometrySourceKind kind;
            if (given > 1)
            {
                throw Error("geometry", "give only one of lon/lat, wkt and geojson");
            }
            if (x is not null || y is not null)
            {
                if (x is null || y is null)
                {
                    throw Error("geometry", "lon and lat (or x and y) go together");
                }
                kind = GeometrySourceKind.LonLat;
            }
            else if (wkt is not null)
            {
                kind = GeometrySourceKind.Wkt;
            }
            else if (geojson is not null)
            {
                kind = GeometrySourceKind.GeoJson;
            }
            else if (format.Kind == FeedFormatKind.GeoJson)
            {
                kind = GeometrySourceKind.Feature;
            }
            else
            {
                throw Error("geometry", "say where the geometry comes from: lon and lat, wkt, or geojson");
            }
            var crsName = OptionalString(element, "crs", "geometry") ?? "WGS84";
            if (!CrsId.TryParse(crsName, out var crs))
            {
                throw Error("geometry.crs", $"unknown coordinate system '{crsName}' (expected WGS84, CGCS2000, EPSG:4513–4554, GCJ-02 or BD-09)");
            }
            var required = !(Member(element, "required", "geometry") is { ValueKind: JsonValueKind.False });
            return new GeometrySpec(column, kind, x, y, wkt ?? geojson, crs, required, OptionalString(element, "description", "geometry"));
        }

        private TimeZoneInfo Zone(string id, string at)
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                if (id == DefaultTimeZone)
                {
                    // A machine without tzdata still knows China Standard Time: UTC+8 without daylight saving since 1991.
                    return TimeZoneInfo.CreateCustomTimeZone(DefaultTimeZone, TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
                }
                throw new FeedContractException(path, at, $"unknown time zone '{id}' (an IANA name such as Asia/Shanghai)", e);
            }
        }

        private TimeSpan Duration(string text, string at)
        {
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            {
                return span;
            }
            var match = Regex.Match(text, "^(\\d+)\\s*(s|m|h|d)$");
            if (match.Success)
            {
                var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                return match.Groups[2].Value switch
                {
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "h" => TimeSpan.FromHours(n),
                    _ => TimeSpan.FromDays(n),
                };
            }
            throw Error(at, $"'{text}' is not a duration (e.g. 00:05:00, 30s, 5m, 1h, 1d)");
        }

        private void Unknown(JsonElement element, string at, IReadOnlyCollection<string> known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    throw Error(at.Length == 0 ? property.Name : $"{at}.{property.Name}",
                        $"unknown member (expected one of {string.Join(", ", known.Where(k => k != "$schema"))})");
                }
            }
        }

        private static JsonElement? Member(JsonElement element, string name, string at)
        {
            _ = at;
            return element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        }

        private string RequiredString(JsonElement element, string name, string at) =>
            OptionalString(element, name, at) is { Length: > 0 } value ? value : throw Error(Join(at, name), "is required");

        private string? OptionalString(JsonElement element, string name, string at)
        {
            if (Member(element, name, at) is not { } value)
            {
                return null;
            }
            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(Join(at, name), $"must be a string, not {value.ValueKind}");
        }

        private List<string> StringList(JsonElement element, string name, string at)
        {
            if (Member(element, name, at) is not { } value)
            {
                return [];
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                return [value.GetString()!];
            }
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw Error(Join(at, name), "must be an array of strings");
            }
            return value.EnumerateArray().Select(e => e.GetString()!).ToList();
        }

        private string Scalar(JsonElement value, string at) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Error(at, "must be a string, number or boolean"),
        };

        private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
    }
}
