using Jevm.Crypto.Bn254;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;

namespace Jevm.Precompiles;

/// <summary>The EIP-196/197 encodings of BN254 points: big-endian 32-byte coordinates, (0, 0) for infinity.</summary>
internal static class Bn254Codec
{
    /// <summary>Reads a G1 point from 64 bytes; false when a coordinate is ≥ p or the point is not on the curve.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> bytes64, out JacobianPoint<Fp> point)
    {
        point = JacobianPoint<Fp>.Infinity;
        var x = UInt256.ReadBigEndian(bytes64.Slice(0, 32));
        var y = UInt256.ReadBigEndian(bytes64.Slice(32, 32));
        if (!Fp.TryCreate(x, out var fx) || !Fp.TryCreate(y, out var fy)) return false;
        if (fx.IsZero && fy.IsZero) return true;
        if (!Bn254Curve.IsOnG1(fx, fy)) return false;
        point = JacobianPoint<Fp>.FromAffine(fx, fy);
        return true;
    }

    /// <summary>
    /// Reads a G2 point from 128 bytes (x.im, x.re, y.im, y.re); false when a coordinate is ≥ p, the point is not on
    /// the twist, or it is outside the order-r subgroup.
    /// </summary>
    public static bool TryReadG2(ReadOnlySpan<byte> bytes128, out JacobianPoint<Fp2> point)
    {
        point = JacobianPoint<Fp2>.Infinity;
        if (!Fp2.TryCreate(UInt256.ReadBigEndian(bytes128.Slice(32, 32)), UInt256.ReadBigEndian(bytes128.Slice(0, 32)), out var x) ||
            !Fp2.TryCreate(UInt256.ReadBigEndian(bytes128.Slice(96, 32)), UInt256.ReadBigEndian(bytes128.Slice(64, 32)), out var y))
            return false;
        if (x.IsZero && y.IsZero) return true;
        if (!Bn254Curve.IsOnTwist(x, y)) return false;
        point = JacobianPoint<Fp2>.FromAffine(x, y);
        return Bn254Curve.IsInG2Subgroup(point);
    }

    /// <summary>The 64-byte encoding of a G1 point.</summary>
    public static byte[] WriteG1(in JacobianPoint<Fp> point)
    {
        var output = new byte[64];
        if (point.TryToAffine(out var x, out var y))
        {
            x.ToCanonical().WriteBigEndian(output.AsSpan(0, 32));
            y.ToCanonical().WriteBigEndian(output.AsSpan(32, 32));
        }
        return output;
    }
}
