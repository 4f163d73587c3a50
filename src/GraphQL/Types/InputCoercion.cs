using System.Collections;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Input coercion (§3.5–§3.11, §6.1.2, §6.4.1): literals and variable values to internal values, and internal values
/// back to literals (default values in introspection and SDL). Failures throw <see cref="ValueCoercionException"/>
/// naming the value and, inside lists and input objects, where it sits.
/// </summary>
public static class InputCoercion
{
    /// <summary>
    /// Coerces a literal. Variables take their coerced values from <paramref name="variables"/>; an absent variable
    /// inside an input object leaves the field unset, inside a list it becomes null.
    /// </summary>
    public static object? CoerceLiteral(ValueNode literal, GraphQLType type, IReadOnlyDictionary<string, object?>? variables)
    {
        if (literal is VariableNode variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out var value))
            {
                if (type is NonNullType)
                {
                    throw new ValueCoercionException($"variable \"${variable.Name.Value}\" is not provided but type {type} requires a value");
                }
                return null;
            }
            if (value is null && type is NonNullType)
            {
                throw new ValueCoercionException($"variable \"${variable.Name.Value}\" is null but type {type} requires a value");
            }
            // Variables were coerced against their declared type, which validation proved compatible.
            return value;
        }
        if (type is NonNullType nonNull)
        {
            if (literal is NullValueNode)
            {
                throw new ValueCoercionException($"expected a value of type {type}, found null");
            }
            return CoerceLiteral(literal, nonNull.OfType, variables);
        }
        if (literal is NullValueNode)
        {
            return null;
        }
        switch (type)
        {
            case ListType list:
                if (literal is ListValueNode items)
                {
                    var result = new object?[items.Values.Count];
                    for (var i = 0; i < result.Length; i++)
                    {
                        var item = items.Values[i];
                        if (item is VariableNode v && (variables is null || !variables.ContainsKey(v.Name.Value)))
                        {
                            if (list.OfType is NonNullType)
                            {
                                throw new ValueCoercionException($"variable \"${v.Name.Value}\" is not provided for a non-null list item");
                            }
                            result[i] = null;
                            continue;
                        }
                        result[i] = CoerceLiteral(item, list.OfType, variables);
                    }
                    return result;
                }
                // A single value where a list is expected is a list of one (§3.11 input coercion).
                return new[] { CoerceLiteral(literal, list.OfType, variables) };
            case InputObjectType inputObject:
                return CoerceObjectLiteral(literal, inputObject, variables);
            case EnumType enumType:
                if (literal is EnumValueNode enumLiteral && enumType.GetValue(enumLiteral.Value) is { } enumValue)
                {
                    return enumValue.Value;
                }
                throw new ValueCoercionException($"enum {enumType.Name} has no value {Printer.Print(literal)}");
            case ScalarType scalar:
                if (literal is ListValueNode or ObjectValueNode && scalar.IsBuiltIn)
                {
                    throw new ValueCoercionException($"{scalar.Name} cannot represent {Printer.Print(literal)}");
                }
                return scalar.ParseLiteral(literal, variables);
            default:
                throw new ValueCoercionException($"{type} is not an input type");
        }
    }

    private static Dictionary<string, object?> CoerceObjectLiteral(ValueNode literal, InputObjectType type, IReadOnlyDictionary<string, object?>? variables)
    {
        if (literal is not ObjectValueNode obj)
        {
            throw new ValueCoercionException($"expected an input object of type {type.Name}, found {Printer.Print(literal)}");
        }
        var given = new Dictionary<string, ValueNode>(obj.Fields.Count, StringComparer.Ordinal);
        foreach (var field in obj.Fields)
        {
            if (type.GetField(field.Name.Value) is null)
            {
                throw new ValueCoercionException($"field \"{field.Name.Value}\" is not defined by type {type.Name}");
            }
            given.TryAdd(field.Name.Value, field.Value);
        }
        var result = new Dictionary<string, object?>(type.Fields.Count, StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (!given.TryGetValue(field.Name, out var fieldLiteral)
                || (fieldLiteral is VariableNode v && (variables is null || !variables.ContainsKey(v.Name.Value))))
            {
                if (field.HasDefaultValue)
                {
                    result[field.Name] = field.DefaultValue;
                }
                else if (field.Type is NonNullType)
                {
                    throw new ValueCoercionException($"field {type.Name}.{field.Name} of required type {field.Type} was not provided");
                }
                continue;
            }
            try
            {
                result[field.Name] = CoerceLiteral(fieldLiteral, field.Type, variables);
            }
            catch (ValueCoercionException e)
            {
                throw new ValueCoercionException($"at {type.Name}.{field.Name}: {e.Message}");
            }
        }
        CheckOneOf(type, result);
        return result;
    }

    /// <summary>
    /// Coerces a variable value given as plain data (decoded JSON). <paramref name="path"/> names where the value
    /// sits for messages, e.g. <c>$filter.name</c>.
    /// </summary>
    public static object? CoerceValue(object? value, GraphQLType type, string path)
    {
        if (type is NonNullType nonNull)
        {
            if (value is null)
            {
                throw new ValueCoercionException($"{path}: expected a non-null value of type {type}, found null");
            }
            return CoerceValue(value, nonNull.OfType, path);
        }
        if (value is null)
        {
            return null;
        }
        switch (type)
        {
            case ListType list:
                if (value is IEnumerable enumerable and not string && !IsMap(value))
                {
                    var items = new List<object?>();
                    var index = 0;
                    foreach (var item in enumerable)
                    {
                        items.Add(CoerceValue(item, list.OfType, $"{path}[{index++}]"));
                    }
                    return items.ToArray();
                }
                return new[] { CoerceValue(value, list.OfType, path) };
            case InputObjectType inputObject:
                return CoerceObjectValue(value, inputObject, path);
            case EnumType enumType:
                if (value is string name && enumType.GetValue(name) is { } enumValue)
                {
                    return enumValue.Value;
                }
                throw new ValueCoercionException($"{path}: enum {enumType.Name} has no value {Scalars.Show(value)}");
            case ScalarType scalar:
                try
                {
                    return scalar.ParseValue(value);
                }
                catch (ValueCoercionException e)
                {
                    throw new ValueCoercionException($"{path}: {e.Message}");
                }
            default:
                throw new ValueCoercionException($"{path}: {type} is not an input type");
        }
    }

    private static Dictionary<string, object?> CoerceObjectValue(object value, InputObjectType type, string path)
    {
        var fields = AsMap(value) ?? throw new ValueCoercionException($"{path}: expected an object for input type {type.Name}, found {Scalars.Show(value)}");
        foreach (var key in fields.Keys)
        {
            if (type.GetField(key) is null)
            {
                throw new ValueCoercionException($"{path}: field \"{key}\" is not defined by input type {type.Name}");
            }
        }
        var result = new Dictionary<string, object?>(type.Fields.Count, StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            if (!fields.TryGetValue(field.Name, out var fieldValue))
            {
                if (field.HasDefaultValue)
                {
                    result[field.Name] = field.DefaultValue;
                }
                else if (field.Type is NonNullType)
                {
                    throw new ValueCoercionException($"{path}: field \"{field.Name}\" of required type {field.Type} was not provided");
                }
                continue;
            }
            result[field.Name] = CoerceValue(fieldValue, field.Type, $"{path}.{field.Name}");
        }
        try
        {
            CheckOneOf(type, result);
        }
        catch (ValueCoercionException e)
        {
            throw new ValueCoercionException($"{path}: {e.Message}");
        }
        return result;
    }

    private static void CheckOneOf(InputObjectType type, Dictionary<string, object?> fields)
    {
        if (!type.IsOneOf)
        {
            return;
        }
        if (fields.Count != 1)
        {
            throw new ValueCoercionException($"OneOf input object {type.Name} must specify exactly one field");
        }
        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                throw new ValueCoercionException($"field {type.Name}.{name} must be non-null (a OneOf input object)");
            }
        }
    }

    /// <summary>A string-keyed map view of a plain object value, or null when it is not one.</summary>
    internal static IReadOnlyDictionary<string, object?>? AsMap(object value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> map:
                return map;
            case IDictionary dictionary:
                var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is not string key)
                    {
                        return null;
                    }
                    copy[key] = entry.Value;
                }
                return copy;
            default:
                return null;
        }
    }

    private static bool IsMap(object value) => value is IReadOnlyDictionary<string, object?> or IDictionary;

    /// <summary>
    /// An internal value as a literal of <paramref name="type"/>; null when the value is undefined for the type.
    /// Input object fields print in the type's field order; an ID that reads as an integer prints as one.
    /// </summary>
    public static ValueNode? ToLiteral(object? value, GraphQLType type)
    {
        if (type is NonNullType nonNull)
        {
            var inner = ToLiteral(value, nonNull.OfType);
            return inner is NullValueNode ? null : inner;
        }
        if (value is null)
        {
            return new NullValueNode();
        }
        switch (type)
        {
            case ListType list:
                if (value is IEnumerable enumerable and not string && !IsMap(value))
                {
                    var items = new List<ValueNode>();
                    foreach (var item in enumerable)
                    {
                        if (ToLiteral(item, list.OfType) is { } itemLiteral)
                        {
                            items.Add(itemLiteral);
                        }
                    }
                    return new ListValueNode(items);
                }
                return ToLiteral(value, list.OfType);
            case InputObjectType inputObject:
                var map = AsMap(value);
                if (map is null)
                {
                    return null;
                }
                var fields = new List<ObjectFieldNode>();
                foreach (var field in inputObject.Fields)
                {
                    if (map.TryGetValue(field.Name, out var fieldValue) && ToLiteral(fieldValue, field.Type) is { } fieldLiteral)
                    {
                        fields.Add(new ObjectFieldNode(new NameNode(field.Name), fieldLiteral));
                    }
                }
                return new ObjectValueNode(fields);
            case EnumType enumType:
                return enumType.FindByInternalValue(value) is { } enumValue ? new EnumValueNode(enumValue.Name) : null;
            case ScalarType scalar:
                return scalar.ToLiteral(value);
            default:
                return null;
        }
    }
}
