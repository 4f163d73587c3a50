using System.Globalization;
using System.Text;

namespace OneMap.Lakehouse;

/// <summary>
/// Quoting of identifiers and of the few literals that cannot be parameters: view definitions (DuckDB views take no
/// parameters) list data file paths and partition values read from the Delta log. Everything a caller passes as a
/// value goes through prepared-statement parameters instead.
/// </summary>
internal static class Sql
{
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string String(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string StringList(IEnumerable<string> values)
    {
        var builder = new StringBuilder("[");
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                builder.Append(", ");
            }
            builder.Append(String(value));
            first = false;
        }
        return builder.Append(']').ToString();
    }

    /// <summary>A typed literal for a value of a Delta primitive type, e.g. <c>CAST('2024-01-01' AS DATE)</c>.</summary>
    public static string Literal(object? value, Delta.DeltaType type)
    {
        if (value is null)
        {
            return $"CAST(NULL AS {type.ToDuckDbType()})";
        }
        if (value is byte[] blob)
        {
            return "from_hex(" + String(Convert.ToHexString(blob)) + ")";
        }
        var text = value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + (t.Kind == DateTimeKind.Utc ? "+00" : ""),
            DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return $"CAST({String(text)} AS {type.ToDuckDbType()})";
    }
}
