using OneMap.Models.Datasets;

namespace OneMap.Models.Tests.Datasets;

public sealed class DomainDatasetTests
{
    [Fact]
    public void dataset_names_are_unique_snake_case_and_keys_are_columns()
    {
        Assert.Equal(DomainDatasets.All.Count, DomainDatasets.All.Select(d => d.Name).Distinct().Count());
        foreach (var dataset in DomainDatasets.All)
        {
            Assert.Matches("^[a-z][a-z0-9_]*$", dataset.Name);
            Assert.Equal(dataset.Columns.Count, dataset.Columns.Select(c => c.Name).Distinct().Count());
            Assert.All(dataset.Key.Concat(dataset.PartitionBy), k => Assert.Contains(dataset.Columns, c => c.Name == k));
            Assert.All(dataset.Columns, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
        }
    }

    [Fact]
    public void names_and_phones_are_personal()
    {
        Assert.Equal(Sensitivity.Personal, DomainDatasets.Tickets.Column("reporter_phone").Sensitivity);
        Assert.Equal(Sensitivity.Personal, DomainDatasets.Vessels.Column("owner_name").Sensitivity);
    }
}
