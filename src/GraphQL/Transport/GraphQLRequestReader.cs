using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OneMap.GraphQL.Execution;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Transport;

/// <summary>Reads GraphQL-over-HTTP request parameters from a GET query string or a POST JSON body.</summary>
internal static class GraphQLRequestReader
{
    /// <summary>The request, or a message saying what is wrong with it (for a 400 response).</summary>
    public static GraphQLRequest FromQueryString(IQueryCollection query)
    {
        return new GraphQLRequest
        {
            Query = Single(query, "query"),
            OperationName = NullIfEmpty(Single(query, "operationName")),
            Variables = ParseObject(Single(query, "variables"), "variables"),
            Extensions = ParseObject(Single(query, "extensions"), "extensions"),
        };
    }

    public static GraphQLRequest FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("The request body must be a JSON object with a \"query\" member (batches are not supported).");
        }
        return new GraphQLRequest
        {
            Query = String(body, "query"),
            OperationName = String(body, "operationName"),
            Variables = Object(body, "variables"),
            Extensions = Object(body, "extensions"),
        };
    }

    /// <summary>The request of a graphql-transport-ws subscribe message's payload.</summary>
    public static GraphQLRequest FromPlain(IReadOnlyDictionary<string, object?> payload) => new()
    {
        Query = payload.GetValueOrDefault("query") as string ?? throw new BadRequestException("The subscribe payload has no \"query\" string."),
        OperationName = payload.GetValueOrDefault("operationName") as string,
        Variables = payload.GetValueOrDefault("variables") switch
        {
            null => null,
            IReadOnlyDictionary<string, object?> map => map,
            _ => throw new BadRequestException("\"variables\" must be an object."),
        },
        Extensions = payload.GetValueOrDefault("extensions") as IReadOnlyDictionary<string, object?>,
    };

    private static string? Single(IQueryCollection query, string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Dictionary<string, object?>? ParseObject(string? json, string name)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Object => (Dictionary<string, object?>)JsonValues.ToPlain(document.RootElement)!,
                _ => throw new BadRequestException($"\"{name}\" must be a JSON object."),
            };
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"\"{name}\" is not valid JSON: {e.Message}");
        }
    }

    private static string? String(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BadRequestException($"\"{name}\" must be a string.");
    }

    private static Dictionary<string, object?>? Object(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object
            ? (Dictionary<string, object?>)JsonValues.ToPlain(value)!
            : throw new BadRequestException($"\"{name}\" must be a JSON object.");
    }
}

/// <summary>A request the server cannot even read as a GraphQL request (bad JSON, wrong member types).</summary>
internal sealed class BadRequestException(string message) : GraphQLException(message);
