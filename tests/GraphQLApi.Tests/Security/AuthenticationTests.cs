using System.Net.Http.Headers;
using System.Security.Cryptography;

using OneMap.GraphQLApi.Tests.Support;
using OneMap.Testing;

namespace OneMap.GraphQLApi.Tests.Security;

/// <summary>API keys (create, use, revoke) and JWT bearer tokens (HS256, RS256) with every way a token can be wrong.</summary>
public sealed class AuthenticationTests(IsolatedCity city) : IClassFixture<IsolatedCity>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<GqlResult> WithToken(string token, string query = "{ me { id name role department method } }")
    {
        using var client = city.Server.ClientWith(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ApiServer.PostAsync(client, query, cancellationToken: Ct);
    }

    private static object Claims(string role = "analyst", string? department = null, TimeSpan? expiresIn = null, string issuer = IsolatedCity.Issuer,
        object? audience = null, long? notBefore = null) => new Dictionary<string, object?>
    {
        ["sub"] = "officer-42",
        ["name"] = "Officer 42",
        ["role"] = role,
        ["department"] = department,
        ["iss"] = issuer,
        ["aud"] = audience ?? IsolatedCity.Audience,
        ["iat"] = Jwt.Now(TimeSpan.Zero),
        ["nbf"] = notBefore,
        ["exp"] = Jwt.Now(expiresIn ?? TimeSpan.FromMinutes(10)),
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task hs256_and_rs256_tokens_authenticate_with_their_role_and_department()
    {
        var hs = (await WithToken(Jwt.Hs256(IsolatedCity.HmacSecret, Claims("department", "D11")))).Ok()["me"]!;
        Assert.Equal(("officer-42", "DEPARTMENT", "D11", "jwt"), ((string)hs["id"]!, (string)hs["role"]!, (string?)hs["department"], (string)hs["method"]!));
        var rs = (await WithToken(Jwt.Rs256(city.Rsa, Claims("admin", audience: new[] { "other", IsolatedCity.Audience })))).Ok()["me"]!;
        Assert.Equal("ADMIN", (string?)rs["role"]);
        // The token's role rules what it may see.
        var tickets = (await WithToken(Jwt.Hs256(IsolatedCity.HmacSecret, Claims("department", "D11")), "{ tickets(first: 0) { totalCount } }")).Ok();
        Assert.Equal(LakeFiles.Count(city.LakeRoot, "tickets", "department_code = 'D11'"), (long)tickets["tickets"]!["totalCount"]!);
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("not-yet", "not valid yet")]
    [InlineData("wrong-secret", "signature")]
    [InlineData("tampered", "signature")]
    [InlineData("other-rsa-key", "signature")]
    [InlineData("alg-none", "algorithm")]
    [InlineData("hs256-signed-with-the-rsa-public-key", "signature")]
    [InlineData("wrong-issuer", "issuer")]
    [InlineData("wrong-audience", "aud")]
    [InlineData("no-expiry", "expiry")]
    [InlineData("unknown-role", "role")]
    [InlineData("department-without-code", "department")]
    [InlineData("garbage", "not a signed JWT")]
    public async Task a_bad_token_is_refused_with_the_reason(string kind, string reason)
    {
        using var otherKey = RSA.Create(2048);
        var token = kind switch
        {
            "expired" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims(expiresIn: TimeSpan.FromMinutes(-10))),
            "not-yet" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims(notBefore: Jwt.Now(TimeSpan.FromMinutes(10)))),
            "wrong-secret" => Jwt.Hs256("another-secret-that-is-also-32-bytes-long", Claims()),
            "tampered" => Tamper(Jwt.Hs256(IsolatedCity.HmacSecret, Claims("analyst"))),
            "other-rsa-key" => Jwt.Rs256(otherKey, Claims()),
            "alg-none" => Jwt.Unsigned(Claims("admin")),
            // The classic confusion: an HS256 token keyed with the (public) RSA key must not pass.
            "hs256-signed-with-the-rsa-public-key" => Jwt.Hs256(city.Rsa.ExportSubjectPublicKeyInfoPem(), Claims("admin")),
            "wrong-issuer" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims(issuer: "https://evil.example")),
            "wrong-audience" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims(audience: "someone-else")),
            "no-expiry" => Jwt.Hs256(IsolatedCity.HmacSecret, new { sub = "x", role = "admin", iss = IsolatedCity.Issuer, aud = IsolatedCity.Audience }),
            "unknown-role" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims("superuser")),
            "department-without-code" => Jwt.Hs256(IsolatedCity.HmacSecret, Claims("department")),
            _ => "not.a.token.at.all",
        };
        var result = await WithToken(token);
        Assert.Equal(401, result.Status);
        result.Fails(reason);
    }

    private static string Tamper(string token)
    {
        // Swap the payload for one that claims admin, keeping the analyst token's signature.
        var parts = token.Split('.');
        var admin = Jwt.Hs256("whatever-secret-with-32-bytes-or-more", Claims("admin")).Split('.')[1];
        return parts[0] + "." + admin + "." + parts[2];
    }

    [Fact]
    public async Task api_keys_are_created_shown_once_and_revoked_at_once()
    {
        var created = (await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey,
            "mutation { createApiKey(name: \"temporary analyst\", role: ANALYST) { key apiKey { id role createdBy } } }", cancellationToken: Ct)).Ok()["createApiKey"]!;
        var key = (string)created["key"]!;
        var id = (string)created["apiKey"]!["id"]!;
        Assert.Equal("ANALYST", (string?)created["apiKey"]!["role"]);
        (await city.Server.QueryAsync(key, "{ me { role } }", cancellationToken: Ct)).Ok();
        var listed = (await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey, "{ apiKeys { id name revokedAt } }", cancellationToken: Ct)).Ok();
        Assert.DoesNotContain(key, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.True((await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey, $"mutation {{ revokeApiKey(id: \"{id}\") }}", cancellationToken: Ct)).Ok()["revokeApiKey"]!.GetValue<bool>());
        Assert.Equal(401, (await city.Server.QueryAsync(key, "{ me { role } }", cancellationToken: Ct)).Status);
        Assert.False((await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey, $"mutation {{ revokeApiKey(id: \"{id}\") }}", cancellationToken: Ct)).Ok()["revokeApiKey"]!.GetValue<bool>());
        (await city.Server.QueryAsync(IsolatedCity.BootstrapAdminKey, "mutation { createApiKey(name: \"d\", role: DEPARTMENT) { key } }", cancellationToken: Ct))
            .Fails("department");
    }

    [Fact]
    public async Task keys_are_accepted_in_every_documented_header()
    {
        using var xApiKey = city.Server.ClientWith(null);
        xApiKey.DefaultRequestHeaders.Add("X-API-Key", city.Keys.Analyst);
        (await ApiServer.PostAsync(xApiKey, "{ me { role } }", cancellationToken: Ct)).Ok();
        using var bearer = city.Server.ClientWith(null);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", city.Keys.Analyst);
        (await ApiServer.PostAsync(bearer, "{ me { role } }", cancellationToken: Ct)).Ok();
        using var basic = city.Server.ClientWith(null);
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var refused = await ApiServer.PostAsync(basic, "{ me { role } }", cancellationToken: Ct);
        Assert.Equal(401, refused.Status);
        refused.Fails("scheme");
    }
}
