// The sample-city simulator's command line; the generator is built under issue 3.
Console.Error.WriteLine("usage: onemap-sim generate --out <dir> [--seed N] [--scale N]");
return 2;
