using System.Numerics;
using Jevm.Numerics;
using Fp = Jevm.Crypto.Bn254.MontgomeryField<Jevm.Crypto.Bn254.Bn254BaseModulus>;

namespace Jevm.Crypto.Bn254;

/// <summary>An element c0 + c1·u of F_p² = F_p[u]/(u² + 1).</summary>
internal readonly struct Fp2 : IField<Fp2>
{
    /// <summary>The real part.</summary>
    public readonly Fp C0;

    /// <summary>The coefficient of u.</summary>
    public readonly Fp C1;

    /// <summary>Creates c0 + c1·u.</summary>
    public Fp2(in Fp c0, in Fp c1)
    {
        C0 = c0;
        C1 = c1;
    }

    /// <inheritdoc/>
    public static Fp2 Zero => default;

    /// <inheritdoc/>
    public static Fp2 One => new(Fp.One, Fp.Zero);

    /// <summary>ξ = 9 + u, the non-residue that defines F_p⁶ (v³ = ξ) and the sextic twist.</summary>
    public static readonly Fp2 Xi = new(Fp.FromUInt64(9), Fp.One);

    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero;

    /// <inheritdoc/>
    public static Fp2 operator +(in Fp2 a, in Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    /// <inheritdoc/>
    public static Fp2 operator -(in Fp2 a, in Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <inheritdoc/>
    public static Fp2 operator -(in Fp2 a) => new(-a.C0, -a.C1);

    /// <inheritdoc/>
    public static Fp2 operator *(in Fp2 a, in Fp2 b)
    {
        // Karatsuba: 3 base multiplications.
        Fp v0 = a.C0 * b.C0;
        Fp v1 = a.C1 * b.C1;
        return new(v0 - v1, (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1);
    }

    /// <summary>Product with a base-field scalar.</summary>
    public static Fp2 operator *(in Fp2 a, in Fp s) => new(a.C0 * s, a.C1 * s);

    /// <inheritdoc/>
    public Fp2 Square()
    {
        // (c0 + c1u)² = (c0 + c1)(c0 − c1) + 2c0c1·u
        Fp t = C0 * C1;
        return new((C0 + C1) * (C0 - C1), t + t);
    }

    /// <inheritdoc/>
    public Fp2 Double() => new(C0.Double(), C1.Double());

    /// <inheritdoc/>
    public Fp2 Inverse()
    {
        // 1/(c0 + c1u) = (c0 − c1u)/(c0² + c1²)
        Fp t = (C0.Square() + C1.Square()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    /// <summary>The conjugate c0 − c1·u, which is also the Frobenius map x ↦ x^p.</summary>
    public Fp2 Conjugate() => new(C0, -C1);

    /// <summary>this·ξ = (9c0 − c1) + (9c1 + c0)·u.</summary>
    public Fp2 MulByXi()
    {
        Fp c0x8 = C0.Double().Double().Double();
        Fp c1x8 = C1.Double().Double().Double();
        return new(c0x8 + C0 - C1, c1x8 + C1 + C0);
    }

    /// <summary>this^e for a non-negative exponent (used only to derive constants).</summary>
    public Fp2 Pow(BigInteger e)
    {
        Fp2 result = One;
        Fp2 b = this;
        while (!e.IsZero)
        {
            if (!e.IsEven) result *= b;
            b = b.Square();
            e >>= 1;
        }
        return result;
    }

    /// <summary>The element with canonical coordinates; false when either is ≥ p.</summary>
    public static bool TryCreate(in UInt256 c0, in UInt256 c1, out Fp2 value)
    {
        value = default;
        if (!Fp.TryCreate(c0, out var a) || !Fp.TryCreate(c1, out var b)) return false;
        value = new(a, b);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Fp2 other) => C0.Equals(other.C0) && C1.Equals(other.C1);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fp2 f && Equals(f);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);

    /// <inheritdoc/>
    public override string ToString() => $"({C0}, {C1})";
}
