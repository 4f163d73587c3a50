using System.Globalization;
using OneMap.Mqtt;
using OneMap.Simulator.Cli;

namespace OneMap.Simulator.Publishing;

/// <summary><c>publish --broker HOST:PORT [--data DIR] [--rate N] [--speedup X] [--qos 0|1] [--stream wq|manholes|all] [--limit N]</c>.</summary>
public static class PublishCommand
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var broker = arguments.OptionalString("broker") ?? throw new UsageException("publish needs --broker HOST:PORT");
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--broker must be HOST:PORT, got \"{broker}\"");
        }
        var data = arguments.String("data", "data-samples");
        var stream = arguments.String("stream", "all");
        var streams = stream switch
        {
            "all" => PayloadLogReader.Streams,
            "wq" or "water-quality" => ["water-quality"],
            "manholes" => (IReadOnlyList<string>)["manholes"],
            _ => throw new UsageException($"--stream must be wq, manholes or all, got \"{stream}\""),
        };
        var options = new PublishOptions
        {
            Host = broker[..colon],
            Port = port,
            Rate = arguments.Double("rate", 0, 0, 1e7),
            Speedup = arguments.Double("speedup", 0, 0, 1e9),
            QualityOfService = arguments.Int("qos", 1, 0, 1) == 0 ? MqttQualityOfService.AtMostOnce : MqttQualityOfService.AtLeastOnce,
            Limit = (long)arguments.Double("limit", 0, 0, 1e12),
        };
        arguments.RejectUnknown();
        var result = await Publisher.RunAsync(PayloadLogReader.Read(data, streams), options, line => output.WriteLine(line), cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"published {result.Messages} messages (logged {(result.FirstLogged is { } f ? ChinaTime.Iso(f) : "-")} … {(result.LastLogged is { } l ? ChinaTime.Iso(l) : "-")}) to {broker} in {result.Elapsed.TotalSeconds:0.0} s ({result.Messages / Math.Max(0.001, result.Elapsed.TotalSeconds):0} msgs/s)"));
        return 0;
    }
}
