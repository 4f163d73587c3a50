using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

using OneMap.GraphQL.Execution;

namespace OneMap.GraphQLApi.Geometry;

/// <summary>
/// Any GraphQL result as a map layer: a request sent with <c>Accept: application/geo+json</c> runs as usual and its
/// answer comes back as a GeoJSON FeatureCollection (RFC 7946) of the first list of objects in the result, each
/// object a feature whose geometry is its first GeoJSON value (null when it has none) and whose properties are its
/// other fields. Errors come back as GraphQL errors, unchanged.
/// </summary>
public sealed class GeoJsonResponses(RequestDelegate next)
{
    public const string MediaType = "application/geo+json";

    private static readonly HashSet<string> GeometryTypes = new(StringComparer.Ordinal)
    {
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    };

    /// <summary>Whether a request asks for GeoJSON (and nothing that would mean a stream of events).</summary>
    public static bool IsRequested(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/graphql", StringComparison.Ordinal)
        && !context.WebSockets.IsWebSocketRequest
        && context.Request.Headers.Accept.Any(value => value?.Contains(MediaType, StringComparison.OrdinalIgnoreCase) == true)
        && !context.Request.Headers.Accept.Any(value => value?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);

    public async Task InvokeAsync(HttpContext context)
    {
        // The engine answers in JSON; the body is held here and turned into a feature collection when it holds data.
        context.Request.Headers.Accept = "application/json";
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        var converted = context.Response.StatusCode == StatusCodes.Status200OK ? Convert(buffer.ToArray()) : null;
        if (converted is null)
        {
            await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = MediaType + "; charset=utf-8";
        context.Response.ContentLength = converted.Length;
        await original.WriteAsync(converted, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The feature collection of a GraphQL response, or null when it has errors or no data (left as it is).</summary>
    public static byte[]? Convert(byte[] response)
    {
        var body = JsonNode.Parse(response) as JsonObject;
        if (body is null || body["errors"] is not null || body["data"] is not JsonObject data)
        {
            return null;
        }
        var items = FirstObjectList(data) ?? [data.Count == 1 && data.First().Value is JsonObject single ? single : data];
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, ResultJsonWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var item in items)
            {
                WriteFeature(writer, item);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return output.ToArray();
    }

    private static void WriteFeature(Utf8JsonWriter writer, JsonObject item)
    {
        var geometry = item.FirstOrDefault(p => IsGeometry(p.Value));
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WritePropertyName("geometry");
        if (geometry.Value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            geometry.Value.WriteTo(writer);
        }
        writer.WriteStartObject("properties");
        foreach (var (name, value) in item)
        {
            if (geometry.Value is not null && name == geometry.Key)
            {
                continue;
            }
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The first list of objects in the result, depth first in field order (a connection's nodes, a curated list).</summary>
    private static List<JsonObject>? FirstObjectList(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array when array.All(i => i is JsonObject) && (array.Count == 0 || !IsGeometry(array[0])):
                // A connection's edges hold their rows under node.
                return array.Cast<JsonObject>().Select(i => i["node"] is JsonObject row && i.All(p => p.Key is "node" or "cursor") ? row : i).ToList();
            case JsonObject map when !IsGeometry(map) && !IsFeatureCollection(map):
                foreach (var (_, value) in map)
                {
                    if (FirstObjectList(value) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsGeometry(JsonNode? node) =>
        node is JsonObject map && map["type"] is JsonValue type && type.TryGetValue<string>(out var name) && GeometryTypes.Contains(name)
        && (map.ContainsKey("coordinates") || map.ContainsKey("geometries"));

    private static bool IsFeatureCollection(JsonObject map) =>
        map["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "FeatureCollection";
}
