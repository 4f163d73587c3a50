using OneMap.Simulator.Cli;

namespace OneMap.Simulator.Publishing;

/// <summary>
/// Publishes the sample's sensor payload logs to an MQTT broker. It needs OneMap's MQTT client (src/Mqtt), which is
/// being written on the mqtt branch; until it lands this command says so instead of carrying a throwaway client.
/// </summary>
public static class PublishCommand
{
    public static Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        _ = cancellationToken;
        throw new UsageException("publish is not available yet: it waits for OneMap's MQTT client (src/Mqtt); replay the logs from data-samples/sensors meanwhile");
    }
}
