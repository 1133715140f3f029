using System.Text.Json;
using System.Text.RegularExpressions;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Precompiles.Kzg;
using Jevm.Primitives;
using Jevm.Tests.Support;

namespace Jevm.Tests.Precompiles;

public class KzgPointEvaluationTests
{
    private static IPrecompile Precompile => PrecompileRegistry.Get(Address.FromNumber(0x0a), Fork.Cancun)!;

    [Fact]
    public void IsRegisteredFromCancun()
    {
        Assert.IsType<PointEvaluationPrecompile>(Precompile);
        Assert.Null(PrecompileRegistry.Get(Address.FromNumber(0x0a), Fork.Shanghai));
        Assert.Equal(50_000, Precompile.RequiredGas(new byte[192], Fork.Cancun)); // EIP-4844 POINT_EVALUATION_PRECOMPILE_GAS
    }

    /// <summary>The point-at-infinity commitment and proof: the zero polynomial evaluates to 0 everywhere.</summary>
    [Fact]
    public void ZeroPolynomialProofVerifiesAndReturnsBlobConstants()
    {
        byte[] input = ZeroPolynomialInput(z: 7, y: 0);
        Assert.True(Precompile.TryRun(input, Fork.Cancun, out var output));
        // FIELD_ELEMENTS_PER_BLOB = 4096 and BLS_MODULUS, from the EIP.
        Assert.Equal(Hex.Decode("0x0000000000000000000000000000000000000000000000000000000000001000" +
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"), output);
    }

    [Fact]
    public void RejectsWrongValueWrongHashAndWrongLength()
    {
        Assert.False(Precompile.TryRun(ZeroPolynomialInput(z: 7, y: 1), Fork.Cancun, out var o1));
        Assert.Empty(o1);
        var badHash = ZeroPolynomialInput(z: 7, y: 0);
        badHash[0] = 0x02; // version byte must be 0x01
        Assert.False(Precompile.TryRun(badHash, Fork.Cancun, out _));
        Assert.False(Precompile.TryRun(ZeroPolynomialInput(7, 0).AsSpan(0, 191), Fork.Cancun, out _));
        Assert.False(Precompile.TryRun([], Fork.Cancun, out _));
    }

    private static byte[] ZeroPolynomialInput(byte z, byte y)
    {
        var input = new byte[192];
        input[96] = 0xc0;  // commitment = infinity
        input[144] = 0xc0; // proof = infinity
        System.Security.Cryptography.SHA256.HashData(input.AsSpan(96, 48), input.AsSpan(0, 32));
        input[0] = 0x01;
        input[63] = z;
        input[95] = y;
        return input;
    }

    public static TheoryData<string, string, bool> ExternalVectors()
    {
        var data = new TheoryData<string, string, bool>();
        if (EthTests.Root is null) return data;
        var file = Path.Combine(EthTests.Root, "GeneralStateTests/Pyspecs/cancun/eip4844_blobs/point_evaluation_precompile_external_vectors.json");
        if (!File.Exists(file)) return data;
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        foreach (var test in doc.RootElement.EnumerateObject())
        {
            // The case names come from the consensus-spec verify_kzg_proof vectors: correct_proof* must verify, all others fail.
            var m = Regex.Match(test.Name, @"verify_kzg_proof_case_([a-z_]+)_[0-9a-f]{16}\]");
            if (!m.Success) continue;
            string input = test.Value.GetProperty("transaction").GetProperty("data")[0].GetString()!;
            data.Add(m.Groups[1].Value + " " + test.Name[^18..^1], input, m.Groups[1].Value.StartsWith("correct_proof", StringComparison.Ordinal));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExternalVectors))]
    public void ConsensusSpecVectorsFromTheStateTests(string name, string inputHex, bool valid)
    {
        _ = name;
        bool ok = Precompile.TryRun(Hex.Decode(inputHex), Fork.Cancun, out var output);
        Assert.Equal(valid, ok);
        Assert.Equal(valid ? 64 : 0, output.Length);
    }

    [Fact]
    public void ExternalVectorsArePresent()
    {
        EthTests.Require("GeneralStateTests/Pyspecs/cancun/eip4844_blobs");
        Assert.True(ExternalVectors().Count >= 100);
    }
}
