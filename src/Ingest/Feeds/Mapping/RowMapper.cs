using System.Buffers;
using OneMap.Ingest.Feeds.Contracts;
using OneMap.Ingest.Feeds.Formats;
using OneMap.Ingest.Privacy;
using OneMap.Models.Crs;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Feeds.Mapping;

/// <summary>
/// Turns the records of one file into rows of the feed's table (values in <see cref="TableLayout"/> order), or into
/// the reason the record is quarantined. Built per file: field names are bound to the file's header once.
/// </summary>
public sealed class RowMapper
{
    private readonly FeedContract contract;
    private readonly RecordReader reader;
    private readonly PersonalData? personalData;
    private readonly List<Step> steps = [];
    private readonly GeometryBuilder? geometry;
    private readonly int[] geometryHandles = [-1, -1];
    private readonly int geometryIndex = -1;

    /// <exception cref="FileRefusedException">The file lacks mapped columns, or declares a coordinate system the contract contradicts.</exception>
    public RowMapper(FeedContract contract, RecordReader reader, PersonalData? personalData)
    {
        this.contract = contract;
        this.reader = reader;
        this.personalData = personalData;
        Layout = new TableLayout(contract);
        var missing = new List<string>();
        int Bind(string field)
        {
            var handle = reader.Bind(field);
            if (handle < 0)
            {
                missing.Add(field);
            }
            return handle;
        }

        foreach (var column in contract.Columns.Where(c => c.DerivedFrom is null))
        {
            if (column.Sensitivity == Sensitivity.Personal && personalData is null)
            {
                throw new InvalidOperationException($"feed '{contract.Feed}' maps personal column '{column.Name}' but no personal-data key is configured (Ingest:PersonalDataKey)");
            }
            var index = Layout.IndexOf(column.Name);
            steps.Add(column.Constant is { } constant
                ? Step.ForConstant(column, index, constant, contract)
                : new Step(column, index, Bind(column.From!)));
        }
        foreach (var column in contract.Columns.Where(c => c.DerivedFrom is not null))
        {
            steps.Add(new Step(column, Layout.IndexOf(column.Name), -1) { SourceIndex = Layout.IndexOf(column.DerivedFrom!) });
        }
        if (contract.Geometry is { } spec)
        {
            geometryIndex = Layout.IndexOf(spec.Column);
            var crs = spec.Crs;
            if (reader.DeclaredCrs is { } declared)
            {
                if (!CrsId.TryParse(declared, out var fileCrs))
                {
                    throw new FileRefusedException(reader.Name, $"declares the coordinate system '{declared}', which OneMap cannot convert");
                }
                if (fileCrs != spec.Crs && spec.Crs != CrsId.Wgs84)
                {
                    throw new FileRefusedException(reader.Name, $"declares the coordinate system {fileCrs} but the contract says {spec.Crs}");
                }
                crs = fileCrs;
            }
            geometry = new GeometryBuilder(spec, crs, contract.Bounds);
            switch (spec.Kind)
            {
                case GeometrySourceKind.LonLat:
                    geometryHandles[0] = Bind(spec.X!);
                    geometryHandles[1] = Bind(spec.Y!);
                    break;
                case GeometrySourceKind.Wkt or GeometrySourceKind.GeoJson:
                    geometryHandles[0] = Bind(spec.From!);
                    break;
            }
        }
        if (missing.Count > 0 && reader.DeclaredFields is { } declaredFields)
        {
            throw new FileRefusedException(reader.Name,
                $"the header lacks the column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that the contract maps; the header has {string.Join(", ", declaredFields.Take(30).Select(f => $"'{f}'"))}");
        }
    }

    public TableLayout Layout { get; }

    /// <summary>True when the geometry comes from lon/lat fields, whose conversion <see cref="MapDeferred(object?[], RecordReader, out GeometryBuilder.PendingPoint)"/> can leave to <see cref="CompletePoints"/>.</summary>
    public bool CanDeferGeometry => geometry?.Spec.Kind == GeometrySourceKind.LonLat;

    /// <summary>
    /// Maps the current record like <see cref="Map(object?[])"/> but only parses its coordinates; <see cref="CompletePoints"/>
    /// converts them later, on any thread (conversion from GCJ-02/BD-09 is the costliest step of a row).
    /// </summary>
    public string? MapDeferred(object?[] values, out GeometryBuilder.PendingPoint point) => MapDeferred(values, reader, out point);

