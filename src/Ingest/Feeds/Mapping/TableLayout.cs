using OneMap.Ingest.Feeds.Contracts;
using OneMap.Models.Datasets;

namespace OneMap.Ingest.Feeds.Mapping;

/// <summary>A column of the table a feed writes.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Nullable">Whether it may be null.</param>
/// <param name="Description">For the catalog.</param>
/// <param name="Unit">For the catalog.</param>
/// <param name="Sensitivity">For the catalog (personal columns hold masked values).</param>
public sealed record LayoutColumn(string Name, ColumnType Type, bool Nullable, string? Description, string? Unit, Sensitivity Sensitivity);

/// <summary>The columns of a feed's table in order: mapped columns (each personal one followed by its hash column), then the geometry.</summary>
public sealed class TableLayout
{
    public TableLayout(FeedContract contract)
    {
        var columns = new List<LayoutColumn>();
        foreach (var column in contract.Columns)
        {
            var description = column.Sensitivity == Sensitivity.Personal ? $"{column.Description} (masked)".TrimStart() : column.Description;
            columns.Add(new LayoutColumn(column.Name, column.Type, !column.Required, description, column.Unit, column.Sensitivity));
            if (column.HashInto is { } hash)
            {
                columns.Add(new LayoutColumn(hash, ColumnType.String, true,
                    $"Salted hash (HMAC-SHA256) of {column.Name}, for counting repeats without the clear value.", null, Sensitivity.Internal));
            }
        }
        if (contract.Geometry is { } geometry)
        {
            columns.Add(new LayoutColumn(geometry.Column, ColumnType.Geometry, !geometry.Required, geometry.Description ?? "Position (WGS84).", null, Sensitivity.Public));
        }
        Columns = columns;
    }

    public IReadOnlyList<LayoutColumn> Columns { get; }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}
