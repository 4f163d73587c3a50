using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;

namespace OneMap.GraphQLApi.Schema;

/// <summary>
/// A feature's part of the schema (stations, tickets, alerts…): called for every schema generation with the
/// datasets the catalog holds, after the generic dataset types exist, so it may add fields to them.
/// </summary>
public interface ISchemaContributor
{
    void Contribute(SchemaBuilder schema, DatasetSet datasets);
}
