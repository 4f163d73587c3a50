using System.Text.Json;

namespace OneMap.Ingest.Feeds.Formats;

/// <summary>Field lookup in JSON records: a dotted path of property names (<c>location.lon</c>).</summary>
internal static class JsonRecords
{
    public static FieldValue Lookup(JsonElement record, string[] path)
    {
        var current = record;
        foreach (var part in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return FieldValue.Missing;
            }
        }
        return FieldValue.FromJson(current);
    }

    public static string[] Path(string field) => field.Split('.');
}
