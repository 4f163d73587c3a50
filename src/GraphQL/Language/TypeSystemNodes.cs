namespace OneMap.GraphQL.Language;

/// <summary>A type system definition or extension (§3): schema, types, directives.</summary>
public abstract class TypeSystemDefinitionNode : DefinitionNode
{
    public IReadOnlyList<DirectiveNode> Directives { get; init; } = [];
}

/// <summary>A type system definition that may carry a description.</summary>
public abstract class DescribedDefinitionNode : TypeSystemDefinitionNode
{
    public StringValueNode? Description { get; init; }
}

/// <summary>A named type's definition or extension.</summary>
public abstract class TypeDefinitionNode : DescribedDefinitionNode
{
    public required NameNode Name { get; init; }

    /// <summary>True for <c>extend …</c>.</summary>
    public bool IsExtension { get; init; }
}

public sealed class SchemaDefinitionNode : DescribedDefinitionNode
{
    public IReadOnlyList<OperationTypeDefinitionNode> OperationTypes { get; init; } = [];

    public bool IsExtension { get; init; }
}

public sealed class OperationTypeDefinitionNode(OperationType operation, NamedTypeNode type) : SyntaxNode
{
    public OperationType Operation { get; } = operation;

    public NamedTypeNode Type { get; } = type;
}

public sealed class ScalarTypeDefinitionNode : TypeDefinitionNode;

public sealed class ObjectTypeDefinitionNode : TypeDefinitionNode
{
    public IReadOnlyList<NamedTypeNode> Interfaces { get; init; } = [];

    public IReadOnlyList<FieldDefinitionNode> Fields { get; init; } = [];
}

public sealed class InterfaceTypeDefinitionNode : TypeDefinitionNode
{
    public IReadOnlyList<NamedTypeNode> Interfaces { get; init; } = [];

    public IReadOnlyList<FieldDefinitionNode> Fields { get; init; } = [];
}

public sealed class UnionTypeDefinitionNode : TypeDefinitionNode
{
    public IReadOnlyList<NamedTypeNode> Types { get; init; } = [];
}

public sealed class EnumTypeDefinitionNode : TypeDefinitionNode
{
    public IReadOnlyList<EnumValueDefinitionNode> Values { get; init; } = [];
}

public sealed class InputObjectTypeDefinitionNode : TypeDefinitionNode
{
    public IReadOnlyList<InputValueDefinitionNode> Fields { get; init; } = [];
}

public sealed class FieldDefinitionNode : SyntaxNode
{
    public StringValueNode? Description { get; init; }

    public required NameNode Name { get; init; }

    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; init; } = [];

    public required TypeNode Type { get; init; }

    public IReadOnlyList<DirectiveNode> Directives { get; init; } = [];
}

public sealed class InputValueDefinitionNode : SyntaxNode
{
    public StringValueNode? Description { get; init; }

    public required NameNode Name { get; init; }

    public required TypeNode Type { get; init; }

    public ValueNode? DefaultValue { get; init; }

    public IReadOnlyList<DirectiveNode> Directives { get; init; } = [];
}

public sealed class EnumValueDefinitionNode : SyntaxNode
{
    public StringValueNode? Description { get; init; }

    public required NameNode Name { get; init; }

    public IReadOnlyList<DirectiveNode> Directives { get; init; } = [];
}

public sealed class DirectiveDefinitionNode : DescribedDefinitionNode
{
    public required NameNode Name { get; init; }

    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; init; } = [];

    public bool Repeatable { get; init; }

    public IReadOnlyList<NameNode> Locations { get; init; } = [];
}
