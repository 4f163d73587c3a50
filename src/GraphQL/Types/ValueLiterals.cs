using System.Collections;
using System.Globalization;
using System.Text.Json;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>Conversions between literals and plain values (strings, numbers, booleans, lists, string-keyed maps).</summary>
public static class ValueLiterals
{
    /// <summary>A literal as a plain value, variables replaced by their values (absent ones by null).</summary>
    public static object? ToPlainValue(ValueNode literal, IReadOnlyDictionary<string, object?>? variables = null)
    {
        switch (literal)
        {
            case NullValueNode:
                return null;
            case IntValueNode i:
                return long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    ? l
                    : double.Parse(i.Value, CultureInfo.InvariantCulture);
            case FloatValueNode f:
                return double.Parse(f.Value, CultureInfo.InvariantCulture);
            case StringValueNode s:
                return s.Value;
            case BooleanValueNode b:
                return b.Value;
            case EnumValueNode e:
                return e.Value;
            case ListValueNode list:
                var items = new List<object?>(list.Values.Count);
                foreach (var item in list.Values)
                {
                    items.Add(ToPlainValue(item, variables));
                }
                return items;
            case ObjectValueNode obj:
                var map = new Dictionary<string, object?>(obj.Fields.Count, StringComparer.Ordinal);
                foreach (var field in obj.Fields)
                {
                    map[field.Name.Value] = ToPlainValue(field.Value, variables);
                }
                return map;
            case VariableNode variable:
                return variables is not null && variables.TryGetValue(variable.Name.Value, out var value) ? value : null;
            default:
                throw new ArgumentException($"not a value literal: {literal.GetType().Name}", nameof(literal));
        }
    }

    /// <summary>A plain value as a literal (the inverse of <see cref="ToPlainValue"/>).</summary>
    public static ValueNode FromPlainValue(object? value)
    {
        switch (value)
        {
            case null:
                return new NullValueNode();
            case string s:
                return new StringValueNode(s);
            case bool b:
                return new BooleanValueNode(b);
            case double d:
                return JsNumber.ToLiteral(d);
            case float f:
                return JsNumber.ToLiteral(f);
            case decimal m:
                return JsNumber.ToLiteral((double)m);
            case JsonElement element:
                return FromPlainValue(JsonValues.ToPlain(element));
            case Enum e:
                return new EnumValueNode(e.ToString());
            case IReadOnlyDictionary<string, object?> map:
                return new ObjectValueNode(map.Select(kv => new ObjectFieldNode(new NameNode(kv.Key), FromPlainValue(kv.Value))).ToList());
            case IDictionary dictionary:
                var fields = new List<ObjectFieldNode>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    fields.Add(new ObjectFieldNode(new NameNode(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!), FromPlainValue(entry.Value)));
                }
                return new ObjectValueNode(fields);
            case IEnumerable list:
                return new ListValueNode(list.Cast<object?>().Select(FromPlainValue).ToList());
        }
        if (Scalars.AsNumber(value) is not null)
        {
            return new IntValueNode(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
        }
        return new StringValueNode(value.ToString() ?? "");
    }
}

/// <summary>Turns parsed JSON into plain values: maps keep member order, integers become <see cref="long"/>.</summary>
public static class JsonValues
{
    public static object? ToPlain(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = ToPlain(property.Value);
                }
                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ToPlain(item));
                }
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>A JSON object's members as plain values; null for JSON null or a missing element.</summary>
    public static IReadOnlyDictionary<string, object?>? ToPlainObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? (IReadOnlyDictionary<string, object?>)ToPlain(element)! : null;
}
