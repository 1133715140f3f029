namespace Jevm.Crypto.Bls12381;

/// <summary>An element c0 + c1·v + c2·v² of Fp6 = Fp2[v]/(v³ - ξ), ξ = 1 + u.</summary>
internal readonly struct Fp6
{
    public readonly Fp2 C0, C1, C2;

    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    public static Fp6 Zero => default;
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;
    public bool Equals(in Fp6 o) => C0.Equals(o.C0) && C1.Equals(o.C1) && C2.Equals(o.C2);

    public static Fp6 operator +(in Fp6 a, in Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    public static Fp6 operator -(in Fp6 a, in Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    public static Fp6 operator -(in Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    public static Fp6 operator *(in Fp6 a, in Fp6 b)
    {
        Fp2 t0 = a.C0 * b.C0, t1 = a.C1 * b.C1, t2 = a.C2 * b.C2;
        Fp2 c0 = ((a.C1 + a.C2) * (b.C1 + b.C2) - t1 - t2).MulByNonResidue() + t0;
        Fp2 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1 + t2.MulByNonResidue();
        Fp2 c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - t0 - t2 + t1;
        return new Fp6(c0, c1, c2);
    }

    public Fp6 Square()
    {
        // Chung–Hasan SQR2.
        Fp2 s0 = C0.Square();
        Fp2 ab = C0 * C1;
        Fp2 s1 = ab.Double();
        Fp2 s2 = (C0 - C1 + C2).Square();
        Fp2 bc = C1 * C2;
        Fp2 s3 = bc.Double();
        Fp2 s4 = C2.Square();
        return new Fp6(s3.MulByNonResidue() + s0, s4.MulByNonResidue() + s1, s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>Multiplication by v: (c0, c1, c2) → (ξ·c2, c0, c1).</summary>
    public Fp6 MulByV() => new(C2.MulByNonResidue(), C0, C1);

    /// <summary>Multiplication by b0 + b1·v (sparse: line functions).</summary>
    public Fp6 MulBy01(in Fp2 b0, in Fp2 b1)
    {
        Fp2 t0 = C0 * b0, t1 = C1 * b1;
        Fp2 c0 = ((C1 + C2) * b1 - t1).MulByNonResidue() + t0;
        Fp2 c1 = (C0 + C1) * (b0 + b1) - t0 - t1;
        Fp2 c2 = (C0 + C2) * b0 - t0 + t1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Multiplication by b1·v (sparse).</summary>
    public Fp6 MulBy1(in Fp2 b1) => new((C2 * b1).MulByNonResidue(), C0 * b1, C1 * b1);

    public Fp6 Inverse()
    {
        Fp2 a = C0.Square() - (C1 * C2).MulByNonResidue();
        Fp2 b = C2.Square().MulByNonResidue() - C0 * C1;
        Fp2 c = C1.Square() - C0 * C2;
        Fp2 f = C0 * a + (C2 * b + C1 * c).MulByNonResidue();
        Fp2 fi = f.Inverse();
        return new Fp6(a * fi, b * fi, c * fi);
    }
}