    /// <summary>As <see cref="MapDeferred(object?[], out GeometryBuilder.PendingPoint)"/> for a record of <paramref name="source"/> (the reader or a copy of one of its records).</summary>
    public string? MapDeferred(object?[] values, RecordReader source, out GeometryBuilder.PendingPoint point)
    {
        point = new GeometryBuilder.PendingPoint(true, 0, 0);
        if (source.RecordError is { } recordError)
        {
            return recordError;
        }
        foreach (var step in steps)
        {
            if (step.Apply(source, values, contract, personalData) is { } error)
            {
                return error;
            }
        }
        return geometry!.ParseXy(source.Get(geometryHandles[0]), source.Get(geometryHandles[1]), out point) is { } xyError ? $"geometry: {xyError}" : null;
    }

    /// <summary>
    /// Completes many deferred points at once: converts them together (vectorised for GCJ-02 and BD-09, a row's costliest
    /// step), then checks bounds and writes each row's WKB. Rows whose error is already set are skipped; a row whose
    /// point fails gets its reason in <paramref name="errors"/>.
    /// </summary>
    public void CompletePoints(ReadOnlySpan<GeometryBuilder.PendingPoint> points, ReadOnlySpan<object?[]> values, Span<string?> errors)
    {
        var count = points.Length;
        var xs = ArrayPool<double>.Shared.Rent(count);
        var ys = ArrayPool<double>.Shared.Rent(count);
        var problems = ArrayPool<string?>.Shared.Rent(count);
        try
        {
            for (var k = 0; k < count; k++)
            {
                var skip = errors[k] is not null || points[k].IsEmpty;
                (xs[k], ys[k]) = skip ? (0, 0) : (points[k].X, points[k].Y);
                problems[k] = skip ? "" : null;
            }
            CoordinateConverter.ToWgs84(geometry!.Crs, xs.AsSpan(0, count), ys.AsSpan(0, count), problems.AsSpan(0, count));
            for (var k = 0; k < count; k++)
            {
                if (errors[k] is not null)
                {
                    continue;
                }
                if (points[k].IsEmpty)
                {
                    values[k][geometryIndex] = null;
                    continue;
                }
                byte[]? wkb = null;
                var error = problems[k] ?? geometry.FromWgs84Point(xs[k], ys[k], out wkb);
                values[k][geometryIndex] = wkb;
                errors[k] = error is null ? null : $"geometry: {error}";
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
            ArrayPool<string?>.Shared.Return(problems, clearArray: true);
        }
    }

    /// <summary>Maps the current record into <paramref name="values"/>; returns null, or the reason it is rejected.</summary>
    public string? Map(object?[] values) => Map(values, reader);

    /// <summary>
    /// Maps a record of <paramref name="source"/> (the bound reader, or a copy of one of its records; handles are the
    /// same). Pure: copies of records may be mapped on several threads at once.
    /// </summary>
    public string? Map(object?[] values, RecordReader source)
    {
        if (source.RecordError is { } recordError)
        {
            return recordError;
        }
        foreach (var step in steps)
        {
            if (step.Apply(source, values, contract, personalData) is { } error)
            {
                return error;
            }
        }
        if (geometry is not null)
        {
            byte[]? wkb;
            var error = geometry.Spec.Kind switch
            {
                GeometrySourceKind.LonLat => geometry.FromXy(source.Get(geometryHandles[0]), source.Get(geometryHandles[1]), out wkb),
                GeometrySourceKind.Feature => geometry.FromFeature(source.FeatureGeometry, out wkb),
                _ => geometry.FromField(source.Get(geometryHandles[0]), out wkb),
            };
            if (error is not null)
            {
                return $"geometry: {error}";
            }
            values[geometryIndex] = wkb;
        }
        return null;
    }

    private sealed class Step(ColumnSpec column, int index, int handle)
    {
        private readonly TextInterner? interner = column.Type == ColumnType.String && column.Sensitivity != Sensitivity.Personal ? new TextInterner() : null;
        private object? constantValue;

        public int SourceIndex { get; init; } = -1;

        public static Step ForConstant(ColumnSpec column, int index, string constant, FeedContract contract)
        {
            var step = new Step(column, index, -1);
            var values = new object?[index + 1];
            var error = step.Convert(FieldValue.FromText(constant.AsMemory()), values, contract, null);
            if (error is not null)
            {
                throw new FeedContractException(contract.ContractPath, $"columns.{column.Name}.constant", error);
            }
            step.constantValue = values[index];
            return step;
        }

        public string? Apply(RecordReader reader, object?[] values, FeedContract contract, PersonalData? personalData)
        {
            if (column.Constant is not null)
            {
                values[index] = constantValue;
                return null;
            }
            if (SourceIndex >= 0)
            {
                if (values[SourceIndex] is DateTimeOffset instant)
                {
                    values[index] = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, column.TimeZone ?? contract.TimeZone).DateTime);
                    return null;
                }
                values[index] = null;
                return column.Required ? $"column '{column.Name}': no value because '{column.DerivedFrom}' is empty" : null;
            }
            return Convert(reader.Get(handle), values, contract, personalData);
        }

