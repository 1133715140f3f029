using Erc20Host;
using Jevm.Evm;

// Runs the ERC-20 demo on every engine and prints the balances; exit code 1 when the engines disagree.
string? reference = null;
int exit = 0;
foreach (var engine in Enum.GetValues<EngineKind>())
{
    var result = Erc20Demo.Run(engine, Console.Out);
    string line = string.Join(" ", result.Balances.Select(b => $"{b.Name}={(System.Numerics.BigInteger)b.Balance}"))
        + $" totalSupply={(System.Numerics.BigInteger)result.TotalSupply} transferEvents={result.TransferEvents} rejected={result.RejectedTransfers}";
    Console.WriteLine($"{result.Engine,-11} {line}");
    reference ??= line;
    if (line != reference) exit = 1;
}
Console.WriteLine(exit == 0 ? "all engines agree" : "ENGINES DISAGREE");
return exit;
