using System.Numerics;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Precompiles;
using Jevm.Primitives;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Jevm.Tests.Precompiles;

public class P256VerifyTests
{
    private static IPrecompile Precompile => PrecompileRegistry.Get(Address.FromNumber(0x100), Fork.Osaka)!;

    // From EIP-7951 assets/eip-7951/test-vectors.json (Wycheproof ecdsa_secp256r1_sha256_p1363_test.json).
    private const string Hash = "bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023";
    private const string PublicKey = "2927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e";
    private const string N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    private const string P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
    private const string Zero = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string One = "0000000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public void IsRegisteredFromOsakaOnlyWithTheEipGas()
    {
        Assert.Null(PrecompileRegistry.Get(Address.FromNumber(0x100), Fork.Prague));
        Assert.False(PrecompileRegistry.IsPrecompile(Address.FromNumber(0x100), Fork.Prague));
        Assert.Equal(6900, Precompile.RequiredGas(new byte[160], Fork.Osaka)); // EIP-7951 P256VERIFY_BASE_GAS
    }

    [Theory]
    // #1 signature malleability: valid (the EIP does not require low s).
    [InlineData(Hash + "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76" + PublicKey, true)]
    // #3, #5, #8: r or s modified by adding or subtracting n.
    [InlineData(Hash + "d45c5740946b2a147f59262ee6f5bc90bd01ed280528b62b3aed5fc93f06f739b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db" + PublicKey, false)]
    [InlineData(Hash + "d45c5741946b2a137f59262ee6f5bc91001af27a5e1117a64733950642a3d1e8b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db" + PublicKey, false)]
    [InlineData(Hash + "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b865d442f5a3c7b11eb6c4e0ae79578ec6353a20bf783ecb4b6ea97b825" + PublicKey, false)]
    // #9 .. #32: special values of r and s (0, 1, n, n-1, n+1, p, p+1).
    [InlineData(Hash + Zero + Zero + PublicKey, false)]
    [InlineData(Hash + Zero + One + PublicKey, false)]
    [InlineData(Hash + Zero + N + PublicKey, false)]
    [InlineData(Hash + One + Zero + PublicKey, false)]
    [InlineData(Hash + One + One + PublicKey, false)]
    [InlineData(Hash + One + N + PublicKey, false)]
    [InlineData(Hash + One + P + PublicKey, false)]
    [InlineData(Hash + N + Zero + PublicKey, false)]
    [InlineData(Hash + N + N + PublicKey, false)]
    [InlineData(Hash + P + One + PublicKey, false)]
    public void EipVectors(string input, bool valid)
    {
        Assert.True(Precompile.TryRun(Hex.Decode(input), Fork.Osaka, out var output));
        Assert.Equal(valid ? Hex.Decode(One) : [], output);
    }

    private static byte[] Word(BigInteger v) { var b = new byte[32]; v.TryWriteBytes(b.AsSpan(32 - v.GetByteCount(true)), out _, true, true); return b; }

    /// <summary>Signatures made by BouncyCastle's signer with random keys verify; any single-bit change is rejected.</summary>
    [Fact]
    public void SignaturesFromAnIndependentSignerVerifyAndTamperingIsRejected()
    {
        var curve = SecNamedCurves.GetByName("secp256r1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var random = new SecureRandom();
        for (int i = 0; i < 8; i++)
        {
            var d = new Org.BouncyCastle.Math.BigInteger(256, random).Mod(curve.N.Subtract(Org.BouncyCastle.Math.BigInteger.One)).Add(Org.BouncyCastle.Math.BigInteger.One);
            var q = curve.G.Multiply(d).Normalize();
            var hash = new byte[32];
            random.NextBytes(hash);
            var signer = new ECDsaSigner();
            signer.Init(true, new ParametersWithRandom(new ECPrivateKeyParameters(d, domain), random));
            var rs = signer.GenerateSignature(hash);
            var input = new byte[160];
            hash.CopyTo(input, 0);
            rs[0].ToByteArrayUnsigned().CopyTo(input, 64 - rs[0].ToByteArrayUnsigned().Length);
            rs[1].ToByteArrayUnsigned().CopyTo(input, 96 - rs[1].ToByteArrayUnsigned().Length);
            q.AffineXCoord.GetEncoded().CopyTo(input, 96);
            q.AffineYCoord.GetEncoded().CopyTo(input, 128);
            Assert.True(P256VerifyPrecompile.Verify(input));
            for (int field = 0; field < 5; field++)
            {
                var bad = (byte[])input.Clone();
                bad[field * 32 + 31] ^= 1;
                Assert.False(P256VerifyPrecompile.Verify(bad));
            }
        }
    }

    [Fact]
    public void RejectsBadLengthsKeysAndCoordinatesWithEmptyOutputNotFailure()
    {
        byte[] good = Hex.Decode(Hash + "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76" + PublicKey);
        Assert.True(P256VerifyPrecompile.Verify(good));
        Assert.False(P256VerifyPrecompile.Verify(good.AsSpan(0, 159)));
        Assert.False(P256VerifyPrecompile.Verify([.. good, 0]));
        Assert.False(P256VerifyPrecompile.Verify([]));
        // Public key (0, 0): the conventional encoding of infinity is not on the curve.
        var inf = (byte[])good.Clone();
        inf.AsSpan(96).Clear();
        Assert.False(P256VerifyPrecompile.Verify(inf));
        // qx + p: the same residue but not below p.
        var pBig = BigInteger.Parse("0" + P, System.Globalization.NumberStyles.HexNumber);
        var qx = BigInteger.Parse("0" + PublicKey[..64], System.Globalization.NumberStyles.HexNumber);
        var wrapped = (byte[])good.Clone();
        var big = qx + pBig;
        if (big < BigInteger.Pow(2, 256))
        {
            Word(big).CopyTo(wrapped, 96);
            Assert.False(P256VerifyPrecompile.Verify(wrapped));
        }
        // Off-curve key.
        var offCurve = (byte[])good.Clone();
        offCurve[159] ^= 1;
        Assert.False(P256VerifyPrecompile.Verify(offCurve));
        // Through the precompile interface every rejection is a success with empty output.
        Assert.True(Precompile.TryRun(offCurve, Fork.Osaka, out var output));
        Assert.Empty(output);
    }
}
