using System.Globalization;

namespace OneMap.Simulator.Cli;

/// <summary>A command line of the form <c>command --name value …</c>, with errors that name the bad option and value.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Arguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Command = args.Length > 0 ? args[0] : "";
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length < 3)
            {
                throw new UsageException($"unexpected argument \"{args[i]}\" (options look like --name value)");
            }
            var name = args[i][2..];
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"--{name} needs a value");
            }
            _options[name] = args[++i];
        }
    }

    public string Command { get; }

    public string String(string name, string fallback)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) ? value : fallback;
    }

    public string? OptionalString(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public double Double(string name, double fallback, double min, double max)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got \"{text}\"");
        }
        return value;
    }

    public ulong ULong(string name, ulong fallback)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a whole number ≥ 0, got \"{text}\"");
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var value = Double(name, fallback, min, max);
        return value == Math.Floor(value) ? (int)value : throw new UsageException($"--{name} must be a whole number, got \"{_options[name]}\"");
    }

    /// <summary>Throws if an option was given that the command does not read (a typo should not be ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s) for {Command}: {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}

/// <summary>A bad command line; the message says what to fix.</summary>
public sealed class UsageException(string message) : Exception(message);
