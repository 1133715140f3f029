using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Tests.Precompiles;

namespace Jevm.Perf;

/// <summary>
/// secp256k1 public-key recovery to an address (ecrecover, EIP-7702 authorities, transaction senders): ours against
/// BouncyCastle's <c>ECAlgorithms.SumOfTwoMultiplies</c> (the baseline, the implementation used before), on the
/// signature of the official CallEcrecover0 state test. Per call, so the mean is µs per recovery.
/// Run: <c>dotnet run -c Release --project perf/Jevm.Perf -- --filter '*EcRecover*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class EcRecoverBenchmarks
{
    private readonly byte[] _hash = Hex.Decode("18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c");
    private readonly byte[] _r = Hex.Decode("73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f");
    private readonly byte[] _s = Hex.Decode("eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
    private readonly byte[] _address = new byte[20];

    [Benchmark(Baseline = true)]
    public bool BouncyCastle() => BouncyCastleEcRecover.TryRecoverAddress(_hash, 1, _r, _s, _address);

    [Benchmark]
    public bool Ours() => EcRecoverPrecompile.TryRecoverAddress(_hash, 1, _r, _s, _address);
}

/// <summary>
/// Case names (≤ 20 characters so the table does not truncate them): "emax" is the exponent 2^256 − 1, "Berlin" and
/// "Osaka" the pricing applied (EIP-2565 / EIP-7883).
/// Each precompile on its worst-case input class (the lowest gas per unit of time), reported in MGas/s =
/// gas charged ÷ time. Run: dotnet run -c Release --project perf/Jevm.Perf -- --filter '*PrecompileBenchmarks*'
/// </summary>
[Config(typeof(MGasConfig))]
[MemoryDiagnoser]
public class PrecompileBenchmarks
{
    /// <summary>A precompile, its input and the fork whose pricing applies.</summary>
    public sealed record Case(string Name, IPrecompile Precompile, byte[] Input, Fork Fork)
    {
        public long Gas => Precompile.RequiredGas(Input, Fork);
        public override string ToString() => Name;
    }

    private static string W(ulong n) => n.ToString("x64");

    private const string G1 = "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000002";
    private const string NegG1 = "0000000000000000000000000000000000000000000000000000000000000001" + "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45";
    private const string G2 =
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" + "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" + "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
    private const string G2x2 = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
    private const string Blake2Body =
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b" +
        "6162630000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
        "03000000000000000000000000000000" + "01";

    private static byte[] ModExpInput(int baseLen, string expHex, int modLen, byte fill)
    {
        var exp = Hex.Decode(expHex);
        var input = new byte[96 + baseLen + exp.Length + modLen];
        Hex.Decode(W((ulong)baseLen) + W((ulong)exp.Length) + W((ulong)modLen)).CopyTo(input, 0);
        for (int i = 0; i < baseLen; i++) input[96 + i] = (byte)(fill + i);
        exp.CopyTo(input, 96 + baseLen);
        for (int i = 0; i < modLen; i++) input[96 + baseLen + exp.Length + i] = (byte)(0xff - i);
        return input;
    }

    public static IEnumerable<Case> Cases()
    {
        yield return new("ecrecover", EcRecoverPrecompile.Instance, Hex.Decode(
            "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c" + W(28) +
            "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f" +
            "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549"), Fork.Cancun);
        yield return new("sha256 0B", Sha256Precompile.Instance, [], Fork.Cancun);
        yield return new("sha256 1KiB", Sha256Precompile.Instance, new byte[1024], Fork.Cancun);
        yield return new("ripemd160 0B", Ripemd160Precompile.Instance, [], Fork.Cancun);
        yield return new("ripemd160 1KiB", Ripemd160Precompile.Instance, new byte[1024], Fork.Cancun);
        yield return new("identity 0B", IdentityPrecompile.Instance, [], Fork.Cancun);
        yield return new("identity 1KiB", IdentityPrecompile.Instance, new byte[1024], Fork.Cancun);
        yield return new("modexp32 emax Berlin", ModExpPrecompile.Instance, ModExpInput(32, new string('f', 64), 32, 7), Fork.Cancun);
        yield return new("modexp32 emax Osaka", ModExpPrecompile.Instance, ModExpInput(32, new string('f', 64), 32, 7), Fork.Osaka);
        yield return new("modexp1K e=3 Berlin", ModExpPrecompile.Instance, ModExpInput(1024, "03", 1024, 7), Fork.Cancun);
        yield return new("modexp1K e=3 Osaka", ModExpPrecompile.Instance, ModExpInput(1024, "03", 1024, 7), Fork.Osaka);
        yield return new("modexp256 emax Berl", ModExpPrecompile.Instance, ModExpInput(256, new string('f', 64), 256, 7), Fork.Cancun);
        yield return new("blake2f 12 rounds", Blake2fPrecompile.Instance, Hex.Decode("0000000c" + Blake2Body), Fork.Cancun);
        yield return new("blake2f 10000 rounds", Blake2fPrecompile.Instance, Hex.Decode("00002710" + Blake2Body), Fork.Cancun);
        yield return new("bn254 add", Bn254AddPrecompile.Instance, Hex.Decode(G1 + G2x2), Fork.Cancun);
        yield return new("bn254 mul max scalar", Bn254MulPrecompile.Instance, Hex.Decode(G2x2 + new string('f', 64)), Fork.Cancun);
        yield return new("bn254 pairing 1", Bn254PairingPrecompile.Instance, Hex.Decode(G1 + G2), Fork.Cancun);
        yield return new("bn254 pairing 2", Bn254PairingPrecompile.Instance, Hex.Decode(G1 + G2 + NegG1 + G2), Fork.Cancun);
    }

    [ParamsSource(nameof(Cases))]
    public Case C { get; set; } = null!;

    [Benchmark]
    public byte[] Run()
    {
        C.Precompile.TryRun(C.Input, C.Fork, out var output);
        return output;
    }

    private sealed class MGasConfig : ManualConfig
    {
        public MGasConfig() => AddColumn(
            new ComputedColumn("MGas/s", "Gas charged ÷ mean time, in millions per second", static (summary, bc) =>
                ComputedColumn.MeanNs(summary, bc) is { } ns && bc.Parameters["C"] is Case c ? (c.Gas / ns * 1e3).ToString("0.0") : null, priority: 1),
            new ComputedColumn("Gas", "Gas charged for the call", static (_, bc) => bc.Parameters["C"] is Case c ? c.Gas.ToString() : null));
    }
}
