namespace OneMap.DuckDb;

/// <summary>
/// A named parameter for the <c>params object?[]</c> overloads of <see cref="DuckDbConnection"/>:
/// <c>conn.Query("SELECT * FROM t WHERE id = $id", new DuckDbParameter("id", 42))</c>.
/// Values without a name bind by position ($1, $2, … or ?).
/// </summary>
public sealed record DuckDbParameter(string Name, object? Value);
