using System.Text.Json;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.Tests.Precompiles;

/// <summary>
/// EIP-2537 precompiles against the EIP's own test vectors (ethereum/EIPs assets/eip-2537/*.json, copied into
/// Bls12381Vectors/): every valid vector's output, and every fail-* vector's rejection.
/// </summary>
public class Bls12381PrecompileTests
{
    internal static string VectorDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Jevm.sln"))) dir = dir.Parent;
            return Path.Combine(dir!.FullName, "tests", "Jevm.Tests", "Precompiles", "Bls12381Vectors");
        }
    }

    private static readonly Dictionary<string, int> s_addressByFilePrefix = new()
    {
        ["add_G1"] = 0x0b, ["mul_G1"] = 0x0c, ["msm_G1"] = 0x0c, ["multiexp_G1"] = 0x0c,
        ["add_G2"] = 0x0d, ["mul_G2"] = 0x0e, ["msm_G2"] = 0x0e, ["multiexp_G2"] = 0x0e,
        ["pairing_check"] = 0x0f, ["map_fp_to_G1"] = 0x10, ["map_fp2_to_G2"] = 0x11,
    };

    internal static IPrecompile PrecompileFor(string file)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        if (name.StartsWith("fail-", StringComparison.Ordinal)) name = name[5..];
        name = name.Replace("_bls", "", StringComparison.Ordinal);
        return PrecompileRegistry.Get(Address.FromNumber((ulong)s_addressByFilePrefix[name]), Fork.Prague)!;
    }

    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(VectorDirectory, "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var v in doc.RootElement.EnumerateArray())
                data.Add(Path.GetFileName(file), v.GetProperty("Name").GetString()!);
        }
        return data;
    }

    private static JsonElement Find(string file, string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(VectorDirectory, file)));
        foreach (var v in doc.RootElement.EnumerateArray())
            if (v.GetProperty("Name").GetString() == name) return v.Clone();
        throw new InvalidOperationException(name);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void EipVector(string file, string name)
    {
        var v = Find(file, name);
        var precompile = PrecompileFor(file);
        byte[] input = Hex.Decode(v.GetProperty("Input").GetString()!);
        bool ok = precompile.TryRun(input, Fork.Prague, out var output);
        if (file.StartsWith("fail-", StringComparison.Ordinal))
        {
            Assert.False(ok, $"{name} should fail ({v.GetProperty("ExpectedError").GetString()})");
            Assert.Empty(output);
        }
        else
        {
            Assert.True(ok, name);
            Assert.Equal(v.GetProperty("Expected").GetString()!, Hex.Encode(output, prefix: false));
        }
    }

    [Fact]
    public void VectorFilesArePresent() => Assert.True(Vectors().Count >= 10);
}
