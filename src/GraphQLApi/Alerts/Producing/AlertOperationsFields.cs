using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;
using OneMap.GraphQLApi.Datasets;
using OneMap.GraphQLApi.Schema;
using OneMap.GraphQLApi.Security;
using OneMap.Lakehouse.Alerts.Producing;

namespace OneMap.GraphQLApi.Alerts.Producing;

/// <summary>The admin's alert operations: <c>backfillAlerts</c> scores history and raises its incidents' alerts.</summary>
public sealed class AlertOperationsFields : ISchemaContributor
{
    public void Contribute(SchemaBuilder schema, DatasetSet datasets)
    {
        schema.Object("AlertBackfill", o => o.Description("What a backfill did.")
            .Field("stations", "Int!", f => f.Description("Stations scored."))
            .Field("readings", "Float!", f => f.Description("Time slots scored over all stations."))
            .Field("alerts", "Int!", f => f.Description("Alerts raised or updated (ids are the live stream's: nothing is duplicated)."))
            .Field("skipped", "[String!]!", f => f.Description("Stations left out, with why.")));
        schema.Mutation(m => m
            .Field("backfillAlerts", "AlertBackfill!", f => f
                .Description("Scores the water-quality history in [from, to) (every station, or the given ones) and raises its incidents' alerts. Each station learns on the history before `from`.")
                .Argument("from", "DateTime!").Argument("to", "DateTime!").Argument("stations", "[String!]")
                .Metadata(SchemaMetadata.MinRole, ApiRole.Admin)
                .Resolve(Resolvers.Of(async (c, r) =>
                {
                    var from = c.Argument<DateTimeOffset>("from");
                    var to = c.Argument<DateTimeOffset>("to");
                    if (to <= from)
                    {
                        throw new ApiArgumentException("to", $"must be after from ({from:O})");
                    }
                    var stations = c.Arguments.GetValueOrDefault("stations") is System.Collections.IEnumerable list ? list.Cast<object?>().OfType<string>().ToList() : null;
                    var result = await r.Get<AlertProducer>().BackfillAsync(from, to, stations, c.CancellationToken).ConfigureAwait(false);
                    return new Dictionary<string, object?>
                    {
                        ["stations"] = result.Stations,
                        ["readings"] = (double)result.Readings,
                        ["alerts"] = result.Alerts,
                        ["skipped"] = result.Skipped.Select(p => $"{p.Key}: {p.Value}").ToList(),
                    };
                }))));
    }
}
