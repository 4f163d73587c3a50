using System.Text;

using OneMap.Lakehouse.Spatial;

namespace OneMap.Lakehouse.Tests.Spatial;

/// <summary>
/// Every predicate and measure of OneMap's spatial core against PostGIS on the 10,000-pair corpus: predicates equal,
/// measures within 1e-6 relative, errors where PostGIS errors.
/// </summary>
public sealed class PostgisAgreementTests(PostgisCorpusFixture fixture) : IClassFixture<PostgisCorpusFixture>
{
    public static TheoryData<string> Operations => new(CorpusOperations.All.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(Operations))]
    public void agrees_with_postgis_on_every_pair_of_the_corpus(string name)
    {
        fixture.Server.EnsureAvailable();
        var operation = CorpusOperations.All.Single(o => o.Name == name);
        var expected = fixture.Expected[name];
        var mismatches = new List<string>();
        foreach (var pair in fixture.Corpus)
        {
            var actual = CorpusOperations.Evaluate(operation, pair);
            if (!CorpusOperations.Agree(operation.Agreement, expected[pair.Id], actual))
            {
                mismatches.Add($"#{pair.Id} [{pair.Category}] PostGIS {expected[pair.Id] ?? "NULL"} OneMap {actual ?? "NULL"}: {Describe(pair)}");
            }
        }
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {fixture.Corpus.Count} pairs disagree on {name}:\n" + string.Join('\n', mismatches.Take(15)));
    }

    [Fact]
    public void the_corpus_exercises_both_outcomes_of_every_predicate_in_the_hard_cases()
    {
        fixture.Server.EnsureAvailable();
        Assert.Equal(10_000, fixture.Corpus.Count);
        foreach (var predicate in new[] { "contains", "within", "intersects", "covers", "touches", "dwithin" })
        {
            var answers = fixture.Expected[predicate];
            var all = fixture.Corpus.Select(p => answers[p.Id]).ToHashSet();
            Assert.Contains("true", all);
            Assert.Contains("false", all);
        }
        // PostGIS refuses malformed WKB, and so must OneMap (checked per operation above).
        Assert.All(fixture.Corpus.Where(p => p.Category == "malformed-wkb"), p => Assert.Equal(CorpusOperations.Error, fixture.Expected["intersects"][p.Id]));
        // Points on edges split between the two sides of PostGIS's floating-point test; both outcomes occur.
        var onEdge = fixture.Corpus.Where(p => p.Category == "point-on-edge").Select(p => fixture.Expected["contains"][p.Id]).ToHashSet();
        Assert.Contains("true", onEdge);
        Assert.Contains("false", onEdge);
    }

    private static string Describe(CorpusPair pair)
    {
        var text = new StringBuilder();
        foreach (var wkb in new[] { pair.A, pair.B })
        {
            try
            {
                text.Append(GeometryCodec.ToWkt(GeometryCodec.ReadWkb(wkb)));
            }
            catch (SpatialException e)
            {
                text.Append("<").Append(e.Message).Append('>');
            }
            text.Append(" | ");
        }
        return text.Append("d=").Append(pair.WithinMetres).Append(" r=").Append(pair.BufferMetres).ToString();
    }
}
