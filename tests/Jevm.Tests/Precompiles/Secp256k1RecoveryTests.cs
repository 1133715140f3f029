using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Crypto;
using Jevm.Crypto.Secp256k1;
using Jevm.Numerics;
using Jevm.Precompiles;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using static Jevm.Tests.Numerics.WordGenerators;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Jevm.Tests.Precompiles;

/// <summary>A recovery input: hash, recovery id, r, s (32 big-endian bytes each but the id).</summary>
public sealed record RecoveryInput(byte[] Hash, int RecoveryId, byte[] R, byte[] S)
{
    public override string ToString() =>
        $"hash={Convert.ToHexStringLower(Hash)} id={RecoveryId} r={Convert.ToHexStringLower(R)} s={Convert.ToHexStringLower(S)}";
}

/// <summary>
/// Our secp256k1 recovery (<see cref="Secp256k1Curve"/>, used by ecrecover, EIP-7702 and transaction senders)
/// against BouncyCastle's (<see cref="BouncyCastleEcRecover"/>): signatures of random keys, random and edge-case
/// (hash, id, r, s) inputs including invalid ones, and keys at infinity; the address or the failure must match.
/// </summary>
[Properties(Arbitrary = [typeof(Secp256k1RecoveryTests)], QuietOnSuccess = true)]
public class Secp256k1RecoveryTests
{
    private static readonly ECDomainParameters s_domain = new(
        BouncyCastleEcRecover.Curve.Curve, BouncyCastleEcRecover.Curve.G, BouncyCastleEcRecover.Curve.N, BouncyCastleEcRecover.Curve.H);

    private static byte[] Bytes(UInt256 w)
    {
        var b = new byte[32];
        w.WriteBigEndian(b);
        return b;
    }

    // r and s: uniform and edge words, the group order's neighbours, and the field prime's (r ≥ n is rejected even
    // when it would be a valid x coordinate).
    private static readonly Gen<UInt256> s_component = Gen.Frequency(
        (6, Word),
        (2, Gen.Elements(Secp256k1ArithmeticTests.N - 1, Secp256k1ArithmeticTests.N, Secp256k1ArithmeticTests.N + 1,
            Secp256k1ArithmeticTests.P - 1, Secp256k1ArithmeticTests.P, Secp256k1ArithmeticTests.Gx,
            Secp256k1ArithmeticTests.N / 2, Secp256k1ArithmeticTests.N / 2 + 1).Select(FromBig)),
        (1, from k in Gen.Choose(1, 1000) select FromBig(Secp256k1ArithmeticTests.N - k)));

    // Hashes: words, and values at or above n (reduced mod n by the recovery).
    private static readonly Gen<UInt256> s_hash = Gen.Frequency(
        (6, Word),
        (1, Gen.Elements(Secp256k1ArithmeticTests.N, Secp256k1ArithmeticTests.N + 1, Secp256k1ArithmeticTests.P).Select(FromBig)),
        (1, from k in Gen.Choose(0, 1000) select FromBig((System.Numerics.BigInteger.One << 256) - 1 - k)));

    /// <summary>Registered with <c>[Properties(Arbitrary = ...)]</c>.</summary>
    public static Arbitrary<RecoveryInput> RecoveryInputArbitrary() => Arb.From(
        from h in s_hash
        from id in Gen.Choose(0, 1)
        from r in s_component
        from s in s_component
        select new RecoveryInput(Bytes(h), id, Bytes(r), Bytes(s)));

