namespace OneMap.GraphQL.Execution;

/// <summary>
/// Produces a field's value from its parent value, arguments and request (§6.4.2 ResolveFieldValue). Return a
/// completed <see cref="ValueTask{TResult}"/> for values at hand; the executor stays synchronous until one is not.
/// </summary>
public delegate ValueTask<object?> FieldResolver(ResolveContext context);

/// <summary>The event stream of a subscription root field (§6.2.3.1 CreateSourceEventStream).</summary>
public delegate ValueTask<IAsyncEnumerable<object?>> SubscriptionSource(ResolveContext context);

/// <summary>Names the object type of a value of an interface or union type; null when it cannot tell.</summary>
public delegate string? TypeResolver(object value, ResolveContext context);
