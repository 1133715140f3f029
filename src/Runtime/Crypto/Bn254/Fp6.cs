namespace Jevm.Crypto.Bn254;

/// <summary>An element c0 + c1·v + c2·v² of F_p⁶ = F_p²[v]/(v³ − ξ).</summary>
internal readonly struct Fp6 : IField<Fp6>
{
    /// <summary>Coefficient of 1.</summary>
    public readonly Fp2 C0;

    /// <summary>Coefficient of v.</summary>
    public readonly Fp2 C1;

    /// <summary>Coefficient of v².</summary>
    public readonly Fp2 C2;

    /// <summary>Creates c0 + c1·v + c2·v².</summary>
    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    /// <inheritdoc/>
    public static Fp6 Zero => default;

    /// <inheritdoc/>
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    /// <inheritdoc/>
    public static Fp6 operator +(in Fp6 a, in Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);

    /// <inheritdoc/>
    public static Fp6 operator -(in Fp6 a, in Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);

    /// <inheritdoc/>
    public static Fp6 operator -(in Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    /// <inheritdoc/>
    public static Fp6 operator *(in Fp6 a, in Fp6 b)
    {
        // Karatsuba-style: 6 F_p² multiplications.
        Fp2 v0 = a.C0 * b.C0;
        Fp2 v1 = a.C1 * b.C1;
        Fp2 v2 = a.C2 * b.C2;
        Fp2 c0 = ((a.C1 + a.C2) * (b.C1 + b.C2) - v1 - v2).MulByXi() + v0;
        Fp2 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1 + v2.MulByXi();
        Fp2 c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - v0 - v2 + v1;
        return new(c0, c1, c2);
    }

    /// <summary>Product with an F_p² scalar.</summary>
    public static Fp6 operator *(in Fp6 a, in Fp2 s) => new(a.C0 * s, a.C1 * s, a.C2 * s);

    /// <inheritdoc/>
    public Fp6 Square() => this * this;

    /// <inheritdoc/>
    public Fp6 Double() => new(C0.Double(), C1.Double(), C2.Double());

    /// <summary>this·v = ξc2 + c0·v + c1·v².</summary>
    public Fp6 MulByV() => new(C2.MulByXi(), C0, C1);

    /// <inheritdoc/>
    public Fp6 Inverse()
    {
        Fp2 t0 = C0.Square() - (C1 * C2).MulByXi();
        Fp2 t1 = C2.Square().MulByXi() - C0 * C1;
        Fp2 t2 = C1.Square() - C0 * C2;
        Fp2 norm = C0 * t0 + (C2 * t1 + C1 * t2).MulByXi();
        Fp2 inv = norm.Inverse();
        return new(t0 * inv, t1 * inv, t2 * inv);
    }

    /// <inheritdoc/>
    public bool Equals(Fp6 other) => C0.Equals(other.C0) && C1.Equals(other.C1) && C2.Equals(other.C2);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp6 f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}
