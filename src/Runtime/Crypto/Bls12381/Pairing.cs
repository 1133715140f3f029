namespace Jevm.Crypto.Bls12381;

/// <summary>
/// The optimal ate pairing on BLS12-381. Lines are evaluated on the M-type twist y² = x³ + 4ξ with Jacobian
/// accumulators, scaled by factors from proper subfields (removed by the final exponentiation) so no inversion is needed.
/// </summary>
internal static class Pairing
{
    /// <summary>True when Π e(Pᵢ, Qᵢ) = 1. Pairs with a point at infinity contribute 1 and are skipped.</summary>
    public static bool Check(ReadOnlySpan<AffinePoint<Fp>> ps, ReadOnlySpan<AffinePoint<Fp2>> qs) =>
        FinalExponentiation(MillerLoop(ps, qs)).IsOne;

    /// <summary>e(P, Q) (up to the fixed power 3 explained at <see cref="FinalExponentiation"/>).</summary>
    public static Fp12 Pair(in AffinePoint<Fp> p, in AffinePoint<Fp2> q) =>
        FinalExponentiation(MillerLoop([p], [q]));

    /// <summary>The product of the Miller loops f_{|x|,Qᵢ}(Pᵢ), conjugated for the negative x.</summary>
    public static Fp12 MillerLoop(ReadOnlySpan<AffinePoint<Fp>> ps, ReadOnlySpan<AffinePoint<Fp2>> qs)
    {
        int n = ps.Length;
        var ts = new JacobianPoint<Fp2>[n];
        var active = new bool[n];
        bool any = false;
        for (int i = 0; i < n; i++)
        {
            active[i] = !ps[i].IsInfinity && !qs[i].IsInfinity;
            ts[i] = qs[i].ToJacobian();
            any |= active[i];
        }
        Fp12 f = Fp12.One;
        if (!any) return f;
        // Bits of |x| below the leading one, most significant first.
        for (int bit = 62; bit >= 0; bit--)
        {
            f = f.Square();
            bool add = ((Curves.AbsX >> bit) & 1) != 0;
            for (int i = 0; i < n; i++)
            {
                if (!active[i]) continue;
                f = DoubleStep(ref ts[i], ps[i], f);
                if (add) f = AddStep(ref ts[i], qs[i], ps[i], f);
            }
        }
        return f.Conjugate();
    }

    private static Fp12 DoubleStep(ref JacobianPoint<Fp2> t, in AffinePoint<Fp> p, in Fp12 f)
    {
        Fp2 x = t.X, y = t.Y, z = t.Z;
        Fp2 a = x.Square(), b = y.Square(), c = b.Square();
        Fp2 d = ((x + b).Square() - a - c).Double();
        Fp2 e = a.Double() + a;
        Fp2 zz = z.Square();
        Fp2 z3 = (y * z).Double();
        // Tangent at T through P, times 2YZ³·w³: (3X³ - 2Y²) + (-3X²Z²·xP)·v + (2YZ³·yP)·v·w.
        Fp2 l0 = e * x - b.Double();
        Fp2 l1 = -(e * zz) * p.X;
        Fp2 l2 = (z3 * zz) * p.Y;
        Fp2 x3 = e.Square() - d.Double();
        Fp2 c8 = c.Double().Double().Double();
        Fp2 y3 = e * (d - x3) - c8;
        t = new JacobianPoint<Fp2>(x3, y3, z3);
        return f.MulByLine(l0, l1, l2);
    }

    private static Fp12 AddStep(ref JacobianPoint<Fp2> t, in AffinePoint<Fp2> q, in AffinePoint<Fp> p, in Fp12 f)
    {
        Fp2 zz = t.Z.Square();
        Fp2 h = q.X * zz - t.X;
        Fp2 r = q.Y * (t.Z * zz) - t.Y;
        Fp2 z3 = t.Z * h;
        // Chord through T and Q evaluated at P, times HZ·w³: (R·xQ - yQ·Z3) + (-R·xP)·v + (Z3·yP)·v·w.
        Fp2 l0 = r * q.X - q.Y * z3;
        Fp2 l1 = -r * p.X;
        Fp2 l2 = z3 * p.Y;
        Fp2 hh = h.Square(), hhh = h * hh;
        Fp2 v = t.X * hh;
        Fp2 x3 = r.Square() - hhh - v.Double();
        Fp2 y3 = r * (v - x3) - t.Y * hhh;
        t = new JacobianPoint<Fp2>(x3, y3, z3);
        return f.MulByLine(l0, l1, l2);
    }

    /// <summary>
    /// f^(3(p¹²-1)/r). The hard part uses 3·(p⁴-p²+1)/r = (x-1)²(x+p)(x²+p²-1) + 3, so the result is the cube of the
    /// reduced pairing: still bilinear and non-degenerate (3 ∤ r), which is all a product-equals-one check needs.
    /// </summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        // Easy part: f^((p⁶-1)(p²+1)). Afterwards the value is unitary, so inversion is conjugation.
        Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius(2) * t;
        // Hard part.
        Fp12 a = ExpByX(t) * t.Conjugate();               // t^(x-1)
        Fp12 b = ExpByX(a) * a.Conjugate();               // t^((x-1)²)
        Fp12 c = ExpByX(b) * b.Frobenius(1);              // ·^(x+p)
        Fp12 d = ExpByX(ExpByX(c)) * c.Frobenius(2) * c.Conjugate(); // ·^(x²+p²-1)
        return d * t.Square() * t;
    }

    /// <summary>a^x for the negative curve parameter x, a unitary.</summary>
    private static Fp12 ExpByX(in Fp12 a)
    {
        Fp12 r = a;
        for (int bit = 62; bit >= 0; bit--)
        {
            r = r.Square();
            if (((Curves.AbsX >> bit) & 1) != 0) r = r * a;
        }
        return r.Conjugate();
    }
}
