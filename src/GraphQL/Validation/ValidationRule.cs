using OneMap.GraphQL.Language;

namespace OneMap.GraphQL.Validation;

/// <summary>
/// One validation rule of §5. The validator walks the document once and calls every rule's Enter/Leave methods in
/// document order, with type information (parent type, field definition, input type…) available on the context.
/// </summary>
public abstract class ValidationRule
{
    /// <summary>The rule's name, as graphql-js names it without the <c>Rule</c> suffix (e.g. <c>FieldsOnCorrectType</c>).</summary>
    public abstract string Name { get; }

    public virtual void EnterDocument(ValidationContext context, DocumentNode node)
    {
    }

    public virtual void LeaveDocument(ValidationContext context, DocumentNode node)
    {
    }

    public virtual void EnterTypeSystemDefinition(ValidationContext context, DefinitionNode node)
    {
    }

    public virtual void EnterOperation(ValidationContext context, OperationDefinitionNode node)
    {
    }

    public virtual void LeaveOperation(ValidationContext context, OperationDefinitionNode node)
    {
    }

    public virtual void EnterFragmentDefinition(ValidationContext context, FragmentDefinitionNode node)
    {
    }

    public virtual void LeaveFragmentDefinition(ValidationContext context, FragmentDefinitionNode node)
    {
    }

    public virtual void EnterVariableDefinition(ValidationContext context, VariableDefinitionNode node)
    {
    }

    public virtual void LeaveVariableDefinition(ValidationContext context, VariableDefinitionNode node)
    {
    }

    public virtual void EnterSelectionSet(ValidationContext context, SelectionSetNode node)
    {
    }

    public virtual void LeaveSelectionSet(ValidationContext context, SelectionSetNode node)
    {
    }

    public virtual void EnterField(ValidationContext context, FieldNode node)
    {
    }

    public virtual void LeaveField(ValidationContext context, FieldNode node)
    {
    }

    public virtual void EnterFragmentSpread(ValidationContext context, FragmentSpreadNode node)
    {
    }

    public virtual void EnterInlineFragment(ValidationContext context, InlineFragmentNode node)
    {
    }

    public virtual void LeaveInlineFragment(ValidationContext context, InlineFragmentNode node)
    {
    }

    /// <summary>
    /// The directives of one node, before each is entered; <paramref name="owner"/> is the type system node that
    /// carries them (null for executable nodes, whose rules see the node itself).
    /// </summary>
    public virtual void EnterDirectives(ValidationContext context, IReadOnlyList<DirectiveNode> directives, SyntaxNode? owner)
    {
    }

    /// <summary>A directive with the location it is used at.</summary>
    public virtual void EnterDirective(ValidationContext context, DirectiveNode node, DirectiveLocation location)
    {
    }

    public virtual void EnterArgument(ValidationContext context, ArgumentNode node)
    {
    }

    public virtual void LeaveArgument(ValidationContext context, ArgumentNode node)
    {
    }

    /// <summary>Any value: argument values, default values, list items, object field values.</summary>
    public virtual void EnterValue(ValidationContext context, ValueNode node)
    {
    }

    public virtual void LeaveValue(ValidationContext context, ValueNode node)
    {
    }

    public virtual void EnterObjectField(ValidationContext context, ObjectFieldNode node)
    {
    }

    /// <summary>A named type reference: variable types, fragment and inline fragment type conditions.</summary>
    public virtual void EnterNamedType(ValidationContext context, NamedTypeNode node)
    {
    }
}
