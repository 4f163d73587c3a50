namespace OneMap.GraphQL.Language;

/// <summary>Base of every node of a parsed document. <see cref="Location"/> is null for nodes built in code.</summary>
public abstract class SyntaxNode
{
    public NodeLocation? Location { get; init; }
}

/// <summary>A name as written in the document (field, type, argument, directive, fragment or variable name).</summary>
public sealed class NameNode(string value) : SyntaxNode
{
    public string Value { get; } = value;

    public override string ToString() => Value;
}

/// <summary>A parsed document: executable definitions (operations, fragments) and/or type system definitions.</summary>
public sealed class DocumentNode(IReadOnlyList<DefinitionNode> definitions) : SyntaxNode
{
    public IReadOnlyList<DefinitionNode> Definitions { get; } = definitions;

    /// <summary>How many lexical tokens the parser read (the token limit counts these).</summary>
    public int TokenCount { get; init; }
}

public abstract class DefinitionNode : SyntaxNode;

public abstract class ExecutableDefinitionNode : DefinitionNode
{
    /// <summary>A description (working draft: operations and fragments may be described).</summary>
    public StringValueNode? Description { get; init; }

    public abstract NameNode? Name { get; }

    public abstract IReadOnlyList<DirectiveNode> Directives { get; }

    public abstract SelectionSetNode SelectionSet { get; }
}

/// <summary>The kinds of operation: query, mutation, subscription.</summary>
public enum OperationType
{
    Query,
    Mutation,
    Subscription,
}

public sealed class OperationDefinitionNode(
    OperationType operation,
    NameNode? name,
    IReadOnlyList<VariableDefinitionNode> variableDefinitions,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet) : ExecutableDefinitionNode
{
    public OperationType Operation { get; } = operation;

    public override NameNode? Name { get; } = name;

    public IReadOnlyList<VariableDefinitionNode> VariableDefinitions { get; } = variableDefinitions;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public override SelectionSetNode SelectionSet { get; } = selectionSet;
}

public sealed class FragmentDefinitionNode(
    NameNode name,
    NamedTypeNode typeCondition,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode selectionSet) : ExecutableDefinitionNode
{
    public override NameNode Name { get; } = name;

    public NamedTypeNode TypeCondition { get; } = typeCondition;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public override SelectionSetNode SelectionSet { get; } = selectionSet;
}

public sealed class VariableDefinitionNode(VariableNode variable, TypeNode type, ValueNode? defaultValue, IReadOnlyList<DirectiveNode> directives)
    : SyntaxNode
{
    public StringValueNode? Description { get; init; }

    public VariableNode Variable { get; } = variable;

    public TypeNode Type { get; } = type;

    public ValueNode? DefaultValue { get; } = defaultValue;

    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class SelectionSetNode(IReadOnlyList<SelectionNode> selections) : SyntaxNode
{
    public IReadOnlyList<SelectionNode> Selections { get; } = selections;
}

public abstract class SelectionNode : SyntaxNode
{
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

public sealed class FieldNode(
    NameNode? alias,
    NameNode name,
    IReadOnlyList<ArgumentNode> arguments,
    IReadOnlyList<DirectiveNode> directives,
    SelectionSetNode? selectionSet) : SelectionNode
{
    public NameNode? Alias { get; } = alias;

    public NameNode Name { get; } = name;

    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public SelectionSetNode? SelectionSet { get; } = selectionSet;

    /// <summary>The key of this field in the response: its alias, or its name.</summary>
    public string ResponseKey => Alias?.Value ?? Name.Value;
}

public sealed class FragmentSpreadNode(NameNode name, IReadOnlyList<DirectiveNode> directives) : SelectionNode
{
    public NameNode Name { get; } = name;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

public sealed class InlineFragmentNode(NamedTypeNode? typeCondition, IReadOnlyList<DirectiveNode> directives, SelectionSetNode selectionSet)
    : SelectionNode
{
    public NamedTypeNode? TypeCondition { get; } = typeCondition;

    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;

    public SelectionSetNode SelectionSet { get; } = selectionSet;
}

public sealed class ArgumentNode(NameNode name, ValueNode value) : SyntaxNode
{
    public NameNode Name { get; } = name;

    public ValueNode Value { get; } = value;
}

public sealed class DirectiveNode(NameNode name, IReadOnlyList<ArgumentNode> arguments) : SyntaxNode
{
    public NameNode Name { get; } = name;

    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;
}
