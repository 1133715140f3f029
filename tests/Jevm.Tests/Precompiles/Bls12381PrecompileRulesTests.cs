using System.Numerics;
using FsCheck.Xunit;
using Jevm.Crypto.Bls12381;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.Tests.Precompiles;

/// <summary>EIP-2537 gas schedule, encoding and subgroup rules, MSM against the naive sum, and the EIP's pairing vectors.</summary>
public class Bls12381PrecompileRulesTests
{
    private static IPrecompile At(ulong n) => PrecompileRegistry.Get(Address.FromNumber(n), Fork.Prague)!;

    private const string G1 = "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
    private const string NegG1 = "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";
    private const string P1 = "00000000000000000000000000000000112b98340eee2777cc3c14163dea3ec97977ac3dc5c70da32e6e87578f44912e902ccef9efe28d4a78b8999dfbca942600000000000000000000000000000000186b28d92356c4dfec4b5201ad099dbdede3781f8998ddf929b4cd7756192185ca7b8f4ef7088f813270ac3d48868a21";
    private const string G1PlusP1 = "000000000000000000000000000000000a40300ce2dec9888b60690e9a41d3004fda4886854573974fab73b046d3147ba5b7a5bde85279ffede1b45b3918d82d0000000000000000000000000000000006d3d887e9f53b9ec4eb6cedf5607226754b07c01ace7834f57f3e7315faefb739e59018e22c492006190fba4a870025";
    private const string G2 = "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be";
    private const string NegG2 = "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed";
    private static readonly string Inf1 = new('0', 256);
    private static readonly string Inf2 = new('0', 512);

    // ---- gas (numbers from the EIP text) ----

    [Fact]
    public void FixedGasMatchesTheEip()
    {
        Assert.Equal(375, At(0x0b).RequiredGas(new byte[256], Fork.Prague));
        Assert.Equal(600, At(0x0d).RequiredGas(new byte[512], Fork.Prague));
        Assert.Equal(5500, At(0x10).RequiredGas(new byte[64], Fork.Prague));
        Assert.Equal(23800, At(0x11).RequiredGas(new byte[128], Fork.Prague));
    }

    [Theory]
    [InlineData(1, 37700 + 32600)]
    [InlineData(2, 37700 + 2 * 32600)]
    [InlineData(10, 37700 + 10 * 32600)]
    public void PairingGasIs32600PerPairPlus37700(int k, long gas) => Assert.Equal(gas, At(0x0f).RequiredGas(new byte[384 * k], Fork.Prague));

    [Theory]
    // k·12000·discount/1000 with the EIP's G1 table: discount(1) = 1000, (2) = 949, (128) = 519, max 519.
    [InlineData(1, 12000L)]
    [InlineData(2, 2 * 12000L * 949 / 1000)]
    [InlineData(128, 128 * 12000L * 519 / 1000)]
    [InlineData(200, 200 * 12000L * 519 / 1000)]
    public void G1MsmGasUsesTheDiscountTable(int k, long gas) => Assert.Equal(gas, At(0x0c).RequiredGas(new byte[160 * k], Fork.Prague));

    [Theory]
    // G2 table: discount(1) = discount(2) = 1000, (3) = 923, (128) = 524, max 524.
    [InlineData(1, 22500L)]
    [InlineData(2, 2 * 22500L)]
    [InlineData(3, 3 * 22500L * 923 / 1000)]
    [InlineData(128, 128 * 22500L * 524 / 1000)]
    [InlineData(300, 300 * 22500L * 524 / 1000)]
    public void G2MsmGasUsesTheDiscountTable(int k, long gas) => Assert.Equal(gas, At(0x0e).RequiredGas(new byte[288 * k], Fork.Prague));

    [Fact]
    public void NotPresentBeforePrague()
    {
        for (ulong n = 0x0b; n <= 0x11; n++)
        {
            Assert.Null(PrecompileRegistry.Get(Address.FromNumber(n), Fork.Cancun));
            Assert.NotNull(At(n));
        }
    }

    // ---- the EIP's pairing vectors, built from the same points ----

