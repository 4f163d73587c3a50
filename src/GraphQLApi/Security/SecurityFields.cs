using System.Globalization;

using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Hosting;
using OneMap.GraphQLApi.Querying;
using OneMap.GraphQLApi.Schema;

namespace OneMap.GraphQLApi.Security;

/// <summary>Administration: API keys (create, list, revoke) and the audit table. Admin only.</summary>
public sealed class SecurityFields : ISchemaContributor
{
    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        schema.Object("ApiKey", o => o.Description("An API key (its text is never stored; only its hash).")
            .Field("id", "String!").Field("name", "String!").Field("role", "Role!").Field("department", "String")
            .Field("createdAt", "DateTime!").Field("createdBy", "String").Field("revokedAt", "DateTime"));
        schema.Object("CreatedApiKey", o => o.Description("A new key: `key` is shown this once.")
            .Field("key", "String!").Field("apiKey", "ApiKey!"));
        schema.Object("AuditRecord", o => o.Description("One audited request.")
            .Field("at", "DateTime!").Field("callerId", "String!").Field("role", "String!").Field("department", "String")
            .Field("operation", "String!").Field("document", "String").Field("documentHash", "String").Field("variablesHash", "String")
            .Field("rows", "Long!").Field("durationMs", "Float!").Field("status", "Int!"));

        schema.Query(q => q
            .Field("apiKeys", "[ApiKey!]!", f => f.Description("Every API key.").Metadata(SchemaMetadata.MinRole, ApiRole.Admin)
                .Resolve(Resolvers.Of((_, request) => (object?)request.Get<ApiKeyStore>().List().Select(k => KeyValue(k, request.Get<CityClock>())).ToList())))
            .Field("audit", "[AuditRecord!]!", f => f.Description("Audited requests, newest first.").Metadata(SchemaMetadata.MinRole, ApiRole.Admin)
                .Argument("from", "DateTime").Argument("to", "DateTime").Argument("callerId", "String").Argument("limit", "Int", 100)
                .Resolve(Resolvers.Of(async (context, request) =>
                {
                    var audit = request.Get<AuditLog>();
                    await audit.FlushAsync(context.CancellationToken).ConfigureAwait(false);
                    var lake = request.Get<LakeQueries>();
                    lake.Refresh();
                    if (!lake.HasTable(AuditLog.TableName))
                    {
                        return (object?)Array.Empty<object>();
                    }
                    var sql = new SqlBuilder();
                    sql.Append("SELECT \"at\", caller_id, \"role\", department, operation, document, document_hash, variables_hash, \"rows\", duration_ms, status FROM ")
                        .Append(lake.Relation(AuditLog.TableName)).Append(" WHERE TRUE");
                    if (context.Argument<DateTimeOffset?>("from") is { } from)
                    {
                        sql.Append(" AND \"at\" >= ").Append(sql.Param(from));
                    }
                    if (context.Argument<DateTimeOffset?>("to") is { } to)
                    {
                        sql.Append(" AND \"at\" < ").Append(sql.Param(to));
                    }
                    if (context.Argument<string>("callerId") is { } callerId)
                    {
                        sql.Append(" AND caller_id = ").Append(sql.Param(callerId));
                    }
                    sql.Append(" ORDER BY \"at\" DESC LIMIT ").Append(sql.Param((long)Math.Clamp(context.Argument<int?>("limit") ?? 100, 0, 100_000)));
                    var rows = await lake.QueryAsync(sql.Build(), context.CancellationToken).ConfigureAwait(false);
                    var clock = request.Get<CityClock>();
                    request.CountRows(rows.Rows.Count);
                    return rows.Rows.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["at"] = RowValues.Convert(r[0], clock),
                        ["callerId"] = r[1],
                        ["role"] = r[2],
                        ["department"] = r[3],
                        ["operation"] = r[4],
                        ["document"] = r[5],
                        ["documentHash"] = r[6],
                        ["variablesHash"] = r[7],
                        ["rows"] = r[8],
                        ["durationMs"] = r[9],
                        ["status"] = Convert.ToInt32(r[10], CultureInfo.InvariantCulture),
                    }).ToList();
                }))));

        schema.Mutation(m => m
            .Field("createApiKey", "CreatedApiKey!", f => f.Description("Creates an API key; its text is returned this once.")
                .Metadata(SchemaMetadata.MinRole, ApiRole.Admin)
                .Argument("name", "String!").Argument("role", "Role!").Argument("department", "String", a => a.Description("Required for the department role."))
                .Resolve(Resolvers.Of((context, request) =>
                {
                    ApiRoles.TryParse(context.Argument<string>("role"), out var role);
                    var created = request.Get<ApiKeyStore>().Create(context.Argument<string>("name")!, role, context.Argument<string>("department"), request.Caller.Id);
                    return (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["key"] = created.Key,
                        ["apiKey"] = KeyValue(created.Record, request.Get<CityClock>()),
                    };
                })))
            .Field("revokeApiKey", "Boolean!", f => f.Description("Revokes an API key at once; true when it was active.")
                .Metadata(SchemaMetadata.MinRole, ApiRole.Admin)
                .Argument("id", "String!")
                .Resolve(Resolvers.Of((context, request) => (object?)request.Get<ApiKeyStore>().Revoke(context.Argument<string>("id")!)))));
    }

    private static Dictionary<string, object?> KeyValue(ApiKeyRecord key, CityClock clock) => new(StringComparer.Ordinal)
    {
        ["id"] = key.Id,
        ["name"] = key.Name,
        ["role"] = key.Role,
        ["department"] = key.Department,
        ["createdAt"] = clock.ToLocal(key.CreatedAt),
        ["createdBy"] = key.CreatedBy,
        ["revokedAt"] = key.RevokedAt is { } r ? clock.ToLocal(r) : null,
    };
}