    private static void AssertSameAsBouncyCastle(byte[] hash, int id, byte[] r, byte[] s, out bool ok, out byte[] address)
    {
        address = new byte[20];
        var expected = new byte[20];
        bool expectedOk = BouncyCastleEcRecover.TryRecoverAddress(hash, id, r, s, expected);
        ok = EcRecoverPrecompile.TryRecoverAddress(hash, id, r, s, address);
        Assert.Equal(expectedOk, ok);
        if (ok) Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(address));
    }

    [Property(MaxTest = 3000)]
    public void RandomAndEdgeInputs_MatchBouncyCastle(RecoveryInput input) =>
        AssertSameAsBouncyCastle(input.Hash, input.RecoveryId, input.R, input.S, out _, out _);

    [Property(MaxTest = 2000)]
    public void BouncyCastleSignatures_RecoverTheSigner(ulong keySeed, ulong hashSeed, bool deterministic)
    {
        var n = BouncyCastleEcRecover.Curve.N;
        var d = new BcBigInteger(1, Keccak256.Compute(BitConverter.GetBytes(keySeed)).ToBytes()).Mod(n.Subtract(BcBigInteger.One)).Add(BcBigInteger.One);
        var hash = Keccak256.Compute(BitConverter.GetBytes(hashSeed ^ 0x5bd1e995)).ToBytes();
        var signer = deterministic ? new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())) : new ECDsaSigner();
        signer.Init(true, new ECPrivateKeyParameters(d, s_domain));
        var sig = signer.GenerateSignature(hash);
        var r = sig[0].ToByteArrayUnsigned();
        var s = sig[1].ToByteArrayUnsigned();
        var r32 = new byte[32];
        var s32 = new byte[32];
        r.CopyTo(r32, 32 - r.Length);
        s.CopyTo(s32, 32 - s.Length);

        var pub = BouncyCastleEcRecover.Curve.G.Multiply(d).Normalize();
        var pubBytes = new byte[64];
        pub.AffineXCoord.EncodeTo(pubBytes.AsSpan(0, 32));
        pub.AffineYCoord.EncodeTo(pubBytes.AsSpan(32, 32));
        string signer20 = Convert.ToHexStringLower(Keccak256.Compute(pubBytes).ToBytes()[12..]);

        int matches = 0;
        for (int id = 0; id < 2; id++)
        {
            AssertSameAsBouncyCastle(hash, id, r32, s32, out bool ok, out var address);
            if (ok && Convert.ToHexStringLower(address) == signer20) matches++;
        }
        Assert.Equal(1, matches);
    }

    [Property(MaxTest = 50)]
    public void KeyAtInfinity_IsRejected(ulong kSeed, ulong sSeed)
    {
        // R = k·G, and e = s·k makes s·R − e·G the point at infinity; the other parity (−R) gives a key.
        var curve = BouncyCastleEcRecover.Curve;
        var k = new BcBigInteger(1, Keccak256.Compute(BitConverter.GetBytes(kSeed)).ToBytes()).Mod(curve.N.Subtract(BcBigInteger.One)).Add(BcBigInteger.One);
        var s = new BcBigInteger(1, Keccak256.Compute(BitConverter.GetBytes(~sSeed)).ToBytes()).Mod(curve.N.Subtract(BcBigInteger.One)).Add(BcBigInteger.One);
        var bigR = curve.G.Multiply(k).Normalize();
        var x = bigR.AffineXCoord.ToBigInteger();
        if (x.CompareTo(curve.N) >= 0) return; // r = x would be out of range (probability about 2^-128)
        int id = bigR.AffineYCoord.TestBitZero() ? 1 : 0;
        var e = s.Multiply(k).Mod(curve.N);
        byte[] Word(BcBigInteger v)
        {
            var b = v.ToByteArrayUnsigned();
            var w = new byte[32];
            b.CopyTo(w, 32 - b.Length);
            return w;
        }
        AssertSameAsBouncyCastle(Word(e), id, Word(x), Word(s), out bool ok, out _);
        Assert.False(ok);
        AssertSameAsBouncyCastle(Word(e), 1 - id, Word(x), Word(s), out ok, out _);
        Assert.True(ok);
        // e + n (an unreduced hash) is the same e.
        var ePlusN = e.Add(curve.N);
        if (ePlusN.BitLength <= 256)
        {
            AssertSameAsBouncyCastle(Word(ePlusN), id, Word(x), Word(s), out ok, out _);
            Assert.False(ok);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(27)]
    public void RecoveryIdOtherThanZeroOrOne_IsRejected(int id)
    {
        var hash = Convert.FromHexString("18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c");
        var r = Convert.FromHexString("73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f");
        var s = Convert.FromHexString("eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
        Assert.True(EcRecoverPrecompile.TryRecoverAddress(hash, 1, r, s, new byte[20]));
        Assert.False(EcRecoverPrecompile.TryRecoverAddress(hash, id, r, s, new byte[20]));
    }

    [Fact]
    public void Recovery_DoesNotAllocate()
    {
        var hash = Convert.FromHexString("18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c");
        var r = Convert.FromHexString("73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f");
        var s = Convert.FromHexString("eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
        var address = new byte[20];
        for (int i = 0; i < 3; i++) EcRecoverPrecompile.TryRecoverAddress(hash, 1, r, s, address); // static tables
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            EcRecoverPrecompile.TryRecoverAddress(hash, 1, r, s, address);
            EcRecoverPrecompile.TryRecoverAddress(hash, 0, r, s, address);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("a94f5374fce5edbc8e2a8697c15331677e6ebf0b", RecoverHex(hash, 1, r, s));
    }

    private static string RecoverHex(byte[] hash, int id, byte[] r, byte[] s)
    {
        var a = new byte[20];
        Assert.True(EcRecoverPrecompile.TryRecoverAddress(hash, id, r, s, a));
        return Convert.ToHexStringLower(a);
    }
}
