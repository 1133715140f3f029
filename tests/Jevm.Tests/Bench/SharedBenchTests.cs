using Jevm.Cli.Bench;
using Jevm.Evm;

namespace Jevm.Tests.Bench;

/// <summary>The ../shared/bench cases through the bench runner: status, gas and output equal the manifest's.</summary>
public class SharedBenchTests
{
    [Fact]
    public void Manifest_loads_every_case_with_its_expectations()
    {
        var cases = BenchSuite.Load(BenchTestSupport.RequireSharedBench());
        Assert.Equal(32, cases.Count); // the README: 32 cases, 19 contracts
        var swap = cases.Find(c => c.Name == "main/swap_math/spent")!;
        Assert.Equal(3179, swap.ExpectedGasFor(Fork.Cancun, out bool known)!.ExecutionGas);
        Assert.True(known);
        Assert.Equal(Fork.Constantinople, swap.MinFork);
        var hashes = cases.Find(c => c.Name == "evm-bench/ten_thousand_hashes/benchmark")!;
        Assert.Null(hashes.ExpectedGasFor(Fork.Istanbul, out known)); // needs Shanghai: the manifest has null
        Assert.True(known);
    }

    [Fact]
    public void A_code_file_selects_the_cases_that_use_it()
    {
        var root = BenchTestSupport.RequireSharedBench();
        var cases = BenchSuite.Load(Path.Combine(root, "code", "sha1_divs.hex"));
        Assert.Equal(["main/sha1_divs/empty", "main/sha1_divs/5311"], cases.ConvertAll(c => c.Name));
        Assert.Single(BenchSuite.Load(Path.Combine(root, "calldata", "sha1_divs.5311.hex")));
    }

    [Theory]
    [MemberData(nameof(BenchTestSupport.AvailableEngines), MemberType = typeof(BenchTestSupport))]
    public void Every_case_matches_the_manifest_on_Cancun(string engine)
    {
        var e = BenchTestSupport.Engine(engine);
        var failures = new List<string>();
        foreach (var c in BenchSuite.Load(BenchTestSupport.RequireSharedBench()))
        {
            var ex = new BenchExecutor(c, Fork.Cancun);
            var o = ex.Execute(e);
            var m = new BenchMeasurement { Case = c.Name, Engine = e.Name, Status = BenchRunner.StatusName(o.Status) };
            BenchRunner.CheckExpectations(m, c, Fork.Cancun, o);
            foreach (var p in m.Problems) failures.Add($"{c.Name}: {p}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Istanbul_gas_differs_only_where_the_manifest_says()
    {
        // At Istanbul the storage cases price SLOAD/SSTORE without EIP-2929/3529; the manifest has both figures.
        var c = BenchSuite.Load(BenchTestSupport.RequireSharedBench()).Find(x => x.Name == "evm-bench/erc20_transfer/benchmark")!;
        var o = new BenchExecutor(c, Fork.Istanbul).Execute(BenchTestSupport.Engine("Interpreter"));
        var m = new BenchMeasurement { Case = c.Name, Engine = "interpreter", Status = BenchRunner.StatusName(o.Status) };
        BenchRunner.CheckExpectations(m, c, Fork.Istanbul, o);
        Assert.Empty(m.Problems);
        Assert.NotEqual(c.ExpectedGasFor(Fork.Cancun, out _)!.ExecutionGas, o.GasUsed);
    }
}
