using System.Security.Claims;

namespace OneMap.GraphQLApi.Security;

/// <summary>
/// Who is asking: an API key or a token's subject, with a role and, for the department role, the department code.
/// Carried through a request as the <see cref="ClaimsPrincipal"/> the transport hands to resolvers.
/// </summary>
/// <param name="Id">The key id or the token's subject.</param>
/// <param name="Name">A label for logs and the audit table.</param>
/// <param name="Role">The role.</param>
/// <param name="Department">The department code (department role only).</param>
/// <param name="Method"><c>api-key</c> or <c>jwt</c>.</param>
public sealed record Caller(string Id, string Name, ApiRole Role, string? Department, string Method)
{
    public const string AuthenticationType = "OneMap";
    private const string DepartmentClaim = "onemap:department";
    private const string MethodClaim = "onemap:method";

    /// <summary>The caller's key for rate limiting: its method and id.</summary>
    public string RateKey => Method + ":" + Id;

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id),
            new(ClaimTypes.Name, Name),
            new(ClaimTypes.Role, Role.Name()),
            new(MethodClaim, Method),
        };
        if (Department is not null)
        {
            claims.Add(new Claim(DepartmentClaim, Department));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller a principal stands for, or null when it was not authenticated by OneMap.</summary>
    public static Caller? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true, AuthenticationType: AuthenticationType })
        {
            return null;
        }
        if (!ApiRoles.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }
        return new Caller(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", principal.FindFirstValue(ClaimTypes.Name) ?? "", role,
            principal.FindFirstValue(DepartmentClaim), principal.FindFirstValue(MethodClaim) ?? "");
    }
}
