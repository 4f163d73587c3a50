using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>The audit table: who asked what (operation, document), the variables only as a hash, rows returned, time; admins only.</summary>
public sealed class AuditTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task each_request_is_audited_with_its_variables_hashed_and_rows_counted()
    {
        const string secret = "13912345678";
        const string query = "query HousingTickets($d: String, $phone: String) { tickets(first: 7, filter: { department_code: { eq: $d }, title: { ne: $phone } }) { nodes { ticket_id } } }";
        var variables = new { d = "D11", phone = secret };
        var result = await city.Server.QueryAsync(city.Keys.Analyst, query, variables, Ct);
        Assert.Equal(7, result.Ok()["tickets"]!["nodes"]!.AsArray().Count);
        var analystId = (string)(await city.Server.QueryAsync(city.Keys.Analyst, "{ me { id } }", cancellationToken: Ct)).Ok()["me"]!["id"]!;

        var audit = (await city.Server.QueryAsync(city.Keys.Admin, $"{{ audit(callerId: \"{analystId}\", limit: 50) {{ at callerId role operation document documentHash variablesHash rows durationMs status }} }}",
            cancellationToken: Ct)).Ok()["audit"]!.AsArray();
        var entry = audit.Single(a => (string?)a!["operation"] == "query HousingTickets")!;
        Assert.Equal("analyst", (string?)entry["role"]);
        Assert.Equal(7L, (long)entry["rows"]!);
        Assert.Equal(200, (int)entry["status"]!);
        Assert.Equal(query, (string?)entry["document"]);
        Assert.Equal(Sha256(query), (string?)entry["documentHash"]);
        Assert.Equal(Sha256(JsonSerializer.Serialize(variables)), (string?)entry["variablesHash"]);
        Assert.True(DateTimeOffset.Parse((string)entry["at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));

        // The variables' values are nowhere in the audit table's files (read back with DuckDB).
        var stored = LakeFiles.Query(city.LakeRoot, "_audit", "SELECT * FROM {t}");
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored.SelectMany(r => r), v => v is string s && s.Contains(secret, StringComparison.Ordinal) && !s.StartsWith("query", StringComparison.Ordinal));
    }

    [Fact]
    public async Task refused_requests_are_audited_too()
    {
        var refused = await city.Server.QueryAsync("om_123456789abc_a-key-that-was-never-issued-000", "{ me { role } }", cancellationToken: Ct);
        Assert.Equal(401, refused.Status);
        var audit = (await city.Server.QueryAsync(city.Keys.Admin, "{ audit(callerId: \"anonymous\", limit: 20) { operation status } }", cancellationToken: Ct)).Ok()["audit"]!.AsArray();
        Assert.Contains(audit, a => (int)a!["status"]! == 401 && ((string?)a["operation"])!.StartsWith("refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task only_admins_read_the_audit() =>
        (await city.Server.QueryAsync(city.Keys.Analyst, "{ audit { operation } }", cancellationToken: Ct)).Fails("Field \"audit\" is not defined");

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
