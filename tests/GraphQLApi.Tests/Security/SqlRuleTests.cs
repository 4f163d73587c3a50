using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Security;
using OneMap.GraphQLApi.Tests.Support;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>
/// The rules hold where SQL is built, not only in the schema a role sees: the relation every query reads projects only
/// the caller's columns and carries the row rule as a parameter, and a filter or order on a hidden column is refused
/// even when it reaches the SQL builder directly.
/// </summary>
public sealed class SqlRuleTests(SampleCity city)
{
    private DatasetModel Tickets => city.Server.Get<DatasetRegistry>().Current["tickets"]!;

    private AccessPolicy Policy => city.Server.Get<AccessPolicy>();

    private LakeQueries Lake => city.Server.Get<LakeQueries>();

    private static readonly Caller Analyst = new("a", "analyst", ApiRole.Analyst, null, "api-key");
    private static readonly Caller Housing = new("h", "housing", ApiRole.Department, "D11", "api-key");
    private static readonly Caller Public = new("p", "public", ApiRole.Public, null, "api-key");

    [Fact]
    public void an_analysts_relation_names_no_personal_column()
    {
        var sql = new SqlBuilder();
        var relation = DatasetSource.Relation(sql, Lake, Policy.For(Analyst, Tickets), null);
        Assert.Contains("\"description\"", relation, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter_name", relation, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter_phone", relation, StringComparison.Ordinal);
        Assert.Empty(sql.Parameters);
    }

    [Fact]
    public void a_departments_relation_keeps_only_its_rows_with_the_code_as_a_parameter()
    {
        var sql = new SqlBuilder();
        var relation = DatasetSource.Relation(sql, Lake, Policy.For(Housing, Tickets), null);
        Assert.Contains("WHERE \"department_code\" = $1", relation, StringComparison.Ordinal);
        Assert.Equal(["D11"], sql.Parameters);
        Assert.DoesNotContain("D11", relation, StringComparison.Ordinal);
        Assert.Contains("reporter_phone", relation, StringComparison.Ordinal);
    }

    [Fact]
    public void the_public_relation_holds_public_columns_only_and_no_rows_are_listed()
    {
        var access = Policy.For(Public, Tickets);
        Assert.False(access.CanReadRows);
        var relation = DatasetSource.Relation(new SqlBuilder(), Lake, access, null);
        Assert.DoesNotContain("description", relation, StringComparison.Ordinal);
        Assert.DoesNotContain("reporter_key", relation, StringComparison.Ordinal);
    }

    [Fact]
    public void filters_and_orders_on_hidden_columns_are_refused_by_the_sql_builder()
    {
        var access = Policy.For(Analyst, Tickets);
        var filter = new Dictionary<string, object?> { ["reporter_phone"] = new Dictionary<string, object?> { ["eq"] = "x" } };
        Assert.Throws<ApiArgumentException>(() => new FilterCompiler(access, new SqlBuilder()).Compile(filter));
        var order = new object?[] { new Dictionary<string, object?> { ["column"] = "reporter_name", ["direction"] = "ASC" } };
        Assert.Throws<ApiArgumentException>(() => RowQuery.OrderBy(order, access));
        var visible = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["like"] = "'; DROP TABLE tickets; --" } };
        var sql = new SqlBuilder();
        var condition = new FilterCompiler(access, sql).Compile(visible);
        Assert.Equal("t.\"title\" LIKE $1", condition);
        Assert.Equal(["'; DROP TABLE tickets; --"], sql.Parameters);
    }
}
