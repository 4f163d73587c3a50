using System.Data.Common;

namespace OneMap.DuckDb;

/// <summary>
/// An error reported by DuckDB (or by the binding on DuckDB's behalf): carries DuckDB's message, its error class and
/// the SQL that failed. Sealed subclasses name the common classes; <see cref="IsTransient"/> says whether a retry can help.
/// </summary>
public class DuckDbException : DbException
{
    public DuckDbException(string message, DuckDbErrorType errorType = DuckDbErrorType.Invalid, string? sql = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType;
        Sql = sql;
    }

    /// <summary>DuckDB's class of the error (<c>duckdb_error_type</c>); <see cref="DuckDbErrorType.Invalid"/> when DuckDB gave none.</summary>
    public DuckDbErrorType ErrorType { get; }

    /// <summary>The SQL being prepared or run when the error happened, if any.</summary>
    public string? Sql { get; }

    /// <summary>True for write-write conflicts between concurrent transactions, which succeed when retried.</summary>
    public override bool IsTransient => ErrorType == DuckDbErrorType.Transaction;

    public override string ToString() => Sql is null ? base.ToString() : $"{base.ToString()}{Environment.NewLine}SQL: {Sql}";

    /// <summary>Builds the most specific exception for DuckDB's error class.</summary>
    internal static DuckDbException Create(string? message, DuckDbErrorType errorType, string? sql, Exception? inner = null)
    {
        message = string.IsNullOrEmpty(message) ? "DuckDB reported an error without a message" : message;
        inner ??= CallbackErrors.Find(message);
        if (errorType == DuckDbErrorType.Invalid)
        {
            errorType = ErrorTypeFromMessage(message);
        }
        if (inner is not null && CallbackErrors.IsCallbackError(message))
        {
            return new DuckDbFunctionException(message, errorType, sql, inner);
        }
        return errorType switch
        {
            DuckDbErrorType.Parser or DuckDbErrorType.Syntax => new DuckDbSyntaxException(message, errorType, sql, inner),
            DuckDbErrorType.Catalog or DuckDbErrorType.Binder or DuckDbErrorType.Dependency
                => new DuckDbCatalogException(message, errorType, sql, inner),
            DuckDbErrorType.Constraint => new DuckDbConstraintException(message, errorType, sql, inner),
            DuckDbErrorType.Conversion or DuckDbErrorType.OutOfRange or DuckDbErrorType.MismatchType or DuckDbErrorType.Decimal
                => new DuckDbConversionException(message, errorType, sql, inner),
            DuckDbErrorType.Transaction => new DuckDbTransactionException(message, errorType, sql, inner),
            DuckDbErrorType.Interrupt => new DuckDbInterruptedException(message, sql, inner),
            DuckDbErrorType.IO => new DuckDbIOException(message, errorType, sql, inner),
            _ => new DuckDbException(message, errorType, sql, inner),
        };
    }

    /// <summary>
    /// Where DuckDB reports only a message (prepare errors, appender errors), its "Xxx Error:" prefix names the class.
    /// </summary>
    private static DuckDbErrorType ErrorTypeFromMessage(string message)
    {
        var colon = message.IndexOf(" Error:", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return DuckDbErrorType.Invalid;
        }
        return message[..colon].ToUpperInvariant() switch
        {
            "PARSER" => DuckDbErrorType.Parser,
            "SYNTAX" => DuckDbErrorType.Syntax,
            "CATALOG" => DuckDbErrorType.Catalog,
            "BINDER" => DuckDbErrorType.Binder,
            "CONVERSION" => DuckDbErrorType.Conversion,
            "OUT OF RANGE" => DuckDbErrorType.OutOfRange,
            "MISMATCH TYPE" => DuckDbErrorType.MismatchType,
            "CONSTRAINT" => DuckDbErrorType.Constraint,
            "INVALID INPUT" => DuckDbErrorType.InvalidInput,
            "IO" => DuckDbErrorType.IO,
            "TRANSACTION" or "TRANSACTIONCONTEXT" => DuckDbErrorType.Transaction,
            "INTERRUPT" => DuckDbErrorType.Interrupt,
            "NOT IMPLEMENTED" => DuckDbErrorType.NotImplemented,
            "DEPENDENCY" => DuckDbErrorType.Dependency,
            "PERMISSION" => DuckDbErrorType.Permission,
            "OUT OF MEMORY" => DuckDbErrorType.OutOfMemory,
            "INTERNAL" => DuckDbErrorType.Internal,
            _ => DuckDbErrorType.Invalid,
        };
    }
}

/// <summary>The SQL could not be parsed.</summary>
public sealed class DuckDbSyntaxException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>A table, column, function or other catalog entry is missing, duplicated, or cannot be bound.</summary>
public sealed class DuckDbCatalogException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>A constraint (primary key, unique, not null, check, foreign key) rejected the data.</summary>
public sealed class DuckDbConstraintException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>A value could not be converted to the type asked for (by DuckDB or by the binding).</summary>
public sealed class DuckDbConversionException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>A transaction conflicted with a concurrent one; retrying the transaction can succeed.</summary>
public sealed class DuckDbTransactionException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>The query was interrupted (<see cref="DuckDbConnection.Interrupt"/>) without a cancellation token asking for it.</summary>
public sealed class DuckDbInterruptedException(string message, string? sql, Exception? innerException = null)
    : DuckDbException(message, DuckDbErrorType.Interrupt, sql, innerException);

/// <summary>Reading or writing a file failed.</summary>
public sealed class DuckDbIOException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);

/// <summary>A C# function registered with DuckDB (scalar, table or aggregate) threw; the exception it threw is the inner exception.</summary>
public sealed class DuckDbFunctionException(string message, DuckDbErrorType errorType, string? sql, Exception? innerException = null)
    : DuckDbException(message, errorType, sql, innerException);
