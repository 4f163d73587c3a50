using OneMap.DuckDb;

namespace OneMap.Lakehouse.Tables;

/// <summary>Incoming rows held in a DuckDB table of the lake engine until they are committed.</summary>
internal sealed class StagedRows : IDisposable
{
    private readonly bool ownsConnection;
    private bool disposed;

    private StagedRows(DuckDbConnection connection, string tableName, bool ownsConnection)
    {
        Connection = connection;
        TableName = tableName;
        this.ownsConnection = ownsConnection;
    }

    public DuckDbConnection Connection { get; }

    /// <summary>The staging table's name (unique per batch).</summary>
    public string TableName { get; }

    public string Relation => Sql.Identifier(TableName);

    public static string NewName(string purpose) => $"__onemap_{purpose}_{Guid.NewGuid():N}";

    /// <summary>An empty staging table with the given column definitions (DuckDB types).</summary>
    public static StagedRows Create(DuckDbConnection connection, IEnumerable<(string Name, string DuckDbType)> columns, bool ownsConnection)
    {
        var name = NewName("batch");
        connection.Execute($"CREATE TABLE {Sql.Identifier(name)} ({string.Join(", ", columns.Select(c => $"{Sql.Identifier(c.Name)} {c.DuckDbType}"))})");
        return new StagedRows(connection, name, ownsConnection);
    }

    /// <summary>Stages the result of a query (run with its parameters).</summary>
    public static StagedRows FromQuery(DuckDbConnection connection, string sql, IReadOnlyList<object?> parameters, bool ownsConnection, CancellationToken cancellationToken)
    {
        var name = NewName("query");
        using (cancellationToken.Register(connection.Interrupt))
        {
            connection.Execute($"CREATE TABLE {Sql.Identifier(name)} AS {sql}", [.. parameters]);
        }
        return new StagedRows(connection, name, ownsConnection);
    }

    public IReadOnlyList<IncomingColumn> Describe()
    {
        var columns = new List<IncomingColumn>();
        using var reader = Connection.Query($"SELECT column_name, column_type FROM (DESCRIBE {Relation})");
        while (reader.Read())
        {
            columns.Add(new IncomingColumn(reader.GetString(0), reader.GetString(1)));
        }
        return columns;
    }

    public long Count() => Connection.ExecuteScalar<long>($"SELECT count(*) FROM {Relation}");

    public void Clear() => Connection.Execute($"DELETE FROM {Relation}");

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        try
        {
            Connection.Execute($"DROP TABLE IF EXISTS {Relation}");
        }
        catch (DuckDbException)
        {
            // The engine may already be shut down; an in-memory staging table dies with it.
        }
        catch (ObjectDisposedException)
        {
        }
        if (ownsConnection)
        {
            Connection.Dispose();
        }
    }
}
