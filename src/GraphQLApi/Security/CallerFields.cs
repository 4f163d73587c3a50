using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Schema;

namespace OneMap.GraphQLApi.Security;

/// <summary><c>me</c>: who the API takes the caller for, and what that role may do.</summary>
public sealed class CallerFields : ISchemaContributor
{
    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        schema.Enum("Role", e => e.Description("What a caller may see and do.")
            .Value("PUBLIC", "public", v => v.Description("Aggregates of public columns only."))
            .Value("ANALYST", "analyst", v => v.Description("Rows and aggregates of every dataset, all but personal columns."))
            .Value("DEPARTMENT", "department", v => v.Description("Its own datasets and rows in full, the rest as an analyst."))
            .Value("ADMIN", "admin", v => v.Description("Everything, including keys and the audit.")));
        schema.Object("Caller", o => o.Description("The authenticated caller.")
            .Field("id", "String!", f => f.Description("API key id or token subject."))
            .Field("name", "String!")
            .Field("role", "Role!")
            .Field("department", "String", f => f.Description("Department code (department role)."))
            .Field("method", "String!", f => f.Description("api-key or jwt.")));
        schema.Query(q => q.Field("me", "Caller!", f => f.Description("Who you are to the API.").Resolve(Resolvers.Of((_, request) =>
            (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = request.Caller.Id,
                ["name"] = request.Caller.Name,
                ["role"] = request.Caller.Role.Name(),
                ["department"] = request.Caller.Department,
                ["method"] = request.Caller.Method,
            }))));
    }
}
