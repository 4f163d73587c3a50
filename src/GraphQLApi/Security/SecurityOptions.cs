using System.ComponentModel.DataAnnotations;

namespace OneMap.GraphQLApi.Security;

/// <summary>Authentication, roles and their limits (configuration section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    /// <summary>
    /// An admin key to install at first start instead of generating one (for scripted deployments and tests); only its
    /// hash is stored. Default none: a random key is generated and printed once.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>JWT bearer tokens; off unless a key is configured.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// Row rules: which rows a role sees of a dataset. Default: a department sees the tickets and ticket events of its
    /// own department (<c>department_code</c>) and the alerts addressed to it.
    /// </summary>
    public List<RowRuleOptions> RowRules { get; set; } =
    [
        new() { Dataset = "tickets", Column = "department_code" },
        new() { Dataset = "ticket_events", Column = "department_code" },
        new() { Dataset = "alerts", Column = "department_code" },
    ];

    /// <summary>Limits per role (keys: public, analyst, department, admin). Missing roles get <see cref="RoleLimitOptions"/>'s defaults.</summary>
    public Dictionary<string, RoleLimitOptions> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["public"] = new() { MaxDepth = 8, MaxCost = 20_000, RequestsPerSecond = 10, Burst = 20, MaxPageSize = 1_000, MinGroupSize = 3 },
        ["analyst"] = new() { MaxDepth = 15, MaxCost = 2_000_000, RequestsPerSecond = 50, Burst = 100 },
        ["department"] = new() { MaxDepth = 15, MaxCost = 2_000_000, RequestsPerSecond = 50, Burst = 100 },
        ["admin"] = new() { MaxDepth = 25, MaxCost = 20_000_000, RequestsPerSecond = 10_000, Burst = 20_000 },
    };

    /// <summary>How long audit entries are buffered before they are committed to the lake. Default 2 s.</summary>
    public TimeSpan AuditFlushInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>A row rule: callers of <see cref="Role"/> see only the rows of <see cref="Dataset"/> whose <see cref="Column"/> holds their department.</summary>
public sealed class RowRuleOptions
{
    [Required]
    public string Dataset { get; set; } = "";

    [Required]
    public string Column { get; set; } = "";

    /// <summary>The role the rule applies to. Default department.</summary>
    public ApiRole Role { get; set; } = ApiRole.Department;
}

/// <summary>What one role may spend per request and per second.</summary>
public sealed class RoleLimitOptions
{
    /// <summary>Deepest nesting of fields. Default 15.</summary>
    [Range(1, 1000)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>Highest estimated cost (rows times fields) of one operation. Default 2,000,000.</summary>
    [Range(1, long.MaxValue)]
    public long MaxCost { get; set; } = 2_000_000;

    /// <summary>Sustained requests per second per key (token bucket rate). Default 50.</summary>
    [Range(0.001, 1_000_000)]
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a key may make in a burst. Default 100.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Largest page this role may ask for; null uses the API's maximum.</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>
    /// Aggregate groups of fewer rows than this are withheld (and counted in <c>suppressedGroups</c>), so that grouping
    /// by a unique column cannot list rows. Default none (public: 3).
    /// </summary>
    [Range(1, 1_000_000)]
    public int? MinGroupSize { get; set; }

    /// <summary>How long one request may run. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>JWT bearer token validation (section <c>Security:Jwt</c>).</summary>
public sealed class JwtOptions
{
    /// <summary>Shared secret for HS256 tokens (at least 32 bytes of UTF-8). Default none: HS256 tokens are refused.</summary>
    public string? HmacSecret { get; set; }

    /// <summary>RSA public key in PEM (SubjectPublicKeyInfo or PKCS#1) for RS256 tokens, or a path to a PEM file. Default none.</summary>
    public string? RsaPublicKey { get; set; }

    /// <summary>Required <c>iss</c>, if set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Required <c>aud</c> (one of the token's audiences), if set.</summary>
    public string? Audience { get; set; }

    /// <summary>Claim holding the role. Default <c>role</c>.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Claim holding the department code. Default <c>department</c>.</summary>
    public string DepartmentClaim { get; set; } = "department";

    /// <summary>Tolerance for clock differences on <c>exp</c> and <c>nbf</c>. Default 60 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => !string.IsNullOrEmpty(HmacSecret) || !string.IsNullOrEmpty(RsaPublicKey);
}
