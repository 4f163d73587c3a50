using OneMap.GraphQL.Introspection;
using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>
/// §5.5.1.2 / §5.8.2: every named type in a document exists, in the schema or defined by the document itself; inside
/// type system definitions the built-in scalars and introspection types count as known too.
/// </summary>
public sealed class KnownTypeNames : ValidationRule
{
    public override string Name => "KnownTypeNames";

    public override void EnterNamedType(ValidationContext context, NamedTypeNode node)
    {
        var name = node.Name.Value;
        if (context.Schema.GetType(name) is not null || context.DocumentTypeNames.Contains(name))
        {
            return;
        }
        if (context.InTypeSystemDefinition && (Scalars.IsBuiltIn(name) || IntrospectionTypes.All.Any(t => t.Name == name)))
        {
            return;
        }
        context.ReportError(this, $"Unknown type \"{name}\": the schema defines no type of that name.", node);
    }
}