        public string? Convert(FieldValue field, object?[] values, FeedContract contract, PersonalData? personalData)
        {
            values[index] = null;
            if (column.Values is { } codes && !field.IsEmpty)
            {
                ValueParsers.String(field, out var text);
                if (!codes.TryGetValue(text!, out var mapped))
                {
                    return Fail($"'{field.Display()}' is not one of the listed values ({string.Join(", ", codes.Keys.Take(12))})");
                }
                field = mapped is null ? FieldValue.Null : FieldValue.FromText(mapped.AsMemory());
            }
            if (field.IsEmpty)
            {
                if (column.HashInto is not null)
                {
                    values[index + 1] = null;
                }
                return column.Required ? Fail(field.Kind == FieldKind.Missing ? "the field is missing" : "the value is empty") : null;
            }
            var zone = column.TimeZone ?? contract.TimeZone;
            string? error;
            switch (column.Type)
            {
                case ColumnType.String:
                    string? s;
                    if (interner is not null && field.Kind == FieldKind.Text)
                    {
                        // As ValueParsers.String, without a new string for every repeated value.
                        var trimmed = field.Text.Trim();
                        s = trimmed.Length == 0 ? null : interner.Get(trimmed);
                        error = null;
                    }
                    else
                    {
                        error = ValueParsers.String(field, out s);
                    }
                    if (column.Sensitivity == Sensitivity.Personal)
                    {
                        if (column.HashInto is not null)
                        {
                            values[index + 1] = personalData!.Hash(s);
                        }
                        s = PersonalData.Mask(s);
                    }
                    values[index] = s;
                    break;
                case ColumnType.Int64:
                    error = ValueParsers.Int64(field, out var l);
                    values[index] = l;
                    break;
                case ColumnType.Double:
                    error = ValueParsers.Double(field, out var d);
                    values[index] = d;
                    break;
                case ColumnType.Decimal:
                    error = ValueParsers.Decimal(field, out var m);
                    values[index] = m;
                    break;
                case ColumnType.Boolean:
                    error = ValueParsers.Boolean(field, out var b);
                    values[index] = b;
                    break;
                case ColumnType.Date:
                    error = ValueParsers.Date(field, column.Formats, zone, out var date);
                    values[index] = date;
                    break;
                case ColumnType.Timestamp:
                    error = ValueParsers.Timestamp(field, column.Formats, zone, out var instant);
                    values[index] = instant;
                    break;
                case ColumnType.StringList:
                    error = StringList(field, out var list);
                    values[index] = list;
                    break;
                default:
                    error = $"type {column.Type} cannot be mapped from a field";
                    break;
            }
            if (error is not null)
            {
                values[index] = null;
                return Fail(error);
            }
            return null;
        }

        private string? StringList(in FieldValue field, out string[]? list)
        {
            list = null;
            if (field.Kind == FieldKind.Json)
            {
                if (field.Json.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    return $"{field.Display()} is not a list";
                }
                list = field.Json.EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray();
                return null;
            }
            list = field.Text.ToString().Split(column.ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return null;
        }

        private string Fail(string problem) =>
            column.From is { } from && from != column.Name ? $"column '{column.Name}' (from '{from}'): {problem}" : $"column '{column.Name}': {problem}";
    }
}
