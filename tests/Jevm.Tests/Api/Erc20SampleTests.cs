using System.Numerics;
using Erc20Host;
using Jevm.Evm;
using Jevm.Tests.Support;

namespace Jevm.Tests.Api;

/// <summary>
/// The samples/Erc20Host program: correct balances under every engine (each equal to the expected ones, so all equal).
/// </summary>
public class Erc20SampleTests
{
    // From the transfer amounts: the deployer mints 1,000,000; the last transfer (carol, 10,000) exceeds her 400.
    private static readonly Dictionary<string, BigInteger> Expected = new()
    {
        ["deployer"] = 1_000_000 - 1000 - 5000,
        ["alice"] = 1000 - 250 - 300,
        ["bob"] = 250 - 100 + 5000,
        ["carol"] = 100 + 300,
    };

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Transfers_give_the_expected_balances(EngineKind engine)
    {
        var r = Erc20Demo.Run(engine);
        Assert.Equal(Erc20Demo.Holders.Length, r.Balances.Count);
        foreach (var (name, balance) in r.Balances) Assert.Equal(Expected[name], balance.ToBigInteger());
        Assert.Equal(new BigInteger(1_000_000), r.TotalSupply.ToBigInteger());
        Assert.Equal(1 + 5, r.TransferEvents); // the mint and five successful transfers
        Assert.Equal(1, r.RejectedTransfers);
    }
}
