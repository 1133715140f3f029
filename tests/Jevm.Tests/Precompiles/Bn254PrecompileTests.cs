using Jevm.Crypto.Bn254;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.Tests.Precompiles;

public class Bn254PrecompileTests
{
    private static string W(ulong n) => n.ToString("x64");

    // Affine multiples of G = (1, 2), computed independently with Python integers (textbook affine formulas).
    private const string G = "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000002";
    private const string G2x = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
    private const string G3x = "0769bf9ac56bea3ff40232bcb1b6bd159315d84715b8e679f2d355961915abf02ab799bee0489429554fdb7c8d086475319e63b40b9c5b57cdf1ff3dd9fe2261";
    private const string G4x = "06a7b64af8f414bcbeef455b1da5208c9b592b83ee6599824caa6d2ee9141a7608e74e438cee31ac104ce59b94e45fe98a97d8f8a6e75664ce88ef5a41e72fbc";
    private const string NegG = "0000000000000000000000000000000000000000000000000000000000000001" + "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45";
    private const string MaxScalarG = "2f588cffe99db877a4434b598ab28f81e0522910ea52b45f0adaa772b2d5d35212f42fa8fd34fb1b33d8c6a718b6590198389b26fc9d8808d971f8b009777a97";
    private const string P123456789 = "142a7688cf05c29f7593351e1b86eb87e3ad5dcb1b0fc3d853e9852040c57019136b5d7e238ae6edc22d1fba5a2dcde8a7b0df53b0c4af7f600e6a0c4610c899";
    private const string P123456789x987654321 = "17701ccf0ea4cf265989b9700fddefb1c5f48a0088254c1e92a5f2c42a167d6501ae3ff3170aac605119179a5cfd5bb419098c074fd88bfdcbbfb2c8ad5421d9";
    private const string Zero64 = "0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000000";
    private const string PHex = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
    private const string RMinus1 = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000";

    // EIP-197's G2 generator, encoded (x.im, x.re, y.im, y.re).
    private const string G2Gen =
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
        "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";

    private static byte[] Ok(IPrecompile p, string hex)
    {
        Assert.True(p.TryRun(Hex.Decode(hex), Fork.Cancun, out var output));
        return output;
    }

    private static void Fails(IPrecompile p, string hex) => Assert.False(p.TryRun(Hex.Decode(hex), Fork.Cancun, out _));

    [Theory]
    [InlineData(G + G, G2x)]
    [InlineData(G + G3x, G4x)]
    [InlineData(G2x + G2x, G4x)]
    [InlineData(G + NegG, Zero64)]
    [InlineData(G + Zero64, G)]
    [InlineData(Zero64 + G3x, G3x)]
    [InlineData(Zero64 + Zero64, Zero64)]
    [InlineData("", Zero64)]          // empty input is two points at infinity
    [InlineData(G, G)]                // short input: the second point is zero-padded to infinity
    public void Add_KnownAnswers(string input, string expected) =>
        Assert.Equal("0x" + expected, Hex.Encode(Ok(Bn254AddPrecompile.Instance, input)));

    [Theory]
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000001")] // (1, 1) not on curve
    [InlineData(PHex + "0000000000000000000000000000000000000000000000000000000000000002" + G)]                                                  // x = p (≥ p)
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000001" + "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd49")] // y = p + 2
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000003")] // (0, 3) not on curve
    public void Add_InvalidPoint_Fails(string input) => Fails(Bn254AddPrecompile.Instance, input);

