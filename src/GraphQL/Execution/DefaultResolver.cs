using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace OneMap.GraphQL.Execution;

/// <summary>
/// The resolver of fields that have none: the parent's dictionary entry, JSON member or public property (matched
/// case-insensitively, so <c>name</c> reads <c>Name</c>) of the field's name.
/// </summary>
public static class DefaultResolver
{
    private static readonly ConcurrentDictionary<(Type Type, string Name), Func<object, object?>?> Getters = new();

    public static object? Resolve(object? source, string fieldName)
    {
        switch (source)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, object?> map:
                return map.TryGetValue(fieldName, out var value) ? value : null;
            case IDictionary<string, object?> dictionary:
                return dictionary.TryGetValue(fieldName, out var entry) ? entry : null;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                return element.TryGetProperty(fieldName, out var member) ? member : null;
            case IDictionary legacy:
                return legacy.Contains(fieldName) ? legacy[fieldName] : null;
        }
        var getter = Getters.GetOrAdd((source.GetType(), fieldName), static key => CompileGetter(key.Type, key.Name));
        return getter?.Invoke(source);
    }

    /// <summary>The <c>__typename</c> a value carries (dictionary entry or JSON member), if any.</summary>
    public static string? TypeName(object value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.TryGetValue("__typename", out var name) ? name as string : null,
        IDictionary<string, object?> dictionary => dictionary.TryGetValue("__typename", out var entry) ? entry as string : null,
        JsonElement { ValueKind: JsonValueKind.Object } element => element.TryGetProperty("__typename", out var member) && member.ValueKind == JsonValueKind.String
            ? member.GetString()
            : null,
        _ => null,
    };

    private static Func<object, object?>? CompileGetter(Type type, string name)
    {
        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.GetMethod is null || property.GetIndexParameters().Length > 0)
        {
            var field = type.GetField(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (field is null)
            {
                return null;
            }
            return Compile(type, parameter => Expression.Field(Expression.Convert(parameter, type), field));
        }
        return Compile(type, parameter => Expression.Property(Expression.Convert(parameter, type), property));
    }

    private static Func<object, object?> Compile(Type type, Func<ParameterExpression, Expression> access)
    {
        var parameter = Expression.Parameter(typeof(object), "source");
        var body = Expression.Convert(access(parameter), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, parameter).Compile();
    }
}
