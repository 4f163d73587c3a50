namespace OneMap.Lakehouse.Spatial.Sql;

/// <summary>
/// Quotes the relation and column names spatial table functions read, so a name can never change the SQL around it
/// (user values stay parameters; only names are spliced, and only quoted).
/// </summary>
internal static class SqlNames
{
    /// <summary>A possibly qualified relation name (<c>schema.table</c>) with each part quoted.</summary>
    public static string Relation(string name, string function)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SpatialArgumentException(function, "relation", "is empty; name a table or view");
        }
        var parts = name.Split('.');
        if (parts.Length > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new SpatialArgumentException(function, "relation", $"'{name}' is not a table or view name (catalog.schema.table at most)");
        }
        return string.Join('.', parts.Select(p => Identifier(p.Trim().Trim('"'))));
    }

    /// <summary>One identifier, double-quoted, embedded quotes doubled.</summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
