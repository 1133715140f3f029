using System.Numerics;

namespace Jevm.Crypto.Bls12381;

/// <summary>An element c0 + c1·w of Fp12 = Fp6[w]/(w² - v): the pairing target group lives here.</summary>
internal readonly struct Fp12
{
    public readonly Fp6 C0, C1;

    public Fp12(in Fp6 c0, in Fp6 c1) { C0 = c0; C1 = c1; }

    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    public bool IsOne => C0.Equals(Fp6.One) && C1.IsZero;
    public bool Equals(in Fp12 o) => C0.Equals(o.C0) && C1.Equals(o.C1);

    public static Fp12 operator *(in Fp12 a, in Fp12 b)
    {
        Fp6 t0 = a.C0 * b.C0, t1 = a.C1 * b.C1;
        return new Fp12(t0 + t1.MulByV(), (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1);
    }

    public Fp12 Square()
    {
        Fp6 ab = C0 * C1;
        Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - ab - ab.MulByV();
        return new Fp12(c0, ab + ab);
    }

    /// <summary>
    /// Multiplication by a line value (l0 + l1·v) + (l2·v)·w, the shape of every Miller-loop line for the M-type
    /// twist once scaled by w³.
    /// </summary>
    public Fp12 MulByLine(in Fp2 l0, in Fp2 l1, in Fp2 l2)
    {
        Fp6 t0 = C0.MulBy01(l0, l1);
        Fp6 t1 = C1.MulBy1(l2);
        Fp6 s = (C0 + C1).MulBy01(l0, l1 + l2);
        return new Fp12(t0 + t1.MulByV(), s - t0 - t1);
    }

    /// <summary>
    /// Squaring for elements of the cyclotomic subgroup (everything after the easy part of the final exponentiation),
    /// Granger–Scott: viewing Fp12 as Fp4[w]/(w³ - s) with s = w³, Fp4 = Fp2[s]/(s² - ξ), f = A0 + A1·w + A2·w² squares
    /// to (3A0² - 2Ā0) + (3s·A2² + 2Ā1)·w + (3A1² - 2Ā2)·w² — three Fp4 squarings instead of two Fp6 products.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        // A0 = (c0, c3), A1 = (c1, c4), A2 = (c2, c5) where c_k is the coefficient of w^k.
        Fp2 c0 = C0.C0, c2 = C0.C1, c4 = C0.C2, c1 = C1.C0, c3 = C1.C1, c5 = C1.C2;
        Fp4Square(c0, c3, out Fp2 t0, out Fp2 t1);
        Fp2 n0 = (t0 - c0).Double() + t0;
        Fp2 n3 = (t1 + c3).Double() + t1;
        Fp4Square(c1, c4, out Fp2 t2, out Fp2 t3);
        Fp4Square(c2, c5, out Fp2 t4, out Fp2 t5);
        Fp2 t5x = t5.MulByNonResidue();
        Fp2 n1 = (t5x + c1).Double() + t5x;
        Fp2 n4 = (t4 - c4).Double() + t4;
        Fp2 n2 = (t2 - c2).Double() + t2;
        Fp2 n5 = (t3 + c5).Double() + t3;
        return new Fp12(new Fp6(n0, n2, n4), new Fp6(n1, n3, n5));
    }

    // (a + b·s)² = (a² + ξb²) + 2ab·s
    private static void Fp4Square(in Fp2 a, in Fp2 b, out Fp2 r0, out Fp2 r1)
    {
        Fp2 a2 = a.Square(), b2 = b.Square();
        r0 = b2.MulByNonResidue() + a2;
        r1 = (a + b).Square() - a2 - b2;
    }

    /// <summary>Conjugation c0 - c1·w = the p⁶-power Frobenius; the inverse for unitary elements.</summary>
    public Fp12 Conjugate() => new(C0, -C1);

    public Fp12 Inverse()
    {
        Fp6 t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new Fp12(C0 * t, -(C1 * t));
    }

    // γ[n][k] = ξ^(k(p^n - 1)/6): the Frobenius image of w^k is w^k·γ[n][k]. Computed once rather than transcribed.
    private static readonly Fp2[][] s_gamma = BuildGamma();

    private static Fp2[][] BuildGamma()
    {
        var xi = new Fp2(Fp.One, Fp.One);
        var g = new Fp2[4][];
        BigInteger pn = 1;
        for (int n = 1; n <= 3; n++)
        {
            pn *= Fp.Modulus;
            g[n] = new Fp2[6];
            Fp2 step = xi.Pow((pn - 1) / 6);
            g[n][0] = Fp2.One;
            for (int k = 1; k < 6; k++) g[n][k] = g[n][k - 1] * step;
        }
        return g;
    }

    /// <summary>The p^n-power Frobenius map, n = 1..3.</summary>
    public Fp12 Frobenius(int n)
    {
        Fp2[] g = s_gamma[n];
        bool odd = (n & 1) != 0;
        // C0 holds w^0, w^2, w^4; C1 holds w^1, w^3, w^5.
        return new Fp12(
            new Fp6(Conj(C0.C0, odd), Conj(C0.C1, odd) * g[2], Conj(C0.C2, odd) * g[4]),
            new Fp6(Conj(C1.C0, odd) * g[1], Conj(C1.C1, odd) * g[3], Conj(C1.C2, odd) * g[5]));
    }

    private static Fp2 Conj(in Fp2 a, bool odd) => odd ? a.Conjugate() : a;
}
