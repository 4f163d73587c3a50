using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Reads descriptions from an assembly's XML documentation file (<c>GenerateDocumentationFile</c>), so C# doc
/// comments become schema descriptions.
/// </summary>
public static partial class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, Dictionary<string, XElement>> Files = new();

    public static string? ForType(Type type) => Summary(type.Assembly, "T:" + Id(type));

    public static string? ForProperty(PropertyInfo property)
    {
        var type = property.DeclaringType!;
        return Summary(type.Assembly, $"P:{Id(type)}.{property.Name}")
            // A record's positional property is documented as a <param> of the record.
            ?? Param(type.Assembly, "T:" + Id(type), property.Name);
    }

    public static string? ForField(FieldInfo field) => Summary(field.DeclaringType!.Assembly, $"F:{Id(field.DeclaringType!)}.{field.Name}");

    public static string? ForMethod(MethodInfo method) => MethodElement(method) is { } element ? Clean(element.Element("summary")) : null;

    public static string? ForParameter(MethodInfo method, ParameterInfo parameter) =>
        MethodElement(method)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter.Name) is { } param ? Clean(param) : null;

    private static XElement? MethodElement(MethodInfo method)
    {
        var members = Load(method.DeclaringType!.Assembly);
        var prefix = $"M:{Id(method.DeclaringType!)}.{method.Name}";
        return members.TryGetValue(prefix, out var exact) ? exact
            : members.FirstOrDefault(kv => kv.Key.StartsWith(prefix + "(", StringComparison.Ordinal)).Value;
    }

    private static string? Summary(Assembly assembly, string id) =>
        Load(assembly).TryGetValue(id, out var element) ? Clean(element.Element("summary")) : null;

    private static string? Param(Assembly assembly, string id, string name) =>
        Load(assembly).TryGetValue(id, out var element)
        && element.Elements("param").FirstOrDefault(p => string.Equals((string?)p.Attribute("name"), name, StringComparison.OrdinalIgnoreCase)) is { } param
            ? Clean(param)
            : null;

    private static Dictionary<string, XElement> Load(Assembly assembly) => Files.GetOrAdd(assembly, static a =>
    {
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(a.Location))
        {
            return members;
        }
        var path = Path.ChangeExtension(a.Location, ".xml");
        if (!File.Exists(path))
        {
            return members;
        }
        try
        {
            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                if ((string?)member.Attribute("name") is { } name)
                {
                    members.TryAdd(name, member);
                }
            }
        }
        catch (System.Xml.XmlException)
        {
            // A damaged documentation file only costs descriptions.
        }
        return members;
    });

    private static string Id(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static string? Clean(XElement? element)
    {
        if (element is null)
        {
            return null;
        }
        // <see cref="X"/> and <c>x</c> read as their text.
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value).Split(':', '.').Last(),
            XElement { Name.LocalName: "paramref" or "typeparamref" } r => (string?)r.Attribute("name") ?? "",
            XElement e => e.Value,
            _ => "",
        }));
        var collapsed = Whitespace().Replace(text, " ").Trim();
        return collapsed.Length == 0 ? null : collapsed;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
