using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Jevm.Crypto.Bls12381;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Precompiles.Bls12381;
using Jevm.Precompiles.Kzg;

namespace Jevm.Perf;

/// <summary>
/// The BLS12-381, KZG and P256 precompiles on their worst-case input class (full-width scalars, no infinity points,
/// the most pairs the discount tables price lowest), with an MGas/s column: gas charged per microsecond.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GasThroughputConfig))]
public class BlsPrecompileBenchmarks
{
    private sealed class GasThroughputConfig : ManualConfig
    {
        public GasThroughputConfig() => AddColumn(MGasPerSecondColumn());
    }

    /// <summary>Gas of each benchmark's input, filled in GlobalSetup-independent static form so the column can read it.</summary>
    private static readonly Dictionary<string, long> s_gas = [];

    private static readonly byte[] s_g1Add = BuildG1Add();
    private static readonly byte[] s_g2Add = BuildG2Add();
    private static readonly byte[] s_g1Msm1 = BuildG1Msm(1), s_g1Msm128 = BuildG1Msm(128);
    private static readonly byte[] s_g2Msm1 = BuildG2Msm(1), s_g2Msm128 = BuildG2Msm(128);
    private static readonly byte[] s_pairing1 = BuildPairing(1), s_pairing8 = BuildPairing(8);
    private static readonly byte[] s_mapG1 = Hex.Decode("00000000000000000000000000000000156c8a6a2c184569d69a76be144b5cdc5141d2d2ca4fe341f011e25e3969c55ad9e9b9ce2eb833c81a908e5fa4ac5f03");
    private static readonly byte[] s_mapG2 = Hex.Decode("0000000000000000000000000000000007355d25caf6e7f2f0cb2812ca0e513bd026ed09dda65b177500fa31714e09ea0ded3a078b526bed3307f804d4b93b040000000000000000000000000000000002829ce3c021339ccb5caf3e187f6370e1e2a311dec9b75363117063ab2015603ff52c3d3b98f19c2f65575e99e8b78c");
    // A correct consensus-spec verify_kzg_proof vector with neither point at infinity (case 1ce8e4f69d5df899).
    private static readonly byte[] s_kzg = Hex.Decode("01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000000000000000000000000000000000000000000000000000000000000000000093efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f14655692c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348");
    // EIP-7951 vector #1 (valid signature): verification runs to the end.
    private static readonly byte[] s_p256 = Hex.Decode("bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca6050232ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd762927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e");

    static BlsPrecompileBenchmarks()
    {
        s_gas[nameof(G1Add)] = G1AddPrecompile.Instance.RequiredGas(s_g1Add, Fork.Prague);
        s_gas[nameof(G2Add)] = G2AddPrecompile.Instance.RequiredGas(s_g2Add, Fork.Prague);
        s_gas[nameof(G1Msm1)] = G1MsmPrecompile.Instance.RequiredGas(s_g1Msm1, Fork.Prague);
        s_gas[nameof(G1Msm128)] = G1MsmPrecompile.Instance.RequiredGas(s_g1Msm128, Fork.Prague);
        s_gas[nameof(G2Msm1)] = G2MsmPrecompile.Instance.RequiredGas(s_g2Msm1, Fork.Prague);
        s_gas[nameof(G2Msm128)] = G2MsmPrecompile.Instance.RequiredGas(s_g2Msm128, Fork.Prague);
        s_gas[nameof(Pairing1)] = PairingCheckPrecompile.Instance.RequiredGas(s_pairing1, Fork.Prague);
        s_gas[nameof(Pairing8)] = PairingCheckPrecompile.Instance.RequiredGas(s_pairing8, Fork.Prague);
        s_gas[nameof(MapFpToG1)] = MapFpToG1Precompile.Instance.RequiredGas(s_mapG1, Fork.Prague);
        s_gas[nameof(MapFp2ToG2)] = MapFp2ToG2Precompile.Instance.RequiredGas(s_mapG2, Fork.Prague);
        s_gas[nameof(KzgPointEvaluation)] = PointEvaluationPrecompile.Instance.RequiredGas(s_kzg, Fork.Cancun);
        s_gas[nameof(P256Verify)] = P256VerifyPrecompile.Instance.RequiredGas(s_p256, Fork.Osaka);
    }

    private static byte[] Scalar(int seed)
    {
        var b = new byte[32];
        new Random(seed).NextBytes(b);
        b[0] |= 0x80; // full width
        return b;
    }