    [Theory]
    [InlineData("e(0,0)", true)]
    [InlineData("e(0,G2)", true)]
    [InlineData("e(G1,0)", true)]
    [InlineData("non-degeneracy", false)]
    [InlineData("e(G1,-G2)=e(-G1,G2)", true)]
    [InlineData("e(G1,0)!=e(-G1,G2)", false)]
    [InlineData("bilinearity", true)]
    public void EipPairingVectors(string name, bool expected)
    {
        string input = name switch
        {
            "e(0,0)" => Inf1 + Inf2,
            "e(0,G2)" => Inf1 + G2,
            "e(G1,0)" => G1 + Inf2,
            "non-degeneracy" => G1 + G2,
            "e(G1,-G2)=e(-G1,G2)" => G1 + G2 + G1 + NegG2,
            "e(G1,0)!=e(-G1,G2)" => G1 + Inf2 + G1 + NegG2,
            "bilinearity" => G1 + G2 + P1 + G2 + G1PlusP1 + NegG2,
            _ => throw new ArgumentException(name),
        };
        Assert.True(At(0x0f).TryRun(Hex.Decode(input), Fork.Prague, out var output));
        Assert.Equal(32, output.Length);
        Assert.Equal(expected ? 1 : 0, output[31]);
        Assert.All(output[..31], b => Assert.Equal(0, b));
    }

    // ---- encoding and subgroup rules ----

    private static AffinePoint<Fp> NonSubgroupG1()
    {
        var rng = new Random(5);
        while (true)
        {
            var p = Bls12381CurveTests.RandomCurvePointG1(rng);
            if (!Curves.IsInG1Slow(p)) return p;
        }
    }

    private static AffinePoint<Fp2> NonSubgroupG2()
    {
        var rng = new Random(6);
        while (true)
        {
            var q = Bls12381CurveTests.RandomCurvePointG2(rng);
            if (!Curves.IsInG2Slow(q)) return q;
        }
    }

    [Fact]
    public void AddAcceptsPointsOutsideTheSubgroupButMsmAndPairingReject()
    {
        var p = NonSubgroupG1();
        var q = NonSubgroupG2();
        var pb = new byte[128]; Bls12381Encoding.WriteG1(p, pb);
        var qb = new byte[256]; Bls12381Encoding.WriteG2(q, qb);
        Assert.True(At(0x0b).TryRun([.. pb, .. pb], Fork.Prague, out var sum));
        // Doubling agrees with the curve code's own doubling (independent formula) and stays on the curve.
        Assert.True(Bls12381Encoding.TryReadG1(sum, out var s) && s.Equals(p.ToJacobian().Double().ToAffine()));
        Assert.True(At(0x0d).TryRun([.. qb, .. qb], Fork.Prague, out _));
        Assert.False(At(0x0c).TryRun([.. pb, .. new byte[32]], Fork.Prague, out _));
        Assert.False(At(0x0e).TryRun([.. qb, .. new byte[32]], Fork.Prague, out _));
        Assert.False(At(0x0f).TryRun([.. pb, .. Hex.Decode(G2)], Fork.Prague, out _));
        Assert.False(At(0x0f).TryRun([.. Hex.Decode(G1), .. qb], Fork.Prague, out _));
    }

    [Fact]
    public void RejectsBadEncodings()
    {
        byte[] good = Hex.Decode(G1 + G1);
        Assert.True(At(0x0b).TryRun(good, Fork.Prague, out _));
        // Non-zero padding byte.
        var padded = (byte[])good.Clone(); padded[0] = 1;
        Assert.False(At(0x0b).TryRun(padded, Fork.Prague, out _));
        var padded2 = (byte[])good.Clone(); padded2[64 + 15] = 1;
        Assert.False(At(0x0b).TryRun(padded2, Fork.Prague, out _));
        // x = p.
        var xp = (byte[])good.Clone();
        Bls12381FieldTests.P.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(xp, 16);
        Assert.False(At(0x0b).TryRun(xp, Fork.Prague, out _));
        // Off the curve.
        var off = (byte[])good.Clone(); off[127] ^= 1;
        Assert.False(At(0x0b).TryRun(off, Fork.Prague, out _));
        // Lengths.
        Assert.False(At(0x0b).TryRun(good.AsSpan(0, 255), Fork.Prague, out _));
        Assert.False(At(0x0b).TryRun([.. good, 0], Fork.Prague, out _));
        Assert.False(At(0x0c).TryRun([], Fork.Prague, out _));
        Assert.False(At(0x0e).TryRun([], Fork.Prague, out _));
        Assert.False(At(0x0f).TryRun([], Fork.Prague, out _));
        Assert.False(At(0x10).TryRun(new byte[63], Fork.Prague, out _));
        Assert.False(At(0x11).TryRun(new byte[129], Fork.Prague, out _));
        // Map input ≥ p.
        var u = new byte[64];
        Bls12381FieldTests.P.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(u, 16);
        Assert.False(At(0x10).TryRun(u, Fork.Prague, out _));
    }

