using OneMap.DuckDb;
using OneMap.DuckDb.Appending;
using OneMap.Lakehouse.Delta;

namespace OneMap.Lakehouse.Tables;

/// <summary>
/// A micro-batch being built for one table: rows go through a DuckDB appender into a staging table (columns in
/// <see cref="Columns"/> order: the table's columns without the computed bbox columns; geometry as WKB bytes), then
/// are committed as one data file per partition and one Delta commit. After a successful commit the batch is empty and
/// can be filled again. Not thread-safe: one builder per thread.
/// </summary>
public sealed class WriteBatch : IDisposable
{
    private readonly DeltaTable table;
    private readonly StagedRows staged;
    private DuckDbAppender? appender;

    internal WriteBatch(DeltaTable table, StagedRows staged, IReadOnlyList<StructField> columns)
    {
        this.table = table;
        this.staged = staged;
        Columns = columns.Select(c => c.Name).ToList();
        ColumnTypes = columns.Select(c => c.Type).ToList();
    }

    /// <summary>The column order of <see cref="AppendRow"/> and of <see cref="Appender"/>.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<DeltaType> ColumnTypes { get; }

    /// <summary>The appender over the staging table, for the fastest typed appends (call EndRow after each row).</summary>
    public DuckDbAppender Appender => appender ??= staged.Connection.CreateAppender(staged.TableName);

    /// <summary>Appends one row, values in <see cref="Columns"/> order (WKB byte arrays for geometry columns).</summary>
    public void AppendRow(params object?[] values)
    {
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"table '{table.Name}' takes {Columns.Count} values per row ({string.Join(", ", Columns)}), got {values.Length}", nameof(values));
        }
        Appender.AppendRow(values);
    }

    /// <summary>Rows appended and not yet committed.</summary>
    public long RowCount
    {
        get
        {
            Flush();
            return staged.Count();
        }
    }

    /// <summary>Appends the batch to the table as one commit.</summary>
    public Task<CommitResult> AppendAsync(CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        CommitAsync(() => table.Append(staged, options ?? CommitOptions.Default, cancellationToken), cancellationToken);

    /// <summary>Upserts the batch's rows by key (see <see cref="DeltaTable.MergeAsync(WriteBatch, MergeOptions?, CommitOptions?, CancellationToken)"/>).</summary>
    public Task<CommitResult> MergeAsync(MergeOptions? merge = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        CommitAsync(() => table.Merge(staged, merge ?? new MergeOptions(), options ?? CommitOptions.Default, cancellationToken), cancellationToken);

    /// <summary>Replaces the partitions the batch writes to (or those matching <paramref name="replaceWhere"/>) with its rows.</summary>
    public Task<CommitResult> OverwriteAsync(Predicate? replaceWhere = null, CommitOptions? options = null, CancellationToken cancellationToken = default) =>
        CommitAsync(() => table.Overwrite(staged, replaceWhere, options ?? CommitOptions.Default, cancellationToken), cancellationToken);

    private Task<CommitResult> CommitAsync(Func<CommitResult> commit, CancellationToken cancellationToken) => Task.Run(() =>
    {
        Flush();
        var result = commit();
        staged.Clear();
        return result;
    }, cancellationToken);

    private void Flush()
    {
        if (appender is not null)
        {
            // Closing (not only flushing) ends the appender's hold on the table before it is read or cleared.
            appender.Close();
            appender.Dispose();
            appender = null;
        }
    }

    public void Dispose()
    {
        appender?.Dispose();
        appender = null;
        staged.Dispose();
    }
}
