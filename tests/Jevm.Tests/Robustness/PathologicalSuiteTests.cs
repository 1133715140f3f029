using Jevm.Cli.Bench;
using Jevm.Codegen;
using Jevm.Encoding;
using Jevm.Evm;

namespace Jevm.Tests.Robustness;

/// <summary>
/// The pathological-input suite (tests/fixtures/pathological, made by its generate.py; `jevm bench
/// tests/fixtures/pathological` times it): JUMPDEST-dense code, 24 KiB of PUSH32, a full-stack DUP chain, long SWAP
/// chains, CALL and CREATE chains to the gas limit, 1 MiB copies and hashes, 30,000 precompile and empty-account
/// calls, ECRECOVER and BLAKE2F. Here only results are checked, on every engine, as the bench runs them: status,
/// output and gas used against the manifest's expectations, which generate.py computes from the gas schedule.
/// </summary>
public sealed class PathologicalSuiteTests
{
    internal static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "tests", "fixtures", "pathological");
    }

    private static readonly Lazy<Dictionary<string, BenchCase>> s_cases = new(() =>
    {
        var d = new Dictionary<string, BenchCase>();
        foreach (var c in BenchSuite.Load(Folder())) d[c.Name] = c;
        return d;
    });

    public static TheoryData<EngineKind, string> Cases()
    {
        var data = new TheoryData<EngineKind, string>();
        foreach (var name in s_cases.Value.Keys)
            foreach (var k in new[] { EngineKind.Interpreter, EngineKind.Jit, EngineKind.Tiered })
                data.Add(k, name);
        return data;
    }

    [Fact]
    public void The_suite_has_every_kind_of_case_with_expectations()
    {
        string[] expected =
        [
            "jumpdest-dense", "push32-dense", "dup-chain-1024", "swap-chain", "call-chain-1024", "create-chain-1024",
            "mcopy-1mib", "keccak-1mib", "identity-calls", "empty-account-calls", "ecrecover-calls", "blake2f-1m-rounds",
        ];
        foreach (var name in expected)
        {
            Assert.True(s_cases.Value.TryGetValue("pathological/" + name, out var c), name);
            Assert.NotNull(c.ExpectedGasFor(Fork.Cancun, out bool known));
            Assert.True(known, name);
        }
        // The dense cases fill the 24 KiB code limit (EIP-170: 24,576 bytes).
        Assert.InRange(s_cases.Value["pathological/jumpdest-dense"].Code.Length, 24_000, 24_576);
        Assert.InRange(s_cases.Value["pathological/push32-dense"].Code.Length, 24_000, 24_576);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_gives_the_expected_status_output_and_gas(EngineKind kind, string name)
    {
        var c = s_cases.Value[name];
        var executor = new BenchExecutor(c, Fork.Cancun);
        var o = executor.Execute(Engines.Create(kind));
        Assert.Equal(StatusCode.Success, o.Status);
        var gas = c.ExpectedGasFor(Fork.Cancun, out _)!;
        Assert.Equal(gas.ExecutionGas, o.GasUsed);
        if (c.ExpectedOutputHex is { } hex) Assert.Equal(hex, Hex.Encode(o.Output)[2..]);
    }
}
