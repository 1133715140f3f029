using System.Numerics;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;
using Fr = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254ScalarModulus>;

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

        // T in Jacobian coordinates; lines are scaled by F_p² factors, which the final exponentiation removes.
        Fp2 tx = qx, ty = qy, tz = Fp2.One;
        Fp negPx = -px;
        Fp12 f = Fp12.One;
        for (int i = 254 - UInt256.LeadingZeroCount(s_loopCount); i >= 0; i--)
        {
            f = f.Square();
            DoublingStep(ref f, ref tx, ref ty, ref tz, negPx, py);
            if (Fp.Bit(s_loopCount, i)) AdditionStep(ref f, ref tx, ref ty, ref tz, qx, qy, negPx, py);
        }

        Fp2 q1x = qx.Conjugate() * s_frobX, q1y = qy.Conjugate() * s_frobY;
        Fp2 q2x = q1x.Conjugate() * s_frobX, q2y = q1y.Conjugate() * s_frobY;
        AdditionStep(ref f, ref tx, ref ty, ref tz, q1x, q1y, negPx, py);
        AdditionStep(ref f, ref tx, ref ty, ref tz, q2x, -q2y, negPx, py);
        return f;
    }

    // T ← 2T (dbl-2009-l) and f ← f·l, where the tangent line at T = (X/Z², Y/Z³), multiplied by 2YZ³, is
    // 2YZ³·yP − 3X²Z²·xP·w + (3X³ − 2Y²)·w³.
    private static void DoublingStep(ref Fp12 f, ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp negPx, in Fp py)
    {
        Fp2 a = x.Square();
        Fp2 b = y.Square();
        Fp2 c = b.Square();
        Fp2 zz = z.Square();
        Fp2 e = a.Double() + a;                       // 3X²
        Fp2 lineC = e * x - b.Double();              // 3X³ − 2Y²
        Fp2 lineB = e * zz * negPx;                  // −3X²Z²·xP
        Fp2 d = ((x + b).Square() - a - c).Double();
        Fp2 x3 = e.Square() - d.Double();
        Fp2 y3 = e * (d - x3) - c.Double().Double().Double();
        Fp2 z3 = (y * z).Double();
        Fp2 lineA = z3 * zz * py;                    // 2YZ³·yP
        x = x3;
        y = y3;
        z = z3;
        f = MulBySparseLine(f, lineA, lineB, lineC);
    }

    // T ← T + Q for affine Q (madd-2007-bl) and f ← f·l, where the chord through T and Q, multiplied by
    // D = (xQ·Z² − X)·Z, is D·yP − N·xP·w + (N·xQ − D·yQ)·w³ with N = yQ·Z³ − Y.
    private static void AdditionStep(ref Fp12 f, ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp2 qx, in Fp2 qy, in Fp negPx, in Fp py)
    {
        Fp2 zz = z.Square();
        Fp2 h = qx * zz - x;
        Fp2 n = qy * z * zz - y;
        Fp2 hh = h.Square();
        Fp2 hhh = h * hh;
        Fp2 v = x * hh;
        Fp2 x3 = n.Square() - hhh - v.Double();
        Fp2 y3 = n * (v - x3) - y * hhh;
        Fp2 z3 = z * h;                               // = D
        f = MulBySparseLine(f, z3 * py, n * negPx, n * qx - z3 * qy);
        x = x3;
        y = y3;
        z = z3;
    }

    // f·(a + b·w + c·w³): in the tower the line is (a, 0, 0) + (b, c, 0)·w.
    private static Fp12 MulBySparseLine(in Fp12 f, in Fp2 a, in Fp2 b, in Fp2 c)
    {
        Fp6 v0 = f.C0 * a;
        Fp6 v1 = MulBy01(f.C1, b, c);
        Fp6 c1 = MulBy01(f.C0 + f.C1, a + b, c) - v0 - v1;
        return new Fp12(v0 + v1.MulByV(), c1);
    }

    // (x0 + x1·v + x2·v²)(b0 + b1·v) with v³ = ξ.
    private static Fp6 MulBy01(in Fp6 x, in Fp2 b0, in Fp2 b1)
    {
        Fp2 t0 = x.C0 * b0;
        Fp2 t1 = x.C1 * b1;
        Fp2 c0 = (x.C2 * b1).MulByXi() + t0;
        Fp2 c1 = (x.C0 + x.C1) * (b0 + b1) - t0 - t1;
        Fp2 c2 = x.C2 * b0 + t1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>The Miller loop in affine coordinates with full line multiplications (reference for tests).</summary>
    internal static Fp12 MillerLoopAffine(in JacobianPoint<Fp> pJ, in JacobianPoint<Fp2> qJ)
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
                AddStepAffine(ref f, ref tx, ref ty, qx, qy, px, py);
        }

        Fp2 q1x = qx.Conjugate() * s_frobX, q1y = qy.Conjugate() * s_frobY;
        Fp2 q2x = q1x.Conjugate() * s_frobX, q2y = q1y.Conjugate() * s_frobY;
        AddStepAffine(ref f, ref tx, ref ty, q1x, q1y, px, py);
        AddStepAffine(ref f, ref tx, ref ty, q2x, -q2y, px, py);
        return f;
    }

    private static void AddStepAffine(ref Fp12 f, ref Fp2 tx, ref Fp2 ty, in Fp2 qx, in Fp2 qy, in Fp px, in Fp py)
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

    /// <summary>f^((p¹² − 1)/r), the hard part through the BN parameter x (Devegili–Scott–Dahab addition chain).</summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        // Easy part: f^((p⁶ − 1)(p² + 1)); afterwards f is unitary, so its inverse is its conjugate.
        Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius().Frobenius() * t;

        Fp12 fx = PowX(t);
        Fp12 fx2 = PowX(fx);
        Fp12 fx3 = PowX(fx2);
        Fp12 tp = t.Frobenius();
        Fp12 tp2 = tp.Frobenius();
        Fp12 y0 = tp * tp2 * tp2.Frobenius();
        Fp12 y1 = t.Conjugate();
        Fp12 y2 = fx2.Frobenius().Frobenius();
        Fp12 y3 = fx.Frobenius().Conjugate();
        Fp12 y4 = (fx * fx2.Frobenius()).Conjugate();
        Fp12 y5 = fx2.Conjugate();
        Fp12 y6 = (fx3 * fx3.Frobenius()).Conjugate();

        Fp12 t0 = y6.Square() * y4 * y5;
        Fp12 t1 = y3 * y5 * t0;
        t0 *= y2;
        t1 = (t1.Square() * t0).Square();
        t0 = t1 * y1;
        t1 *= y0;
        t0 = t0.Square();
        return t0 * t1;
    }

    // f^x by square-and-multiply over the 63 bits of x; f is in the cyclotomic subgroup.
    private static Fp12 PowX(in Fp12 f)
    {
        Fp12 result = f;
        for (int i = 62 - BitOperations.LeadingZeroCount(X); i >= 0; i--)
        {
            result = result.CyclotomicSquare();
            if (((X >> i) & 1) != 0) result *= f;
        }
        return result;
    }

    /// <summary>f^((p¹² − 1)/r) by plain exponentiation with the hard part written in base p (reference for tests).</summary>
    internal static Fp12 FinalExponentiationReference(in Fp12 f)
    {
        Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius().Frobenius() * t;
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
