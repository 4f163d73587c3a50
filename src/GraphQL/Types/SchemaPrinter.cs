using System.Text;
using OneMap.GraphQL.Introspection;
using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Types;

/// <summary>
/// Prints a schema as SDL in the reference layout (graphql-js <c>printSchema</c>): schema definition only when root
/// names are unusual or a description is set, custom directives, then types in schema order; built-in scalars,
/// introspection types and specified directives left out.
/// </summary>
public static class SchemaPrinter
{
    public static string Print(Schema schema)
    {
        var parts = new List<string>();
        if (PrintSchemaDefinition(schema) is { } definition)
        {
            parts.Add(definition);
        }
        parts.AddRange(schema.Directives.Where(d => !d.IsBuiltIn).Select(PrintDirective));
        parts.AddRange(schema.Types.Where(t => !t.IsBuiltIn && !IntrospectionTypes.IsIntrospectionType(t)).Select(PrintType));
        return string.Join("\n\n", parts);
    }

    public static string PrintType(NamedType type) => type switch
    {
        ScalarType scalar => Description(scalar.Description) + "scalar " + scalar.Name + SpecifiedBy(scalar),
        ObjectType obj => Description(obj.Description) + "type " + obj.Name + Implements(obj) + Fields(obj),
        InterfaceType iface => Description(iface.Description) + "interface " + iface.Name + Implements(iface) + Fields(iface),
        UnionType union => Description(union.Description) + "union " + union.Name + (union.Types.Count > 0 ? " = " + string.Join(" | ", union.Types.Select(t => t.Name)) : ""),
        EnumType enumType => Description(enumType.Description) + "enum " + enumType.Name
            + Block(enumType.Values.Select((v, i) => Description(v.Description, "  ", i == 0) + "  " + v.Name + Deprecated(v.DeprecationReason))),
        InputObjectType input => Description(input.Description) + "input " + input.Name + (input.IsOneOf ? " @oneOf" : "")
            + Block(input.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + InputValue(f))),
        _ => throw new ArgumentException($"unknown type {type.GetType().Name}", nameof(type)),
    };

    private static string? PrintSchemaDefinition(Schema schema)
    {
        var commonNames = schema.Query.Name == "Query"
            && (schema.Mutation is null || schema.Mutation.Name == "Mutation")
            && (schema.Subscription is null || schema.Subscription.Name == "Subscription");
        if (schema.Description is null && commonNames)
        {
            return null;
        }
        var operations = new StringBuilder();
        operations.Append("  query: ").Append(schema.Query.Name);
        if (schema.Mutation is not null)
        {
            operations.Append("\n  mutation: ").Append(schema.Mutation.Name);
        }
        if (schema.Subscription is not null)
        {
            operations.Append("\n  subscription: ").Append(schema.Subscription.Name);
        }
        return Description(schema.Description) + "schema {\n" + operations + "\n}";
    }

    private static string PrintDirective(DirectiveDefinition directive) =>
        Description(directive.Description) + "directive @" + directive.Name + Arguments(directive.Arguments, "")
        + Deprecated(directive.DeprecationReason) + (directive.IsRepeatable ? " repeatable" : "") + " on " + string.Join(" | ", directive.Locations);

    private static string Implements(ComplexType type) =>
        type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(i => i.Name)) : "";

    private static string Fields(ComplexType type) =>
        Block(type.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + f.Name + Arguments(f.Arguments, "  ") + ": " + f.Type + Deprecated(f.DeprecationReason)));

    private static string Block(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count > 0 ? " {\n" + string.Join("\n", list) + "\n}" : "";
    }

    private static string Arguments(IReadOnlyList<InputValueDefinition> arguments, string indentation)
    {
        if (arguments.Count == 0)
        {
            return "";
        }
        if (arguments.All(a => string.IsNullOrEmpty(a.Description)))
        {
            return "(" + string.Join(", ", arguments.Select(InputValue)) + ")";
        }
        var lines = arguments.Select((a, i) => Description(a.Description, "  " + indentation, i == 0) + "  " + indentation + InputValue(a));
        return "(\n" + string.Join("\n", lines) + "\n" + indentation + ")";
    }

    private static string InputValue(InputValueDefinition value)
    {
        var text = value.Name + ": " + value.Type;
        if (value.HasDefaultValue && value.DefaultValueLiteral is { } literal)
        {
            text += " = " + Printer.Print(literal);
        }
        return text + Deprecated(value.DeprecationReason);
    }

    private static string Deprecated(string? reason) => reason switch
    {
        null => "",
        BuiltInDirectives.DefaultDeprecationReason => " @deprecated",
        _ => " @deprecated(reason: " + Printer.PrintString(reason) + ")",
    };

    private static string SpecifiedBy(ScalarType scalar) =>
        scalar.SpecifiedByUrl is null ? "" : " @specifiedBy(url: " + Printer.PrintString(scalar.SpecifiedByUrl) + ")";

    private static string Description(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null)
        {
            return "";
        }
        var literal = BlockStrings.IsPrintable(description) ? BlockStrings.Print(description) : Printer.PrintString(description);
        var prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + literal.Replace("\n", "\n" + indentation, StringComparison.Ordinal) + "\n";
    }
}
