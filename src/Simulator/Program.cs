using OneMap.Simulator.Cli;

// The sample-city simulator: generate, render, serve-tickets, publish (see Commands.Usage).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    return await Commands.RunAsync(args, Console.Out, cancel.Token);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Commands.Usage}");
    return 2;
}
