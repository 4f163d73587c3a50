namespace OneMap.Lakehouse;

/// <summary>
/// Base of every error the lakehouse raises. <see cref="IsTransient"/> says whether repeating the same operation can
/// succeed (a lost commit race can, a batch that does not fit the schema cannot).
/// </summary>
public abstract class LakehouseException : Exception
{
    protected LakehouseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when a retry of the same operation may succeed.</summary>
    public virtual bool IsTransient => false;
}

/// <summary>A batch or query result does not fit the table's schema; <see cref="Column"/> names the column at fault.</summary>
public sealed class SchemaMismatchException(string table, string column, string message)
    : LakehouseException($"table '{table}', column '{column}': {message}")
{
    public string Table { get; } = table;

    public string Column { get; } = column;
}

/// <summary>
/// Another writer committed a change that conflicts with this operation (for example both removed the same file), and
/// the bounded retries were used up. Re-running the whole operation against the new snapshot can succeed.
/// </summary>
public sealed class ConcurrentModificationException(string table, long attemptedVersion, string conflict, Exception? innerException = null)
    : LakehouseException($"table '{table}': commit of version {attemptedVersion} conflicts with a concurrent commit: {conflict}", innerException)
{
    public string Table { get; } = table;

    public long AttemptedVersion { get; } = attemptedVersion;

    public string Conflict { get; } = conflict;

    public override bool IsTransient => true;
}

/// <summary>A transaction log file is unreadable or breaks the Delta protocol; <see cref="FilePath"/> names it.</summary>
public sealed class CorruptLogException(string filePath, string message, Exception? innerException = null)
    : LakehouseException($"corrupt Delta log file '{filePath}': {message}", innerException)
{
    public string FilePath { get; } = filePath;
}

/// <summary>No Delta table (no <c>_delta_log</c> with a first commit) exists at <see cref="TablePath"/>.</summary>
public sealed class TableNotFoundException(string tablePath)
    : LakehouseException($"no Delta table at '{tablePath}' (no _delta_log commits found)")
{
    public string TablePath { get; } = tablePath;
}

/// <summary>Creating a table where one already exists.</summary>
public sealed class TableAlreadyExistsException(string tablePath)
    : LakehouseException($"a Delta table already exists at '{tablePath}'")
{
    public string TablePath { get; } = tablePath;
}

/// <summary>The table needs a Delta protocol feature OneMap does not implement (for example deletion vectors).</summary>
public sealed class UnsupportedTableFeatureException(string table, string feature, string detail)
    : LakehouseException($"table '{table}' uses '{feature}', which OneMap does not support: {detail}")
{
    public string Table { get; } = table;

    public string Feature { get; } = feature;
}

/// <summary>Time travel asked for a version or time the log does not (or no longer) hold.</summary>
public sealed class VersionNotFoundException(string table, string message)
    : LakehouseException($"table '{table}': {message}")
{
    public string Table { get; } = table;
}

/// <summary>
/// An operation was refused because of its arguments or the table's state (an unknown column in a predicate, a delete
/// on an append-only table, a key that is not unique in a merge source, …); the message says which.
/// </summary>
public sealed class InvalidOperationLakehouseException(string table, string message, Exception? innerException = null)
    : LakehouseException($"table '{table}': {message}", innerException)
{
    public string Table { get; } = table;
}

/// <summary>Reading or writing a data file through DuckDB failed; wraps the engine's error and names the file or table.</summary>
public sealed class DataFileException(string target, string message, Exception? innerException = null, bool isTransient = false)
    : LakehouseException($"{target}: {message}", innerException)
{
    public string Target { get; } = target;

    public override bool IsTransient { get; } = isTransient;
}

/// <summary>Some incoming rows hold values the column cannot take (a NULL in a required column, malformed WKB, a null key).</summary>
public sealed class InvalidValueException(string table, string column, long rows, string message)
    : LakehouseException($"table '{table}', column '{column}': {rows} incoming row(s) {message}")
{
    public string Table { get; } = table;

    public string Column { get; } = column;

    public long Rows { get; } = rows;
}