    // ---- MSM against the naive sum ----

    private static readonly BigInteger s_r = Curves.R;

    [Property(MaxTest = 8)]
    public bool G1MsmEqualsTheNaiveSum(int seed)
    {
        var rng = new Random(seed);
        int k = 1 + rng.Next(12);
        var input = new byte[160 * k];
        var expected = JacobianPoint<Fp>.Infinity;
        for (int i = 0; i < k; i++)
        {
            var pt = rng.Next(6) == 0 ? AffinePoint<Fp>.Infinity
                : Bls12381CurveTests.G1.Multiply(Bls12381CurveTests.Scalar(Bls12381FieldTests.RandomBelow(rng, s_r))).ToAffine();
            var scalar = new byte[32];
            rng.NextBytes(scalar);
            if (rng.Next(5) == 0) Array.Clear(scalar);
            Bls12381Encoding.WriteG1(pt, input.AsSpan(160 * i));
            scalar.CopyTo(input, 160 * i + 128);
            expected = expected.Add(pt.ToJacobian().Multiply(scalar));
        }
        var want = new byte[128];
        Bls12381Encoding.WriteG1(expected.ToAffine(), want);
        return At(0x0c).TryRun(input, Fork.Prague, out var output) && output.AsSpan().SequenceEqual(want);
    }

    [Property(MaxTest = 4)]
    public bool G2MsmEqualsTheNaiveSum(int seed)
    {
        var rng = new Random(seed);
        int k = 1 + rng.Next(6);
        var input = new byte[288 * k];
        var expected = JacobianPoint<Fp2>.Infinity;
        for (int i = 0; i < k; i++)
        {
            var pt = Bls12381CurveTests.G2.Multiply(Bls12381CurveTests.Scalar(Bls12381FieldTests.RandomBelow(rng, s_r))).ToAffine();
            var scalar = new byte[32];
            rng.NextBytes(scalar);
            Bls12381Encoding.WriteG2(pt, input.AsSpan(288 * i));
            scalar.CopyTo(input, 288 * i + 256);
            expected = expected.Add(pt.ToJacobian().Multiply(scalar));
        }
        var want = new byte[256];
        Bls12381Encoding.WriteG2(expected.ToAffine(), want);
        return At(0x0e).TryRun(input, Fork.Prague, out var output) && output.AsSpan().SequenceEqual(want);
    }

    [Fact]
    public void MsmWithScalarRIsInfinityAndWithRPlusOneIsThePoint()
    {
        var r = Curves.RBytes;
        var rPlus1 = Bls12381CurveTests.Scalar(s_r + 1);
        Assert.True(At(0x0c).TryRun(Hex.Decode(G1 + Convert.ToHexString(r)), Fork.Prague, out var o1));
        Assert.Equal(Hex.Decode(Inf1), o1);
        Assert.True(At(0x0c).TryRun(Hex.Decode(G1 + Convert.ToHexString(rPlus1)), Fork.Prague, out var o2));
        Assert.Equal(Hex.Decode(G1), o2);
        // 2^256 - 1 is not reduced before use, and equals (2^256 - 1) mod r times the point.
        var max = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var reduced = Bls12381CurveTests.Scalar((BigInteger.Pow(2, 256) - 1) % s_r);
        Assert.True(At(0x0c).TryRun(Hex.Decode(G1 + Convert.ToHexString(max)), Fork.Prague, out var o3));
        Assert.True(At(0x0c).TryRun(Hex.Decode(G1 + Convert.ToHexString(reduced)), Fork.Prague, out var o4));
        Assert.Equal(o4, o3);
        Assert.True(At(0x0e).TryRun(Hex.Decode(NegG2 + Convert.ToHexString(r)), Fork.Prague, out var o5));
        Assert.Equal(Hex.Decode(Inf2), o5);
    }

    [Fact]
    public void NegatedGeneratorsSumToInfinity()
    {
        Assert.True(At(0x0b).TryRun(Hex.Decode(G1 + NegG1), Fork.Prague, out var o1));
        Assert.Equal(Hex.Decode(Inf1), o1);
        Assert.True(At(0x0d).TryRun(Hex.Decode(G2 + NegG2), Fork.Prague, out var o2));
        Assert.Equal(Hex.Decode(Inf2), o2);
        Assert.True(At(0x0d).TryRun(Hex.Decode(Inf2 + G2), Fork.Prague, out var o3));
        Assert.Equal(Hex.Decode(G2), o3);
    }
}
