using System.Text.Json;
using System.Text.RegularExpressions;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;
using Jevm.Tests.Support;

namespace Jevm.Tests.Precompiles;

/// <summary>
/// The execution-spec-tests state tests for EIP-2537 (ethtests/Prague/eip2537_bls_12_381_precompiles), used directly
/// until the state-test runner lands: each test's transaction data is the precompile input, its contract calls the
/// precompile with a fixed gas, and the contract's shape says whether the call must succeed (the successful form also
/// stores the keccak of the return data; the failing form only stores the status and the return-data size).
/// </summary>
public partial class Bls12381FixtureTests
{
    [GeneratedRegex("60(0[b-f]|10|11)(?:6[0-3]((?:[0-9a-f]{2}){1,4}))(f1|fa|f4|f2)")]
    private static partial Regex CallPattern();

    private const string StoresReturnHash = "3d600060003e3d600020600255";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        if (EthTests.Root is null) return data;
        var root = Path.Combine(EthTests.Root, "Prague", "eip2537_bls_12_381_precompiles");
        if (!Directory.Exists(root)) return data;
        foreach (var file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order())
        {
            if (file.Contains("variable_length_input_contracts", StringComparison.Ordinal) ||
                file.Contains("before_fork", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in doc.RootElement.EnumerateObject())
                data.Add(Path.GetRelativePath(root, file), test.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StateTestCall(string file, string name)
    {
        var root = EthTests.Require("Prague/eip2537_bls_12_381_precompiles");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, file)));
        var test = doc.RootElement.GetProperty(name);
        string code = "";
        foreach (var account in test.GetProperty("pre").EnumerateObject())
        {
            string c = account.Value.GetProperty("code").GetString()!;
            if (c.Length > 2) code = c;
        }
        var m = CallPattern().Match(code);
        Assert.True(m.Success, "no precompile call in " + code);
        ulong address = Convert.ToUInt64(m.Groups[1].Value, 16);
        long gas = Convert.ToInt64(m.Groups[2].Value, 16);
        bool expectSuccess = code.Contains(StoresReturnHash, StringComparison.Ordinal);

        var precompile = PrecompileRegistry.Get(Address.FromNumber(address), Fork.Prague);
        Assert.NotNull(precompile);
        byte[] input = Hex.Decode(test.GetProperty("transaction").GetProperty("data")[0].GetString()!);
        long required = precompile.RequiredGas(input, Fork.Prague);
        bool ok = required <= gas && precompile.TryRun(input, Fork.Prague, out _);
        Assert.True(expectSuccess == ok, $"expected {(expectSuccess ? "success" : "failure")}; required gas {required}, given {gas}");
    }

    [Fact]
    public void FixturesArePresent()
    {
        EthTests.Require("Prague/eip2537_bls_12_381_precompiles");
        Assert.True(Cases().Count > 300);
    }
}
