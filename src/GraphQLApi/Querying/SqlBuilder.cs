using System.Globalization;
using System.Text;

namespace OneMap.GraphQLApi.Querying;

/// <summary>
/// Builds one SQL statement: text plus positional parameters (<c>$1…</c>). Every value from a request goes through
/// <see cref="Param"/>; names go through <see cref="Identifier"/> and come only from the catalog or from OneMap's
/// own code, never from a request.
/// </summary>
public sealed class SqlBuilder
{
    private readonly StringBuilder text = new();
    private readonly List<object?> parameters = [];

    public IReadOnlyList<object?> Parameters => parameters;

    public string Text => text.ToString();

    /// <summary>Adds a value as the next parameter and returns its placeholder.</summary>
    public string Param(object? value)
    {
        parameters.Add(value);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    public SqlBuilder Append(string sql)
    {
        text.Append(sql);
        return this;
    }

    public SqlBuilder AppendLine(string sql)
    {
        text.Append(sql).Append('\n');
        return this;
    }

    /// <summary>A double-quoted identifier with embedded quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A column of a relation alias: <c>t."name"</c>.</summary>
    public static string Column(string alias, string name) => alias + "." + Identifier(name);

    public SqlCommand Build() => new(Text, parameters.ToArray());

    public override string ToString() => Text;
}

/// <summary>SQL text and its parameters, ready to run.</summary>
public sealed record SqlCommand(string Text, IReadOnlyList<object?> Parameters);
