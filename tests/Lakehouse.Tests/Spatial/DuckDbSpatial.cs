using OneMap.DuckDb;
using OneMap.DuckDb.Data;
using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>An in-memory DuckDB database with OneMap's spatial functions registered, and small query helpers.</summary>
internal sealed class DuckDbSpatial : IDisposable
{
    public DuckDbSpatial()
    {
        Database = DuckDbDatabase.Open();
        Connection = Database.Connect();
        SpatialFunctions.Register(Connection);
    }

    public DuckDbDatabase Database { get; }

    public DuckDbConnection Connection { get; }

    /// <summary>The first column of the first row.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters) => Connection.ExecuteScalar<T>(sql, parameters);

    /// <summary>All rows, each as an array of values (null for NULL).</summary>
    public List<object?[]> Rows(string sql, params object?[] parameters)
    {
        using var reader = Connection.Query(sql, parameters);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public void Execute(string sql, params object?[] parameters) => Connection.Execute(sql, parameters);

    /// <summary>Creates <paramref name="table"/> (columns as SQL) and appends the rows.</summary>
    public void Load(string table, string columns, IEnumerable<object?[]> rows)
    {
        Connection.Execute($"CREATE OR REPLACE TABLE {table} ({columns})");
        using var appender = Connection.CreateAppender(table);
        foreach (var row in rows)
        {
            appender.AppendRow(row);
        }
    }

    public void Dispose()
    {
        Connection.Dispose();
        Database.Dispose();
    }
}