    private static AffinePoint<Fp> G1Point(int seed) => Curves.G1Generator.ToJacobian().Multiply(Scalar(seed)).ToAffine();
    private static AffinePoint<Fp2> G2Point(int seed) => Curves.G2Generator.ToJacobian().Multiply(Scalar(seed)).ToAffine();

    private static byte[] BuildG1Add()
    {
        var input = new byte[256];
        Bls12381Encoding.WriteG1(G1Point(1), input);
        Bls12381Encoding.WriteG1(G1Point(2), input.AsSpan(128));
        return input;
    }

    private static byte[] BuildG2Add()
    {
        var input = new byte[512];
        Bls12381Encoding.WriteG2(G2Point(1), input);
        Bls12381Encoding.WriteG2(G2Point(2), input.AsSpan(256));
        return input;
    }

    private static byte[] BuildG1Msm(int k)
    {
        var input = new byte[160 * k];
        for (int i = 0; i < k; i++)
        {
            Bls12381Encoding.WriteG1(G1Point(100 + i), input.AsSpan(160 * i));
            input.AsSpan(160 * i + 128, 32).Fill(0xff); // all-ones scalar: every window digit non-zero
        }
        return input;
    }

    private static byte[] BuildG2Msm(int k)
    {
        var input = new byte[288 * k];
        for (int i = 0; i < k; i++)
        {
            Bls12381Encoding.WriteG2(G2Point(100 + i), input.AsSpan(288 * i));
            input.AsSpan(288 * i + 256, 32).Fill(0xff);
        }
        return input;
    }

    private static byte[] BuildPairing(int k)
    {
        var input = new byte[384 * k];
        for (int i = 0; i < k; i++)
        {
            Bls12381Encoding.WriteG1(G1Point(200 + i), input.AsSpan(384 * i));
            Bls12381Encoding.WriteG2(G2Point(300 + i), input.AsSpan(384 * i + 128));
        }
        return input;
    }

    private static byte[] Run(IPrecompile p, byte[] input, Fork fork)
    {
        if (!p.TryRun(input, fork, out var output)) throw new InvalidOperationException("benchmark input rejected");
        return output;
    }

    [Benchmark] public byte[] G1Add() => Run(G1AddPrecompile.Instance, s_g1Add, Fork.Prague);
    [Benchmark] public byte[] G2Add() => Run(G2AddPrecompile.Instance, s_g2Add, Fork.Prague);
    [Benchmark] public byte[] G1Msm1() => Run(G1MsmPrecompile.Instance, s_g1Msm1, Fork.Prague);
    [Benchmark] public byte[] G1Msm128() => Run(G1MsmPrecompile.Instance, s_g1Msm128, Fork.Prague);
    [Benchmark] public byte[] G2Msm1() => Run(G2MsmPrecompile.Instance, s_g2Msm1, Fork.Prague);
    [Benchmark] public byte[] G2Msm128() => Run(G2MsmPrecompile.Instance, s_g2Msm128, Fork.Prague);
    [Benchmark] public byte[] Pairing1() => Run(PairingCheckPrecompile.Instance, s_pairing1, Fork.Prague);
    [Benchmark] public byte[] Pairing8() => Run(PairingCheckPrecompile.Instance, s_pairing8, Fork.Prague);
    [Benchmark] public byte[] MapFpToG1() => Run(MapFpToG1Precompile.Instance, s_mapG1, Fork.Prague);
    [Benchmark] public byte[] MapFp2ToG2() => Run(MapFp2ToG2Precompile.Instance, s_mapG2, Fork.Prague);
    [Benchmark] public byte[] KzgPointEvaluation() => Run(PointEvaluationPrecompile.Instance, s_kzg, Fork.Cancun);
    [Benchmark] public byte[] P256Verify() => Run(P256VerifyPrecompile.Instance, s_p256, Fork.Osaka);

    /// <summary>MGas/s = gas charged / mean time in µs.</summary>
    private static ComputedColumn MGasPerSecondColumn() => new("MGas/s", "Gas charged per microsecond of mean run time", static (summary, bc) =>
        ComputedColumn.MeanNs(summary, bc) is { } ns && s_gas.TryGetValue(bc.Descriptor.WorkloadMethod.Name, out long gas)
            ? (gas * 1000.0 / ns).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : null);
}
