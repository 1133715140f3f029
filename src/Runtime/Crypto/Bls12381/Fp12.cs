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
