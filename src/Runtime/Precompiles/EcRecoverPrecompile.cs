using Jevm.Crypto;
using Jevm.Evm;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Jevm.Precompiles;

/// <summary>
/// Precompile 0x01: secp256k1 public-key recovery. Input (zero-padded to 128 bytes): hash, v, r, s as 32-byte words.
/// Output: the signer's address left-padded to 32 bytes, or empty (still a success) when the signature is invalid
/// (v not 27/28, r or s outside [1, n−1], or no key recoverable). Gas 3000.
/// </summary>
public sealed class EcRecoverPrecompile : IPrecompile
{
    /// <summary>The shared instance.</summary>
    public static readonly EcRecoverPrecompile Instance = new();

    private static readonly X9ECParameters s_curve = SecNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger s_n = s_curve.N;

    /// <inheritdoc/>
    public long RequiredGas(ReadOnlySpan<byte> input, Fork fork) => 3000;

    /// <inheritdoc/>
    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        Span<byte> buf = stackalloc byte[128];
        PrecompileInput.CopyPadded(input, 0, buf);
        output = [];
        // v is a full word: 31 zero bytes then 27 or 28.
        for (int i = 32; i < 63; i++)
            if (buf[i] != 0) return true;
        byte v = buf[63];
        if (v != 27 && v != 28) return true;

        Span<byte> address = stackalloc byte[20];
        if (!TryRecoverAddress(buf.Slice(0, 32), v - 27, buf.Slice(64, 32), buf.Slice(96, 32), address)) return true;
        output = new byte[32];
        address.CopyTo(output.AsSpan(12));
        return true;
    }

    /// <summary>
    /// Recovers the address that signed <paramref name="hash"/> with (<paramref name="recoveryId"/>, r, s); false when
    /// r or s is out of range or no public key results.
    /// </summary>
    internal static bool TryRecoverAddress(ReadOnlySpan<byte> hash, int recoveryId, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, Span<byte> address20)
    {
        var r = new BigInteger(1, r32);
        var s = new BigInteger(1, s32);
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(s_n) >= 0 || s.CompareTo(s_n) >= 0) return false;

        // R = (r, y) with y of the requested parity; r < n < p so r is a valid field element.
        var curve = s_curve.Curve;
        var x = curve.FromBigInteger(r);
        var rhs = x.Square().Multiply(x).Add(curve.B);
        var y = rhs.Sqrt();
        if (y is null) return false;
        if (y.TestBitZero() != (recoveryId == 1)) y = y.Negate();
        var bigR = curve.CreatePoint(x.ToBigInteger(), y.ToBigInteger());

        // Q = r⁻¹·(s·R − e·G)
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
