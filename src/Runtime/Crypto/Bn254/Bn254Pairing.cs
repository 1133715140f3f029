using System.Numerics;
using Jevm.Numerics;

namespace Jevm.Crypto.Bn254;

/// <summary>
/// The optimal ate pairing e: G1 × G2 → μ_r ⊂ F_p¹² on BN254 (Miller loop over 6x + 2, x = 4965661367192848881,
/// with the two Frobenius correction lines, then the final exponentiation by (p¹² − 1)/r).
/// </summary>
internal static class Bn254Pairing
{
    /// <summary>The BN parameter x.</summary>
    public const ulong X = 4965661367192848881;

    private static readonly UInt256 s_loopCount = UInt256.FromBigInteger(6 * new BigInteger(X) + 2);

    // π on the twist: (x, y) ↦ (conj(x)·ξ^((p−1)/3), conj(y)·ξ^((p−1)/2)).
    private static readonly Fp2 s_frobX = Fp2.Xi.Pow((Fp.Modulus.ToBigInteger() - 1) / 3);
    private static readonly Fp2 s_frobY = Fp2.Xi.Pow((Fp.Modulus.ToBigInteger() - 1) / 2);

    // Hard part exponent (p⁴ − p² + 1)/r written in base p: d0 + d1·p + d2·p² + d3·p³.
    private static readonly UInt256[] s_hardDigits = BuildHardDigits();

    private static UInt256[] BuildHardDigits()
    {
        BigInteger p = Fp.Modulus.ToBigInteger();
        BigInteger r = Fr.Modulus.ToBigInteger();
        BigInteger d = (BigInteger.Pow(p, 4) - p * p + 1) / r;
        var digits = new UInt256[4];
        for (int i = 0; i < 4; i++)
        {
            digits[i] = UInt256.FromBigInteger(d % p);
            d /= p;
        }
        return digits;
    }

    /// <summary>e(P, Q) for affine P on G1 and Q on G2 (either being infinity gives 1).</summary>
    public static Fp12 Pair(in JacobianPoint<Fp> p, in JacobianPoint<Fp2> q) => FinalExponentiation(MillerLoop(p, q));

    /// <summary>True when Π e(Pᵢ, Qᵢ) = 1; the points must already be validated (on curve, Q in G2).</summary>
    public static bool Check(ReadOnlySpan<JacobianPoint<Fp>> ps, ReadOnlySpan<JacobianPoint<Fp2>> qs)
    {
        Fp12 f = Fp12.One;
        for (int i = 0; i < ps.Length; i++) f *= MillerLoop(ps[i], qs[i]);
        return FinalExponentiation(f).IsOne;
    }

    /// <summary>The Miller loop value f_{6x+2,Q}(P)·l_{T,π(Q)}(P)·l_{T',−π²(Q)}(P), before the final exponentiation.</summary>
    public static Fp12 MillerLoop(in JacobianPoint<Fp> pJ, in JacobianPoint<Fp2> qJ)
    {
        if (!pJ.TryToAffine(out Fp px, out Fp py) || !qJ.TryToAffine(out Fp2 qx, out Fp2 qy)) return Fp12.One;

        Fp2 tx = qx, ty = qy;
        Fp12 f = Fp12.One;
        for (int i = 254 - UInt256.LeadingZeroCount(s_loopCount); i >= 0; i--)
        {
            f = f.Square();
            Fp2 lambda = tx.Square() * Fp.FromUInt64(3) * ty.Double().Inverse();
            f = MulByLine(f, lambda, tx, ty, px, py);
            Fp2 x3 = lambda.Square() - tx.Double();
            ty = lambda * (tx - x3) - ty;
            tx = x3;
            if (Fp.Bit(s_loopCount, i))
                AddStep(ref f, ref tx, ref ty, qx, qy, px, py);
        }

        Fp2 q1x = qx.Conjugate() * s_frobX, q1y = qy.Conjugate() * s_frobY;
        Fp2 q2x = q1x.Conjugate() * s_frobX, q2y = q1y.Conjugate() * s_frobY;
        AddStep(ref f, ref tx, ref ty, q1x, q1y, px, py);
        AddStep(ref f, ref tx, ref ty, q2x, -q2y, px, py);
        return f;
    }

    // f ← f·l_{T,Q}(P); T ← T + Q (affine chord; T ≠ ±Q for the points reached in the loop).
    private static void AddStep(ref Fp12 f, ref Fp2 tx, ref Fp2 ty, in Fp2 qx, in Fp2 qy, in Fp px, in Fp py)
    {
        Fp2 lambda = (qy - ty) * (qx - tx).Inverse();
        f = MulByLine(f, lambda, tx, ty, px, py);
        Fp2 x3 = lambda.Square() - tx - qx;
        ty = lambda * (tx - x3) - ty;
        tx = x3;
    }

    // The line through T with slope λ (in twist coordinates), evaluated at P after untwisting (x, y) ↦ (x·w², y·w³):
    // l = yP − λ·xP·w + (λ·xT − yT)·w³.
    private static Fp12 MulByLine(in Fp12 f, in Fp2 lambda, in Fp2 tx, in Fp2 ty, in Fp px, in Fp py)
    {
        var line = new Fp12(
            new Fp6(new Fp2(py, Fp.Zero), Fp2.Zero, Fp2.Zero),
            new Fp6(-(lambda * px), lambda * tx - ty, Fp2.Zero));
        return f * line;
    }

    /// <summary>f^((p¹² − 1)/r).</summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        // Easy part: f^((p⁶ − 1)(p² + 1)).
        Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius().Frobenius() * t;

        // Hard part: t^((p⁴ − p² + 1)/r) = Π frobⁱ(t)^dᵢ, one shared squaring chain.
        Span<Fp12> bases = [t, t.Frobenius(), default, default];
        bases[2] = bases[1].Frobenius();
        bases[3] = bases[2].Frobenius();
        int top = 0;
        for (int i = 0; i < 4; i++) top = Math.Max(top, 256 - UInt256.LeadingZeroCount(s_hardDigits[i]));
        Fp12 result = Fp12.One;
        for (int bit = top - 1; bit >= 0; bit--)
        {
            result = result.Square();
            for (int i = 0; i < 4; i++)
                if (Fp.Bit(s_hardDigits[i], bit)) result *= bases[i];
        }
        return result;
    }
}
