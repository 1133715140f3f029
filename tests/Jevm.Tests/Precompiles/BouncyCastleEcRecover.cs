using Jevm.Crypto;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Jevm.Tests.Precompiles;

/// <summary>
/// secp256k1 recovery with BouncyCastle: the independent reference for the differential tests and the baseline of the
/// ecrecover benchmark (perf/Jevm.Perf links this file). It is the implementation the runtime used before its own.
/// </summary>
public static class BouncyCastleEcRecover
{
    private static readonly X9ECParameters s_curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger s_n = s_curve.N;

    /// <summary>The curve parameters, for tests that sign.</summary>
    public static X9ECParameters Curve => s_curve;

    /// <summary>
    /// The address that signed <paramref name="hash"/> with (recoveryId, r, s), Ethereum's way: only x = r, recovery id
    /// 0 or 1 picks the parity of y, r and s in [1, n − 1]; false when no key results.
    /// </summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash, int recoveryId, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, Span<byte> address20)
    {
        if (recoveryId is not (0 or 1)) return false;
        var r = new BigInteger(1, r32);
        var s = new BigInteger(1, s32);
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(s_n) >= 0 || s.CompareTo(s_n) >= 0) return false;

        var curve = s_curve.Curve;
        var x = curve.FromBigInteger(r);
        var y = x.Square().Multiply(x).Add(curve.B).Sqrt();
        if (y is null) return false;
        if (y.TestBitZero() != (recoveryId == 1)) y = y.Negate();
        var bigR = curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());

        var e = new BigInteger(1, hash);
        var rInv = r.ModInverse(s_n);
        var u1 = s_n.Subtract(e).Multiply(rInv).Mod(s_n);
        var u2 = s.Multiply(rInv).Mod(s_n);
        var q = ECAlgorithms.SumOfTwoMultiplies(s_curve.G, u1, bigR, u2).Normalize();
        if (q.IsInfinity) return false;

        Span<byte> pub = stackalloc byte[64];
        q.AffineXCoord.EncodeTo(pub.Slice(0, 32));
        q.AffineYCoord.EncodeTo(pub.Slice(32, 32));
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Compute(pub, digest);
        digest.Slice(12).CopyTo(address20);
        return true;
    }
}