    [Theory]
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000002", G2x)]
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000003", G3x)]
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000000", Zero64)]
    [InlineData(G + "0000000000000000000000000000000000000000000000000000000000000001", G)]
    [InlineData(G + RMinus1, NegG)]
    [InlineData(G + "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", Zero64)] // r·G
    [InlineData(G + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", MaxScalarG)]
    [InlineData(P123456789 + "000000000000000000000000000000000000000000000000000000003ade68b1", P123456789x987654321)]
    [InlineData(Zero64 + "0000000000000000000000000000000000000000000000000000000000000005", Zero64)]
    [InlineData(G + "02", "065a6b8b56220596ad72f24aea44c1d62f4c1544f23d4e968112d3d57f76c9b52d8d82657d6f9f9d5676cece3b7547be1b2ab34879690cd1d231716891525cf7")] // truncated scalar: 0x02 then zero padding = 2^249
    public void Mul_KnownAnswers(string input, string expected) =>
        Assert.Equal("0x" + expected, Hex.Encode(Ok(Bn254MulPrecompile.Instance, input)));

    [Fact]
    public void Mul_ShortInput_IsZeroPadded()
    {
        Assert.Equal("0x" + Zero64, Hex.Encode(Ok(Bn254MulPrecompile.Instance, G))); // scalar 0
        Assert.Equal("0x" + Zero64, Hex.Encode(Ok(Bn254MulPrecompile.Instance, "")));
    }

    [Fact]
    public void Mul_InvalidPoint_Fails() =>
        Fails(Bn254MulPrecompile.Instance, "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000003" + W(2));

    private static readonly string s_one = "0x" + W(1);
    private static readonly string s_zero = "0x" + W(0);

    [Fact]
    public void Pairing_EmptyInput_IsOne() => Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, "")));

    [Fact]
    public void Pairing_GeneratorAndNegatedGenerator_IsOne() =>
        Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, G + G2Gen + NegG + G2Gen)));

    [Fact]
    public void Pairing_SinglePair_IsZero() =>
        Assert.Equal(s_zero, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, G + G2Gen)));

    [Fact]
    public void Pairing_Bilinear_2G_G2_Against_G_2G2()
    {
        // e(2G, Q)·e(−G, 2Q)... built from e(2G, Q) = e(G, 2Q): e(2G, Q)·e(−G, Q)·e(−G, Q) = 1.
        Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, G2x + G2Gen + NegG + G2Gen + NegG + G2Gen)));
        Assert.Equal(s_zero, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, G2x + G2Gen + NegG + G2Gen)));
    }

    [Fact]
    public void Pairing_InfinityPairs_AreOne()
    {
        string zero128 = Zero64 + Zero64;
        Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, Zero64 + zero128)));
        Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, G + zero128)));
        Assert.Equal(s_one, Hex.Encode(Ok(Bn254PairingPrecompile.Instance, Zero64 + G2Gen)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(191)]
    [InlineData(193)]
    [InlineData(384 + 64)]
    public void Pairing_LengthNotMultipleOf192_Fails(int length) =>
        Assert.False(Bn254PairingPrecompile.Instance.TryRun(new byte[length], Fork.Cancun, out _));

    [Fact]
    public void Pairing_InvalidPoints_Fail()
    {
        // G2 point outside the subgroup: (2 + u, y) on the twist.
        string badSubgroup = W(1) + W(2) +
            "2b76c179599bb92a963dac85546a005a777f7c13f6a7b75d5918b6b5808f5fde" +
            "101f7278419308b95099eca02dcee0c5381f4d26d1d62313f057167f064101ce";
        Fails(Bn254PairingPrecompile.Instance, G + badSubgroup);
        // G2 point not on the twist: swap y's parts.
        Fails(Bn254PairingPrecompile.Instance, G + G2Gen.Substring(0, 128) + G2Gen.Substring(192, 64) + G2Gen.Substring(128, 64));
        // G2 coordinate ≥ p.
        Fails(Bn254PairingPrecompile.Instance, G + PHex + G2Gen.Substring(64));
        // G1 not on curve.
        Fails(Bn254PairingPrecompile.Instance, W(1) + W(3) + G2Gen);
    }

    [Fact]
    public void SwappedFp2Order_IsNotAccepted()
    {
        // EIP-197 puts the imaginary part first; the generator with (re, im) order is not on the twist.
        string swapped = G2Gen.Substring(64, 64) + G2Gen.Substring(0, 64) + G2Gen.Substring(192, 64) + G2Gen.Substring(128, 64);
        Fails(Bn254PairingPrecompile.Instance, G + swapped);
    }

    [Theory]
    [InlineData(Fork.Byzantium, 500L, 40000L, 100000L, 80000L)]
    [InlineData(Fork.Petersburg, 500L, 40000L, 100000L, 80000L)]
    [InlineData(Fork.Istanbul, 150L, 6000L, 45000L, 34000L)]
    [InlineData(Fork.Osaka, 150L, 6000L, 45000L, 34000L)]
    public void Gas_PerFork(Fork fork, long add, long mul, long pairBase, long perPair)
    {
        Assert.Equal(add, Bn254AddPrecompile.Instance.RequiredGas([], fork));
        Assert.Equal(mul, Bn254MulPrecompile.Instance.RequiredGas([], fork));
        Assert.Equal(pairBase, Bn254PairingPrecompile.Instance.RequiredGas([], fork));
        Assert.Equal(pairBase + 3 * perPair, Bn254PairingPrecompile.Instance.RequiredGas(new byte[3 * 192], fork));
    }

    [Fact]
    public void Registry_HasBn254FromByzantium()
    {
        Assert.Null(PrecompileRegistry.Get(Address.FromNumber(6), Fork.SpuriousDragon));
        Assert.Same(Bn254AddPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(6), Fork.Byzantium));
        Assert.Same(Bn254MulPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(7), Fork.Byzantium));
        Assert.Same(Bn254PairingPrecompile.Instance, PrecompileRegistry.Get(Address.FromNumber(8), Fork.Byzantium));
    }

    [Fact]
    public void G2GeneratorEncoding_MatchesCurveConstant()
    {
        Assert.True(Bn254Codec.TryReadG2(Hex.Decode(G2Gen), out var q));
        Assert.True(q.IsSamePoint(Bn254Curve.G2Generator));
    }
}
