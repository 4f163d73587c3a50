using OneMap.Simulator.Randomness;

namespace OneMap.Simulator.WaterQuality;

/// <summary>A rain event over the whole city (June is the plum-rain season in Fujian).</summary>
/// <param name="Start">When the rain starts.</param>
/// <param name="Hours">How long it rains.</param>
/// <param name="Intensity">0.3 (light) … 1.5 (rainstorm, 暴雨).</param>
public sealed record RainEvent(DateTimeOffset Start, double Hours, double Intensity);

/// <summary>The rain over the sensor window and the catchment's response to it.</summary>
public sealed class Weather
{
    public Weather(Rng rng, SimulationOptions options)
    {
        var events = new List<RainEvent>();
        var count = Math.Max(1, (int)Math.Ceiling(options.SensorDays / 3.5));
        for (var i = 0; i < count; i++)
        {
            // Spread over the window, one per slot, starting in the afternoon or at night as convective rain does.
            var slot = options.SensorDays * 24.0 / count;
            var start = options.Start.AddHours(i * slot + rng.Uniform(0.15, 0.6) * slot);
            events.Add(new RainEvent(RoundToFiveMinutes(start), Math.Round(rng.Uniform(3, 10), 1), Math.Round(i == 0 ? 1.3 : rng.Uniform(0.4, 1.2), 2)));
        }
        Rain = events;
    }

    public IReadOnlyList<RainEvent> Rain { get; }

    /// <summary>
    /// Runoff reaching the rivers at <paramref name="t"/> (0 dry … ~1.5): rises a few hours after the rain starts,
    /// peaks after it stops, recedes over a day.
    /// </summary>
    public double Runoff(DateTimeOffset t)
    {
        var total = 0.0;
        foreach (var rain in Rain)
        {
            var hours = (t - rain.Start).TotalHours;
            if (hours <= 0 || hours > 60)
            {
                continue;
            }
            var tau = 3 + rain.Hours / 2;
            var x = hours / tau;
            total += rain.Intensity * x * Math.Exp(1 - x);
        }
        return total;
    }

    /// <summary>Whether it is raining at <paramref name="t"/>, and how hard (0 when dry).</summary>
    public double RainingAt(DateTimeOffset t)
    {
        foreach (var rain in Rain)
        {
            if (t >= rain.Start && t < rain.Start.AddHours(rain.Hours))
            {
                return rain.Intensity;
            }
        }
        return 0;
    }

    public static DateTimeOffset RoundToFiveMinutes(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.FromMinutes(5).Ticks, t.Offset);
}
