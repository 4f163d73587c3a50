using System.Globalization;
using System.Text;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// A row filter over a table's columns (logical names; nested fields as paths such as <c>bbox.xmin</c>). It renders to
/// SQL with every value as a parameter, and it is evaluated against each data file's partition values and statistics to
/// skip files that cannot hold a matching row.
/// </summary>
public abstract record Predicate
{
    /// <summary>Matches every row.</summary>
    public static readonly Predicate True = new AllRows();

    public static Predicate Eq(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.Equal, value);

    public static Predicate Ne(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.NotEqual, value);

    public static Predicate Lt(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.Less, value);

    public static Predicate Le(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.LessOrEqual, value);

    public static Predicate Gt(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.Greater, value);

    public static Predicate Ge(string column, object? value) => new Comparison(ColumnPath.Parse(column), ComparisonOperator.GreaterOrEqual, value);

    /// <summary>Inclusive range.</summary>
    public static Predicate Between(string column, object? low, object? high) => And(Ge(column, low), Le(column, high));

    public static Predicate In(string column, IEnumerable<object?> values) => new InList(ColumnPath.Parse(column), values.ToList());

    public static Predicate IsNull(string column) => new NullCheck(ColumnPath.Parse(column), true);

    public static Predicate IsNotNull(string column) => new NullCheck(ColumnPath.Parse(column), false);

    public static Predicate And(params Predicate[] terms) => terms.Length == 1 ? terms[0] : new Conjunction(terms);

    public static Predicate Or(params Predicate[] terms) => terms.Length == 1 ? terms[0] : new Disjunction(terms);

    public static Predicate Not(Predicate term) => new Negation(term);

    /// <summary>
    /// Rows whose bounding box (the GeoParquet covering column, default <c>bbox</c>) intersects the envelope. Prunes
    /// files by the nested min/max statistics of the bbox column.
    /// </summary>
    public static Predicate BboxIntersects(double xmin, double ymin, double xmax, double ymax, string bboxColumn = "bbox") => And(
        Le(bboxColumn + ".xmin", xmax),
        Ge(bboxColumn + ".xmax", xmin),
        Le(bboxColumn + ".ymin", ymax),
        Ge(bboxColumn + ".ymax", ymin));

    /// <summary>Renders the predicate as SQL over the logical column names, adding its values to <paramref name="parameters"/>.</summary>
    public abstract string ToSql(List<object?> parameters);

    /// <summary>Whether the rows of a file certainly match, certainly do not, or may.</summary>
    internal abstract Tri Evaluate(FileFacts file);

    /// <summary>The columns the predicate refers to.</summary>
    public abstract IEnumerable<ColumnPath> Columns { get; }

    internal static string Parameter(List<object?> parameters, object? value)
    {
        parameters.Add(value);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    private sealed record AllRows : Predicate
    {
        public override string ToSql(List<object?> parameters) => "true";

        internal override Tri Evaluate(FileFacts file) => Tri.Always;

        public override IEnumerable<ColumnPath> Columns => [];
    }
}

/// <summary>A column reference: a top-level column or a path into struct fields.</summary>
public sealed record ColumnPath(IReadOnlyList<string> Parts)
{
    public static ColumnPath Parse(string column) => new(column.Split('.'));

    public string Sql => string.Join(".", Parts.Select(OneMap.Lakehouse.Sql.Identifier));

    public override string ToString() => string.Join(".", Parts);

    public bool Equals(ColumnPath? other) => other is not null && Parts.SequenceEqual(other.Parts, StringComparer.OrdinalIgnoreCase);

    public override int GetHashCode() => Parts.Count == 0 ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Parts[0]);
}

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>Three-valued answer of file-level evaluation.</summary>
internal enum Tri
{
    Never,
    Maybe,
    Always,
}

