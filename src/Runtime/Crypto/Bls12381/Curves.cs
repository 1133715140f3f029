using System.Numerics;

namespace Jevm.Crypto.Bls12381;

/// <summary>BLS12-381 group constants, subgroup checks and endomorphisms for G1 (over Fp) and G2 (over Fp2).</summary>
internal static class Curves
{
    /// <summary>|x| of the curve parameter x = -0xd201000000010000 (x is negative).</summary>
    public const ulong AbsX = 0xd201000000010000UL;

    /// <summary>The prime order r of G1, G2 and GT.</summary>
    public static readonly BigInteger R = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", System.Globalization.NumberStyles.HexNumber);

    /// <summary>r as 32 big-endian bytes.</summary>
    public static readonly byte[] RBytes = R.ToByteArray(isUnsigned: true, isBigEndian: true);

    public static readonly AffinePoint<Fp> G1Generator = new(
        Fp.FromHex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        Fp.FromHex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"));

    public static readonly AffinePoint<Fp2> G2Generator = new(
        new Fp2(Fp.FromHex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
                Fp.FromHex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        new Fp2(Fp.FromHex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
                Fp.FromHex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")));

    // ---- G1 endomorphism φ(x, y) = (β·x, y), β a primitive cube root of unity chosen so that φ acts as -x² on G1. ----
    private static readonly Fp s_beta = ChooseBeta();

    private static Fp ChooseBeta()
    {
        // The two primitive cube roots of unity are g^((p-1)/3) and its square for a non-cube g; pick by testing on the generator.
        Fp g = Fp.FromUInt64(2);
        Fp b1 = g.Pow(Fp.Limbs((Fp.Modulus - 1) / 3));
        Fp b2 = b1 * b1;
        var gen = G1Generator.ToJacobian();
        var target = gen.Multiply(AbsX).Multiply(AbsX).Negate();
        var phi = new JacobianPoint<Fp>(G1Generator.X * b1, G1Generator.Y, Fp.One);
        return phi.Equals(target) ? b1 : b2;
    }

    /// <summary>Slow reference subgroup check: r·P = O.</summary>
    public static bool IsInG1Slow(in AffinePoint<Fp> p) => p.ToJacobian().Multiply(RBytes).IsInfinity;

    /// <summary>
    /// Subgroup check for an on-curve G1 point: φ(P) = -x²·P (Scott, "A note on group membership tests for G1, G2 and GT
    /// on BLS pairing-friendly curves", 2021) — two 64-bit multiplications instead of one 255-bit one.
    /// </summary>
    public static bool IsInG1(in AffinePoint<Fp> p)
    {
        if (p.IsInfinity) return true;
        var j = p.ToJacobian();
        var rhs = j.Multiply(AbsX).Multiply(AbsX).Negate();
        var phi = new JacobianPoint<Fp>(p.X * s_beta, p.Y, Fp.One);
        return phi.Equals(rhs);
    }

    // ---- G2 endomorphism ψ = twist⁻¹ ∘ Frobenius ∘ twist: ψ(x, y) = (conj(x)·cx, conj(y)·cy). ----
    private static readonly Fp2 s_psiX = new Fp2(Fp.One, Fp.One).Pow((Fp.Modulus - 1) / 3).Inverse();
    private static readonly Fp2 s_psiY = new Fp2(Fp.One, Fp.One).Pow((Fp.Modulus - 1) / 2).Inverse();

    public static JacobianPoint<Fp2> Psi(in JacobianPoint<Fp2> q) =>
        // Jacobian scaling commutes with ψ because conj(Z)^k carries through.
        new(q.X.Conjugate() * s_psiX, q.Y.Conjugate() * s_psiY, q.Z.Conjugate());

    /// <summary>Slow reference subgroup check: r·Q = O.</summary>
    public static bool IsInG2Slow(in AffinePoint<Fp2> q) => q.ToJacobian().Multiply(RBytes).IsInfinity;

    /// <summary>Subgroup check for an on-curve G2 point: ψ(Q) = x·Q (Scott 2021).</summary>
    public static bool IsInG2(in AffinePoint<Fp2> q)
    {
        if (q.IsInfinity) return true;
        var j = q.ToJacobian();
        var xq = j.Multiply(AbsX).Negate();
        return Psi(j).Equals(xq);
    }
}
