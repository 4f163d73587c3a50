using OneMap.Lakehouse;
using OneMap.Lakehouse.CrashWriter;
using OneMap.Lakehouse.Tables;

// crash <lake> <ops>                                 run the crash workload from where the table's txn marker says, up to <ops>
// append <lake> <table> <writer> <batches> <rows>    append batches (txn <writer>, 0…batches-1) to a table that exists
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: crash <lake> <ops> | append <lake> <table> <writer> <batches> <rows>");
    return 2;
}
using var lake = new Lake(new LakehouseOptions { Root = args[1], Threads = 1 });
switch (args[0])
{
    case "crash":
    {
        var table = await lake.GetOrCreateTableAsync(CrashWorkload.Table);
        var snapshot = await table.GetSnapshotAsync();
        var next = (snapshot.TransactionVersion(CrashWorkload.AppId) ?? -1) + 1;
        Console.WriteLine($"ready {next}");
        for (var op = next; op < long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture); op++)
        {
            var result = await CrashWorkload.RunAsync(table, op, CancellationToken.None);
            Console.WriteLine($"committed {op} version {result.Version}");
        }
        return 0;
    }
    case "append":
    {
        var table = lake.Table(args[2]);
        var writer = args[3];
        var batches = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        var rows = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine("ready");
        for (var batch = 0; batch < batches; batch++)
        {
            await table.AppendQueryAsync(
                "SELECT $1 AS writer, $2 AS batch, i AS seq FROM range($3) t(i)",
                [writer, (long)batch, (long)rows],
                new CommitOptions { AppId = writer, AppVersion = batch });
        }
        Console.WriteLine("done");
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
