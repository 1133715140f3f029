using FsCheck.Xunit;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Jevm.Tests.Precompiles;

public class EcRecoverPrecompileTests
{
    // The signature used by the official CallEcrecover0 state test; it recovers the test sender a94f…bf0b.
    private const string Hash = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c";
    private const string V28 = "000000000000000000000000000000000000000000000000000000000000001c";
    private const string R = "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f";
    private const string S = "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";
    private const string N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    private static byte[] Run(string hex)
    {
        Assert.True(EcRecoverPrecompile.Instance.TryRun(Hex.Decode(hex), Fork.Cancun, out var output));
        return output;
    }

    [Fact]
    public void KnownSignature_RecoversSender()
    {
        Assert.Equal("0x000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b", Hex.Encode(Run(Hash + V28 + R + S)));
        Assert.Equal(3000, EcRecoverPrecompile.Instance.RequiredGas([], Fork.Frontier));
    }

    [Fact]
    public void ExtraInputIsIgnored() =>
        Assert.Equal("0x000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b", Hex.Encode(Run(Hash + V28 + R + S + "ff")));

    [Theory]
    [InlineData(Hash + "000000000000000000000000000000000000000000000000000000000000001d" + R + S)] // v = 29
    [InlineData(Hash + "000000000000000000000000000000000000000000000000000000000000001a" + R + S)] // v = 26
    [InlineData(Hash + "000000000000000000000000000000000000000000000000000000000000011c" + R + S)] // v has high bytes
    [InlineData(Hash + V28 + "0000000000000000000000000000000000000000000000000000000000000000" + S)]   // r = 0
    [InlineData(Hash + V28 + R + "0000000000000000000000000000000000000000000000000000000000000000")]   // s = 0
    [InlineData(Hash + V28 + N + S)]                                                                   // r = n
    [InlineData(Hash + V28 + R + N)]                                                                   // s = n
    [InlineData(Hash + V28 + "0000000000000000000000000000000000000000000000000000000000000005" + S)]   // x = 5: 5³+7 = 132 is not a square mod p
    [InlineData("")]                                                                                   // all zero
    public void InvalidSignature_EmptyOutputButSuccess(string hex) => Assert.Empty(Run(hex));

    [Property(MaxTest = 30)]
    public void RecoversTheSignerOfABouncyCastleSignature(ulong keySeed, ulong hashSeed)
    {
        var curve = SecNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var d = new BigInteger(1, Keccak256.Compute(BitConverter.GetBytes(keySeed)).ToBytes()).Mod(curve.N.Subtract(BigInteger.One)).Add(BigInteger.One);
        var hash = Keccak256.Compute(BitConverter.GetBytes(hashSeed)).ToBytes();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(d, domain));
        var sig = signer.GenerateSignature(hash);

        var pub = curve.G.Multiply(d).Normalize();
        var pubBytes = new byte[64];
        pub.AffineXCoord.EncodeTo(pubBytes.AsSpan(0, 32));
        pub.AffineYCoord.EncodeTo(pubBytes.AsSpan(32, 32));
        var expected = "0x000000000000000000000000" + Convert.ToHexStringLower(Keccak256.Compute(pubBytes).ToBytes()[12..]);

        var r = sig[0].ToByteArrayUnsigned();
        var s = sig[1].ToByteArrayUnsigned();
        var input = new byte[128];
        hash.CopyTo(input, 0);
        r.CopyTo(input, 96 - r.Length);
        s.CopyTo(input, 128 - s.Length);
        int matches = 0;
        foreach (byte v in new byte[] { 27, 28 })
        {
            input[63] = v;
            Assert.True(EcRecoverPrecompile.Instance.TryRun(input, Fork.Cancun, out var output));
            if (output.Length == 32 && Hex.Encode(output) == expected) matches++;
        }
        Assert.Equal(1, matches);
    }
}
