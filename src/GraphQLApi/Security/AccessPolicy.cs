using Microsoft.Extensions.Options;

using OneMap.GraphQLApi.Datasets;
using OneMap.Lakehouse.Tables;

namespace OneMap.GraphQLApi.Security;

/// <summary>What one caller may do with one dataset: read rows, aggregate, which columns, and which rows.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="CanReadRows">Rows may be listed and exported (not for the public role).</param>
/// <param name="Columns">The columns the caller may see, in table order.</param>
/// <param name="RowFilter">The row rule that applies, if any: only rows whose column equals the value.</param>
public sealed record DatasetAccess(DatasetModel Dataset, bool CanReadRows, IReadOnlyList<ColumnModel> Columns, RowFilter? RowFilter)
{
    private readonly HashSet<string> visible = new(Columns.Select(c => c.Name), StringComparer.Ordinal);

    public bool CanSee(string column) => visible.Contains(column);

    /// <summary>Aggregates are open to every role, over the columns it may see.</summary>
    public bool CanAggregate => true;
}

/// <summary>A row rule in force: <c>column = value</c>.</summary>
public sealed record RowFilter(string Column, string Value);

/// <summary>
/// The rules of who sees what, applied where SQL is built (every query, aggregate, export and subscription asks
/// here) and where the schema is filtered for a role (so introspection shows only what may be queried):
/// public sees public columns in aggregates; analysts see public and internal columns; a department sees its own
/// datasets and its own rows under a row rule in full, the rest as an analyst; admins see everything.
/// </summary>
public sealed class AccessPolicy(IOptions<SecurityOptions> options)
{
    private readonly IReadOnlyList<RowRuleOptions> rules = options.Value.RowRules;

    public DatasetAccess For(Caller caller, DatasetModel dataset)
    {
        // A department sees its own datasets whole: row rules are about other departments' data.
        var owns = caller.Role == ApiRole.Department && caller.Department is not null && string.Equals(dataset.Owner, caller.Department, StringComparison.Ordinal);
        var rule = owns ? null : RuleFor(caller, dataset.Name);
        var rowFilter = rule is not null && dataset.Column(rule.Column) is not null
            ? new RowFilter(rule.Column, caller.Department ?? "")
            : null;
        // A row rule naming a column the dataset lacks must not open the dataset: nothing matches.
        if (rule is not null && rowFilter is null)
        {
            return new DatasetAccess(dataset, false, [], new RowFilter("", "\u0000"));
        }
        var level = ClearanceFor(caller, dataset, rowFilter is not null);
        var columns = dataset.Columns.Where(c => c.Sensitivity <= level).ToList();
        return new DatasetAccess(dataset, caller.Role != ApiRole.Public, columns, rowFilter);
    }

    /// <summary>The most sensitive class of column the caller may see in the dataset.</summary>
    public static Sensitivity ClearanceFor(Caller caller, DatasetModel dataset, bool ownRowsOnly) => caller.Role switch
    {
        ApiRole.Admin => Sensitivity.Personal,
        ApiRole.Department when ownRowsOnly || (caller.Department is not null && string.Equals(dataset.Owner, caller.Department, StringComparison.Ordinal)) =>
            Sensitivity.Personal,
        ApiRole.Department or ApiRole.Analyst => Sensitivity.Internal,
        _ => Sensitivity.Public,
    };

    /// <summary>The row rule for the caller's role on a dataset, if one is configured.</summary>
    public RowRuleOptions? RuleFor(Caller caller, string dataset) =>
        rules.FirstOrDefault(r => r.Role == caller.Role && string.Equals(r.Dataset, dataset, StringComparison.Ordinal));
}