/// <summary><c>column op value</c>; a null value never matches (SQL semantics).</summary>
public sealed record Comparison(ColumnPath Column, ComparisonOperator Operator, object? Value) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => [Column];

    public override string ToSql(List<object?> parameters)
    {
        var op = Operator switch
        {
            ComparisonOperator.Equal => "=",
            ComparisonOperator.NotEqual => "<>",
            ComparisonOperator.Less => "<",
            ComparisonOperator.LessOrEqual => "<=",
            ComparisonOperator.Greater => ">",
            _ => ">=",
        };
        return $"({Column.Sql} {op} {Parameter(parameters, Value)})";
    }

    internal override Tri Evaluate(FileFacts file)
    {
        var column = file.Resolve(Column);
        if (Value is null)
        {
            return Tri.Never;
        }
        var constant = TypedValues.Coerce(Value, column.Type, Column.ToString())!;
        if (column.IsPartition)
        {
            var value = column.PartitionValue;
            return value is null ? Tri.Never : Holds(TypedValues.Compare(value, constant)) ? Tri.Always : Tri.Never;
        }
        var (min, max, nullCount, rows) = file.Stats(column);
        if (rows == 0)
        {
            return Tri.Never;
        }
        if (nullCount is { } nulls && rows is { } total && nulls == total)
        {
            return Tri.Never;
        }
        if (min is null || max is null)
        {
            return Tri.Maybe;
        }
        var cMin = TypedValues.Compare(min, constant);
        var cMax = TypedValues.Compare(max, constant);
        var noNulls = nullCount == 0;
        switch (Operator)
        {
            case ComparisonOperator.Equal:
                if (cMin > 0 || cMax < 0)
                {
                    return Tri.Never;
                }
                return cMin == 0 && cMax == 0 && noNulls && column.ExactBounds ? Tri.Always : Tri.Maybe;
            case ComparisonOperator.NotEqual:
                return cMin == 0 && cMax == 0 && column.ExactBounds ? Tri.Never : Tri.Maybe;
            case ComparisonOperator.Less:
                return cMin >= 0 ? Tri.Never : cMax < 0 && noNulls && column.ExactBounds ? Tri.Always : Tri.Maybe;
            case ComparisonOperator.LessOrEqual:
                return cMin > 0 ? Tri.Never : cMax <= 0 && noNulls && column.ExactBounds ? Tri.Always : Tri.Maybe;
            case ComparisonOperator.Greater:
                return cMax <= 0 ? Tri.Never : cMin > 0 && noNulls && column.ExactBounds ? Tri.Always : Tri.Maybe;
            default:
                return cMax < 0 ? Tri.Never : cMin >= 0 && noNulls && column.ExactBounds ? Tri.Always : Tri.Maybe;
        }
    }

    private bool Holds(int comparison) => Operator switch
    {
        ComparisonOperator.Equal => comparison == 0,
        ComparisonOperator.NotEqual => comparison != 0,
        ComparisonOperator.Less => comparison < 0,
        ComparisonOperator.LessOrEqual => comparison <= 0,
        ComparisonOperator.Greater => comparison > 0,
        _ => comparison >= 0,
    };
}

/// <summary><c>column IN (values…)</c>.</summary>
public sealed record InList(ColumnPath Column, IReadOnlyList<object?> Values) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => [Column];

    public override string ToSql(List<object?> parameters)
    {
        var present = Values.Where(v => v is not null).ToList();
        return present.Count == 0
            ? "false"
            : $"({Column.Sql} IN ({string.Join(", ", present.Select(v => Parameter(parameters, v)))}))";
    }

    internal override Tri Evaluate(FileFacts file)
    {
        var result = Tri.Never;
        foreach (var value in Values)
        {
            var one = new Comparison(Column, ComparisonOperator.Equal, value).Evaluate(file);
            if (one == Tri.Always)
            {
                return Tri.Always;
            }
            if (one == Tri.Maybe)
            {
                result = Tri.Maybe;
            }
        }
        return result;
    }

    public bool Equals(InList? other) => other is not null && Column.Equals(other.Column) && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Column.GetHashCode();
}

/// <summary><c>column IS [NOT] NULL</c>.</summary>
public sealed record NullCheck(ColumnPath Column, bool MatchesNull) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => [Column];

    public override string ToSql(List<object?> parameters) => $"({Column.Sql} IS {(MatchesNull ? "" : "NOT ")}NULL)";

    internal override Tri Evaluate(FileFacts file)
    {
        var column = file.Resolve(Column);
        if (column.IsPartition)
        {
            return (column.PartitionValue is null) == MatchesNull ? Tri.Always : Tri.Never;
        }
        var (_, _, nullCount, rows) = file.Stats(column);
        if (nullCount is not { } nulls || rows is not { } total)
        {
            return Tri.Maybe;
        }
        if (nulls == 0)
        {
            return MatchesNull ? Tri.Never : Tri.Always;
        }
        if (nulls == total)
        {
            return MatchesNull ? Tri.Always : Tri.Never;
        }
        return Tri.Maybe;
    }
}

public sealed record Conjunction(IReadOnlyList<Predicate> Terms) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => Terms.SelectMany(t => t.Columns);

    public override string ToSql(List<object?> parameters) =>
        "(" + string.Join(" AND ", Terms.Select(t => t.ToSql(parameters))) + ")";

    internal override Tri Evaluate(FileFacts file)
    {
        var result = Tri.Always;
        foreach (var term in Terms)
        {
            var one = term.Evaluate(file);
            if (one == Tri.Never)
            {
                return Tri.Never;
            }
            if (one == Tri.Maybe)
            {
                result = Tri.Maybe;
            }
        }
        return result;
    }

    public bool Equals(Conjunction? other) => other is not null && Terms.SequenceEqual(other.Terms);

    public override int GetHashCode() => Terms.Count;
}

public sealed record Disjunction(IReadOnlyList<Predicate> Terms) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => Terms.SelectMany(t => t.Columns);

    public override string ToSql(List<object?> parameters) =>
        "(" + string.Join(" OR ", Terms.Select(t => t.ToSql(parameters))) + ")";

    internal override Tri Evaluate(FileFacts file)
    {
        var result = Tri.Never;
        foreach (var term in Terms)
        {
            var one = term.Evaluate(file);
            if (one == Tri.Always)
            {
                return Tri.Always;
            }
            if (one == Tri.Maybe)
            {
                result = Tri.Maybe;
            }
        }
        return result;
    }

    public bool Equals(Disjunction? other) => other is not null && Terms.SequenceEqual(other.Terms);

    public override int GetHashCode() => Terms.Count;
}

