using Jevm.Evm;
using Jevm.Tests.Support;

namespace Jevm.Tests.Interpreter;

/// <summary>
/// The shared benchmark contracts run to the output and the execution gas and refund that ethereumjs, EDR (revm) and
/// evmone agreed on (../shared/bench/manifest.json).
/// </summary>
public class BenchCaseTests
{
    public static TheoryData<EngineKind, string, string> Cases()
    {
        var data = new TheoryData<EngineKind, string, string>();
        foreach (var kind in TestEngines.All)
            foreach (var name in BenchCases.Names)
            {
                var c = BenchCases.All[name];
                if (c.Cancun is not null) data.Add(kind, name, "Cancun");
                if (c.Istanbul is not null) data.Add(kind, name, "Istanbul");
            }
        if (data.Count == 0) foreach (var kind in TestEngines.All) data.Add(kind, "(bench data missing)", "Cancun");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bench_case_gives_the_agreed_output_gas_and_refund(EngineKind kind, string name, string forkName)
    {
        if (BenchCases.Root is null) Assert.Skip("../shared/bench not found (set JEVM_BENCH)");
        var c = BenchCases.All[name];
        var fork = ForkNames.Parse(forkName);
        var expected = fork == Fork.Cancun ? c.Cancun! : c.Istanbul!;
        var host = new TestHost(kind, fork) { Context = new TxContext { Origin = BenchCases.Caller, BlockNumber = 1, BlockGasLimit = BenchCases.GasLimit } };
        var r = host.Run(c.Code, BenchCases.GasLimit, input: c.Calldata, recipient: BenchCases.CodeAddress, sender: BenchCases.Caller);
        Assert.Equal(StatusCode.Success, r.Status);
        Assert.Equal(Convert.ToHexStringLower(c.ExpectedOutput), Convert.ToHexStringLower(r.Output));
        Assert.Equal(expected.ExecutionGas, BenchCases.GasLimit - r.GasLeft);
        Assert.Equal(expected.Refund, r.GasRefund);
    }
}
