using System.Text.Json.Nodes;

namespace OneMap.GraphQL.Tests.Support;

/// <summary>Finds where two JSON documents first differ, for readable assertion messages.</summary>
public static class JsonDiff
{
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (JsonNode.DeepEquals(expected, actual))
        {
            return null;
        }
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}.{key}: missing (expected {value?.ToJsonString()})";
                    }
                    if (FirstDifference(value, a[key], $"{path}.{key}") is { } inner)
                    {
                        return inner;
                    }
                }
                var extra = a.Select(kv => kv.Key).FirstOrDefault(k => !e.ContainsKey(k));
                return $"{path}.{extra}: unexpected {a[extra!]?.ToJsonString()}";
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return $"{path}: {e.Count} items expected, {a.Count} found";
            default:
                return $"{path}: expected {expected?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}";
        }
    }
}