public sealed record Negation(Predicate Term) : Predicate
{
    public override IEnumerable<ColumnPath> Columns => Term.Columns;

    // NOT over a NULL is NULL, so "never true" inside does not make the negation always true.
    public override string ToSql(List<object?> parameters) => $"(NOT {Term.ToSql(parameters)})";

    internal override Tri Evaluate(FileFacts file) => Term.Evaluate(file) == Tri.Always ? Tri.Never : Tri.Maybe;
}

/// <summary>What is known about one data file: its partition values and statistics, by logical column path.</summary>
internal sealed class FileFacts(DeltaSnapshot snapshot, AddFile file)
{
    public AddFile File { get; } = file;

    public ResolvedColumn Resolve(ColumnPath path)
    {
        var mode = snapshot.ColumnMapping;
        var fields = snapshot.Schema;
        var physical = new List<string>(path.Parts.Count);
        StructField? field = null;
        foreach (var part in path.Parts)
        {
            field = fields?.Find(part) ?? throw new ArgumentException($"column '{path}' is not in the table schema");
            physical.Add(field.PhysicalName(mode));
            fields = field.Type as StructType;
        }
        var top = path.Parts[0];
        var isPartition = path.Parts.Count == 1 && snapshot.PartitionColumns.Any(p => string.Equals(p, top, StringComparison.OrdinalIgnoreCase));
        if (!field!.Type.IsPrimitive)
        {
            throw new ArgumentException($"column '{path}' of type {field.Type} cannot be compared; filter on its fields");
        }
        return new ResolvedColumn(field.Type, physical, isPartition,
            isPartition ? snapshot.PartitionValue(File, field.Name) : null,
            File.Statistics.TightBounds);
    }

    public (object? Min, object? Max, long? NullCount, long? Rows) Stats(ResolvedColumn column)
    {
        var stats = File.Statistics;
        var min = stats.Min(column.PhysicalPath) is { } minElement ? TypedValues.FromStats(minElement, column.Type, isMax: false) : null;
        var max = stats.Max(column.PhysicalPath) is { } maxElement ? TypedValues.FromStats(maxElement, column.Type, isMax: true) : null;
        if (column.Type is PrimitiveType { Name: "string" } && max is string s && s.Length > 0)
        {
            // Writers may truncate string maxima; compare against the prefix extended by the largest code point.
            max = s + char.ConvertFromUtf32(0x10FFFF);
        }
        return (min, max, stats.NullCount(column.PhysicalPath), stats.NumRecords);
    }
}

internal sealed record ResolvedColumn(DeltaType Type, IReadOnlyList<string> PhysicalPath, bool IsPartition, object? PartitionValue, bool TightBounds)
{
    // Timestamps, strings (extended above) and truncated maxima are bounds, not exact values.
    public bool ExactBounds => TightBounds && Type is not PrimitiveType { Name: "string" or "timestamp" or "timestamp_ntz" or "double" or "float" };
}

/// <summary>Pruning of a snapshot's files by a predicate.</summary>
public static class FilePruning
{
    /// <summary>The files that may contain a row matching <paramref name="predicate"/>.</summary>
    public static IEnumerable<AddFile> Candidates(DeltaSnapshot snapshot, Predicate predicate) =>
        snapshot.Files.Where(f => predicate.Evaluate(new FileFacts(snapshot, f)) != Tri.Never);

    /// <summary>True when every row of the file matches (so a delete can drop the file without reading it).</summary>
    public static bool AllRowsMatch(DeltaSnapshot snapshot, AddFile file, Predicate predicate) =>
        predicate.Evaluate(new FileFacts(snapshot, file)) == Tri.Always;

    public static bool MayMatch(DeltaSnapshot snapshot, AddFile file, Predicate predicate) =>
        predicate.Evaluate(new FileFacts(snapshot, file)) != Tri.Never;

    /// <summary>Checks that every column of the predicate exists, naming the first unknown one.</summary>
    public static void Validate(DeltaSnapshot snapshot, Predicate predicate, string table)
    {
        foreach (var column in predicate.Columns)
        {
            StructType? fields = snapshot.Schema;
            foreach (var part in column.Parts)
            {
                var field = fields?.Find(part)
                    ?? throw new InvalidOperationLakehouseException(table, $"the predicate refers to column '{column}', which is not in the schema ({string.Join(", ", snapshot.Schema.Fields.Select(f => f.Name))})");
                fields = field.Type as StructType;
            }
        }
    }

    internal static string Describe(Predicate predicate)
    {
        var parameters = new List<object?>();
        var sql = predicate.ToSql(parameters);
        var builder = new StringBuilder(sql);
        for (var i = parameters.Count; i >= 1; i--)
        {
            builder.Replace("$" + i.ToString(CultureInfo.InvariantCulture), Convert.ToString(parameters[i - 1], CultureInfo.InvariantCulture) is { } s ? "'" + s + "'" : "NULL");
        }
        return builder.ToString();
    }
}
