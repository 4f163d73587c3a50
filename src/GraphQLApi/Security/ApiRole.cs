namespace OneMap.GraphQLApi.Security;

/// <summary>What a caller may see and do; each role includes what the ones before it may do, except where noted.</summary>
public enum ApiRole
{
    /// <summary>Aggregates of public columns only: no rows, no internal or personal columns.</summary>
    Public = 0,

    /// <summary>Rows and aggregates of every dataset, all but personal columns.</summary>
    Analyst = 1,

    /// <summary>Its own datasets (and its own rows under a row rule, such as its tickets) in full; the rest as an analyst.</summary>
    Department = 2,

    /// <summary>Everything, including API keys and the audit log.</summary>
    Admin = 3,
}

/// <summary>Role names as keys, tokens and configuration write them.</summary>
public static class ApiRoles
{
    public static string Name(this ApiRole role) => role switch
    {
        ApiRole.Public => "public",
        ApiRole.Analyst => "analyst",
        ApiRole.Department => "department",
        ApiRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    public static bool TryParse(string? text, out ApiRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "public":
                role = ApiRole.Public;
                return true;
            case "analyst":
                role = ApiRole.Analyst;
                return true;
            case "department":
                role = ApiRole.Department;
                return true;
            case "admin":
                role = ApiRole.Admin;
                return true;
            default:
                role = ApiRole.Public;
                return false;
        }
    }
}
