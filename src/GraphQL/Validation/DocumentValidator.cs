using OneMap.GraphQL.Language;
using OneMap.GraphQL.Types;
using OneMap.GraphQL.Validation.Rules;

namespace OneMap.GraphQL.Validation;

/// <summary>Validates executable documents against a schema with the specification's rules (§5).</summary>
public static class DocumentValidator
{
    /// <summary>Stops after this many errors; a document with more is not worth reading further.</summary>
    public const int DefaultMaxErrors = 100;

    /// <summary>The rules of §5 in the order the reference implementation runs them, plus its introspection depth rule.</summary>
    public static IReadOnlyList<Func<ValidationRule>> SpecifiedRules { get; } =
    [
        () => new ExecutableDefinitions(),
        () => new UniqueOperationNames(),
        () => new LoneAnonymousOperation(),
        () => new SingleFieldSubscriptions(),
        () => new KnownTypeNames(),
        () => new FragmentsOnCompositeTypes(),
        () => new VariablesAreInputTypes(),
        () => new ScalarLeafs(),
        () => new FieldsOnCorrectType(),
        () => new UniqueFragmentNames(),
        () => new KnownFragmentNames(),
        () => new NoUnusedFragments(),
        () => new PossibleFragmentSpreads(),
        () => new NoFragmentCycles(),
        () => new UniqueVariableNames(),
        () => new NoUndefinedVariables(),
        () => new NoUnusedVariables(),
        () => new KnownDirectives(),
        () => new UniqueDirectivesPerLocation(),
        () => new KnownArgumentNames(),
        () => new UniqueArgumentNames(),
        () => new ValuesOfCorrectType(),
        () => new ProvidedRequiredArguments(),
        () => new VariablesInAllowedPosition(),
        () => new OverlappingFieldsCanBeMerged(),
        () => new UniqueInputFieldNames(),
        () => new MaxIntrospectionDepth(),
    ];

    /// <summary>Validates with the specified rules (and any extra ones); returns every error found, in document order.</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, DocumentNode document, IEnumerable<Func<ValidationRule>>? extraRules = null,
        int maxErrors = DefaultMaxErrors)
    {
        var rules = SpecifiedRules.Concat(extraRules ?? []).Select(create => create()).ToList();
        return Validate(schema, document, rules, maxErrors);
    }

    /// <summary>Validates with exactly the given rule instances (fresh ones: rules keep state while they run).</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, DocumentNode document, IReadOnlyList<ValidationRule> rules, int maxErrors = DefaultMaxErrors)
    {
        var context = new ValidationContext(schema, document, maxErrors);
        new DocumentWalker(context, rules).WalkDocument(document);
        return context.Errors;
    }
}
