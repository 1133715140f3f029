using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;
using Fr = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254ScalarModulus>;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// The BN254 (alt_bn128) curves of EIP-196/197: G1 is y² = x³ + 3 over F_p (cofactor 1), G2 is the order-r subgroup of
/// the sextic twist y² = x³ + 3/ξ over F_p² (ξ = 9 + u).
/// </summary>
internal static class Bn254Curve
{
    /// <summary>b of G1.</summary>
    public static readonly Fp B1 = Fp.FromUInt64(3);

    /// <summary>b' = 3/ξ of the twist carrying G2.</summary>
    public static readonly Fp2 B2 = new Fp2(Fp.FromUInt64(3), Fp.Zero) * Fp2.Xi.Inverse();

    /// <summary>The G1 generator (1, 2).</summary>
    public static readonly JacobianPoint<Fp> G1Generator = JacobianPoint<Fp>.FromAffine(Fp.FromUInt64(1), Fp.FromUInt64(2));

    /// <summary>The G2 generator given by EIP-197.</summary>
    public static readonly JacobianPoint<Fp2> G2Generator = JacobianPoint<Fp2>.FromAffine(
        new Fp2(
            Fp.FromCanonical(UInt256.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781", allowDecimal: true)),
            Fp.FromCanonical(UInt256.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634", allowDecimal: true))),
        new Fp2(
            Fp.FromCanonical(UInt256.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930", allowDecimal: true)),
            Fp.FromCanonical(UInt256.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531", allowDecimal: true))));

    /// <summary>True when affine (x, y) satisfies y² = x³ + 3.</summary>
    public static bool IsOnG1(in Fp x, in Fp y) => y.Square().Equals(x.Square() * x + B1);

    /// <summary>True when affine (x, y) satisfies y² = x³ + 3/ξ.</summary>
    public static bool IsOnTwist(in Fp2 x, in Fp2 y) => y.Square().Equals(x.Square() * x + B2);

    /// <summary>True when a twist point lies in the order-r subgroup (r·Q = ∞).</summary>
    public static bool IsInG2Subgroup(in JacobianPoint<Fp2> q) => q.Multiply(Fr.Modulus).IsInfinity;
}
