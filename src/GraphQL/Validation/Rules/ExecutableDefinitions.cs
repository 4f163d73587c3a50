using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation.Rules;

/// <summary>§5.1.1 Executable Definitions: a request holds only operations and fragments.</summary>
public sealed class ExecutableDefinitions : ValidationRule
{
    public override string Name => "ExecutableDefinitions";

    public override void EnterTypeSystemDefinition(ValidationContext context, DefinitionNode node)
    {
        var name = node switch
        {
            SchemaDefinitionNode => "schema",
            TypeDefinitionNode type => type.Name.Value,
            DirectiveDefinitionNode directive => "@" + directive.Name.Value,
            _ => "type system",
        };
        context.ReportError(this, $"The \"{name}\" definition is not executable: a request may only contain operations and fragments.", node);
    }
}
